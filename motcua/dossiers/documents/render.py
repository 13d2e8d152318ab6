"""The standard documents as HTML and PDF: the context of each kind, the agency's own wording,
the QR code, and WeasyPrint.

Templates only ever see plain frozen dataclasses and strings, never model instances: an
agency admin writes the body of a document in the Django admin, and a model in its context
would let `{{ dossier.applicant.password }}` or a method call through. WeasyPrint and segno are
imported inside the functions that need them (they are heavy; importing the app must not pay).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from motcua.accounts.models import User
from motcua.catalog import divisions
from motcua.catalog.models import Agency, Channel
from motcua.core.text import duration_in_words
from motcua.dossiers.documents import selectors
from motcua.dossiers.lifecycle import Status, national_code
from motcua.dossiers.models import DocumentKind, Dossier, StepOutcome, StepRecord
from motcua.eforms.printable import NATIONAL_MOTTO, NATIONAL_NAME

TEMPLATE_FILES: dict[DocumentKind, str] = {kind: f"documents/{kind.value}.html" for kind in DocumentKind}


# -- What a template sees ------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """The top-left block of an official paper: the parent agency above, the issuing one below."""

    parent_name: str
    agency_name: str
    agency_code: str
    address: str
    phone: str
    place: str


@dataclass(frozen=True)
class DossierFacts:
    code: str
    procedure_name: str
    procedure_national_code: str
    summary: str
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    channel: str
    status: str
    national_status: int
    processing_time: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None


@dataclass(frozen=True)
class ComponentRow:
    name: str
    originals: int
    copies: int


@dataclass(frozen=True)
class MissingItem:
    item: str
    reason: str


@dataclass(frozen=True)
class StepRow:
    name: str
    agency_name: str
    giver: str
    receiver: str
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    ended_at: dt.datetime | None
    outcome: str


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    applicant_name: str
    procedure_name: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    status: str
    timeliness: str


@dataclass(frozen=True)
class Issue:
    """Which issuance this is: the version is printed so a superseded paper is recognisable."""

    issued_at: dt.datetime
    version: int
    issued_by: str


@dataclass(frozen=True)
class DocumentContent:
    """Everything a template of any kind may use; the fields a kind does not use stay empty."""

    kind: DocumentKind
    heading: Heading
    issue: Issue
    dossier: DossierFacts | None = None
    tracking_url: str = ""
    # 01
    components: list[ComponentRow] = field(default_factory=list)
    receiving_officer: str = ""
    result_method: str = ""
    same_day: bool = False
    # 02
    missing: list[MissingItem] = field(default_factory=list)
    # 02-05
    reason: str = ""
    note: str = ""
    # 04
    old_due_at: dt.datetime | None = None
    new_due_at: dt.datetime | None = None
    # 06
    steps: list[StepRow] = field(default_factory=list)
    # 07
    start: dt.date | None = None
    end: dt.date | None = None
    rows: list[RegisterRow] = field(default_factory=list)

    def as_context(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "title": self.kind.label,
            "national_name": NATIONAL_NAME,
            "national_motto": NATIONAL_MOTTO,
            "heading": self.heading,
            "issue": self.issue,
            "place_date": place_date(self.heading.place, self.issue.issued_at),
            "dossier": self.dossier,
            "tracking_url": self.tracking_url,
            "components": self.components,
            "receiving_officer": self.receiving_officer,
            "result_method": self.result_method,
            "same_day": self.same_day,
            "missing": self.missing,
            "reason": self.reason,
            "note": self.note,
            "old_due_at": self.old_due_at,
            "new_due_at": self.new_due_at,
            "steps": self.steps,
            "start": self.start,
            "end": self.end,
            "rows": self.rows,
        }


# -- Facts from the database ---------------------------------------------------------------------


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _parse(value: object) -> dt.datetime | None:
    if not value:
        return None
    return _local(dt.datetime.fromisoformat(str(value)))


def person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.get_username()


def heading_for(agency: Agency) -> Heading:
    province = divisions.province(agency.province_code)
    # "Thành phố Hồ Chí Minh, ngày ..." is how papers date themselves; the "Tỉnh" prefix is dropped.
    place = re.sub(r"^Tỉnh\s+", "", province.name) if province is not None else ""
    return Heading(
        parent_name=agency.parent.name if agency.parent_id and agency.parent else "",
        agency_name=agency.name,
        agency_code=agency.code,
        address=agency.address,
        phone=agency.phone,
        place=place,
    )


def tracking_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('dossiers:tracking', kwargs={'code': code})}"


def dossier_facts(dossier: Dossier) -> DossierFacts:
    version = dossier.procedure_version
    status = Status(dossier.status)
    return DossierFacts(
        code=dossier.code,
        procedure_name=version.name,
        procedure_national_code=dossier.procedure.national_code or "",
        summary=dossier.summary,
        applicant_name=dossier.applicant_name,
        applicant_id_number=dossier.applicant_id_number,
        applicant_phone=dossier.applicant_phone,
        applicant_email=dossier.applicant_email,
        applicant_address=dossier.applicant_address,
        channel=str(Channel(dossier.channel).label),
        status=str(status.label),
        national_status=national_code(status),
        processing_time=duration_in_words(
            version.processing_time_value, version.processing_time_unit, version.same_day_cutoff
        ),
        submitted_at=timezone.localtime(dossier.submitted_at),
        received_at=_local(dossier.received_at),
        due_at=_local(dossier.due_at),
        finished_at=_local(dossier.finished_at),
        returned_at=_local(dossier.returned_at),
    )


def _step_rows(dossier: Dossier) -> list[StepRow]:
    """The control sheet: the receipt, every hand-over recorded, the return of the result."""
    outcome_labels = dict(StepOutcome.choices)
    receiver_of = {
        event.action: person_name(event.actor)
        for event in dossier.events.filter(action__in=["receive", "return_result"]).select_related("actor")
    }
    rows = []
    if dossier.received_at is not None:
        rows.append(
            StepRow(
                name="Tiếp nhận hồ sơ",
                agency_name=dossier.agency.name,
                giver=dossier.applicant_name,
                receiver=receiver_of.get("receive", "") or person_name(dossier.assignee),
                started_at=_local(dossier.received_at),
                due_at=None,
                ended_at=_local(dossier.received_at),
                outcome="",
            )
        )
    records = StepRecord.objects.filter(dossier=dossier).select_related("agency", "giver", "receiver")
    rows.extend(
        StepRow(
            name=record.name,
            agency_name=record.agency.name,
            giver=person_name(record.giver),
            receiver=person_name(record.receiver),
            started_at=_local(record.started_at),
            due_at=_local(record.due_at),
            ended_at=_local(record.ended_at),
            outcome=str(outcome_labels.get(record.outcome, "")),
        )
        for record in records
    )
    if dossier.returned_at is not None:
        late = dossier.due_at is not None and (dossier.finished_at or dossier.returned_at) > dossier.due_at
        rows.append(
            StepRow(
                name="Trả kết quả",
                agency_name=dossier.agency.name,
                giver=receiver_of.get("return_result", ""),
                receiver=dossier.applicant_name,
                started_at=_local(dossier.returned_at),
                due_at=_local(dossier.due_at),
                ended_at=_local(dossier.returned_at),
                outcome=str(StepOutcome.LATE.label if late else StepOutcome.ON_TIME.label),
            )
        )
    return rows


def timeliness(
    *,
    due_at: dt.datetime | None,
    finished_at: dt.datetime | None,
    counts_as_late: bool,
    final: bool,
    now: dt.datetime,
) -> str:
    """The register's last column: late, on time, or still running (and whether overdue)."""
    if counts_as_late:
        return "Trễ hạn"
    if due_at is None:
        return "Chưa có hạn" if not final else ""
    if finished_at is not None:
        return "Trễ hạn" if finished_at > due_at else "Đúng hạn"
    if final:
        return ""
    return "Quá hạn" if now > due_at else "Trong hạn"


