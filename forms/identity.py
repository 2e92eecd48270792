"""Chinese resident ID numbers (GB 11643-1999) and mainland mobile numbers.

Each check returns None when the text is fine, else a Chinese message saying what to fix.
"""

from __future__ import annotations

import datetime
import re

from forms.i18n import tr

# GB 11643-1999: weights for the first 17 digits; the sum mod 11 indexes the check character.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_PHONE = re.compile(r"1[3-9]\d{9}")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def idcard_check_char(first17: str) -> str:
    """The check character (0-9 or X) for 17 ASCII digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=False))
    return _CHECK_CHARS[total % 11]


def normalize_idcard(s: str) -> str:
    """Strip spaces and upper-case a trailing x, the way people type it."""
    return "".join(str(s).split()).upper()


def idcard_problem(s) -> str | None:
    """None if `s` is a valid 18-character resident ID number, else what is wrong (Chinese)."""
    if not isinstance(s, str):
        return tr("身份证号应为18位文字")
    s = normalize_idcard(s)
    if len(s) != 18:
        return tr("身份证号应为18位，现在是{s_count}位").format(s_count=len(s))
    body, last = s[:17], s[17]
    if not _ASCII_DIGITS.fullmatch(body) or not (last.isascii() and (last.isdigit() or last == "X")):
        return tr("身份证号前17位应为数字，最后一位为数字或X")
    try:
        born = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return tr("身份证号中的出生日期 {s} 不是有效日期，请核对").format(s=s[6:14])
    if born.year < 1850 or born > datetime.date.today():
        return tr("身份证号中的出生日期 {s} 不合理，请核对").format(s=s[6:14])
    expected = idcard_check_char(body)
    if last != expected:
        return tr("身份证号校验位不对，请逐位核对号码")
    return None


def normalize_phone(s: str) -> str:
    """Drop spaces, hyphens and a +86 / 0086 prefix (every one, so cleaning twice changes nothing)."""
    s = "".join(str(s).split()).replace("-", "")
    while s.startswith(("+86", "0086")):
        s = s[3:] if s.startswith("+86") else s[4:]
    return s


def phone_problem(s) -> str | None:
    """None if `s` is a mainland mobile number (11 digits, 1[3-9]...), else what is wrong."""
    if not isinstance(s, str):
        return tr("手机号应为11位数字")
    s = normalize_phone(s)
    if not _ASCII_DIGITS.fullmatch(s):
        return tr("手机号只能包含数字")
    if len(s) != 11:
        return tr("手机号应为11位，现在是{s_count}位").format(s_count=len(s))
    if not _PHONE.fullmatch(s):
        return tr("手机号应以13～19开头，请核对")
    return None
