"""What went wrong, in words the person can act on: one answer for the window and the command line.

`user_message(exc)` holds every sentence Yici says about a failure it can explain (the data file
locked, damaged or from a newer Yici, a full disk, too little memory, a file or value the person
gave) and returns None for everything else: an unexpected error, a bug, which the window shows
with `unexpected_message()` and copyable details and the command line writes to its crash log.

The window and the terminal word some failures differently, and this module says where:
- the window keeps drafts and shows one language: its texts are marked for pyside6-lupdate under
  the context "errors" (the `translate(...)` calls below) and translated through the `translate`
  the window passes (Qt's); the store's own "中文 / English" messages are cut to one half;
- the terminal prints the store's messages whole, and takes a file or value error as bad input,
  since a command reads only what the person typed; in the window such an error is a bug.

Standard library only, so the command line can use it without loading Qt; forms.store is
imported only when the window explains an error.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from types import ModuleType

# (context, Chinese source text) -> the text in the UI language; QCoreApplication.translate fits.
Translate = Callable[[str, str], str]


def untranslated(context: str, text: str) -> str:
    """The Chinese source text as it is: the command line, and the window in Chinese."""
    return text


class UserError(Exception):
    """An error whose text is already written for the person: shown as it is, never as a bug."""


def user_message(
    exc: BaseException | None,
    *,
    window: bool = False,
    translate: Translate = untranslated,
    language: str | None = None,
) -> str | None:
    """What went wrong and what to do next, in Chinese; None for an unexpected error (a bug).

    `window`: the window's wording (see the module docstring); `language` "en" or "zh" picks that
    half of the store's bilingual messages (None keeps both)."""
    if window:
        return _window_message(exc, translate, language)
    return _terminal_message(exc)


def unexpected_message(translate: Translate = untranslated) -> str:
    """The window's text for an error `user_message` cannot explain (the details go below it)."""
    return translate(
        "errors",
        "Yici 遇到了一个意外的错误。正在录入的内容已尽量保存为草稿。"
        "如果问题反复出现，请把下面的详细信息复制发给技术人员。",
    )


def one_language(text: str, language: str | None) -> str:
    """One half of a "中文 / English" message: English for "en" when there is one, else Chinese."""
    if language is None:
        return text
    chinese, _, english = text.partition(" / ")
    return english.strip() if language == "en" and english.strip() else chinese


# --- the window ------------------------------------------------------------------------------------


def _window_message(exc: BaseException | None, translate: Translate, language: str | None) -> str | None:
    store_module: ModuleType | None
    try:
        from forms import store as store_module
    except Exception:  # the store failing to import is itself worth reporting plainly
        store_module = None
    if store_module is not None and isinstance(exc, getattr(store_module, "StoreError", ())):
        full = getattr(store_module, "StoreFull", None)
        locked = getattr(store_module, "StoreLocked", None)
        corrupt = getattr(store_module, "StoreCorrupt", None)
        newer = getattr(store_module, "NewerSchema", None)
        if full and isinstance(exc, full):
            return translate(
                "errors",
                "磁盘空间已满，刚才这一步没有保存。请删除一些不需要的文件（或清空回收站），"
                "腾出空间后再试；正在录入的内容还在窗口里。",
            )
        if locked and isinstance(exc, locked):
            return translate(
                "errors",
                "数据文件正被另一个程序占用（可能另开了一个 Yici 窗口）。"
                "请关闭其他 Yici 窗口后再试；刚才录入的内容已尽量保存为草稿。",
            )
        if corrupt and isinstance(exc, corrupt):
            return translate(
                "errors",
                "数据文件已损坏，无法读写。请不要删除数据文件夹，联系技术人员从 backups 文件夹里的备份恢复。",
            )
        if newer and isinstance(exc, newer):
            return translate(
                "errors", "这个数据文件是由更新版本的 Yici 创建的。请安装最新版本的 Yici 后再打开。"
            )
        return one_language(str(exc), language)
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == errno.ENOSPC:
        return translate(
            "errors",
            "磁盘空间已满，无法保存。请删除一些不需要的文件，腾出空间后再试；"
            "刚才录入的内容在空间足够后会再次保存。",
        )
    if isinstance(exc, MemoryError):
        return translate("errors", "电脑内存不足。请关闭其他程序后再试。")
    return None


# --- the terminal ----------------------------------------------------------------------------------

_OS_ERRORS = [
    (FileNotFoundError, "找不到文件"),
    (PermissionError, "没有权限"),
    (IsADirectoryError, "这是文件夹，不是文件"),
]


def _terminal_message(exc: BaseException | None) -> str | None:
    # Errors raised by forms/ (StoreError, FormProblem, RecordInvalid, UnknownForm, ...) carry a
    # message written for the person; so do UserError and the file and value errors below.
    if isinstance(exc, UnicodeDecodeError):
        return "文件不是 UTF-8 编码的文本。请用记事本等另存为 UTF-8 后再试。/ The file is not UTF-8 text."
    if isinstance(exc, OSError):
        what = next((text for kind, text in _OS_ERRORS if isinstance(exc, kind)), "文件操作失败")
        where = f"：{exc.filename}" if exc.filename else ""
        return f"{what}{where}（{exc.strerror or exc}）。请检查路径和权限后再试。"
    module = type(exc).__module__ or ""
    if isinstance(exc, (ValueError, UserError)) or module.startswith("forms."):
        text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        return str(text) or f"输入有误（{type(exc).__name__}）。"
    return None