def register_rows(*, agency: Agency, start: dt.date, end: dt.date, now: dt.datetime) -> list[RegisterRow]:
    from motcua.dossiers.lifecycle import FINAL

    rows = []
    for number, dossier in enumerate(selectors.register_dossiers(agency=agency, start=start, end=end), 1):
        status = Status(dossier.status)
        rows.append(
            RegisterRow(
                number=number,
                code=dossier.code,
                applicant_name=dossier.applicant_name,
                procedure_name=dossier.procedure_version.name,
                received_at=_local(dossier.received_at),
                due_at=_local(dossier.due_at),
                finished_at=_local(dossier.finished_at),
                returned_at=_local(dossier.returned_at),
                status=str(status.label),
                timeliness=timeliness(
                    due_at=dossier.due_at,
                    finished_at=dossier.finished_at,
                    counts_as_late=dossier.counts_as_late,
                    final=status in FINAL,
                    now=now,
                ),
            )
        )
    return rows


def dossier_content(*, kind: DocumentKind, dossier: Dossier, data: dict[str, Any], issue: Issue) -> DocumentContent:
    """The context of one of 01-06, from the dossier and the issued document's stored data
    (checked and completed by services.document_issue)."""
    return DocumentContent(
        kind=kind,
        heading=heading_for(dossier.agency),
        issue=issue,
        dossier=dossier_facts(dossier),
        tracking_url=tracking_url(dossier.code),
        components=[ComponentRow(**row) for row in data.get("components", [])],
        receiving_officer=str(data.get("receiving_officer", "")),
        result_method=str(data.get("result_method", "")),
        same_day=bool(data.get("same_day", False)),
        missing=[MissingItem(**row) for row in data.get("missing", [])],
        reason=str(data.get("reason", "")),
        note=str(data.get("note", "")),
        old_due_at=_parse(data.get("old_due_at")),
        new_due_at=_parse(data.get("new_due_at")),
        steps=_step_rows(dossier) if kind == DocumentKind.CONTROL_SHEET else [],
    )


