"""Pure rules for the identifiers people type when they sign up or log in (no database).

See shared/domain/REGULATIONS.md §9: mobile numbers with `phonenumbers` (region VN), tax codes
with `stdnum.vn.mst`, personal identification numbers with the e-forms engine's CCCD rules.
"""

from __future__ import annotations

import re
from typing import Literal

import phonenumbers
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from motcua.core.errors import InvalidInput
from motcua.eforms.engine.validators import InputError, parse_cccd

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def mobile_e164(value: str) -> str | None:
    """+84912345678 for a valid Vietnamese mobile number however it was typed, else None."""
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def identifier_kind(value: str) -> Literal["email", "phone", "username"]:
    """What a login or sign-up identifier looks like: an e-mail address, a mobile number, or a username."""
    value = value.strip()
    if "@" in value:
        return "email"
    if mobile_e164(value) is not None:
        return "phone"
    return "username"


def contact_normalized(value: str) -> tuple[Literal["email", "phone"], str]:
    """The channel and canonical address of an e-mail address or mobile number typed at sign-up."""
    value = value.strip()
    if "@" in value:
        if not EMAIL_PATTERN.match(value):
            raise InvalidInput("Địa chỉ thư điện tử không hợp lệ.", "This e-mail address is not valid.")
        local, _, domain = value.rpartition("@")
        return "email", f"{local}@{domain.lower()}"
    phone = mobile_e164(value)
    if phone is None:
        raise InvalidInput(
            "Hãy nhập địa chỉ thư điện tử hoặc số điện thoại di động Việt Nam (ví dụ 0912345678).",
            "Enter an e-mail address or a Vietnamese mobile number (for example 0912345678).",
        )
    return "phone", phone


def tax_code_normalized(value: str) -> str:
    """0100233488 or 0314409058-002 (a branch), checked with its check digit."""
    try:
        compact: str = mst.validate(value)
    except StdnumError as exc:
        raise InvalidInput("Mã số thuế không hợp lệ.", "This tax code is not valid.") from exc
    return compact if len(compact) == 10 else f"{compact[:10]}-{compact[10:]}"


def personal_id_normalized(value: str) -> str:
    """A personal identification number (số định danh cá nhân), checked by the e-forms engine's
    CCCD rules (12 digits, birth-registration province, century/sex digit, birth year not in the
    future); spaces and dots typed between digit groups are dropped."""
    try:
        return parse_cccd(value).number
    except InputError as exc:
        raise InvalidInput(str(exc), str(exc)) from exc


def personal_id_problem(value: str) -> str | None:
    """Why `value` is not a personal identification number, or None when it is one."""
    try:
        personal_id_normalized(value)
    except InvalidInput as exc:
        return exc.message_vi
    return None
