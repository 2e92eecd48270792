"""Read a branch roster (党员名册) from a .csv or .xlsx file, with problems in plain Chinese.

Cadres keep rosters in Excel. Chinese Excel saves CSV as GBK, so CSV is read as UTF-8 (with or
without BOM) and then GB18030 (a superset of GBK). The header row is found by its column names:
姓名/name (required), 职务/角色/身份/role and 电话/手机/手机号/phone (optional). Nothing here
writes anything: the caller shows `problems` and imports `rows` (e.g. Store.import_members).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from forms.characters import control_problem, one_line
from forms.i18n import tr

ROLES = ("书记", "副书记", "委员", "党员", "预备党员")
DEFAULT_ROLE = "党员"
SUFFIXES = (".csv", ".xlsx")

# Header names people actually use, lower-cased and without spaces or a "*" required mark.
HEADERS = {
    "name": ("姓名", "名字", "党员姓名", "name"),
    "role": ("职务", "角色", "身份", "党内职务", "role"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "phone", "mobile"),
}
# Words rosters use for the same roles (党员名册 often says 支部书记 or 正式党员).
ROLE_ALIASES = {
    "支部书记": "书记",
    "党支部书记": "书记",
    "支部副书记": "副书记",
    "党支部副书记": "副书记",
    "支部委员": "委员",
    "支委": "委员",
    "支委委员": "委员",
    "正式党员": "党员",
}
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
# A title row ("某某村党支部党员名册") may sit above the header; look a few rows down.
_HEADER_SEARCH_ROWS = 10
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


@dataclass
class RosterRead:
    """What a roster file held: clean `rows` (dicts: name, role, phone, line) and `problems`.

    Rows with a problem are left out of `rows`; each problem names its line, e.g.
    "第3行：角色“队长”不在 书记/副书记/委员/党员/预备党员 之中".
    """

    rows: list[dict] = dc_field(default_factory=list)
    problems: list[str] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file had no problems at all."""
        return not self.problems


