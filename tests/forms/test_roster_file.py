"""forms/roster_file.py: rosters from real .csv (UTF-8, UTF-8 BOM, GBK) and .xlsx files."""

from __future__ import annotations

import openpyxl
import pytest

from forms.roster_file import ROLES, read_roster

ROSTER = "姓名,职务,电话\n张三,书记,13800138000\n李四,委员,\n王五,,13912345678\n"
EXPECTED = [
    {"name": "张三", "role": "书记", "phone": "13800138000", "line": 2},
    {"name": "李四", "role": "委员", "phone": None, "line": 3},
    {"name": "王五", "role": "党员", "phone": "13912345678", "line": 4},
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_writes(tmp_path, encoding):
    path = tmp_path / "名册.csv"
    path.write_bytes(ROSTER.replace("\n", "\r\n").encode(encoding))
    read = read_roster(path)
    assert read.problems == []
    assert read.ok
    assert read.rows == EXPECTED


def test_gbk_file_really_is_not_utf8(tmp_path):
    # Guards the test above: the GBK bytes must fail as UTF-8 for the fallback to be exercised.
    data = ROSTER.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (tmp_path / "r.csv").write_bytes(data)
    assert [r["name"] for r in read_roster(tmp_path / "r.csv").rows] == ["张三", "李四", "王五"]


def test_english_headers_any_order_and_blank_lines(tmp_path):
    path = tmp_path / "r.CSV"
    path.write_text(
        "Phone, Name ,Role\n\n13800138000,Zhang San,副书记\n,,\n,Li Si,预备党员\n", encoding="utf-8"
    )
    read = read_roster(path)
    assert read.problems == []
    assert read.rows == [
        {"name": "Zhang San", "role": "副书记", "phone": "13800138000", "line": 3},
        {"name": "Li Si", "role": "预备党员", "phone": None, "line": 5},
    ]


def test_header_synonyms_title_row_and_role_aliases(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "某某村党支部党员名册,,\n*姓名,身份,手机号\n张　三,支部书记,138 0013 8000\n李四,正式党员,\n",
        encoding="utf-8-sig",
    )
    read = read_roster(path)
    assert read.problems == []
    assert [(r["name"], r["role"], r["phone"]) for r in read.rows] == [
        ("张三", "书记", "13800138000"),
        ("李四", "党员", None),
    ]


def test_name_column_only(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("姓名\n张三\n李四\n", encoding="utf-8")
    read = read_roster(path)
    assert read.problems == []
    assert [(r["name"], r["role"], r["phone"]) for r in read.rows] == [
        ("张三", "党员", None),
        ("李四", "党员", None),
    ]


def test_bad_role_phone_duplicate_and_empty_name(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "姓名,角色,电话\n张三,书记,13800138000\n李四,队长,\n王五,党员,12345\n"
        "张三,党员,\n,委员,13900000000\n赵六,党员,\n",
        encoding="utf-8",
    )
    read = read_roster(path)
    assert read.problems == [
        "第3行：角色“队长”不在 书记/副书记/委员/党员/预备党员 之中",
        "第4行：手机号“12345”不正确，应为 1 开头的 11 位数字；不知道可以留空",
        "第5行：姓名“张三”与第2行重复，请删除重复的一行（同名的两位党员请在姓名后加以区分，例如“张伟（二组）”）",
        "第6行：姓名是空的，请填写姓名或删除这一行",
    ]
    assert not read.ok
    # Rows with a problem are left out; the good ones are ready to import.
    assert [r["name"] for r in read.rows] == ["张三", "赵六"]
    assert {r["role"] for r in read.rows} <= set(ROLES)


def test_phone_must_be_mainland_mobile(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "姓名,电话\n甲,12800138000\n乙,1380013800\n丙,23800138000\n丁,19912345678\n", encoding="utf-8"
    )
    read = read_roster(path)
    assert [p[:4] for p in read.problems] == ["第2行：", "第3行：", "第4行："]
    assert [r["name"] for r in read.rows] == ["丁"]


def test_missing_name_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("职务,电话\n书记,13800138000\n", encoding="utf-8")
    read = read_roster(path)
    assert read.rows == []
    assert len(read.problems) == 1 and "找不到“姓名”列" in read.problems[0]


def test_empty_file_and_header_only(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "没有内容" in read_roster(tmp_path / "empty.csv").problems[0]
    (tmp_path / "header.csv").write_text("姓名,职务\n", encoding="utf-8")
    read = read_roster(tmp_path / "header.csv")
    assert read.rows == [] and "没有党员" in read.problems[0]


def test_wrong_extension_and_missing_file(tmp_path):
    old = tmp_path / "名册.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    read = read_roster(old)
    assert read.rows == []
    assert "另存为" in read.problems[0] and ".xls" in read.problems[0]
    assert "请选择 .xlsx 或 .csv" in read_roster(tmp_path / "名册.txt").problems[0]
    assert "找不到文件" in read_roster(tmp_path / "nope.csv").problems[0]


def test_xlsx_that_is_not_a_workbook(tmp_path):
    fake = tmp_path / "r.xlsx"
    fake.write_text("姓名,职务\n张三,书记\n", encoding="utf-8")
    read = read_roster(fake)
    assert read.rows == []
    assert read.problems[0].startswith("无法读取 Excel 文件“r.xlsx”")
    assert "Traceback" not in read.problems[0]


def test_xlsx_first_sheet_with_numeric_phone(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append(["某某村党支部党员名册"])
    ws.append(["序号", "姓名", "职务", "手机号码"])
    ws.append([1, "张三", "书记", 13800138000])
    ws.append([2, "李四", "预备党员", None])
    ws.append([None, None, None, None])
    ws.append([3, "王五", None, "13912345678"])
    other = wb.create_sheet("其他")
    other.append(["姓名"])
    other.append(["不该读到"])
    path = tmp_path / "名册.xlsx"
    wb.save(path)
    read = read_roster(path)
    assert read.problems == []
    assert read.rows == [
        {"name": "张三", "role": "书记", "phone": "13800138000", "line": 3},
        {"name": "李四", "role": "预备党员", "phone": None, "line": 4},
        {"name": "王五", "role": "党员", "phone": "13912345678", "line": 6},
    ]


def test_xlsx_bad_role_names_excel_row(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["name", "role"])
    wb.active.append(["张三", "书记"])
    wb.active.append(["李四", "村主任"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    read = read_roster(path)
    assert read.problems == ["第3行：角色“村主任”不在 书记/副书记/委员/党员/预备党员 之中"]
    assert [r["name"] for r in read.rows] == ["张三"]