def register_content(*, agency: Agency, start: dt.date, end: dt.date, issue: Issue) -> DocumentContent:
    return DocumentContent(
        kind=DocumentKind.REGISTER,
        heading=heading_for(agency),
        issue=issue,
        start=start,
        end=end,
        rows=register_rows(agency=agency, start=start, end=end, now=issue.issued_at),
    )


# -- Dates as papers write them ------------------------------------------------------------------


def place_date(place: str, moment: dt.datetime) -> str:
    """ "Hà Nội, ngày 09 tháng 6 năm 2025": day with two digits, month without a leading zero
    for 3-12 (Decree 30/2020 writes 01 and 02 with a zero so they cannot be altered)."""
    local = timezone.localtime(moment)
    month = f"{local.month:02d}" if local.month < 3 else str(local.month)
    text = f"ngày {local.day:02d} tháng {month} năm {local.year}"
    return f"{place}, {text}" if place else text.capitalize()


# -- The agency's own wording --------------------------------------------------------------------


@cache
def body_engine(*, strict: bool = False) -> Engine:
    """A template engine for wording typed in the admin: no loaders (so no include/extends of
    other templates), no tag libraries beyond the built-ins, autoescaping on. `strict` makes an
    unknown variable visible, for the check before saving."""
    return Engine(
        dirs=[],
        app_dirs=False,
        loaders=[],
        libraries={},
        autoescape=True,
        string_if_invalid="\x00%s\x00" if strict else "",
    )


def render_body(html: str, context: dict[str, Any]) -> str:
    return body_engine().from_string(html).render(Context(context, autoescape=True))


