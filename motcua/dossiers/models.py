"""Dossiers (hồ sơ), their append-only events, files, step records and issued documents.

Every change of a dossier's state goes through services.dossier_transition: nothing else
saves a Dossier after it is created.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency, Channel, DossierComponent, Procedure, ProcedureVersion
from motcua.dossiers.lifecycle import Action, Role, Status, national_code
from motcua.uploads.storage import private_storage


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    ORGANISATION = "organisation", _("Tổ chức")


class Workflow(models.Model):
    """The internal steps of a procedure version, editable without a deploy.

    A dossier is pinned to the workflow it started with: editing makes a new workflow (a new
    `number`), so dossiers already under way keep the steps and budgets they started with.
    """

    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản thủ tục"), on_delete=models.PROTECT, related_name="workflows"
    )
    number = models.PositiveIntegerField(_("số hiệu quy trình"), default=1)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quy trình xử lý")
        verbose_name_plural = _("quy trình xử lý")
        constraints = [
            models.UniqueConstraint(fields=["procedure_version", "number"], name="workflow_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_version} - quy trình {self.number}"


class WorkflowStep(models.Model):
    workflow = models.ForeignKey(Workflow, verbose_name=_("quy trình"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống: cơ quan tiếp nhận. Cơ quan khác: bước liên thông."),
    )
    budget_hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=6, decimal_places=2)
    can_send_back = models.BooleanField(_("được trả lại bước trước"), default=True)
    needs_approval = models.BooleanField(_("cần phê duyệt"), default=False)
    needs_signature = models.BooleanField(_("cần ký số"), default=False)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["workflow", "order"]
        constraints = [models.UniqueConstraint(fields=["workflow", "order"], name="workflow_step_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+")
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    workflow = models.ForeignKey(
        Workflow, verbose_name=_("quy trình"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=30, choices=Status.choices, default=Status.SUBMITTED)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    applicant_kind = models.CharField(
        _("loại chủ hồ sơ"), max_length=20, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    posted_at = models.DateTimeField(_("ngày gửi bưu chính"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    # The appointment before any clock stop or extension (the 766 index compares against it).
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    clock_stopped_at = models.DateTimeField(_("dừng tính giờ từ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)

    current_step = models.ForeignKey(
        WorkflowStep,
        verbose_name=_("bước hiện tại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    counts_as_late = models.BooleanField(
        _("tính là trễ hạn"),
        default=False,
        help_text=_("Yêu cầu bổ sung quá một lần, hoặc trả kết quả sau ngày hẹn."),
    )
    digitisation_complete = models.BooleanField(_("đã số hóa xong"), default=False)
    # Monotonic counter of changes, for optimistic checks by the forms of the back office.
    revision = models.PositiveIntegerField(default=0)
    # The client's key for one submission: a double click, a retry or a reload returns the
    # dossier the first request made instead of making a second one.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The answers of the e-forms as submitted, frozen with the version of each form definition.
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["agency", "status"], name="dossier_agency_status"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            # The overdue / due-soon poll only looks at dossiers still running.
            models.Index(
                fields=["due_at"],
                name="dossier_running_due",
                condition=~models.Q(status__in=["refused", "returned", "withdrawn", "stopped"]),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def national_status(self) -> int:
        return national_code(Status(self.status))


class DossierSequence(models.Model):
    """The last number given to an agency's dossiers on one day (gap-free, see services)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last_number}"


class DossierEvent(models.Model):
    """One thing that happened to a dossier: append-only (no update or delete path anywhere)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    action = models.CharField(_("thao tác"), max_length=30, choices=Action.choices, blank=True)
    from_status = models.CharField(_("từ trạng thái"), max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=30, choices=Status.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class DossierFile(models.Model):
    """A file of a dossier: an uploaded or scanned component, or an attachment to an event."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    component = models.ForeignKey(
        DossierComponent,
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    event = models.ForeignKey(DossierEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="files")
    # Private storage: never under MEDIA_URL; served only through the dossier's permission gate.
    file = models.FileField(_("tệp"), storage=private_storage, upload_to="dossiers/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    digitised = models.BooleanField(_("bản số hóa từ giấy"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")

    def __str__(self) -> str:
        return self.name


class StepOutcome(models.TextChoices):
    EARLY = "early", _("Sớm hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class StepRecord(models.Model):
    """One hand-over on the processing control sheet (Phiếu kiểm soát quá trình giải quyết)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="step_records")
    step = models.ForeignKey(WorkflowStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("bước"), max_length=255)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bên giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bên nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("bắt đầu"))
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=StepOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("bước đã xử lý")
        verbose_name_plural = _("bước đã xử lý")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.name}"


class DocumentKind(models.TextChoices):
    """Standard documents, Circular 03/2025 Appendix I numbering [secondary]."""

    RECEIPT = "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT_REQUEST = "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    STOP_NOTICE = "05", _("Thông báo dừng xử lý hồ sơ")
    CONTROL_SHEET = "06", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    REGISTER = "07", _("Sổ theo dõi hồ sơ")


class IssuedDocument(models.Model):
    """A standard document as issued: immutable; a new version supersedes, never overwrites."""

    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại giấy tờ"), max_length=2, choices=DocumentKind.choices)
    version = models.PositiveSmallIntegerField(_("lần ban hành"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    file = models.FileField(_("tệp PDF"), storage=private_storage, upload_to="documents/%Y/%m/")
    data = models.JSONField(_("nội dung"), default=dict)
    issued_at = models.DateTimeField(_("ngày ban hành"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("giấy tờ đã ban hành")
        verbose_name_plural = _("giấy tờ đã ban hành")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.dossier_id}) v{self.version}"


class DossierView(models.Model):
    """Audit: an official opened a dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt xem hồ sơ")
        verbose_name_plural = _("lượt xem hồ sơ")
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_view_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.dossier_id} {self.at:%Y-%m-%d %H:%M}"


