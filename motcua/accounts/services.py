"""Writes of accounts: sign-up and its verification code, password reset, profile, identity
verified through OpenID Connect, and citizens' consents to assisted digital service."""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from motcua.accounts import identifiers
from motcua.accounts.models import CodePurpose, Consent, ConsentMethod, Membership, User, UserKind, VerificationCode
from motcua.accounts.selectors import user_find_by_contact
from motcua.accounts.throttle import login_success_record
from motcua.catalog.models import Agency
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.eforms.engine.validators import cccd_mismatches, parse_cccd
from motcua.notifications.services import notify

CODE_LIFETIME = dt.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_INTERVAL = dt.timedelta(seconds=60)


class CodeThrottled(InvalidInput):
    """A new code was asked for too soon after the last one."""

    def __init__(self, wait_seconds: int):
        super().__init__(
            f"Mã vừa được gửi. Hãy chờ {wait_seconds} giây rồi yêu cầu gửi lại.",
            f"A code was just sent. Wait {wait_seconds} seconds before asking for another.",
        )
        self.wait_seconds = wait_seconds


def _code_digest(*, purpose: str, address: str, code: str) -> str:
    # Keyed by SECRET_KEY: a million codes are hashed in a second, so a plain hash of a stolen
    # row would give the code back at once; an HMAC needs the key as well.
    return salted_hmac("motcua.accounts.verification-code", f"{purpose}:{address}:{code}").hexdigest()


_SUBJECTS = {
    CodePurpose.SIGN_UP: ("Mã kích hoạt tài khoản", "account activation code"),
    CodePurpose.PASSWORD_RESET: ("Mã đặt lại mật khẩu", "password reset code"),
    CodePurpose.CONSENT: ("Mã xác nhận đồng ý cho cán bộ thực hiện thay", "consent code"),
}


