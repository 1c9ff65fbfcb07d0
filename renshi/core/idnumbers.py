"""Resident ID numbers (GB 11643), phone numbers, and their masks."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize(value) -> str:
    """Full-width digits and letters to ASCII, spaces removed, x → X."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    return re.sub(r"[\s\-]", "", text).upper()


def validate_id_number(value) -> str:
    """Return the normalised 18-character ID number or raise a ValidationError in Chinese."""
    number = normalize(value)
    if len(number) != 18:
        raise ValidationError(f"身份证号码应为18位，当前为{len(number)}位", code="length")
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError("身份证号码前17位应为数字，末位为数字或X", code="format")
    try:
        datetime.datetime.strptime(number[6:14], "%Y%m%d")  # noqa: DTZ007 (a calendar date)
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效", code="birth_date") from None
    try:
        ric.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError("身份证号码校验位错误", code="checksum") from None
    except stdnum_errors.InvalidComponent:
        raise ValidationError("身份证号码中的出生日期或地区码无效", code="component") from None
    except stdnum_errors.ValidationError:
        raise ValidationError("身份证号码格式错误", code="format") from None
    return number


def birth_date_of(number: str) -> datetime.date:
    return ric.get_birth_date(number)


def sex_of(number: str) -> str:
    """GB/T 2261.1 code: odd sequence digit is male (1), even is female (2)."""
    return "1" if int(number[16]) % 2 else "2"


def check_consistent(number: str, birth_date, sex) -> list[str]:
    """Problems between an ID number and the stated birth date and sex, in Chinese."""
    problems = []
    if birth_date and birth_date != birth_date_of(number):
        problems.append(
            f"出生日期{birth_date:%Y-%m-%d}与身份证号码中的{birth_date_of(number):%Y-%m-%d}不一致"
        )
    if sex and sex in ("1", "2") and sex != sex_of(number):
        problems.append("性别与身份证号码不一致")
    return problems


def validate_phone(value) -> str:
    number = normalize(value)
    if not PHONE_RE.match(number):
        raise ValidationError("手机号码应为以1开头的11位数字", code="phone")
    return number


def mask_id(number: str) -> str:
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(number: str) -> str:
    if not number:
        return ""
    return number[:3] + "****" + number[-4:]


def make_id_number(area: str, birth: datetime.date, sequence: int) -> str:
    """A valid ID number (used by the demo city and tests)."""
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
