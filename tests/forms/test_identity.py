"""Resident ID numbers (GB 11643-1999) and mainland mobile numbers."""

import datetime

import pytest

from forms.identity import idcard_check_char, idcard_problem, normalize_phone, phone_problem

VALID_ID = "11010519491231002X"  # the standard's own worked example


def test_valid_idcard_passes_and_lowercase_x_is_accepted():
    assert idcard_problem(VALID_ID) is None
    assert idcard_problem(VALID_ID.lower()) is None
    assert idcard_problem(" 110105 19491231 002X ") is None


def test_check_digit_computed_with_the_standard_weights():
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167; 167 % 11 = 2 -> 'X'
    assert idcard_check_char("11010519491231002") == "X"
    assert idcard_check_char("44052418800101001") == "4"


@pytest.mark.parametrize("wrong_last", list("0123456789"))
def test_every_wrong_check_digit_is_refused(wrong_last):
    assert "校验位" in idcard_problem(VALID_ID[:17] + wrong_last)


def test_single_digit_typo_is_caught():
    typo = VALID_ID[:3] + "2" + VALID_ID[4:]
    assert idcard_problem(typo) is not None


@pytest.mark.parametrize(
    "text, part",
    [
        ("1101051949123100", "18位"),
        ("11010519491231002XX", "18位"),
        ("1101051949123100AX", "数字"),
        ("１１０１０５１９４９１２３１００２X", "数字"),  # full-width digits are not ASCII digits
    ],
)
def test_shape_problems(text, part):
    assert part in idcard_problem(text)


def test_impossible_birth_date_is_refused_even_with_a_right_check_digit():
    body = "110105" + "19490230" + "002"  # 30 February
    assert "出生日期" in idcard_problem(body + idcard_check_char(body))
    future = (datetime.date.today() + datetime.timedelta(days=400)).strftime("%Y%m%d")
    body = "110105" + future + "002"
    assert "出生日期" in idcard_problem(body + idcard_check_char(body))


def test_non_text_idcard():
    assert idcard_problem(None) is not None
    assert idcard_problem(110105194912310020) is not None


@pytest.mark.parametrize("phone", ["13800138000", "19912345678", "+86 138-0013-8000", "008613800138000"])
def test_valid_phones(phone):
    assert phone_problem(phone) is None


@pytest.mark.parametrize(
    "phone, part",
    [
        ("1380013800", "11位"),
        ("138001380001", "11位"),
        ("12800138000", "13～19"),
        ("23800138000", "13～19"),
        ("1380013800a", "数字"),
    ],
)
def test_bad_phones(phone, part):
    assert part in phone_problem(phone)


def test_normalize_phone_drops_prefix_and_separators():
    assert normalize_phone("+86 138 0013 8000") == "13800138000"
    assert phone_problem(13800138000) is not None  # not text
