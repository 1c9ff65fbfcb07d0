import datetime

import pytest
from django.core.exceptions import ValidationError

from renshi.core import idnumbers

VALID = idnumbers.make_id_number("210302", datetime.date(1985, 3, 12), 123)


def test_it_accepts_a_valid_number_and_derives_birth_and_sex():
    assert idnumbers.validate_id_number(VALID) == VALID
    assert idnumbers.birth_date_of(VALID) == datetime.date(1985, 3, 12)
    assert idnumbers.sex_of(VALID) == "1"


def test_it_normalises_full_width_digits_and_lower_case_x():
    full_width = VALID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert idnumbers.validate_id_number(full_width) == VALID


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "校验位"),
        (VALID[:17], "18位"),
        ("21030219851399123X", "出生日期"),
        ("ABCDEFGHIJKLMNOPQR", "数字"),
    ],
)
def test_it_refuses_bad_numbers_with_a_chinese_reason(value, message):
    with pytest.raises(ValidationError) as exc:
        idnumbers.validate_id_number(value)
    assert message in exc.value.messages[0]


def test_it_masks_id_and_phone_numbers():
    assert idnumbers.mask_id("210302198503121234") == "2103**********1234"
    assert idnumbers.mask_phone("13812345678") == "138****5678"


def test_it_reports_inconsistent_birth_date_and_sex():
    problems = idnumbers.check_consistent(VALID, datetime.date(1985, 3, 13), "2")
    assert len(problems) == 2
