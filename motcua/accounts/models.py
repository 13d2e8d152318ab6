"""Users, their kind (citizen, business, official), officials' memberships in agencies, the
one-time codes that verify an e-mail address or phone number, and citizens' consents to an
official acting for them at the counter."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    ORGANISATION = "organisation", _("Tổ chức")
    OFFICIAL = "official", _("Cán bộ, công chức")


class Role(models.TextChoices):
    RECEIVING_OFFICER = "receiving_officer", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    DEPARTMENT_HEAD = "department_head", _("Trưởng phòng")
    LEADER = "leader", _("Lãnh đạo phê duyệt")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")


class User(AbstractUser):
    kind = models.CharField(_("loại tài khoản"), max_length=20, choices=UserKind.choices, default=UserKind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    # E.164 (+84912345678) when entered through our forms; older rows may hold what was typed.
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=10, blank=True)
    ward_code = models.CharField(_("mã xã/phường"), max_length=10, blank=True)
    # Set when an identity provider (VNeID / the national portal SSO, through OpenID Connect)
    # vouched for this person; `identity_verified_fields` lists the profile fields it asserted,
    # which the citizen can then no longer change by hand.
    identity_verified_at = models.DateTimeField(_("định danh xác thực lúc"), null=True, blank=True)
    identity_provider = models.CharField(_("nhà cung cấp định danh"), max_length=200, blank=True)
    identity_subject = models.CharField(_("mã định danh tại nhà cung cấp"), max_length=255, blank=True)
    identity_verified_fields = models.JSONField(_("trường đã xác thực"), default=list, blank=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            # One account per e-mail address and per phone number, so either can be used to log in.
            # Partial: officials created by an administrator may have neither.
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_unique_email"),
            models.UniqueConstraint(fields=["phone"], condition=~models.Q(phone=""), name="user_unique_phone"),
            models.UniqueConstraint(
                fields=["identity_provider", "identity_subject"],
                condition=~models.Q(identity_subject=""),
                name="user_unique_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """An official's role in an agency (and optionally one of its departments)."""

    user = models.ForeignKey(User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        "catalog.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=200, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("vai trò tại cơ quan")
        verbose_name_plural = _("vai trò tại cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.agency}"


class CodePurpose(models.TextChoices):
    SIGN_UP = "sign_up", _("Kích hoạt tài khoản")
    PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
    CONSENT = "consent", _("Đồng ý cho cán bộ thực hiện thay")


class VerificationCode(models.Model):
    """A 6-digit one-time code sent by e-mail or SMS (mã xác thực một lần).

    Only an HMAC of the code is stored (keyed by SECRET_KEY: a stolen table alone does not give
    the codes back); it expires, allows a few wrong tries, and is used once.
    """

    purpose = models.CharField(_("mục đích"), max_length=20, choices=CodePurpose.choices)
    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    address = models.CharField(_("gửi tới"), max_length=255)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác thực")
        verbose_name_plural = _("mã xác thực")
        indexes = [models.Index(fields=["purpose", "address", "-created_at"], name="verification_code_latest")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.address}"


class ConsentMethod(models.TextChoices):
    SIGNED_PAPER = "signed_paper", _("Ký giấy đồng ý")
    VERBAL = "verbal", _("Đồng ý bằng lời nói")
    PHONE_CODE = "phone_code", _("Mã gửi tới điện thoại của người dân")


class Consent(models.Model):
    """A citizen's consent for an official to act on their behalf at the counter
    (hỗ trợ người dân thực hiện dịch vụ công trực tuyến tại bộ phận một cửa).

    The citizen is an account when they have one, else a name and personal ID number.
    Consents are never deleted: revoking sets `revoked_at`, so the record stays as evidence.
    """

    citizen = models.ForeignKey(
        User, verbose_name=_("người dân"), null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    citizen_name = models.CharField(_("họ và tên người dân"), max_length=200)
    citizen_personal_id = models.CharField(_("số định danh của người dân"), max_length=12)
    citizen_phone = models.CharField(_("số điện thoại người dân"), max_length=20, blank=True)
    official = models.ForeignKey(
        User, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="consents_received"
    )
    agency = models.ForeignKey("catalog.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("mục đích"), max_length=500)
    method = models.CharField(_("hình thức đồng ý"), max_length=20, choices=ConsentMethod.choices)
    evidence = models.FileField(_("tệp minh chứng"), upload_to="consents/%Y/%m/", blank=True)
    given_at = models.DateTimeField(_("đồng ý lúc"), default=timezone.now)
    valid_until = models.DateTimeField(_("hiệu lực đến"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sự đồng ý của người dân")
        verbose_name_plural = _("sự đồng ý của người dân")
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["official", "citizen_personal_id"], name="consent_lookup")]

    def __str__(self) -> str:
        return f"{self.citizen_name} ({self.citizen_personal_id}) → {self.official}: {self.purpose}"
