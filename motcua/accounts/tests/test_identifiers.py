"""Pure rules: no database."""

from __future__ import annotations

import pytest

from motcua.accounts import identifiers
from motcua.core.errors import InvalidInput


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "+84912345678", "84912345678"])
def test_mobile_numbers_are_stored_in_e164(typed: str) -> None:
    assert identifiers.mobile_e164(typed) == "+84912345678"


@pytest.mark.parametrize("typed", ["0281234567", "12345", "091234567", "hello"])
def test_landlines_and_garbage_are_not_mobiles(typed: str) -> None:
    assert identifiers.mobile_e164(typed) is None


def test_identifier_kinds() -> None:
    assert identifiers.identifier_kind("an@example.vn") == "email"
    assert identifiers.identifier_kind("0912345678") == "phone"
    assert identifiers.identifier_kind("tiepnhan01") == "username"


def test_contacts_are_normalised() -> None:
    assert identifiers.contact_normalized(" An@Example.VN ") == ("email", "An@example.vn")
    assert identifiers.contact_normalized("0912 345 678") == ("phone", "+84912345678")
    with pytest.raises(InvalidInput, match="di động"):
        identifiers.contact_normalized("0281234567")
    with pytest.raises(InvalidInput):
        identifiers.contact_normalized("an@")


def test_tax_codes() -> None:
    assert identifiers.tax_code_normalized("0100233488") == "0100233488"
    assert identifiers.tax_code_normalized("0314409058-002") == "0314409058-002"
    with pytest.raises(InvalidInput, match="Mã số thuế"):
        identifiers.tax_code_normalized("0100233489")


def test_personal_id_shape() -> None:
    assert identifiers.personal_id_problem("079215000001") is None
    assert identifiers.personal_id_problem("07921500000") is not None
    assert identifiers.personal_id_problem("07921500000x") is not None
    assert identifiers.personal_id_problem("098215000001") is not None  # no such province
    assert identifiers.personal_id_normalized("079 215 000 001") == "079215000001"
