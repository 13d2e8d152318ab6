"""The catalogue: agencies, fields, topics, procedures and their immutable published versions.

A `Procedure` is the stable identity (national code, URL, status); everything a citizen reads
about it lives on a `ProcedureVersion`. A published version is never edited: a change is a new
version with its own effective date (services.procedure_version_new_draft).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog import divisions
from motcua.core.models import TimeStampedModel

# Circular 10/2016/TT-BTTTT identifier: V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.01.H29.
AGENCY_CODE_PATTERN = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"
agency_code_validator = RegexValidator(
    AGENCY_CODE_PATTERN,
    _(
        "Mã định danh cơ quan phải có dạng 000.00.00.H29 theo Thông tư 10/2016/TT-BTTTT / "
        "The agency code must look like 000.00.00.H29 (Circular 10/2016)."
    ),
)


class AgencyKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("UBND cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DIVISION = "division", _("Phòng, đơn vị trực thuộc")
    WARD_COMMITTEE = "ward_committee", _("UBND cấp xã")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
    OTHER = "other", _("Cơ quan khác")


class Agency(TimeStampedModel):
    code = models.CharField(
        _("mã định danh"),
        max_length=13,
        unique=True,
        validators=[agency_code_validator],
        help_text=_("Theo Thông tư 10/2016/TT-BTTTT, ví dụ 000.00.01.H29."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=30, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.PositiveIntegerField(
        _("mã tỉnh/thành phố"),
        validators=[divisions.validate_province_code],
        help_text=_("Theo danh mục 34 tỉnh, thành phố (ví dụ 79: Thành phố Hồ Chí Minh)."),
    )
    ward_code = models.PositiveIntegerField(
        _("mã xã/phường"), null=True, blank=True, validators=[divisions.validate_ward_code]
    )
    is_receiving_point = models.BooleanField(_("là điểm tiếp nhận hồ sơ"), default=False)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    office_hours = models.CharField(
        _("giờ làm việc"),
        max_length=255,
        blank=True,
        default="Thứ Hai - Thứ Sáu: 07:30-11:30, 13:00-17:00",
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Field validators have run: only the relation between the two codes is left.
        divisions.validate_ward_in_province(self.ward_code, self.province_code)


class Field(models.Model):
    """Lĩnh vực: the field a procedure belongs to (Hộ tịch, Đất đai, ...)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=50, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A life event or topic people browse by (sinh con, kết hôn, mở cửa hàng, ...)."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("tên chủ đề"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    icon = models.CharField(_("biểu tượng"), max_length=8, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("sự kiện, chủ đề")
        verbose_name_plural = _("sự kiện, chủ đề")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ProcedureStatus(models.TextChoices):
    ACTIVE = "active", _("Đang thực hiện")
    SUSPENDED = "suspended", _("Tạm ngừng")
    ABOLISHED = "abolished", _("Đã bãi bỏ")


