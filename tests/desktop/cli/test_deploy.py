"""`yici profile`, `backup`, `restore`, `export` and `import` end to end, in subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import VISIT_FORM as VISIT
from tests.helpers import bad, ok, passphrase_file

# No keyring in these subprocesses: never the developer's keychain, and the commands must
# still say which secrets to enter.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "YICI_OPERATOR": "老王"}


@pytest.fixture
def run(yici):
    """`run(*args, data=DIR)`: the command line with the test keyring setting."""

    def call(*args, data: Path | None = None, **kwargs):
        extra = ["--data-dir", str(data)] if data is not None else []
        return yici(*args, *extra, env=NO_KEYRING, **kwargs)

    return call


@pytest.fixture
def county(run, tmp_path):
    """The IT laptop's data folder, set up with the command line."""
    folder = tmp_path / "it"
    ok(run("branches", "add", "红星村党支部", "--code", "HX01", "--secretary", "张三", data=folder))
    ok(run("members", "add", "红星村党支部", "李四", data=folder))
    ok(run("branches", "add", "青山村党支部", data=folder))
    ok(run("targets", "add", "钉钉群", "--kind", "dingtalk", "--forms", "sanhui-yike", data=folder))
    ok(
        run(
            "targets",
            "add",
            "县平台",
            "--kind",
            "rest",
            "--url",
            "https://county.example/api",
            "--option",
            "auth=bearer",
            data=folder,
        )
    )
    (tmp_path / "visit.yaml").write_text(VISIT, encoding="utf-8")
    ok(run("forms", "add", tmp_path / "visit.yaml", data=folder))
    return folder


def branches(run, folder) -> list[dict]:
    return json.loads(ok(run("branches", "list", "--json", data=folder)).stdout)


def test_profile_round_trip_into_a_fresh_folder(run, county, tmp_path):
    exported = ok(run("profile", "export", "county.yaml", "--with-rosters", data=county))
    assert "已导出部署配置" in exported.stdout
    fresh = tmp_path / "cadre"

    first = ok(run("profile", "import", "county.yaml", data=fresh))

    assert "新增：支部 红星村党支部" in first.stdout and "新增：平台 县平台" in first.stdout
    assert "请用 `yici targets secret 钉钉群 --name webhook` 录入密钥" in first.stdout
    assert "请用 `yici targets secret 县平台 --name token` 录入密钥" in first.stdout
    assert [(b["name"], b["code"], b["members"]) for b in branches(run, fresh)] == [
        ("红星村党支部", "HX01", 2),
        ("青山村党支部", None, 0),
    ]
    assert "visit-note" in ok(run("forms", "list", data=fresh)).stdout
    targets = ok(run("targets", "list", data=fresh)).stdout
    assert "钉钉群" in targets and "县平台" in targets

    second = ok(run("profile", "import", "county.yaml", data=fresh))
    assert "没有变化" in second.stdout and "新增" not in second.stdout
    assert len(branches(run, fresh)) == 2


def test_bad_profile_says_file_and_line_and_imports_nothing(run, tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "yici_profile: 1\n"
        "branches:\n"
        "  - name: 红星村党支部\n"
        "targets:\n"
        "  - name: 县平台\n"
        "    kind: rest\n"
        "    forms: [no-such-form]\n",
        encoding="utf-8",
    )
    fresh = tmp_path / "cadre"
    result = bad(run("profile", "import", "bad.yaml", data=fresh))
    assert "bad.yaml:7:" in result.stderr and "no-such-form" in result.stderr
    assert "什么都没有导入" in result.stderr
    assert branches(run, fresh) == []

    (tmp_path / "broken.yaml").write_text("yici_profile: 1\nbranches:\n  - name: [\n", encoding="utf-8")
    result = bad(run("profile", "import", "broken.yaml", data=fresh))
    assert "broken.yaml:" in result.stderr and "YAML 格式有误" in result.stderr


def test_backup_and_restore(run, county, tmp_path):
    made = ok(run("backup", data=county))
    path = Path(made.stdout.strip())
    assert path.is_file() and path.parent == county / "backups"
    ok(run("branches", "add", "误加的支部", data=county))
    to_file = ok(run("backup", "--to", tmp_path / "copy.db", data=county))
    assert Path(to_file.stdout.strip()) == tmp_path / "copy.db"
    assert "手动备份" in ok(run("backup", "--list", data=county)).stdout

    restored = ok(run("restore", path, data=county))

    assert "已从" in restored.stdout and "支部 2 个" in restored.stdout
    assert "恢复前的数据已备份到" in restored.stdout
    assert [b["name"] for b in branches(run, county)] == ["红星村党支部", "青山村党支部"]

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 200)
    refused = bad(run("restore", junk, data=county))
    assert "不是一次的数据库" in refused.stderr
    assert len(branches(run, county)) == 2


def test_export_and_import_twice_without_duplicates(run, county, tmp_path):
    uuid = ok(
        run(
            "records",
            "new",
            "visit-note",
            "--branch",
            "红星村党支部",
            "--set",
            "visited_on=2026-11-01",
            "--final",
            data=county,
        )
    ).stdout.strip()
    ok(
        run(
            "records",
            "new",
            "visit-note",
            "--branch",
            "青山村党支部",
            "--set",
            "visited_on=2026-11-02",
            data=county,
        )
    )
    exported = ok(run("export", "handover.zip", "--passphrase-file", passphrase_file(tmp_path), data=county))
    assert "已导出全部数据到" in exported.stdout and "记录 2 条" in exported.stdout
    new = tmp_path / "new-laptop"

    first = ok(run("import", "handover.zip", "--passphrase-file", passphrase_file(tmp_path), data=new))
    assert "新增" in first.stdout and "记录 2" in first.stdout
    assert "请用 `yici targets secret 钉钉群 --name webhook` 录入密钥" in first.stdout
    second = ok(run("import", "handover.zip", "--passphrase-file", passphrase_file(tmp_path), data=new))
    assert "没有变化" in second.stdout

    records = json.loads(ok(run("records", "list", "--json", data=new)).stdout)
    assert len(records) == 2 and uuid in {r["uuid"] for r in records}
    shown = ok(run("records", "show", uuid, data=new)).stdout
    assert "2026-11-01" in shown

    refused = bad(run("import", "county.yaml-not-there.zip", data=new))
    assert "找不到导出文件" in refused.stderr
