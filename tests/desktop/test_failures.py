"""One exception -> message for the window and the command line (desktop/failures.py)."""

from __future__ import annotations

from desktop.cli.exits import CliError
from desktop.failures import one_language, unexpected_message, user_message
from forms.store import NotFound, StoreLocked

BILINGUAL = "找不到记录 abc。 / No record abc."


def test_the_terminal_explains_input_and_calls_anything_else_a_bug():
    assert user_message(CliError("第一行", "第二行")) == "第一行\n第二行"
    assert user_message(NotFound(BILINGUAL)) == BILINGUAL  # the store's text, both halves
    missing = user_message(FileNotFoundError(2, "No such file or directory", "会议.json"))
    assert missing.startswith("找不到文件：会议.json") and "请检查路径" in missing
    assert "UTF-8" in user_message(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"))
    assert user_message(ValueError("日期格式不对")) == "日期格式不对"
    assert user_message(RuntimeError("bug")) is None
    assert user_message(MemoryError()) is None


def test_the_window_speaks_one_language_through_its_translator():
    asked = []

    def translate(context: str, text: str) -> str:
        asked.append(context)
        return f"[{text}]"

    locked = user_message(StoreLocked("locked"), window=True, translate=translate, language="en")
    assert locked.startswith("[数据文件正被另一个程序占用") and asked == ["errors"]
    assert user_message(NotFound(BILINGUAL), window=True, language="en") == "No record abc."
    assert user_message(NotFound(BILINGUAL), window=True, language="zh") == "找不到记录 abc。"
    assert "磁盘空间已满" in user_message(OSError(28, "No space left on device"), window=True)
    assert "内存不足" in user_message(MemoryError(), window=True)
    # Bad input is the terminal's business; in the window such an error is a bug.
    assert user_message(ValueError("x"), window=True) is None
    assert user_message(CliError("x"), window=True) is None
    assert unexpected_message(translate).startswith("[Yici 遇到了一个意外的错误")


def test_one_language_keeps_chinese_when_there_is_no_english():
    assert one_language("只有中文", "en") == "只有中文"
    assert one_language(BILINGUAL, None) == BILINGUAL
