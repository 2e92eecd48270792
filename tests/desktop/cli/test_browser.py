"""`yici targets add --kind browser --recipe`, `yici targets test`, `yici browser run | proofs`
as an IT person and a cadre meet them: a recipe file checked as FILE:LINE, the account in the
keyring, the recipe tried on the stand-in platform in a real headless Chromium (a renamed field
listed with its recipe line), a run that enters the record, its screenshots exported, and the
password nowhere in what was printed or kept."""

from __future__ import annotations

import pytest

from tests.sync.browser_setup import recipe_for
from tests.sync.headless import TEST_ARGS, needs_chromium
from tests.sync.standin_platform import PASSWORD, USER, StandinPlatform

pytestmark = needs_chromium
NAME = "县党员教育管理系统"


@pytest.fixture
def yici_env(yici_env):
    """The command line's browser, headless on request, reaching nothing but 127.0.0.1."""
    return {**yici_env, "YICI_BROWSER_ARGS": " ".join(a for a in TEST_ARGS if " " not in a)}


@pytest.fixture
def standin():
    server = StandinPlatform()
    yield server
    server.close()


def add_target(cli, tmp_path, platform: StandinPlatform) -> None:
    recipe = tmp_path / "县系统.yaml"
    recipe.write_text(recipe_for(platform, "standin-auto.yaml"), encoding="utf-8")
    cli("targets", "add", NAME, "--kind", "browser", "--recipe", recipe, "--option", "allow_plain_http=yes")
    cli("targets", "secret", NAME, "--name", "user", input=USER + "\n")
    cli("targets", "secret", NAME, "--name", "password", input=PASSWORD + "\n")


def assert_no_password(cli) -> None:
    for text in cli.outputs:
        assert PASSWORD not in text
    for path in cli.data_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_recipe_file_is_checked_line_by_line_and_nothing_saved(cli, tmp_path):
    bad = tmp_path / "坏配方.yaml"
    bad.write_text(
        "start_url: http://127.0.0.1:1/login\nfields:\n  - label: 会议名称\n    type: 多行\n", "utf-8"
    )
    result = cli("targets", "add", NAME, "--kind", "browser", "--recipe", bad, code=1)
    assert f"{bad}:4: 字段“会议名称”的 type 不能是“多行”" in result.stderr
    assert f"{bad}:1: 配方缺少 submit" in result.stderr and "什么都没有保存" in result.stderr
    assert cli.json("targets", "list") == []
    result = cli("targets", "add", NAME, "--kind", "browser", "--url", "http://x", code=1)
    assert "--recipe" in result.stderr


def test_try_then_run_then_export_the_proof(cli, tmp_path, standin):
    add_target(cli, tmp_path, standin)
    uuid = cli.record()
    shot = tmp_path / "试填.png"
    tried = cli("targets", "test", NAME, "--headless", "--screenshot", shot)
    assert "所有字段都找到了" in tried.stdout and "没有提交" in tried.stdout
    assert "#lecturer 只在选择某些选项后出现，样例没有选到，未检查" in tried.stdout  # not called missing
    assert shot.read_bytes().startswith(b"\x89PNG") and standin.meetings == []

    run = cli("browser", "run", "--headless")
    assert "已录入 1 条" in run.stdout, run.stderr
    (saved,) = standin.meetings
    assert saved.values["title"] == "十一月支部委员会" and saved.values["held_on"] == "2026-11-05"
    (d,) = [d for d in cli.json("deliveries", "list") if d["record_uuid"] == uuid]
    assert d["state"] == "delivered"
    proofs = cli.json("browser", "proofs", str(d["id"]))
    assert [p["kind"] for p in proofs] == ["before", "after"]
    out = tmp_path / "截图"
    cli("browser", "proofs", str(d["id"]), "--to", out)
    assert sorted(p.name for p in out.iterdir()) == [
        f"推送{d['id']}-1-提交前.png",
        f"推送{d['id']}-2-提交后.png",
    ]
    again = cli("browser", "run", "--headless")
    assert "没有等待录入" in again.stdout and len(standin.meetings) == 1
    assert_no_password(cli)


def test_a_field_the_platform_renamed_is_listed_with_its_recipe_line(cli, tmp_path):
    changed = StandinPlatform(labels={"会议名称": "会议标题", "召开日期": "开会日期"})
    try:
        add_target(cli, tmp_path, changed)
        tried = cli("targets", "test", NAME, "--headless", code=4)
        assert "字段“会议名称”（配方第 13 行）" in tried.stderr
        assert "字段“召开日期”（配方第 30 行）" in tried.stderr
        assert "以下 2 个字段没能填写" in tried.stderr and "--recipe" in tried.stderr
        cli.record()
        run = cli("browser", "run", "--headless", code=4)
        assert "会议名称" in run.stdout + run.stderr and changed.meetings == []
        (target,) = cli.json("targets", "list")
        assert "会议名称" in (target.get("attention") or ""), target
    finally:
        changed.close()
    assert_no_password(cli)
