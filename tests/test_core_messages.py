"""forms/ and sync/ speak English when the window does: every message a person reads is wrapped in
`tr`/`ntr`/`tr_noop` (forms/i18n.py) and translated in resources/i18n/core_en.po.

A Chinese string left unwrapped fails here unless it is listed below as content (words sent to a
platform, stored in a record or read from input); a wrapped one without English fails too.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from forms import i18n
from forms.i18n import catalog_path, read_po

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(![rsa])?(:[^{}]*)?\}")

# Chinese that is not a message, so never translated: path -> the module-level names (tables) or
# the exact texts (values written as {}) it may hold, by why.
CONTENT: dict[str, dict[str, tuple[str, ...]]] = {
    # Roles, column headings and yes/no words: read from rosters, settings and forms as typed.
    "words read from input": {
        "forms/engine/context.py": ("党员",),
        "forms/engine/defaults.py": ("SECRETARY_ROLE",),
        "forms/model.py": ("COMMITTEE_ROLES",),
        "forms/paper/periods.py": ("_CHINESE_NUMBERS", "_HALF_NAMES", "年", "第", "季度", "半年"),
        "forms/profile.py": ("党员",),
        "forms/roster_file.py": ("ROLES", "DEFAULT_ROLE", "HEADERS", "ROLE_ALIASES"),
        "forms/store/branches.py": ("ROLES", "SECRETARY", "党员"),
        "forms/target_kinds.py": ("YES_WORDS", "NO_WORDS"),
        "forms/values.py": ("_DATE",),
        "sync/robot.py": ("是",),
        "sync/xlsx_sheet.py": ("[（(]必填[)）]",),
        "sync/template_filters.py": ("_NUMBERING",),
        "sync/browser/filling.py": ("DAY", "有", "已", "无", "未"),
    },
    # Sent to a platform or written into its file: the platforms are Chinese whatever the window.
    "words sent to a platform": {
        "sync/dingtalk.py": ("一次 Yici 连接测试",),
        "sync/rest.py": ("TEST_BODY",),
        "sync/robot.py": ("TEST_TEXT",),
        "sync/messages.py": ("CORRECTION_MARK", "VOID_MARK"),
        "sync/template_filters.py": ("是", "否", "{} 个"),
        "sync/wecom.py": (
            "\n\n（{}，未在群里发送）",
            "{} 张照片超过 2 MB",
            "{} 张照片不是 JPG/PNG 格式",
            "{} 张照片读取失败",
            "{} 张照片已损坏或无法处理",
            "另有 {} 张照片（每条最多发 {} 张）",
            "（照片 {}，{} 字节，已省略）",
        ),
        "sync/rest_request.py": ("<{} 个字符，已省略>", "{} ({} 字节, sha256 {}…)", "\n附件："),
        "sync/xlsx_batches.py": ("导入",),
        "sync/xlsx_sheet.py": ("ID_HEADER", "导入数据", "是", "否"),
        # The recipe tester's made-up record, typed into the platform's form (never submitted).
        "sync/browser/tester.py": ("SAMPLE_TEXT", "样例照片.png"),
    },
    # The command lines and the township page speak Chinese, by choice (their usage errors too).
    "command line": {
        "forms/command_line.py": ("_USAGE_MESSAGES", "Formatter", "Parser"),
        "forms/store/audit.py": ("ACTION_WORDS",),
    },
    # Kept with the data: the record's summary, who did a step, a period's label in JSON, a
    # target's stop reason (recognised by its beginning), an exported file's header.
    "stored with the data": {
        "forms/engine/summary.py": ("{}人",),
        "forms/store/sending.py": ("同步",),
        "forms/store/browser_entries.py": ("同步",),
        "forms/cadence.py": ("{}年{}月", "{}年第{}季度", "{}年{}半年", "上", "下", "{}年"),
        "forms/store/target_guards.py": ("ADDRESS_CHANGED", "address_changed_message"),
        "forms/profile_export.py": ("HEADER",),
        "forms/migrations.py": ("m001_initial",),
        # A roster role as stored (the default one), and the name the hub's target is given.
        "forms/store/hub_branches.py": ("HubBranchesMixin",),
        "sync/hub_join.py": ("TARGET_NAME",),
    },
    # Printed on paper: the 记录本 and the 台账 are Chinese documents whatever the window speaks.
    "printed on paper": {
        "forms/paper/page_context.py": ("STATUS_LABELS",),
        "forms/paper/print_values.py": ("WORDS", "_NUMBERING"),
        "forms/paper/record_page.py": ("PHOTO_TIMES", "VOID_TITLE", "VOID_NOTICE"),
        "forms/paper/book.py": ("book_title", "_cover", "_contents", "_voided"),
        "forms/paper/book_attendance.py": ("attendance_section", "_by_reason"),
        "forms/paper/book_cadence.py": ("STATE_WORDS", "EVERY_WORDS", "cadence_section"),
    },
    # Never shown: sample values the form loader measures expressions with.
    "never shown": {"forms/loader/expression_costs.py": ("_SAMPLES", "_sample")},
    # Translated by the window, which marks them for Qt (desktop/words.py).
    "translated by desktop/words.py": {
        "forms/store/states.py": ("STATE_TITLES",),
    },
    # The Chinese half of a (Chinese, English) pair; the translated message uses the English one.
    "bilingual pair": {"forms/sandbox_costs.py": ("TOO_LARGE", "TOO_MUCH", "TOO_SLOW", "TOO_LONG_NUMBER")},
}


def _tool():
    spec = importlib.util.spec_from_file_location("core_messages", ROOT / "tools" / "core_messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def unwrapped(path: str, tree: ast.AST):
    """(owner, text) of each Chinese string in `tree` outside tr/ntr/tr_noop; the owner is the
    module-level name (function, class or constant) it belongs to, and f-string values read {}."""

    def visit(node, owner: str, wrapped: bool):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]  # the docstring
            for child in body:
                name = owner
                if isinstance(node, ast.Module):
                    if isinstance(child, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                        name = child.name
                    elif isinstance(child, ast.Assign) and isinstance(child.targets[0], ast.Name):
                        name = child.targets[0].id
                    elif isinstance(child, ast.AnnAssign) and isinstance(child.target, ast.Name):
                        name = child.target.id
                yield from visit(child, name, wrapped)
            if not isinstance(node, ast.Module):
                extra = list(node.decorator_list)
                if not isinstance(node, ast.ClassDef):
                    extra += [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
                for child in extra:
                    yield from visit(child, owner, wrapped)
            return
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("tr", "ntr", "tr_noop")
        ):
            wrapped = True
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            if not wrapped and any(CJK.search(p) for p in parts if p != "{}"):
                yield owner, "".join(parts)
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    yield from visit(value.value, owner, wrapped)
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
            if not wrapped:
                yield owner, node.value
        for child in ast.iter_child_nodes(node):
            yield from visit(child, owner, wrapped)

    yield from visit(tree, "", False)


def _allowed(path: str) -> set[str]:
    return {item for files in CONTENT.values() for item in files.get(path, ())}


def test_every_chinese_message_is_wrapped_for_translation():
    problems = []
    for package in ("forms", "sync"):
        for file in sorted((ROOT / package).rglob("*.py")):
            path = file.relative_to(ROOT).as_posix()
            allowed = _allowed(path)
            for owner, text in unwrapped(path, ast.parse(file.read_text(encoding="utf-8"))):
                if owner not in allowed and text not in allowed:
                    problems.append(f"{path} ({owner}): {text[:60]!r}")
    assert not problems, "wrap in tr() (forms/i18n.py) or list as content:\n" + "\n".join(problems)


def test_the_allow_list_names_only_what_is_there():
    """An entry left behind after its string was wrapped or removed would hide the next one."""
    seen: dict[str, set[str]] = {}
    for package in ("forms", "sync"):
        for file in sorted((ROOT / package).rglob("*.py")):
            path = file.relative_to(ROOT).as_posix()
            for owner, text in unwrapped(path, ast.parse(file.read_text(encoding="utf-8"))):
                seen.setdefault(path, set()).update((owner, text))
    stale = [
        f"{path}: {item!r}"
        for files in CONTENT.values()
        for path, items in files.items()
        for item in items
        if item not in seen.get(path, set())
    ]
    assert not stale, "\n".join(stale)


def test_the_catalog_holds_exactly_the_wrapped_messages():
    tool = _tool()
    text = catalog_path("en").read_text(encoding="utf-8")
    assert tool.write_po("en", tool.extract(), read_po(text)) == text, "run ./dev i18n"


def _names(text: str) -> set[str]:
    return {m.group(1) for m in PLACEHOLDER.finditer(text)}


def _fills(text: str, names: set[str]) -> bool:
    try:
        text.format(**dict.fromkeys(names, 1))
    except (ValueError, IndexError, KeyError):
        return False
    return True


def test_every_message_has_english_with_the_same_values():
    problems = []
    for entry in read_po(catalog_path("en").read_text(encoding="utf-8")):
        sources = [entry.msgid] + ([entry.plural] if entry.plural else [])
        for translation in entry.strings:
            if not translation.strip():
                problems.append(f"no English: {entry.msgid!r}")
                continue
            if " / " in translation:  # the window cuts "中文 / English" at it (desktop/failures.py)
                problems.append(f"{translation!r} holds ' / '")
            if CJK.search(translation) and not _names(translation) and translation == entry.msgid:
                problems.append(f"untranslated: {entry.msgid!r}")
            names = set().union(*(_names(s) for s in sources))
            if not _names(translation) <= names:
                problems.append(f"{entry.msgid!r} -> {translation!r} names values the code does not give")
                continue
            if names and _fills(entry.msgid, names):  # the code fills it in with .format
                if not _fills(translation, names):
                    problems.append(f"{translation!r} cannot be filled in like {entry.msgid!r}")
    assert not problems, "\n".join(problems)


FORM = """\
id: english-test
version: 1
title: 测试
fields:
  - {key: topic, label: 会议主题, type: text, required: true}