def sample_content(kind: DocumentKind) -> DocumentContent:
    """A made-up dossier with every list non-empty, to try an agency's wording before saving."""
    moment = timezone.localtime(dt.datetime(2025, 6, 9, 9, 30, tzinfo=dt.UTC))
    later = moment + dt.timedelta(days=3)
    facts = DossierFacts(
        code="000.00.01.H29-250609-0001",
        procedure_name="Đăng ký khai sinh",
        procedure_national_code="1.001193",
        summary="Đăng ký khai sinh cho con",
        applicant_name="Nguyễn Văn An",
        applicant_id_number="079215000001",
        applicant_phone="0912345678",
        applicant_email="an@example.com",
        applicant_address="12 Lê Lợi, Phường Bến Thành",
        channel=str(Channel.COUNTER.label),
        status=str(Status.RECEIVED.label),
        national_status=2,
        processing_time="3 ngày làm việc",
        submitted_at=moment,
        received_at=moment,
        due_at=later,
        finished_at=later,
        returned_at=later,
    )
    step = StepRow(
        "Thẩm định hồ sơ", "UBND Phường Bến Thành", "Trần Thị B", "Lê Văn C", moment, later, later, "Đúng hạn"
    )
    row = RegisterRow(1, facts.code, facts.applicant_name, facts.procedure_name, moment, later, later, later, "", "")
    return DocumentContent(
        kind=kind,
        heading=Heading("UBND Thành phố Hồ Chí Minh", "UBND Phường Bến Thành", "000.00.01.H29", "", "", "Hồ Chí Minh"),
        issue=Issue(issued_at=moment, version=1, issued_by="Trần Thị B"),
        dossier=facts,
        tracking_url=f"{settings.SITE_URL}/tra-cuu/{facts.code}/",
        components=[ComponentRow("Tờ khai đăng ký khai sinh", 1, 0)],
        receiving_officer="Trần Thị B",
        result_method="Trực tiếp tại Bộ phận một cửa",
        missing=[MissingItem("Giấy chứng sinh", "Chưa nộp bản chính")],
        reason="Hồ sơ không thuộc thẩm quyền giải quyết",
        note="",
        old_due_at=later,
        new_due_at=later + dt.timedelta(days=2),
        steps=[step],
        start=moment.date(),
        end=later.date(),
        rows=[row],
    )


_UNKNOWN = re.compile("\x00([^\x00]*)\x00")


def body_template_check(kind: DocumentKind, html: str) -> None:
    """ValidationError unless `html` renders with a sample dossier and names only known values."""
    try:
        output = body_engine(strict=True).from_string(html).render(Context(sample_content(kind).as_context()))
    except TemplateSyntaxError as error:
        raise ValidationError({"html": f"Lỗi cú pháp mẫu: {error}"}) from error
    except Exception as error:  # any failure of a typed-in template is the admin's to fix, not a 500
        raise ValidationError({"html": f"Mẫu không hiển thị được: {error}"}) from error
    unknown = sorted(set(_UNKNOWN.findall(output)))
    if unknown:
        raise ValidationError({"html": f"Mẫu dùng giá trị không có: {', '.join(unknown)}"})


# -- HTML and PDF --------------------------------------------------------------------------------


def qr_data_uri(url: str) -> str:
    """A PNG QR code of the tracking page (PNG, not SVG: it stays one image in the PDF, which a
    test and a PDF reader can find)."""
    import segno

    uri: str = segno.make(url, error="m").png_data_uri(scale=4, border=1)
    return uri


def render_html(content: DocumentContent, agency: Agency) -> str:
    """The kind's template file, with the agency's own body wording when it has one."""
    context = content.as_context()
    custom = selectors.document_template_for(content.kind, agency)
    context["qr"] = qr_data_uri(content.tracking_url) if content.tracking_url else ""
    # Rendered by the restricted engine, then trusted as markup (it was autoescaped there).
    context["body_override"] = mark_safe(render_body(custom.html, context)) if custom else ""  # noqa: S308
    return render_to_string(TEMPLATE_FILES[content.kind], context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