def verification_code_send(*, purpose: str, address: str, user: User | None = None) -> VerificationCode:
    """Send a new 6-digit code to an e-mail address or E.164 phone number; the previous one dies.

    Refused (CodeThrottled) within CODE_RESEND_INTERVAL of the last code to the same address.
    """
    now = timezone.now()
    with transaction.atomic():
        if user is not None:
            # Serialises two concurrent "resend" clicks for the same account.
            User.objects.select_for_update().filter(pk=user.pk).first()
        latest = VerificationCode.objects.filter(purpose=purpose, address=address).order_by("-created_at").first()
        if latest is not None and now - latest.created_at < CODE_RESEND_INTERVAL:
            wait = CODE_RESEND_INTERVAL - (now - latest.created_at)
            raise CodeThrottled(max(1, int(wait.total_seconds() + 0.999)))
        VerificationCode.objects.filter(purpose=purpose, address=address, used_at=None, expires_at__gt=now).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        row = VerificationCode.objects.create(
            purpose=purpose,
            user=user,
            address=address,
            code_hash=_code_digest(purpose=purpose, address=address, code=code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        subject_vi, subject_en = _SUBJECTS[CodePurpose(purpose)]
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        body = (
            f"Mã xác thực MotCua của bạn là {code}, có hiệu lực trong {minutes} phút. "
            f"Không đưa mã này cho bất kỳ ai. / Your MotCua {subject_en} is {code}, valid for {minutes} minutes."
        )
        if "@" in address:
            notify(subject=subject_vi, body=body, email=address)
        else:
            notify(subject=subject_vi, body=body, phone=address)
    return row


def verification_code_check(*, purpose: str, address: str, code: str) -> VerificationCode:
    """Use the latest code sent to `address` for `purpose`; a wrong code costs one of CODE_MAX_ATTEMPTS."""
    now = timezone.now()
    problem: InvalidInput | None = None
    with transaction.atomic():
        row = (
            VerificationCode.objects.select_for_update()
            .filter(purpose=purpose, address=address)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.used_at is not None:
            problem = InvalidInput(
                "Mã xác thực không đúng. Hãy yêu cầu gửi mã mới.", "The code is not valid. Ask for a new code."
            )
        elif row.expires_at <= now:
            problem = InvalidInput(
                "Mã xác thực đã hết hạn. Hãy yêu cầu gửi mã mới.", "The code has expired. Ask for a new code."
            )
        elif row.attempts >= CODE_MAX_ATTEMPTS:
            problem = InvalidInput(
                "Bạn đã nhập sai quá số lần cho phép. Hãy yêu cầu gửi mã mới.",
                "Too many wrong codes. Ask for a new code.",
            )
        elif not hmac.compare_digest(row.code_hash, _code_digest(purpose=purpose, address=address, code=code.strip())):
            # Saved in this transaction, which commits: the error is raised after it.
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = CODE_MAX_ATTEMPTS - row.attempts
            problem = (
                InvalidInput(
                    f"Mã xác thực không đúng. Bạn còn {left} lần thử.",
                    f"Wrong code. {left} attempts left.",
                )
                if left
                else InvalidInput(
                    "Mã xác thực không đúng. Bạn đã hết lượt thử; hãy yêu cầu gửi mã mới.",
                    "Wrong code. No attempts left; ask for a new code.",
                )
            )
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
    if problem is not None:
        raise problem
    assert row is not None
    return row


def _password_problems(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _username_for(address: str) -> str:
    base = address[:140]
    username = base
    suffix = 1
    while User.objects.filter(username__iexact=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    return username


def user_sign_up(*, kind: str, full_name: str, contact: str, password: str, tax_code: str = "") -> User:
    """Create an inactive account for an e-mail address or mobile number and send it a code.

    Signing up again with an address whose account was never activated takes that account
    over (new name and password, new code): an unverified sign-up must not block the address's
    real owner.
    """
    if kind not in {UserKind.CITIZEN, UserKind.BUSINESS, UserKind.ORGANISATION}:
        raise InvalidInput("Loại tài khoản không hợp lệ.", "Invalid account kind.")
    channel, address = identifiers.contact_normalized(contact)
    if kind == UserKind.BUSINESS:
        if not tax_code.strip():
            raise InvalidInput("Doanh nghiệp cần nhập mã số thuế.", "A business must give its tax code.")
        tax_code = identifiers.tax_code_normalized(tax_code)
    else:
        tax_code = ""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise InvalidInput("Hãy nhập họ và tên.", "Enter your full name.")
    with transaction.atomic():
        existing = user_find_by_contact(address, for_update=True)
        if existing is not None and (existing.is_active or existing.last_login is not None):
            raise InvalidInput(
                "Địa chỉ này đã được dùng cho một tài khoản khác. Hãy đăng nhập hoặc dùng chức năng quên mật khẩu.",
                "This address already belongs to an account. Log in, or reset the password.",
            )
        user = existing or User(username=_username_for(address))
        user.kind = kind
        user.full_name = full_name
        user.tax_code = tax_code
        user.is_active = False
        if channel == "email":
            user.email = address
        else:
            user.phone = address
        if problems := _password_problems(password, user):
            raise InvalidInput("Mật khẩu chưa đủ an toàn.", "The password is not strong enough.", problems=problems)
        user.set_password(password)
        user.full_clean()
        user.save()
    verification_code_send(purpose=CodePurpose.SIGN_UP, address=address, user=user)
    return user


def user_activate(*, contact: str, code: str) -> User:
    """Activate the account the sign-up code was sent for."""
    _channel, address = identifiers.contact_normalized(contact)
    row = verification_code_check(purpose=CodePurpose.SIGN_UP, address=address, code=code)
    assert row.user_id is not None
    user = User.objects.get(pk=row.user_id)
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def password_reset_request(*, contact: str) -> None:
    """Send a reset code if an active account has this address; say nothing either way
    (the page must not tell who has an account)."""
    _channel, address = identifiers.contact_normalized(contact)
    user = user_find_by_contact(address)
    if user is None or not user.is_active:
        return
    verification_code_send(purpose=CodePurpose.PASSWORD_RESET, address=address, user=user)


def password_reset_confirm(*, contact: str, code: str, new_password: str) -> User:
    _channel, address = identifiers.contact_normalized(contact)
    user = user_find_by_contact(address)
    if user is None:
        # Same message as a wrong code.
        raise InvalidInput(
            "Mã xác thực không đúng. Hãy yêu cầu gửi mã mới.", "The code is not valid. Ask for a new code."
        )
    if problems := _password_problems(new_password, user):
        raise InvalidInput("Mật khẩu chưa đủ an toàn.", "The password is not strong enough.", problems=problems)
    row = verification_code_check(purpose=CodePurpose.PASSWORD_RESET, address=address, code=code)
    if row.user_id != user.pk:
        raise InvalidInput("Mã xác thực không đúng.", "The code is not valid.")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    login_success_record(account=f"user:{user.pk}")
    return user


PROFILE_FIELDS = ("full_name", "birth_date", "personal_id", "address", "province_code", "ward_code")


def user_profile_update(*, user: User, changes: dict[str, Any]) -> User:
    """Change profile fields; fields an identity provider vouched for stay as it said."""
    locked = set(user.identity_verified_fields) & set(changes)
    locked = {name for name in locked if changes[name] != getattr(user, name)}
    if locked:
        raise NotAllowed(
            "Thông tin đã được xác thực qua định danh điện tử, không sửa được.",
            "These details were verified by the electronic identity provider and cannot be changed.",
            problems=sorted(locked),
        )
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput("Trường không sửa được.", "Fields that cannot be changed.", problems=sorted(unknown))
    if changes.get("personal_id"):
        changes["personal_id"] = identifiers.personal_id_normalized(changes["personal_id"])
    personal_id = changes.get("personal_id", user.personal_id)
    birth_date = changes.get("birth_date", user.birth_date)
    if personal_id and birth_date:
        person = parse_cccd(personal_id)
        if problems := cccd_mismatches(person, birth_date=birth_date.isoformat(), male=None):
            raise InvalidInput(problems[0], problems[0])
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=list(changes))
    return user


# --- OpenID Connect (VNeID / national portal SSO) -------------------------------------------


def _claim_values(claims: dict[str, Any], claim_names: dict[str, str]) -> dict[str, Any]:
    """Profile values from ID-token claims, only those that are well formed."""
    values: dict[str, Any] = {}
    if (name := claims.get(claim_names["full_name"])) and isinstance(name, str):
        values["full_name"] = " ".join(name.split())[:200]
    if (birth := claims.get(claim_names["birth_date"])) and isinstance(birth, str):
        with contextlib.suppress(ValueError):  # a malformed date is left out, not fatal
            values["birth_date"] = dt.date.fromisoformat(birth)
    personal_id = claims.get(claim_names["personal_id"])
    if isinstance(personal_id, str) and identifiers.personal_id_problem(personal_id) is None:
        values["personal_id"] = personal_id
    phone = claims.get(claim_names["phone"])
    if isinstance(phone, str) and (e164 := identifiers.mobile_e164(phone)):
        values["phone"] = e164
    if (email := claims.get(claim_names["email"])) and isinstance(email, str) and "@" in email:
        values["email"] = email.strip()
    return values


def user_from_identity(*, provider: str, claims: dict[str, Any], claim_names: dict[str, str]) -> User:
    """The account for an identity the provider vouched for (a verified ID token's claims).

    Found by (provider, subject); else linked to the one non-official account with the
    verified personal ID, else with the e-mail address (only an activated account, whose
    address was proven by a code); else created. Officials' accounts are never linked: a
    citizen login must not open a back office.
    """
    subject = str(claims["sub"])
    values = _claim_values(claims, claim_names)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(identity_provider=provider, identity_subject=subject).first()
        linkable = User.objects.select_for_update().exclude(kind=UserKind.OFFICIAL).filter(identity_subject="")
        if user is None and values.get("personal_id"):
            matches = list(linkable.filter(personal_id=values["personal_id"])[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None and values.get("email"):
            user = linkable.filter(email__iexact=values["email"], is_active=True).first()
        # The addresses the account had before linking, told about the link: if someone else had
        # typed this person's ID into their own account, its owner learns of it at once.
        linked_from = (user.email, user.phone) if user is not None and not user.identity_subject else None
        if user is None:
            user = User(username=_username_for(f"{provider.rsplit('/', 1)[-1] or 'oidc'}-{subject}"[:140]))
            user.set_unusable_password()
            user.kind = UserKind.CITIZEN
        if not user.is_active and user.last_login is None:
            user.is_active = True  # an unfinished sign-up is now proven by the provider
        verified = []
        for name, value in values.items():
            if name in {"email", "phone"}:
                # Another account may already use this address; keep ours then.
                taken = User.objects.exclude(pk=user.pk)
                taken = taken.filter(email__iexact=value) if name == "email" else taken.filter(phone=value)
                if taken.exists():
                    continue
            setattr(user, name, value)
            verified.append(name)
        user.identity_provider = provider
        user.identity_subject = subject
        user.identity_verified_at = timezone.now()
        user.identity_verified_fields = sorted(verified)
        user.full_clean()
        user.save()
        if linked_from is not None:
            notify(
                subject="Tài khoản đã được liên kết với định danh điện tử",
                body=(
                    "Tài khoản MotCua của bạn vừa được liên kết với tài khoản định danh điện tử. "
                    "Nếu không phải bạn, hãy liên hệ bộ phận một cửa. / Your MotCua account was just "
                    "linked to an electronic identity; if this was not you, contact the one-stop desk."
                ),
                user=user,
                email=linked_from[0],
                phone=linked_from[1],
            )
    return user


# --- Assisted digital service at the counter ------------------------------------------------


def consent_code_send(*, official: User, phone: str) -> VerificationCode:
    """Send the citizen a code whose reading-out at the counter is their consent."""
    if not Membership.objects.filter(user=official, active=True).exists():
        raise NotAllowed("Chỉ cán bộ mới gửi được mã này.", "Only officials can send this code.")
    e164 = identifiers.mobile_e164(phone)
    if e164 is None:
        raise InvalidInput("Số điện thoại di động không hợp lệ.", "Invalid mobile number.")
    return verification_code_send(purpose=CodePurpose.CONSENT, address=e164)


def consent_record(
    *,
    official: User,
    agency: Agency,
    purpose: str,
    method: str,
    citizen: User | None = None,
    citizen_name: str = "",
    citizen_personal_id: str = "",
    citizen_phone: str = "",
    code: str = "",
    evidence: File[Any] | None = None,
    valid_until: dt.datetime | None = None,
) -> Consent:
    """Record that a citizen agreed to `official` acting on their behalf for `purpose`.

    The official must work at `agency`. With method PHONE_CODE the code sent by
    `consent_code_send` to the citizen's phone is checked here.
    """
    if not Membership.objects.filter(user=official, agency=agency, active=True).exists():
        raise NotAllowed("Cán bộ không thuộc cơ quan này.", "The official does not work at this agency.")
    if citizen is not None:
        citizen_name = citizen_name or citizen.full_name
        citizen_personal_id = citizen_personal_id or citizen.personal_id
        citizen_phone = citizen_phone or citizen.phone
    citizen_name = " ".join(citizen_name.split())
    problems = []
    if not citizen_name:
        problems.append("Thiếu họ và tên người dân.")
    try:
        citizen_personal_id = identifiers.personal_id_normalized(citizen_personal_id)
    except InvalidInput as exc:
        problems.append(exc.message_vi)
    if not purpose.strip():
        problems.append("Thiếu mục đích.")
    if method not in ConsentMethod.values:
        problems.append("Hình thức đồng ý không hợp lệ.")
    if problems:
        raise InvalidInput("Chưa ghi nhận được sự đồng ý.", "The consent cannot be recorded.", problems=problems)
    if citizen_phone:
        citizen_phone = identifiers.mobile_e164(citizen_phone) or citizen_phone
    if method == ConsentMethod.PHONE_CODE:
        if not citizen_phone:
            raise InvalidInput("Cần số điện thoại của người dân.", "The citizen's phone number is needed.")
        verification_code_check(purpose=CodePurpose.CONSENT, address=citizen_phone, code=code)
    consent = Consent(
        citizen=citizen,
        citizen_name=citizen_name,
        citizen_personal_id=citizen_personal_id,
        citizen_phone=citizen_phone,
        official=official,
        agency=agency,
        purpose=purpose.strip(),
        method=method,
        valid_until=valid_until,
    )
    if evidence is not None:
        consent.evidence.save(evidence.name or "minh-chung", evidence, save=False)
    consent.full_clean()
    consent.save()
    return consent


def consent_revoke(*, consent: Consent, actor: User) -> Consent:
    """Withdraw a consent (the citizen, the official, or anyone working at the agency may)."""
    allowed = (
        actor.pk in {consent.citizen_id, consent.official_id}
        or Membership.objects.filter(user=actor, agency_id=consent.agency_id, active=True).exists()
    )
    if not allowed:
        raise NotAllowed("Bạn không thu hồi được sự đồng ý này.", "You cannot revoke this consent.")
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.revoked_at is None:
            consent.revoked_at = timezone.now()
            consent.revoked_by = actor
            consent.save(update_fields=["revoked_at", "revoked_by"])
    return consent