"""


@pytest.fixture
def english():
    assert i18n.set_language("en")
    yield
    i18n.set_language(None)


def test_core_messages_in_english(english, tmp_path):
    import requests

    from forms.engine import evaluate
    from forms.identity import phone_problem
    from forms.lifecycle import RecordInvalid
    from forms.loader import parse_form
    from forms.store import NotAllowed, Store
    from sync.answers import transport_failure

    outcome = evaluate(parse_form(FORM), {})
    assert [m.text for m in outcome.errors] == ['Fill in "会议主题"']  # the form's own label stays
    assert phone_problem("1380000") == "A mobile number has 11 digits; this one has 7"
    assert str(RecordInvalid(outcome.errors)).startswith("The record has 1 problem and was not saved")
    with pytest.raises(NotAllowed, match="^A branch needs a name.$"):
        Store(tmp_path).add_branch(" ")
    assert i18n.tr("钉钉") == "DingTalk"
    attempt = transport_failure(requests.exceptions.ConnectionError("refused"))
    assert attempt.message.startswith("Cannot reach the platform (perhaps offline)"), attempt.message


def test_chinese_is_unchanged(tmp_path):
    from forms.engine import evaluate
    from forms.identity import phone_problem
    from forms.loader import parse_form
    from forms.store import NotAllowed, Store

    assert i18n.language() == "zh_CN"
    assert [m.text for m in evaluate(parse_form(FORM), {}).errors] == ["请填写“会议主题”"]
    assert phone_problem("1380000") == "手机号应为11位，现在是7位"
    with pytest.raises(NotAllowed, match="^支部名称不能为空。 / A branch needs a name.$"):
        Store(tmp_path).add_branch(" ")
    assert not i18n.set_language("xx")  # no catalog: stays Chinese
    assert i18n.tr("钉钉") == "钉钉"


def test_a_message_naming_a_platform_kind_is_english_throughout(english):
    """The kind's title inside a core message follows the language too (it stayed Chinese)."""
    from forms import target_kinds
    from sync.kinds import install

    was_installed = target_kinds.is_installed()
    install()
    try:
        assert target_kinds.kind_title("dingtalk") == "DingTalk group robot"
        problems = target_kinds.option_problems("dingtalk", {"no_such_option": 1})
        assert problems and all("钉钉" not in p and "DingTalk group robot" in p for p in problems), problems
    finally:
        if not was_installed:
            target_kinds.uninstall()