class DocumentTemplate(models.Model):
    """An agency's own wording of the body of a standard document (the national heading, the
    agency's name, the dossier code, the QR code and the signatures stay those of the default
    template: they are what makes the paper official).

    `agency` empty: the wording of every agency that has none of its own. Rendered by a
    Django template engine without loaders or tag libraries (documents.render.body_engine),
    and checked against a sample dossier before it is saved.
    """

    kind = models.CharField(_("loại giấy tờ"), max_length=2, choices=DocumentKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Để trống: áp dụng cho mọi cơ quan chưa có mẫu riêng."),
    )
    html = models.TextField(
        _("nội dung (HTML, cú pháp mẫu Django)"),
        help_text=_("Phần thân của giấy tờ; ví dụ {{ dossier.code }}, {{ dossier.applicant_name }}."),
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu giấy tờ")
        verbose_name_plural = _("mẫu giấy tờ")
        ordering = ["kind", "agency"]
        constraints = [
            # Two constraints because NULLs are distinct in a unique index: one active wording per
            # kind and agency, and one active wording per kind for all agencies.
            models.UniqueConstraint(
                fields=["kind", "agency"],
                condition=models.Q(active=True, agency__isnull=False),
                name="document_template_one_active_per_agency",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(active=True, agency__isnull=True),
                name="document_template_one_active_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} - {self.agency or _('mọi cơ quan')}"

    def clean(self) -> None:
        # Imported here: rendering pulls in the template machinery and segno, models must not.
        from motcua.dossiers.documents.render import body_template_check

        if self.kind in DocumentKind.values:  # otherwise the field's own check reports it
            body_template_check(DocumentKind(self.kind), self.html)


class Satisfaction(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")
    DISSATISFIED = 2, _("Không hài lòng")
    NEUTRAL = 3, _("Bình thường")
    SATISFIED = 4, _("Hài lòng")
    VERY_SATISFIED = 5, _("Rất hài lòng")


class DossierRating(models.Model):
    """The applicant's evaluation of how the dossier was handled (REGULATIONS.md §5), by
    dossier code: it feeds the 766 index (satisfaction, complaints, contacts needed)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    overall = models.PositiveSmallIntegerField(_("mức độ hài lòng chung"), choices=Satisfaction.choices)
    convenience = models.PositiveSmallIntegerField(_("thuận tiện khi thực hiện"), choices=Satisfaction.choices)
    on_time = models.BooleanField(_("nhận kết quả đúng hẹn"))
    staff_attitude = models.PositiveSmallIntegerField(_("thái độ của cán bộ"), choices=Satisfaction.choices)
    contacts_needed = models.PositiveSmallIntegerField(_("số lần phải liên hệ để hoàn thành"))
    agencies_contacted = models.PositiveSmallIntegerField(_("số cơ quan phải liên hệ"))
    comment = models.TextField(_("góp ý"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"))

    class Meta:
        verbose_name = _("đánh giá giải quyết hồ sơ")
        verbose_name_plural = _("đánh giá giải quyết hồ sơ")
        constraints = [
            models.CheckConstraint(condition=models.Q(contacts_needed__gte=1), name="rating_contacts_at_least_one"),
            models.CheckConstraint(condition=models.Q(agencies_contacted__gte=1), name="rating_agencies_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall}"

    @property
    def is_complaint(self) -> bool:
        """Counts as "complaint or dislike" for the 766 satisfaction indicator (5.4)."""
        return self.overall <= Satisfaction.DISSATISFIED


class DossierDraft(models.Model):
    """A dossier being prepared online: answers and attachments saved at every page, so the
    citizen can stop and continue on any device; it becomes a Dossier on submission."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.CASCADE, related_name="drafts"
    )
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="+")
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        Agency, verbose_name=_("nơi nộp"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {form code: {"version": n, "answers": {...}}}, the same shape Dossier.form_data freezes.
    form_data = models.JSONField(default=dict, blank=True)
    # Where the citizen was: {"form": code, "section": index}, to resume on the same page.
    position = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="draft", editable=False
    )

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["expires_at"], name="draft_expiry", condition=models.Q(dossier__isnull=True))]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.procedure_version_id} ({self.updated_at:%Y-%m-%d})"


class DraftAttachment(models.Model):
    """A file the citizen attached to a draft for one dossier component (thành phần hồ sơ).

    It points at the checked, quarantined-then-scanned Upload; on submission its bytes become a
    DossierFile of the dossier (only once the scan has said clean or not scanned)."""

    draft = models.ForeignKey(DossierDraft, on_delete=models.CASCADE, related_name="attachments")
    component = models.ForeignKey(
        DossierComponent, verbose_name=_("thành phần hồ sơ"), on_delete=models.CASCADE, related_name="+"
    )
    upload = models.ForeignKey("uploads.Upload", verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm hồ sơ nháp")
        verbose_name_plural = _("tệp đính kèm hồ sơ nháp")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.draft_id}/{self.component_id}: {self.upload_id}"
