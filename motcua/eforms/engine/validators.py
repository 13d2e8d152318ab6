"""What citizens type, turned into stored values: money, dates, CCCD, tax code, phone, e-mail.

Pure functions, no database. Each `parse_*` takes the text as typed and returns the value to
store, or raises `InputError` whose message says, in the active language, how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from motcua.eforms.engine.birth_provinces import BIRTH_PROVINCES

MIN_YEAR = 1900
MAX_YEAR = 2100


class InputError(ValueError):
    """A value that cannot be stored; `str(error)` is the message shown beside the field."""


_MONEY_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_MONEY_PLAIN = re.compile(r"^\d+$")
_MONEY_SUFFIX = re.compile(r"\s*(đồng|đ|vnđ|vnd)$", re.IGNORECASE)


def parse_money(text: str) -> int:
    """Whole đồng: "1.500.000", "1500000", "1 500 000 đ" -> 1500000.

    A comma or a lone dot is refused rather than guessed: in Vietnamese "1,5" is one and a half,
    in English "1,500" is fifteen hundred, and a wrong amount on a declaration costs more than a
    second try.
    """
    value = _MONEY_SUFFIX.sub("", text.strip())
    value = value.replace(" ", "").replace("\u00a0", "")
    if _MONEY_PLAIN.match(value):
        return int(value)
    if _MONEY_GROUPED.match(value):
        return int(value.replace(".", ""))
    raise InputError(_("Ghi số tiền bằng chữ số, không có phần lẻ, ví dụ 1.500.000 hoặc 1500000."))


def format_money(amount: int) -> str:
    """1500000 -> "1.500.000" (the Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> str:
    """ "05/09/2024" (or 5/9/2024, 05-09-2024, or ISO 2024-09-05) -> "2024-09-05" (ISO)."""
    value = text.strip()
    match = _DATE_DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        iso = _DATE_ISO.match(value)
        if not iso:
            raise InputError(_("Ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/09/1990."))
        year, month, day = (int(g) for g in iso.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(_("Năm phải từ %(min)s đến %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise InputError(
            _("Ngày %(date)s không có trên lịch: xem lại ngày và tháng.") % {"date": f"{day:02d}/{month:02d}/{year}"}
        ) from None


def format_date(iso: str) -> str:
    """ "2024-09-05" -> "05/09/2024"; anything else is returned as it is."""
    match = _DATE_ISO.match(iso)
    return f"{match[3]}/{match[2]}/{match[1]}" if match else iso


@dataclass(frozen=True)
class PersonalNumber:
    """What a personal identification number says about its holder."""

    number: str
    place_code: str
    place_name: str  # "" for a country code (birth registered abroad)
    male: bool
    birth_year: int


def parse_cccd(text: str, *, today: dt.date | None = None) -> PersonalNumber:
    """A personal identification number (số định danh cá nhân, the 12 digits on the CCCD card).

    Digits 1-3: province of birth registration (`0` + statistics code, the 63 pre-2025 codes) or,
    from 100 up, a country code for births registered abroad (not checked: we hold no verified
    list); digit 4: century and sex; digits 5-6: last two digits of the birth year.
    """
    number = re.sub(r"[\s.-]", "", text)
    if not re.fullmatch(r"\d{12}", number):
        raise InputError(_("Số định danh cá nhân gồm đúng 12 chữ số, in trên thẻ căn cước (CCCD)."))
    place = number[:3]
    if int(place) < 100 and place not in BIRTH_PROVINCES:
        raise InputError(
            _("Ba số đầu %(code)s không phải mã tỉnh nơi đăng ký khai sinh: xem lại số trên thẻ căn cước.")
            % {"code": place}
        )
    century_sex = int(number[3])
    birth_year = 1900 + 100 * (century_sex // 2) + int(number[4:6])
    if birth_year > (today or timezone.localdate()).year:
        raise InputError(
            _("Số thứ 4 đến 6 cho năm sinh %(year)s, chưa tới: xem lại số trên thẻ căn cước.") % {"year": birth_year}
        )
    return PersonalNumber(
        number=number,
        place_code=place,
        place_name=BIRTH_PROVINCES.get(place, ""),
        male=century_sex % 2 == 0,
        birth_year=birth_year,
    )


def cccd_mismatches(person: PersonalNumber, *, birth_date: str | None, male: bool | None) -> list[str]:
    """Messages for where the number disagrees with the date of birth or sex given in the form."""
    problems: list[str] = []
    if birth_date and _DATE_ISO.match(birth_date) and int(birth_date[:4]) != person.birth_year:
        problems.append(
            _("Số định danh cho năm sinh %(number_year)s, ngày sinh đã khai là năm %(year)s: xem lại một trong hai.")
            % {"number_year": person.birth_year, "year": birth_date[:4]}
        )
    if male is not None and male != person.male:
        problems.append(
            _("Số thứ 4 của số định danh cho giới tính %(sex)s, khác giới tính đã khai: xem lại một trong hai.")
            % {"sex": _("nam") if person.male else _("nữ")}
        )
    return problems


def parse_tax_code(text: str) -> str:
    """A tax code (mã số thuế): 10 digits, or 13 for a branch -> "0314409058" / "0314409058-002"."""
    value = text.strip()
    digits = re.sub(r"[\s.-]", "", value)
    if not re.fullmatch(r"\d{10}|\d{13}", digits):
        raise InputError(_("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (0314409058-002)."))
    try:
        compact: str = mst.validate(digits)
    except StdnumError:
        raise InputError(_("Mã số thuế không đúng (sai chữ số kiểm tra): xem lại từng chữ số.")) from None
    formatted: str = mst.format(compact)
    return formatted


def parse_phone(text: str, *, mobile_only: bool = False) -> str:
    """A Vietnamese phone number, stored as dialled at home: "0912 345 678" -> "0912345678"."""
    try:
        number = phonenumbers.parse(text.strip(), "VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InputError(_("Số điện thoại không đúng: ghi đủ 10 chữ số, ví dụ 0912345678."))
    mobile_types = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if mobile_only and phonenumbers.number_type(number) not in mobile_types:
        raise InputError(_("Cần số điện thoại di động (để nhận tin nhắn), ví dụ 0912345678."))
    if number.country_code != 84:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national.replace(" ", "")


def parse_email(text: str) -> str:
    value = text.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise InputError(_("Địa chỉ thư điện tử không đúng, ví dụ ten@gmail.com.")) from None
    return value


def parse_number(text: str, *, integer: bool) -> int | float:
    """A count or a measure: "12", "1.234" (thousands) or "12,5" (Vietnamese decimal comma)."""
    value = text.strip().replace(" ", "")
    if integer:
        if _MONEY_PLAIN.match(value) or _MONEY_GROUPED.match(value):
            return int(value.replace(".", ""))
        raise InputError(_("Ghi một số nguyên bằng chữ số, ví dụ 12."))
    if _MONEY_GROUPED.match(value):
        return int(value.replace(".", ""))
    if re.fullmatch(r"\d+([.,]\d+)?", value):
        number = float(value.replace(",", "."))
        return int(number) if number.is_integer() else number
    raise InputError(_("Ghi một số bằng chữ số; phần lẻ sau dấu phẩy, ví dụ 120,5."))
