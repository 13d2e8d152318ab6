"""The Vietnamese validators: what citizens type, valid and invalid."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from vietnam_provinces import Province

from motcua.eforms.engine import validators as v
from motcua.eforms.engine.birth_provinces import BIRTH_PROVINCES

TODAY = dt.date(2025, 10, 1)


def test_the_63_birth_provinces_cover_every_2025_code() -> None:
    assert len(BIRTH_PROVINCES) == 63
    assert BIRTH_PROVINCES["001"] == "Hà Nội" and BIRTH_PROVINCES["079"] == "Hồ Chí Minh"
    assert BIRTH_PROVINCES["096"] == "Cà Mau"
    # Each merged province kept one old code: all 34 of today are among the 63.
    assert all(f"{int(p.code):03d}" in BIRTH_PROVINCES for p in Province.iter_all())


def test_cccd_valid_reads_province_sex_and_year() -> None:
    person = v.parse_cccd("079 215 000 001", today=TODAY)
    assert person.number == "079215000001"
    assert (person.place_name, person.male, person.birth_year) == ("Hồ Chí Minh", True, 2015)
    woman = v.parse_cccd("001190123456", today=TODAY)
    assert (woman.male, woman.birth_year) == (False, 1990)


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("07921500000", "12 chữ số"),
        ("07921500000a", "12 chữ số"),
        ("003215000001", "003"),  # 003 is no province code
        ("099215000001", "099"),
        ("079230000001", "2030"),  # born in the future
    ],
)
def test_cccd_invalid(number: str, fragment: str) -> None:
    with translation.override("vi"), pytest.raises(v.InputError, match=fragment):
        v.parse_cccd(number, today=TODAY)


def test_cccd_consistency_with_birth_date_and_sex() -> None:
    person = v.parse_cccd("079215000001", today=TODAY)
    assert v.cccd_mismatches(person, birth_date="2015-03-02", male=True) == []
    with translation.override("vi"):
        year, sex = v.cccd_mismatches(person, birth_date="2016-03-02", male=False)
    assert "2015" in year and "2016" in year
    assert "nam" in sex
    # Century: digit 0 is the 1900s, so a 2015 birth date does not match 079015...
    old = v.parse_cccd("079015000001", today=TODAY)
    assert old.birth_year == 1915
    assert v.cccd_mismatches(old, birth_date="2015-01-01", male=None)


def test_tax_code_10_and_13_digits_and_check_digit() -> None:
    assert v.parse_tax_code("0100233488") == "0100233488"
    assert v.parse_tax_code("0314409058-002") == "0314409058-002"
    assert v.parse_tax_code("0314409058002") == "0314409058-002"
    with translation.override("vi"):
        with pytest.raises(v.InputError, match="chữ số kiểm tra"):
            v.parse_tax_code("0100233489")
        with pytest.raises(v.InputError, match="10 chữ số"):
            v.parse_tax_code("01002334")
        with pytest.raises(v.InputError, match="10 chữ số"):
            v.parse_tax_code("01002334881")


def test_phone_mobile_landline_and_junk() -> None:
    assert v.parse_phone("0912 345 678") == "0912345678"
    assert v.parse_phone("+84912345678", mobile_only=True) == "0912345678"
    assert v.parse_phone("028 3812 3456") == "02838123456"  # a Hồ Chí Minh City landline
    with translation.override("vi"):
        with pytest.raises(v.InputError, match="di động"):
            v.parse_phone("02838123456", mobile_only=True)
        with pytest.raises(v.InputError, match="không đúng"):
            v.parse_phone("12345")
        with pytest.raises(v.InputError, match="không đúng"):
            v.parse_phone("abc")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.500.000", 1500000), ("1500000", 1500000), ("1 500 000 đ", 1500000), ("0", 0), ("2.000 VND", 2000)],
)
def test_money_accepted(typed: str, amount: int) -> None:
    assert v.parse_money(typed) == amount
    assert v.format_money(1500000) == "1.500.000"


@pytest.mark.parametrize("typed", ["1,5", "1.5", "1.50.000", "-100", "một triệu", "1.500.000,50"])
def test_money_refused(typed: str) -> None:
    with pytest.raises(v.InputError):
        v.parse_money(typed)


def test_dates() -> None:
    assert v.parse_date("05/09/2024") == "2024-09-05"
    assert v.parse_date("5/9/2024") == "2024-09-05"
    assert v.parse_date("2024-09-05") == "2024-09-05"
    assert v.parse_date("29/02/2024") == "2024-02-29"
    assert v.format_date("2024-09-05") == "05/09/2024"
    with translation.override("vi"):
        with pytest.raises(v.InputError, match="31/02/2025 không có trên lịch"):
            v.parse_date("31/02/2025")
        with pytest.raises(v.InputError, match="29/02/2025"):
            v.parse_date("29/02/2025")
        with pytest.raises(v.InputError, match="ngày/tháng/năm"):
            v.parse_date("2025/02/01x")
        with pytest.raises(v.InputError, match="1900"):
            v.parse_date("01/01/1850")


def test_numbers_and_email() -> None:
    assert v.parse_number("12", integer=True) == 12
    assert v.parse_number("120,5", integer=False) == 120.5
    assert v.parse_number("1.234", integer=True) == 1234
    with pytest.raises(v.InputError):
        v.parse_number("12,5", integer=True)
    assert v.parse_email(" an@example.vn ") == "an@example.vn"
    with pytest.raises(v.InputError):
        v.parse_email("an@")


def test_messages_in_english_when_the_language_is_english() -> None:
    with translation.override("en"), pytest.raises(v.InputError) as caught:
        v.parse_date("31/02/2025")
    assert "31/02/2025" in str(caught.value)
    assert "không" not in str(caught.value)