class Procedure(TimeStampedModel):
    """Thủ tục hành chính: the stable identity; its content is in versions."""

    national_code = models.CharField(
        _("mã TTHC quốc gia"),
        max_length=30,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001193. Để trống nếu chưa công bố."),
    )
    slug = models.SlugField(_("đường dẫn"), max_length=200, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ProcedureStatus.choices, default=ProcedureStatus.ACTIVE
    )
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    topics = models.ManyToManyField(Topic, verbose_name=_("sự kiện, chủ đề"), blank=True, related_name="procedures")
    # The published version in force today; kept by services.procedure_refresh_current_version
    # (on publish, and daily for versions whose effective date arrives).
    current_version = models.ForeignKey(
        "ProcedureVersion",
        verbose_name=_("phiên bản hiện hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["national_code", "slug"]

    def __str__(self) -> str:
        return self.national_code or self.slug

    @property
    def key(self) -> str:
        """The identifier used in URLs and the API: the national code, or the slug when there is none."""
        return self.national_code or self.slug


class AdministrativeLevel(models.TextChoices):
    CENTRAL = "central", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    WARD = "ward", _("Cấp xã")


class TimeUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class LegacyLevel(models.IntegerChoices):
    """Circular 32/2017/TT-BTTTT levels, still shown on dashboards."""

    LEVEL_1 = 1, _("Mức độ 1")
    LEVEL_2 = 2, _("Mức độ 2")
    LEVEL_3 = 3, _("Mức độ 3")
    LEVEL_4 = 4, _("Mức độ 4")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022/NĐ-CP: full-process or partial online."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Chưa cung cấp trực tuyến")


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính công ích")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class ProcedureVersion(TimeStampedModel):
    """Everything level 1 of Circular 32/2017 asks to publish about a procedure, at one date."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    state = models.CharField(_("tình trạng"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT)
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    summary = models.TextField(
        _("tóm tắt dễ hiểu"),
        help_text=_("Ai làm, được gì, mang theo gì, mất bao lâu, tốn bao nhiêu - bằng lời thường."),
    )
    summary_en = models.TextField(_("tóm tắt tiếng Anh"), blank=True)
    administrative_level = models.CharField(_("cấp thực hiện"), max_length=20, choices=AdministrativeLevel.choices)

    for_citizens = models.BooleanField(_("công dân"), default=True)
    for_businesses = models.BooleanField(_("doanh nghiệp"), default=False)
    for_organisations = models.BooleanField(_("tổ chức"), default=False)

    competent_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan có thẩm quyền"),
        on_delete=models.PROTECT,
        related_name="competent_for",
    )
    competent_agency_text = models.TextField(_("cơ quan thực hiện (như công bố)"), blank=True)
    receiving_agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("nơi tiếp nhận"),
        blank=True,
        related_name="receiving_for",
    )

    channel_counter = models.BooleanField(_("nộp trực tiếp"), default=True)
    channel_online = models.BooleanField(_("nộp trực tuyến"), default=False)
    channel_post = models.BooleanField(_("nộp qua bưu chính"), default=False)

    processing_time_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("0 = trả trong ngày. Để trống nếu chưa được công bố."),
    )
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=20,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKING_DAYS,
    )
    processing_time_note = models.TextField(_("ghi chú thời hạn"), blank=True)
    same_day_cutoff = models.TimeField(
        _("giờ chốt trả trong ngày"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ nhận sau giờ này được trả vào ngày làm việc tiếp theo (ví dụ 15:00)."),
    )

    result_name = models.TextField(_("kết quả thực hiện"))
    result_template = models.FileField(_("mẫu kết quả"), upload_to="catalog/results/", blank=True)
    result_by_counter = models.BooleanField(_("trả kết quả trực tiếp"), default=True)
    result_by_post = models.BooleanField(_("trả kết quả qua bưu chính"), default=False)
    result_online = models.BooleanField(_("trả kết quả trực tuyến"), default=False)

    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    publishing_decision = models.CharField(_("quyết định công bố"), max_length=500, blank=True)
    source = models.TextField(_("nguồn"), blank=True)

    legacy_level = models.PositiveSmallIntegerField(
        _("mức độ DVC (TT 32/2017)"),
        choices=LegacyLevel.choices,
        null=True,
        blank=True,
    )
    # Blank = the source does not say: never guessed from the channels.
    online_level = models.CharField(
        _("mức độ trực tuyến (NĐ 42/2022)"),
        max_length=20,
        choices=OnlineLevel.choices,
        blank=True,
        default="",
    )
    full_online_eligible = models.BooleanField(_("đủ điều kiện trực tuyến toàn trình"), default=False)

    # Accent-folded text of the searchable parts, kept by services (see catalog.search).
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique_number"),
            models.CheckConstraint(
                condition=models.Q(processing_time_value__isnull=True) | models.Q(processing_time_value__gte=0),
                name="procedure_version_time_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["state", "effective_from"], name="version_state_effective")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def is_published(self) -> bool:
        return self.state == VersionState.PUBLISHED

    @property
    def is_same_day(self) -> bool:
        return self.processing_time_value == 0


# What a version says, as opposed to its bookkeeping (number, state, dates of publication,
# search text): what a new draft copies, the admin edits and the catalogue file carries.
VERSION_CONTENT_FIELDS: tuple[str, ...] = (
    "effective_from",
    "name",
    "name_en",
    "summary",
    "summary_en",
    "administrative_level",
    "for_citizens",
    "for_businesses",
    "for_organisations",
    "competent_agency",
    "competent_agency_text",
    "channel_counter",
    "channel_online",
    "channel_post",
    "processing_time_value",
    "processing_time_unit",
    "processing_time_note",
    "same_day_cutoff",
    "result_name",
    "result_template",
    "result_by_counter",
    "result_by_post",
    "result_online",
    "requirements",
    "publishing_decision",
    "source",
    "legacy_level",
    "online_level",
    "full_online_eligible",
)


class ProcessingTimeByChannel(models.Model):
    """A processing time that differs for one channel (e.g. shorter online)."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="channel_times"
    )
    channel = models.CharField(_("cách thức"), max_length=20, choices=Channel.choices)
    value = models.DecimalField(_("thời hạn"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)])
    unit = models.CharField(_("đơn vị"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thời hạn theo cách thức")
        verbose_name_plural = _("thời hạn theo cách thức")
        constraints = [models.UniqueConstraint(fields=["version", "channel"], name="channel_time_unique")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.value} {self.get_unit_display()}"


class ProcedureStep(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    description = models.TextField(_("nội dung bước"))

    class Meta:
        verbose_name = _("trình tự thực hiện")
        verbose_name_plural = _("trình tự thực hiện")
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.description[:80]}"


class LegalBasis(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="legal_bases"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.TextField(_("văn bản"))

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title[:120]


class FeeKind(models.TextChoices):
    FEE = "fee", _("Lệ phí")
    CHARGE = "charge", _("Phí")


class Fee(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="fees"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã phí, lệ phí"), max_length=50, blank=True)
    name = models.CharField(_("tên phí, lệ phí"), max_length=500)
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices)
    amount_vnd = models.PositiveBigIntegerField(
        _("mức thu (đồng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu mức thu do HĐND tỉnh quy định hoặc chưa công bố."),
    )
    exemptions = models.TextField(_("miễn, giảm, ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_vnd__isnull=True) | models.Q(amount_vnd__gte=0),
                name="fee_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DossierComponent(models.Model):
    """Thành phần hồ sơ: one paper (or e-form) the applicant brings."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.CharField(_("mã thành phần"), max_length=50, blank=True)
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("số bản chính"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), null=True, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    form = models.ForeignKey(
        "eforms.FormDefinition",
        verbose_name=_("biểu mẫu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="components",
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name
