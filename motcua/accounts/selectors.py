"""Reads of accounts: finding an account by what people type, the profile used to pre-fill
forms, and whether an official may act for a citizen."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from motcua.accounts import identifiers
from motcua.accounts.models import Consent, User


def user_find_by_contact(address: str, *, for_update: bool = False) -> User | None:
    """The account whose e-mail address (any case) or E.164 phone number is `address`."""
    users = User.objects.select_for_update() if for_update else User.objects.all()
    if "@" in address:
        return users.filter(email__iexact=address).first()
    return users.filter(phone=address).first()


def user_find_by_identifier(identifier: str) -> User | None:
    """The account for a login identifier: a username, an e-mail address, or a mobile number
    written any way (0912 345 678, +84912345678)."""
    identifier = identifier.strip()
    if not identifier:
        return None
    user = User.objects.filter(username=identifier).first()
    if user is not None:
        return user
    kind = identifiers.identifier_kind(identifier)
    if kind == "email":
        return user_find_by_contact(identifier)
    if kind == "phone":
        phone = identifiers.mobile_e164(identifier)
        assert phone is not None
        return user_find_by_contact(phone)
    return User.objects.filter(username__iexact=identifier).first()


def profile_prefill(user: User) -> dict[str, str]:
    """What an e-form may pre-fill from the applicant's profile. Always these keys, "" when unknown:

    - ``full_name``: họ và tên
    - ``birth_date``: ngày sinh, ISO 8601 (``1990-05-17``)
    - ``personal_id``: số định danh cá nhân (12 digits)
    - ``phone``: E.164 (``+84912345678``)
    - ``email``
    - ``address``: địa chỉ, free text
    - ``province_code``, ``ward_code``: codes of the 2025 administrative units (vietnam-provinces)
    """
    return {
        "full_name": user.full_name,
        "birth_date": user.birth_date.isoformat() if user.birth_date else "",
        "personal_id": user.personal_id,
        "phone": user.phone,
        "email": user.email,
        "address": user.address,
        "province_code": user.province_code,
        "ward_code": user.ward_code,
    }


def consent_active(official: User, citizen: User | str) -> Consent | None:
    """The newest consent in force for `official` to act for `citizen` (an account, or a
    personal ID number for someone without one); None when there is none."""
    now = timezone.now()
    consents = Consent.objects.filter(official=official, revoked_at=None).filter(
        Q(valid_until=None) | Q(valid_until__gt=now)
    )
    if isinstance(citizen, User):
        match = Q(citizen=citizen)
        if citizen.personal_id:
            match |= Q(citizen_personal_id=citizen.personal_id)
        consents = consents.filter(match)
    else:
        consents = consents.filter(citizen_personal_id=citizen)
    return consents.order_by("-given_at").first()
