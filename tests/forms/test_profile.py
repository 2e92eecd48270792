"""Deployment profiles: export and import round trip, idempotence, no secrets, clear errors."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

import forms.profile as profile_module
from forms import target_kinds
from forms.catalog import Catalog
from forms.profile import (
    ProfileChanges,
    ProfileProblem,
    export_profile,
    find_beside_executable,
    import_profile,
    parse_profile,
    read_profile,
    write_profile,
)
from forms.store import Store, secret_problems
from forms.yaml_lines import Limits
from sync.secrets import set_secret
from tests.helpers import VISIT_FORM as VISIT
from tests.helpers import add_red_star

SECRETS = {
    "webhook": "https://oapi.dingtalk.com/robot/send?access_token=ZZ-WEBHOOK-7f3a9c",
    "sign_secret": "SECzz-sign-secret-91be",
    "token": "ZZ-BEARER-TOKEN-5d21",
}


@pytest.fixture
def county(tmp_path, memory_keyring):
    """An IT laptop set up for a county: branches, roster, cadence, targets with secrets, a form."""
    data = tmp_path / "it"
    store = Store.open(data)
    catalog = Catalog(data)
    store.set_setting("font_size", "large")
    red = add_red_star(store)
    store.update_branch(red.id, cadence={"sanhui-yike:支部委员会": "quarter", "ruhu-zoufang": "month"})
    store.add_branch("青山村党支部")
    form_file = tmp_path / "visit.yaml"
    form_file.write_text(VISIT, encoding="utf-8")
    store.remember_form(catalog.install(form_file))
    robot = store.add_target("镇党委钉钉群", "dingtalk", forms=["sanhui-yike"], branches=["红星村党支部"])
    rest = store.add_target(
        "县平台",
        "rest",
        url="https://county.example/api/records",
        options={"auth": "bearer", "success_path": "code", "success_value": "0"},
        template='{"uuid": {{ uuid | tojson }}}',
    )
    set_secret(store, robot, "webhook", SECRETS["webhook"])
    set_secret(store, robot, "sign_secret", SECRETS["sign_secret"])
    set_secret(store, rest, "token", SECRETS["token"])
    yield store, catalog
    store.close()


@pytest.fixture
def fresh(tmp_path):
    data = tmp_path / "cadre"
    store = Store.open(data)
    yield store, Catalog(data)
    store.close()


def test_export_never_contains_a_secret(county, tmp_path):
    store, catalog = county
    path = write_profile(tmp_path / "p.yaml", export_profile(store, catalog, with_rosters=True))
    text = path.read_text(encoding="utf-8")
    for secret in SECRETS.values():
        assert secret not in text
    assert "ZZ-" not in text and "SECzz" not in text
    data = yaml.safe_load(text)
    assert data["yici_profile"] == 1
    needed = {t["name"]: t["secrets_needed"] for t in data["targets"]}
    # Names only: what the kind needs, the auth option's token, and the optional sign secret set here.
    assert needed == {"镇党委钉钉群": ["webhook", "sign_secret"], "县平台": ["token"]}


def test_round_trip_into_a_fresh_laptop(county, fresh, tmp_path, memory_keyring):
    store, catalog = county
    path = write_profile(tmp_path / "p.yaml", export_profile(store, catalog, with_rosters=True))
    new_store, new_catalog = fresh
    memory_keyring.entries.clear()  # the cadre's laptop has its own, empty keyring

    report = import_profile(new_store, new_catalog, path)

    assert report.changed
    assert [b.name for b in new_store.branches()] == ["红星村党支部", "青山村党支部"]
    red = new_store.find_branch("红星村党支部")
    assert (red.code, red.secretary) == ("HX01", "张三")
    assert red.cadence == {"sanhui-yike:支部委员会": "quarter", "ruhu-zoufang": "month"}
    assert [(m.name, m.role, m.phone) for m in new_store.members(red.id)] == [
        ("张三", "书记", "13800138000"),
        ("李四", "党员", None),
    ]
    robot = new_store.target("镇党委钉钉群")
    assert (robot.kind, robot.forms, robot.branches) == ("dingtalk", ["sanhui-yike"], ["红星村党支部"])
    rest = new_store.target("县平台")
    assert rest.options == {"auth": "bearer", "success_path": "code", "success_value": "0"}
    assert rest.template == '{"uuid": {{ uuid | tojson }}}'
    assert new_catalog.get("visit-note").title == "走访小记"
    assert Catalog(new_catalog.data_dir).get("visit-note", 1).source.strip() == VISIT.strip()
    assert new_store.stored_form_source("visit-note", 1) is not None
    assert new_store.get_setting("font_size") == "large"
    # The new laptop's keyring is empty: the cadre is told exactly what to enter.
    assert dict(report.secrets) == {"镇党委钉钉群": ["webhook", "sign_secret"], "县平台": ["token"]}


def test_second_import_changes_nothing(county, fresh, tmp_path):
    store, catalog = county
    path = write_profile(tmp_path / "p.yaml", export_profile(store, catalog, with_rosters=True))
    new_store, new_catalog = fresh
    import_profile(new_store, new_catalog, path)
    audit_before = len(new_store.audit())

    again = import_profile(new_store, new_catalog, path)

    assert not again.changed and again.unchanged
    assert len(new_store.branches()) == 2 and len(new_store.targets()) == 2
    assert len(new_store.audit()) == audit_before


def test_reimport_updates_by_name_and_keeps_what_the_cadre_chose(county, fresh, tmp_path):
    store, catalog = county
    new_store, new_catalog = fresh
    new_store.set_setting("font_size", "xlarge")  # the cadre's own choice
    path = write_profile(tmp_path / "p.yaml", export_profile(store, catalog))
    import_profile(new_store, new_catalog, path)
    store.update_target(store.target("县平台").id, url="https://county.example/api/v2")
    path = write_profile(tmp_path / "p.yaml", export_profile(store, catalog))

    with pytest.raises(ProfileChanges) as caught:  # an existing platform never changes silently
        import_profile(new_store, new_catalog, path)
    assert [str(c) for c in caught.value.changes] == [
        "平台“县平台”的接口地址：https://county.example/api/records → https://county.example/api/v2"
    ]
    assert new_store.target("县平台").url == "https://county.example/api/records"
    report = import_profile(new_store, new_catalog, path, accept_changes=True)

    assert report.updated == ["平台 县平台"] and not report.added
    assert new_store.target("县平台").url == "https://county.example/api/v2"
    assert new_store.get_setting("font_size") == "xlarge"
    assert len(new_store.targets()) == 2


def test_problems_name_file_and_line_and_nothing_is_imported(fresh, tmp_path):
    store, catalog = fresh
    path = tmp_path / "bad.yaml"
    path.write_text(
        "yici_profile: 1\n"  # 1
        "branches:\n"  # 2
        "  - name: 红星村党支部\n"  # 3
        "    cadence: {sanhui-yike: weekly}\n"  # 4
        "targets:\n"  # 5
        "  - name: 县平台\n"  # 6
        "    kind: rest\n"  # 7
        "    options:\n"  # 8
        "      token: abc\n"  # 9
        "  - name: 传真\n"  # 10
        "    kind: fax\n",
        encoding="utf-8",
    )  # 11
    with pytest.raises(ProfileProblem) as caught:
        import_profile(store, catalog, path)
    lines = [(p.line, p.message) for p in caught.value.problems]
    assert [line for line, _ in lines] == [4, 9, 11]
    assert "weekly" in lines[0][1] and "密钥不能写在配置文件里" in lines[1][1] and "fax" in lines[2][1]
    assert str(caught.value).startswith(f"{path}:4: ")
    assert store.branches() == [] and store.targets() == []


def test_a_form_problem_points_at_the_line_in_the_profile(fresh):
    text = "yici_profile: 1\nforms:\n  - id: visit-note\n    source: |\n" + "".join(
        "      " + line + "\n" for line in VISIT.replace("type: date", "type: dat").splitlines()
    )
    with pytest.raises(ProfileProblem) as caught:
        parse_profile(text, "p.yaml")
    problem = caught.value.problems[0]
    assert problem.line == 11 and text.splitlines()[problem.line - 1].strip() == "type: dat"


def test_not_a_profile(fresh, tmp_path):
    with pytest.raises(ProfileProblem, match="yici_profile"):
        parse_profile("branches: []\n", "p.yaml")
    with pytest.raises(ProfileProblem, match="版本"):
        parse_profile("yici_profile: 7\n", "p.yaml")
    with pytest.raises(ProfileProblem, match="p.yaml:3: YAML 格式有误"):
        parse_profile("yici_profile: 1\nbranches: [\n", "p.yaml")


def test_a_failure_halfway_rolls_everything_back(county, fresh, tmp_path, monkeypatch):
    store, catalog = county
    path = write_profile(tmp_path / "p.yaml", export_profile(store, catalog, with_rosters=True))
    new_store, new_catalog = fresh

    def broken(*args, **kwargs):
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(profile_module, "_apply_target", broken)
    with pytest.raises(RuntimeError):
        import_profile(new_store, new_catalog, path)
    assert new_store.branches() == [] and new_store.get_setting("font_size") is None


def test_a_target_with_another_kind_under_the_same_name_is_refused(county, fresh, tmp_path):
    store, catalog = county
    path = write_profile(tmp_path / "p.yaml", export_profile(store, catalog))
    new_store, new_catalog = fresh
    new_store.add_target("县平台", "wecom")
    with pytest.raises(ProfileProblem, match="类型是 wecom"):
        import_profile(new_store, new_catalog, path)
    assert new_store.branches() == []


def test_find_beside_executable(tmp_path, monkeypatch):
    monkeypatch.delenv("YICI_PROFILE", raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert find_beside_executable() is None  # from source: nothing is guessed
    program = tmp_path / "Yici"
    program.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program / "yici.exe"))
    assert find_beside_executable() is None  # no profile beside it
    (program / "yici-profile.yaml").write_text("yici_profile: 1\n", encoding="utf-8")
    assert find_beside_executable() == (program / "yici-profile.yaml").resolve()
    other = tmp_path / "county.yaml"
    other.write_text("yici_profile: 1\n", encoding="utf-8")
    monkeypatch.setenv("YICI_PROFILE", str(other))
    assert find_beside_executable() == other


# -- the one YAML reader, the one secrets policy, the one atomic write -------------------------


def _alias_bomb(where: str) -> str:
    """A profile whose `where` value is ten to the ninth power of items once aliases are followed."""
    levels = ["  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    levels += [f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)]
    return "yici_profile: 1\nforms:\n" + "".join(levels) + where


def test_an_alias_bomb_is_refused_at_once_with_file_and_line(fresh, tmp_path):
    store, catalog = fresh
    path = tmp_path / "bomb.yaml"
    # The old reader built this value to check it was a number: a billion strings.
    path.write_text(_alias_bomb("settings:\n  backup_keep_days: *a8\n"), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ProfileProblem) as caught:
        import_profile(store, catalog, path)
    assert time.monotonic() - started < 1.0
    problem = caught.value.problems[0]
    assert problem.file == str(path) and 3 <= problem.line <= 12 and "别名" in problem.message
    assert str(caught.value).startswith(f"{path}:{problem.line}: ")
    assert store.branches() == [] and store.get_setting("backup_keep_days") is None


def test_a_whole_county_with_rosters_is_within_the_limits(fresh):
    # 1,000 branches of 30: beyond the limits a form file may reach, well within a profile's.
    member = "      - {{name: 党员{b}-{m}, role: 党员, phone: '138{b:04d}{m:04d}'}}\n"
    branches = "".join(
        f"  - name: 第{b}村党支部\n    members:\n" + "".join(member.format(b=b, m=m) for m in range(30))
        for b in range(1000)
    )
    text = "yici_profile: 1\nbranches:\n" + branches
    assert len(text) > Limits().max_chars // 2
    profile = parse_profile(text, "county.yaml")
    assert len(profile.branches) == 1000 and len(profile.branches[-1].members) == 30


@pytest.mark.parametrize(
    "name",
    [
        "token",
        "AppSecret",
        "x_api_key",
        "SessionId",
        "sign_secret",
        "cookie",
        "client_credential",
        "auth",
        "app_key",
        "keyword",
        "success_path",
    ],
)
def test_an_option_is_refused_exactly_when_the_store_would_refuse_it(fresh, name):
    text = (
        "yici_profile: 1\n"
        "targets:\n"
        "  - name: 县平台\n"
        "    kind: rest\n"
        "    url: https://county.example/api/records\n"
        "    options:\n"
        f"      {name}: abc\n"
    )  # 7
    if secret_problems(None, {name: "abc"}):
        with pytest.raises(ProfileProblem) as caught:
            parse_profile(text, "p.yaml")
        assert [p.line for p in caught.value.problems] == [7]
        assert "密钥不能写在配置文件里" in caught.value.problems[0].message
    elif target_kinds.option_problems("rest", {name: "abc"}):  # not secret, but not a valid option
        with pytest.raises(ProfileProblem) as caught:
            parse_profile(text, "p.yaml")
        assert [p.line for p in caught.value.problems] == [7]
        assert "密钥" not in caught.value.problems[0].message
    else:
        assert parse_profile(text, "p.yaml").targets[0].values["options"] == {name: "abc"}


def test_a_secret_inside_a_url_is_refused_with_its_line(fresh):
    text = (
        "yici_profile: 1\n"
        "targets:\n"
        "  - name: 县平台\n"
        "    kind: rest\n"
        "    url: https://county.example/api/records?access_token=abc\n"  # 5
        "    options:\n"
        "      callback: https://county.example/hook?sign=abc\n"
    )  # 7
    with pytest.raises(ProfileProblem) as caught:
        parse_profile(text, "p.yaml")
    assert [p.line for p in caught.value.problems] == [5, 7]
    assert all("密钥不能写在配置文件里" in p.message for p in caught.value.problems)


def test_problems_are_written_for_the_people_who_import_profiles(fresh):
    text = (
        "yici_profile: 1\n"
        "settings:\n"
        "  backup_keep_days: 400\n"  # 3
        "  colour: red\n"  # 4
        "branches: {name: 红星村党支部}\n"  # 5
        "targets:\n"
        "  - name: 县平台\n"
        "    kind: rest\n"
        "    enabled: maybe\n"
    )  # 9
    with pytest.raises(ProfileProblem) as caught:
        parse_profile(text, "p.yaml")
    problems = caught.value.problems
    assert [p.line for p in problems] == [4, 3, 5, 9]
    assert "365" in problems[1].message and "colour" in problems[0].message
    assert all(" / " not in p.message for p in problems)  # Chinese only, no English tail


def test_unreadable_and_non_utf8_files_are_problems_with_lines(tmp_path):
    with pytest.raises(ProfileProblem, match="无法读取"):
        read_profile(tmp_path / "missing.yaml")
    path = tmp_path / "gbk.yaml"
    path.write_bytes("yici_profile: 1\nbranches:\n  - name: 红星村党支部\n".encode("gbk"))
    with pytest.raises(ProfileProblem) as caught:
        read_profile(path)
    assert caught.value.problems[0].line == 3 and "UTF-8" in caught.value.problems[0].message


def test_importing_forms_writes_nothing_outside_the_data_folder(county, fresh, monkeypatch):
    store, catalog = county
    text = export_profile(store, catalog)
    new_store, new_catalog = fresh
    folders = []
    make_temporary = tempfile.mkstemp

    def recorded(*args, **kwargs):
        folders.append(Path(kwargs.get("dir") or tempfile.gettempdir()).resolve())
        return make_temporary(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", recorded)

    import_profile(new_store, new_catalog, profile=parse_profile(text, "p.yaml"))

    assert new_catalog.get("visit-note", 1).source.strip() == VISIT.strip()
    data = new_catalog.data_dir.resolve()
    assert folders and all(folder.is_relative_to(data) for folder in folders), folders
    assert [p.name for p in (data / "forms").iterdir()] == ["visit-note-v1.yaml"]
