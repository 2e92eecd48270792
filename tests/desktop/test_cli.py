"""The `yici` command line end to end: real subprocesses on a tmp data folder (fixture `yici`)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli_output import display_width
from tests.helpers import VISIT_FORM, bad, ok

LIBRARY = Path(__file__).resolve().parents[2] / "forms" / "library"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ROSTER_CSV = "姓名,职务,电话\n张三,书记,13800138000\n李四,委员,\n王五,党员,\n赵六,预备党员,\n"
# A committee meeting that can be finalized: everything required is given or has a default.
MEETING = {"meeting_type": "支部委员会", "title": "十一月支部委员会", "held_at": "2026-11-05T09:00",
           "topics": "研究冬季防火", "content": "传达上级精神，部署冬季防火。"}

VISIT_V1 = VISIT_FORM + """\
  - key: household
    label: 户主
    type: text
    required: true
"""
VISIT_V2 = VISIT_V1.replace("version: 1", "version: 2") + """\
  - key: note
    label: 备注
    type: longtext
"""


@pytest.fixture
def branch(yici, tmp_path):
    """A branch 红星村党支部 (code HX01) with a roster of four, 张三 the secretary."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    ok(yici("branches", "add", "红星村党支部", "--code", "HX01"))
    ok(yici("members", "import", "HX01", roster))
    return "红星村党支部"


def new_record(yici, tmp_path, values: dict, *extra: str, form: str = "sanhui-yike",
               branch: str = "红星村党支部") -> str:
    data = tmp_path / "values.json"
    data.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    result = ok(yici("records", "new", form, "--branch", branch, "--data", data, *extra))
    assert UUID.match(result.stdout.strip()), result.stdout
    return result.stdout.strip()


def show(yici, uuid: str) -> dict:
    return json.loads(ok(yici("records", "show", uuid, "--json")).stdout)


# --- the basics ----------------------------------------------------------------------------------

def test_version_help_and_usage_errors(yici):
    assert ok(yici("--version")).stdout.strip() == "yici 0.1.0"
    helped = ok(yici("--help")).stdout
    assert "用法：yici" in helped and "records" in helped and "退出码" in helped
    assert "新建一条记录" in ok(yici("records", "new", "--help")).stdout

    missing = bad(yici("records", "new"), code=2)
    assert "用法错误：缺少必需的参数" in missing.stderr and "用法：yici records new" in missing.stderr
    assert "用法错误" in bad(yici("nonsense"), code=2).stderr
    assert "YYYY-MM" in bad(yici("records", "list", "--month", "11/2026"), code=2).stderr


def test_headless_commands_never_import_qt(yici_env, tmp_path):
    code = (
        "import sys\n"
        "from desktop.cli import main\n"
        "codes = [main(['branches', 'add', '甲村']), main(['forms', 'list']), main(['records', 'list']),\n"
        "         main(['status']), main(['records', 'show', 'nope-nope'])]\n"
        "print(codes, sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            env=yici_env, cwd=tmp_path, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0, 0, 1] []", result.stdout + result.stderr


def test_no_command_without_desktop_says_so(yici_env, tmp_path):
    # Stand in for a machine where the desktop part (or Qt) is missing.
    code = "import sys; sys.modules['desktop.app'] = None\nfrom desktop.cli import main\nsys.exit(main([]))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            env=yici_env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "无法打开桌面窗口" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux desktops can lack a display")
def test_no_command_without_a_display_says_so(yici_env, tmp_path):
    env = {k: v for k, v in yici_env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "desktop.cli"], capture_output=True, text=True,
                            encoding="utf-8", env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "无法打开桌面窗口" in result.stderr


