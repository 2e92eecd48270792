"""`yici branches` and `yici members` end to end."""

from __future__ import annotations

import json

import pytest

from desktop.cli.output import display_width
from tests.desktop.cli.helpers import ROSTER_CSV
from tests.helpers import bad, ok


def test_branches_and_members(yici, tmp_path):
    ok(yici("branches", "add", "东山村党支部", "--code", "DS01", "--secretary", "陈书记"))
    # --data-dir after the command (here: another folder) wins over YICI_DATA_DIR.
    other = tmp_path / "other"
    ok(yici("branches", "add", "西山村党支部", "--data-dir", other))
    assert [
        b["name"] for b in json.loads(ok(yici("--data-dir", other, "branches", "list", "--json")).stdout)
    ] == ["西山村党支部"]
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
        ("陈书记", "书记", None),
        ("林一", "委员", "13912345678"),
        ("林二", "党员", None),
    ]
    table = ok(yici("members", "list", "DS01")).stdout.splitlines()
    # CJK columns line up: the role column starts at the same display column on every row.
    rows = zip(table[2:], [("陈书记", "书记"), ("林一", "委员"), ("林二", "党员")], strict=False)
    starts = {
        display_width(line[: line.index(role, line.index(name) + len(name))]) for line, (name, role) in rows
    }
    assert len(starts) == 1 and "13912345678" in table[3]


def test_members_import_csv_and_xlsx(yici, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    ok(yici("branches", "add", "红星村党支部"))
    good = tmp_path / "good.csv"
    good.write_text(ROSTER_CSV, encoding="utf-8")
    assert "4" in ok(yici("members", "import", "红星村党支部", good)).stdout

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ("姓名", "职务", "电话"),
        ("钱七", "党员", "13700000000"),
        ("孙八", "队长", None),
        ("周九", "党员", "123"),
    ]:
        sheet.append(row)
    xlsx = tmp_path / "bad.xlsx"
    book.save(xlsx)
    ok(yici("branches", "add", "青山村党支部"))
    result = bad(yici("members", "import", "青山村党支部", xlsx))
    assert "第3行" in result.stderr and "第4行" in result.stderr and "一条也没有导入" in result.stderr
    assert json.loads(ok(yici("members", "list", "青山村党支部", "--json")).stdout) == []
    bad(yici("members", "import", "青山村党支部", tmp_path / "nowhere.csv"))