def read_roster(path: str | Path) -> RosterRead:
    """Read a .csv or .xlsx roster; never raises for a bad file (problems say what to do)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = (
            tr("请在 Excel 中“另存为” .xlsx 或 .csv 后再导入")
            if suffix in (".xls", ".et", ".wps")
            else tr("请选择 .xlsx 或 .csv 文件")
        )
        return RosterRead(
            problems=[
                tr("不支持“{suffix}”格式的文件：{hint}").format(suffix=path.suffix or path.name, hint=hint)
            ]
        )
    if not path.is_file():
        return RosterRead(problems=[tr("找不到文件“{path}”：请检查文件位置后重试").format(path=path)])
    try:
        table = _read_xlsx(path) if suffix == ".xlsx" else _read_csv(path)
    except _Unreadable as exc:
        return RosterRead(problems=[str(exc)])
    return _parse(table)


class _Unreadable(Exception):
    """The file could not be read at all; the message is for the user."""


def _read_csv(path: Path) -> list[tuple[int, list[Any]]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _Unreadable(
            tr("无法打开文件“{name}”（{strerror}）：请关闭正在使用它的程序后重试").format(
                name=path.name, strerror=exc.strerror or exc
            )
        ) from exc
    text = _decode(raw, path.name)
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    # Some tools write tab-separated text with a .csv name; a comma-free header tells.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise _Unreadable(
            tr("文件“{name}”不是有效的 CSV（{exc}）：请在 Excel 中重新另存为 CSV").format(
                name=path.name, exc=exc
            )
        ) from exc


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Unreadable(
        tr("无法识别文件“{name}”的文字编码：请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后重试").format(name=name)
    )


def _read_xlsx(path: Path) -> list[tuple[int, list[Any]]]:
    import openpyxl  # imported here: CSV users need not pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — zip, XML and openpyxl errors all mean "not readable"
        raise _Unreadable(
            tr(
                "无法读取 Excel 文件“{name}”（{error_type}）：请确认它是 .xlsx 文件"
                "且没有加密，或在 Excel 中重新保存后再试"
            ).format(name=path.name, error_type=type(exc).__name__)
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [(n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), 1)]
    except Exception as exc:  # noqa: BLE001
        raise _Unreadable(
            tr("读取 Excel 文件“{name}”时出错（{error_type}）：请在 Excel 中重新保存后再试").format(
                name=path.name, error_type=type(exc).__name__
            )
        ) from exc
    finally:
        workbook.close()


def _parse(table: list[tuple[int, list[Any]]]) -> RosterRead:
    result = RosterRead()
    filled = [(line, [_cell(v) for v in row]) for line, row in table]
    filled = [(line, row) for line, row in filled if any(row)]
    if not filled:
        result.problems.append(tr("文件里没有内容：请在第一行写“姓名、职务、电话”，下面每行一位党员"))
        return result
    header_at, columns = _find_header(filled)
    if header_at is None:
        result.problems.append(tr("找不到“姓名”列：请在表头写上“姓名”（可选“职务”“电话”）"))
        return result
    seen: dict[str, int] = {}
    for line, row in filled[header_at + 1 :]:
        item = _row(line, row, columns, seen, result.problems)
        if item is not None:
            result.rows.append(item)
    if not result.rows and not result.problems:
        result.problems.append(tr("表头下面没有党员：请每行填写一位党员"))
    return result


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int | None, dict[str, int]]:
    for index, (_, row) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, text in enumerate(row):
            wanted = _header_name(text)
            if wanted and wanted not in columns:
                columns[wanted] = col
        if "name" in columns:
            return index, columns
    return None, {}


def _header_name(text: str) -> str | None:
    clean = re.sub(r"[\s*＊:：]", "", text).lower()
    for wanted, names in HEADERS.items():
        if clean in names:
            return wanted
    return None


def _row(
    line: int, row: list[str], columns: dict[str, int], seen: dict[str, int], problems: list[str]
) -> dict | None:
    def get(key: str) -> str:
        col = columns.get(key)
        return row[col] if col is not None and col < len(row) else ""

    name = one_line(get("name")).strip()
    if _CJK_RE.search(name):
        # Rosters pad two-character names to line up ("张　三"); the name has no spaces.
        name = re.sub(r"\s+", "", name)
    before = len(problems)
    hidden = control_problem(name, tr("姓名"))
    if hidden:
        problems.append(tr("第{line}行：{hidden}").format(line=line, hidden=hidden))
    elif not name:
        problems.append(tr("第{line}行：姓名是空的，请填写姓名或删除这一行").format(line=line))
    elif name in seen:
        problems.append(
            tr(
                "第{line}行：姓名“{name}”与第{seen}行重复，请删除重复的一行"
                "（同名的两位党员请在姓名后加以区分，例如“张伟（二组）”）"
            ).format(line=line, name=name, seen=seen[name])
        )
    else:
        seen[name] = line
    role = re.sub(r"\s+", "", get("role")) or DEFAULT_ROLE
    role = ROLE_ALIASES.get(role, role)
    if role not in ROLES:
        problems.append(
            tr("第{line}行：角色“{role}”不在 {roles} 之中").format(
                line=line, role=role, roles="/".join(ROLES)
            )
        )
    phone = re.sub(r"[\s\-－]", "", get("phone")) or None
    if phone is not None and not PHONE_RE.match(phone):
        problems.append(
            tr("第{line}行：手机号“{phone}”不正确，应为 1 开头的 11 位数字；不知道可以留空").format(
                line=line, phone=phone
            )
        )
    if len(problems) > before:
        return None
    return {"name": name, "role": role, "phone": phone, "line": line}


def _cell(value: Any) -> str:
    """A cell as text; Excel stores phone numbers as numbers (13800138000.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