def test_unexpected_error_is_logged_not_shown(yici_env, data_dir, tmp_path):
    code = ("import sys\nimport forms.store\n"
            "def boom(*a, **k): raise RuntimeError('disk on fire')\n"
            "forms.store.Store.branches = boom\n"
            "from desktop.cli import main\nsys.exit(main(['branches', 'list']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            env=yici_env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "程序内部错误" in result.stderr and "yici-cli.log" in result.stderr
    log = (data_dir / "logs" / "yici-cli.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "disk on fire" in log


def test_c_locale_still_prints_chinese(yici):
    result = ok(yici("forms", "list", env={"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}))
    assert "三会一课" in result.stdout


# --- forms -----------------------------------------------------------------------------------------

def test_forms_list(yici):
    table = ok(yici("forms", "list")).stdout
    assert "sanhui-yike" in table and "三会一课" in table
    listed = json.loads(ok(yici("forms", "list", "--json")).stdout)
    assert {"sanhui-yike", "zhuti-dangri", "zuzhi-shenghuohui", "minzhu-pingyi", "ruhu-zoufang",
            "dangfei"} <= {f["id"] for f in listed}
    assert all(isinstance(f["version"], int) and f["title"] for f in listed)


def test_forms_check(yici, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(VISIT_V1, encoding="utf-8")
    result = ok(yici("forms", "check", good, LIBRARY / "sanhui-yike.yaml"))
    assert result.stdout.count("格式正确") == 2

    broken = tmp_path / "broken.yaml"
    broken.write_text(VISIT_V1.replace("type: date", "type: datex"), encoding="utf-8")
    result = bad(yici("forms", "check", "good.yaml", "broken.yaml", "missing.yaml"))
    lines = result.stdout.splitlines()
    assert any(re.match(r"broken\.yaml:\d+: .*datex", line) for line in lines), result.stdout
    assert any(line.startswith("missing.yaml:") for line in lines), result.stdout
    assert "good.yaml：格式正确" in result.stdout


def test_forms_add_and_new_version(yici, tmp_path, branch):
    v1, v2 = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    v1.write_text(VISIT_V1, encoding="utf-8")
    v2.write_text(VISIT_V2, encoding="utf-8")
    ok(yici("forms", "add", v1))
    ok(yici("forms", "add", v1))  # the same text again changes nothing
    listed = {f["id"]: f["version"] for f in json.loads(ok(yici("forms", "list", "--json")).stdout)}
    assert listed["visit-note"] == 1
    old = new_record(yici, tmp_path, {"visited_on": "2026-10-01", "household": "刘大爷"}, "--final",
                     form="visit-note")

    assert "第 2 版" in ok(yici("forms", "add", v2)).stdout
    listed = {f["id"]: f["version"] for f in json.loads(ok(yici("forms", "list", "--json")).stdout)}
    assert listed["visit-note"] == 2
    # A different definition under an existing version is refused; the old record keeps its version.
    v1.write_text(VISIT_V1.replace("户主", "户主姓名"), encoding="utf-8")
    bad(yici("forms", "add", v1))
    assert show(yici, old)["form_version"] == 1

    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nversion: [\n", encoding="utf-8")
    assert "broken.yaml" in bad(yici("forms", "add", broken)).stderr


# --- branches and members -----------------------------------------------------------------------------

def test_branches_and_members(yici, tmp_path):
    ok(yici("branches", "add", "东山村党支部", "--code", "DS01", "--secretary", "陈书记"))
    # --data-dir after the command (here: another folder) wins over YICI_DATA_DIR.
    other = tmp_path / "other"
    ok(yici("branches", "add", "西山村党支部", "--data-dir", other))
    assert [b["name"] for b in json.loads(ok(yici("--data-dir", other, "branches", "list", "--json")).stdout)] \
        == ["西山村党支部"]
    branches = json.loads(ok(yici("branches", "list", "--json")).stdout)
    assert [(b["name"], b["code"], b["secretary"]) for b in branches] == [("东山村党支部", "DS01", "陈书记")]
    assert "东山村党支部" in ok(yici("branches", "list")).stdout
    bad(yici("branches", "add", "东山村党支部"))  # duplicate name

    ok(yici("members", "add", "DS01", "林一", "--role", "委员", "--phone", "13912345678"))
    ok(yici("members", "add", "东山村党支部", "林二"))
    assert "书记" in bad(yici("members", "add", "DS01", "林三", "--role", "村长")).stderr
    bad(yici("members", "add", "DS01", "林三", "--phone", "12345"))
    assert "找不到支部" in bad(yici("members", "add", "北山村", "林三")).stderr
    members = json.loads(ok(yici("members", "list", "DS01", "--json")).stdout)
    assert [(m["name"], m["role"], m["phone"]) for m in members] == [
        ("陈书记", "书记", None), ("林一", "委员", "13912345678"), ("林二", "党员", None)]
    table = ok(yici("members", "list", "DS01")).stdout.splitlines()
    # CJK columns line up: the role column starts at the same display column on every row.
    rows = zip(table[2:], [("陈书记", "书记"), ("林一", "委员"), ("林二", "党员")])
    starts = {display_width(line[:line.index(role, line.index(name) + len(name))]) for line, (name, role) in rows}
    assert len(starts) == 1 and "13912345678" in table[3]


def test_members_import_csv_and_xlsx(yici, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    ok(yici("branches", "add", "红星村党支部"))
    good = tmp_path / "good.csv"
    good.write_text(ROSTER_CSV, encoding="utf-8")
    assert "4" in ok(yici("members", "import", "红星村党支部", good)).stdout

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [("姓名", "职务", "电话"), ("钱七", "党员", "13700000000"), ("孙八", "队长", None),
                ("周九", "党员", "123")]:
        sheet.append(row)
    xlsx = tmp_path / "bad.xlsx"
    book.save(xlsx)
    ok(yici("branches", "add", "青山村党支部"))
    result = bad(yici("members", "import", "青山村党支部", xlsx))
    assert "第3行" in result.stderr and "第4行" in result.stderr and "一条也没有导入" in result.stderr
    assert json.loads(ok(yici("members", "list", "青山村党支部", "--json")).stdout) == []
    bad(yici("members", "import", "青山村党支部", tmp_path / "nowhere.csv"))


# --- records -----------------------------------------------------------------------------------------

def test_records_new_from_file_stdin_and_set(yici, tmp_path, branch):
    uuid = new_record(yici, tmp_path, MEETING, "--set", "expected_count=4", "--operator", "小王")
    record = show(yici, uuid)
    assert record["status"] == "draft" and record["operator"] == "小王"
    assert record["data"]["title"] == "十一月支部委员会" and record["data"]["expected_count"] == 4

    values = dict(MEETING, attendees=["张三", "李四", "王五"])
    result = ok(yici("records", "new", "sanhui-yike", "--branch", "HX01", "--data", "-",
                     "--set", 'absences=[{"name": "赵六", "reason": "外出务工"}]', "--final",
                     input=json.dumps(values, ensure_ascii=False), env={"YICI_OPERATOR": "老李"}))
    uuid = result.stdout.strip()
    assert UUID.match(uuid), result.stdout  # only the uuid on stdout
    record = show(yici, uuid)
    assert record["status"] == "final" and record["operator"] == "老李"
    assert record["data"]["attend_count"] == 3 and record["data"]["host"] == "张三"
    text = ok(yici("records", "show", uuid[:8])).stdout
    assert "实到人员 (attendees)" in text and "张三、李四、王五" in text and "赵六（外出务工）" in text

    uuid = ok(yici("records", "new", "sanhui-yike", "--branch", branch,
                   "--set", "title=只有标题")).stdout.strip()
    assert show(yici, uuid)["data"]["title"] == "只有标题"


def test_records_new_final_invalid_saves_nothing(yici, tmp_path, branch):
    result = bad(yici("records", "new", "sanhui-yike", "--branch", branch, "--final",
                      "--set", "meeting_type=支部委员会"))
    assert result.stdout == ""
    assert "✗ 会议名称 (title)" in result.stderr and "✗ 会议内容（记录） (content)" in result.stderr
    assert json.loads(ok(yici("records", "list", "--json")).stdout) == []


def test_records_new_refuses_bad_values(yici, tmp_path, branch):
    base = ("records", "new", "sanhui-yike", "--branch", branch)
    assert "held_at" in bad(yici(*base, "--set", "nosuch=1")).stderr  # lists the valid keys
    bad(yici(*base, "--set", "title"))
    bad(yici(*base, "--set", "expected_count=很多"))
    assert "名册中没有" in bad(yici(*base, "--set", "host=不认识的人")).stderr
    assert "JSON" in bad(yici(*base, "--data", "-", input="{not json")).stderr
    bad(yici(*base, "--data", "-", input="[1, 2]"))
    bad(yici(*base, "--data", "-", input='{"attendees": [["张三"]]}'))
    bad(yici(*base, "--data", "-", input=json.dumps({"nosuch": 1})))
    bad(yici(*base, "--data", tmp_path / "missing.json"))
    latin = tmp_path / "gbk.json"
    latin.write_bytes('{"title": "会议"}'.encode("gbk"))
    bad(yici(*base, "--data", latin))
    assert "找不到表单" in bad(yici("records", "new", "no-such-form", "--branch", branch)).stderr
    assert "找不到支部" in bad(yici("records", "new", "sanhui-yike", "--branch", "无此支部")).stderr
    assert json.loads(ok(yici("records", "list", "--json")).stdout) == []


def test_record_lifecycle(yici, tmp_path, branch):
    draft = new_record(yici, tmp_path, {"meeting_type": "支部委员会"})
    result = bad(yici("records", "finalize", draft))
    assert "✗ 会议名称 (title)" in result.stderr
    ok(yici("records", "edit", draft, "--data", "-", input=json.dumps(MEETING, ensure_ascii=False)))
    assert "已定稿" in ok(yici("records", "finalize", draft[:8])).stdout

    result = ok(yici("records", "correct", draft, "--set", "title=十一月支部委员会（更正）", "--note", "改标题"))
    assert "第 2 版次" in result.stdout
    record = show(yici, draft)
    assert record["revision"] == 2 and record["data"]["title"] == "十一月支部委员会（更正）"
    assert [h["revision"] for h in record["history"]] == [1, 2] or [h["revision"] for h in record["history"]] == [2, 1]
    actions = [a["action"] for a in record["audit"]]
    assert {"created", "finalized", "corrected"} <= set(actions)
    assert any(f["key"] == "title" and f["label"] == "会议名称" for f in record["fields"])
    text = ok(yici("records", "show", draft)).stdout
    assert "修订历史" in text and "操作记录" in text and "改标题" in text

    assert "只有草稿可以删除" in bad(yici("records", "delete", draft)).stderr
    bad(yici("records", "correct", draft))  # nothing to correct
    bad(yici("records", "void", draft, "--reason", " "))
    ok(yici("records", "void", draft, "--reason", "重复录入"))
    assert show(yici, draft)["status"] == "void"

    other = new_record(yici, tmp_path, MEETING)
    ok(yici("records", "delete", other))
    bad(yici("records", "show", other))
    bad(yici("records", "finalize", "0000"))


def test_records_list_filters(yici, tmp_path, branch):
    ok(yici("branches", "add", "东山村党支部", "--secretary", "陈书记"))
    nov = new_record(yici, tmp_path, MEETING, "--final")
    oct_ = new_record(yici, tmp_path, dict(MEETING, held_at="2026-10-08T09:00", title="十月学习"))
    east = new_record(yici, tmp_path, dict(MEETING, host="陈书记"), branch="东山村党支部")

    def listed(*filters: str) -> set[str]:
        return {r["uuid"] for r in json.loads(ok(yici("records", "list", "--json", *filters)).stdout)}

    assert listed() == {nov, oct_, east}
    assert listed("--branch", "HX01") == {nov, oct_}
    assert listed("--status", "final") == {nov} == listed("--status", "已定稿")
    assert listed("--month", "2026-10") == {oct_}
    assert listed("--form", "zhuti-dangri") == set()
    assert listed("--text", "十月学习") == {oct_}
    assert len(listed("--limit", "1")) == 1
    result = ok(yici("records", "list", "--limit", "2"))
    assert "共 3 条" in result.stderr and "东山村党支部" in result.stdout and "草稿" in result.stdout
    assert "找不到支部" in bad(yici("records", "list", "--branch", "无此支部")).stderr


def test_status_counts(yici, tmp_path, branch):
    new_record(yici, tmp_path, MEETING, "--final")
    new_record(yici, tmp_path, MEETING)
    new_record(yici, tmp_path, MEETING)
    counts = json.loads(ok(yici("status", "--json")).stdout)["records"]
    assert counts == {"draft": 2, "final": 1, "void": 0}
    text = ok(yici("status")).stdout
    assert re.search(r"草稿\s*：2", text) and re.search(r"已定稿\s*：1", text)
