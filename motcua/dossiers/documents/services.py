"""Issuing the standard documents: check what each kind needs, render, store the PDF.

An issued document is never changed: issuing the same kind again for the same dossier (or the
register again for the same agency and period) stores version N+1 that supersedes version N,
and version N's file stays as it was handed to the applicant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.documents import render, selectors
from motcua.dossiers.models import DocumentKind, Dossier, IssuedDocument

# A register longer than a year is a report, not a register (and would be slow to render).
REGISTER_MAX_DAYS = 366
PER_DOSSIER = frozenset(DocumentKind) - {DocumentKind.REGISTER}


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _moment(value: object, what: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError as error:
            raise InvalidInput(f"{what}: ngày giờ không hợp lệ", f"{what}: invalid date and time") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _result_method(dossier: Dossier) -> str:
    version = dossier.procedure_version
    methods = []
    if version.result_by_counter:
        methods.append("Trực tiếp tại Bộ phận tiếp nhận và trả kết quả")
    if version.result_by_post:
        methods.append("Qua dịch vụ bưu chính công ích")
    if version.result_online:
        methods.append("Trực tuyến, trên Cổng dịch vụ công")
    return "; ".join(methods)


def _content_receipt(dossier: Dossier, data: dict[str, Any], actor: User | None) -> dict[str, Any]:
    """01: never a receipt without an appointment, except for a same-day result."""
    version = dossier.procedure_version
    same_day = version.processing_time_value == 0
    if dossier.received_at is None:
        raise InvalidInput("Hồ sơ chưa được tiếp nhận", "The dossier has not been received")
    if dossier.due_at is None and not same_day:
        raise InvalidInput(
            "Không được cấp giấy tiếp nhận khi chưa có ngày hẹn trả kết quả",
            "No receipt without an appointment date",
        )
    if "components" in data:
        components = [
            {
                "name": str(row.get("name", "")).strip(),
                "originals": int(row.get("originals") or 0),
                "copies": int(row.get("copies") or 0),
            }
            for row in data["components"]
        ]
    else:
        components = [
            {"name": component.name, "originals": component.originals or 0, "copies": component.copies or 0}
            for component in version.components.all()
        ]
    if not components or any(not row["name"] for row in components):
        raise InvalidInput("Cần ghi các thành phần hồ sơ đã nhận", "List the components received")
    return {
        "components": components,
        "receiving_officer": _text(data, "receiving_officer") or render.person_name(actor),
        "result_method": _text(data, "result_method") or _result_method(dossier),
        "same_day": same_day,
        "note": _text(data, "note"),
    }


def _content_supplement(dossier: Dossier, data: dict[str, Any], actor: User | None) -> dict[str, Any]:
    """02: every missing item and why, all at once (the request may be made only once)."""
    missing = [
        {"item": str(row.get("item", "")).strip(), "reason": str(row.get("reason", "")).strip()}
        for row in data.get("missing") or []
    ]
    if not missing:
        raise InvalidInput("Cần liệt kê các giấy tờ phải bổ sung", "List everything to be supplied")
    problems = [f"Dòng {n}: cần ghi giấy tờ và lý do" for n, row in enumerate(missing, 1) if not all(row.values())]
    if problems:
        raise InvalidInput("Mỗi giấy tờ phải bổ sung cần ghi rõ lý do", "Each item needs a reason", problems=problems)
    return {"missing": missing, "note": _text(data, "note")}


def _content_reason(dossier: Dossier, data: dict[str, Any], actor: User | None) -> dict[str, Any]:
    """03 and 05: a written reason."""
    if not _text(data, "reason"):
        raise InvalidInput("Cần ghi rõ lý do", "A reason is required")
    return {"reason": _text(data, "reason"), "note": _text(data, "note")}


def _content_apology(dossier: Dossier, data: dict[str, Any], actor: User | None) -> dict[str, Any]:
    """04: the reason, the appointment missed and the new one."""
    old = data.get("old_due_at") or dossier.due_at
    if old is None or not data.get("new_due_at"):
        raise InvalidInput("Cần ngày hẹn cũ và ngày hẹn mới", "The old and the new appointment are required")
    old_due_at = _moment(old, "Ngày hẹn cũ")
    new_due_at = _moment(data["new_due_at"], "Ngày hẹn mới")
    if new_due_at <= old_due_at:
        raise InvalidInput("Ngày hẹn mới phải sau ngày hẹn cũ", "The new appointment must come after the old one")
    content = _content_reason(dossier, data, actor)
    return {**content, "old_due_at": old_due_at.isoformat(), "new_due_at": new_due_at.isoformat()}


def _content_control_sheet(dossier: Dossier, data: dict[str, Any], actor: User | None) -> dict[str, Any]:
    """06: the rows come from the dossier's step records when it is rendered."""
    return {"note": _text(data, "note")}


_CONTENT = {
    DocumentKind.RECEIPT: _content_receipt,
    DocumentKind.SUPPLEMENT_REQUEST: _content_supplement,
    DocumentKind.REFUSAL: _content_reason,
    DocumentKind.APOLOGY: _content_apology,
    DocumentKind.STOP_NOTICE: _content_reason,
    DocumentKind.CONTROL_SHEET: _content_control_sheet,
}
assert set(_CONTENT) == PER_DOSSIER


def _require_official(actor: User | None, agency_ids: set[int]) -> None:
    """Documents are issued by officials of the agency (None: the platform itself, e.g. from
    the transition service, which has checked the actor already)."""
    if actor is not None and not Membership.objects.filter(user=actor, agency_id__in=agency_ids, active=True).exists():
        raise NotAllowed("Bạn không có quyền ban hành giấy tờ của cơ quan này", "Not allowed at this agency")


def _store(document: IssuedDocument, pdf: bytes, name: str) -> IssuedDocument:
    # save=False: the row is saved once, after full_clean, with its file name in place. The
    # storage never overwrites an existing name (it adds a suffix), so an earlier version's
    # file cannot be replaced even if two names collide.
    document.file.save(name, ContentFile(pdf), save=False)
    document.full_clean()
    document.save()
    return document


def document_issue(
    *,
    dossier: Dossier,
    kind: DocumentKind | str,
    actor: User | None,
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> IssuedDocument:
    """Issue one of 01-06 for a dossier as PDF; version N+1 supersedes N for the same kind.

    `data` by kind: 01 optional `components` [{name, originals, copies}], `receiving_officer`,
    `result_method`; 02 `missing` [{item, reason}]; 03 and 05 `reason`; 04 `reason`,
    `new_due_at` (and `old_due_at`, by default the dossier's appointment); `note` for all.
    """
    kind = DocumentKind(kind)
    if kind not in PER_DOSSIER:
        raise InvalidInput("Sổ theo dõi hồ sơ được lập theo kỳ, không theo hồ sơ", "The register is per period")
    now = now or timezone.now()
    content = _CONTENT[kind](dossier, data or {}, actor)
    with transaction.atomic():
        # The dossier's row lock serialises the version numbers of its documents (and is
        # already held when the transition service calls this inside its transaction).
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("agency__parent", "procedure_version")
            .get(pk=dossier.pk)
        )
        _require_official(actor, {locked.agency_id, locked.current_agency_id or locked.agency_id})
        previous = selectors.issued_document_latest(dossier=locked, kind=kind)
        version = previous.version + 1 if previous else 1
        issue = render.Issue(issued_at=now, version=version, issued_by=render.person_name(actor))
        html = render.render_html(
            render.dossier_content(kind=kind, dossier=locked, data=content, issue=issue), locked.agency
        )
        document = IssuedDocument(
            dossier=locked,
            agency=locked.agency,
            kind=kind,
            version=version,
            supersedes=previous,
            data=content,
            issued_at=now,
            issued_by=actor,
        )
        return _store(document, render.html_to_pdf(html), f"{locked.code}-{kind.value}-v{version}.pdf")


def _check_period(agency: Agency, start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidInput("Ngày cuối kỳ phải sau ngày đầu kỳ", "The period ends before it starts")
    if (end - start).days >= REGISTER_MAX_DAYS:
        raise InvalidInput("Kỳ của sổ không quá một năm", "A register covers at most a year")


def register_issue(
    *, agency: Agency, start: dt.date, end: dt.date, actor: User | None, now: dt.datetime | None = None
) -> IssuedDocument:
    """07: the register of an agency for a period, as PDF; issuing the same period again
    supersedes the previous one (the later copy shows what happened since)."""
    _check_period(agency, start, end)
    _require_official(actor, {agency.pk})
    now = now or timezone.now()
    with transaction.atomic():
        # Two officials issuing the same period at once: `supersedes` is one-to-one, so the
        # second insert fails instead of making a fork.
        previous = selectors.register_latest(agency=agency, start=start, end=end)
        version = previous.version + 1 if previous else 1
        issue = render.Issue(issued_at=now, version=version, issued_by=render.person_name(actor))
        content = render.register_content(agency=agency, start=start, end=end, issue=issue)
        html = render.render_html(content, agency)
        document = IssuedDocument(
            dossier=None,
            agency=agency,
            kind=DocumentKind.REGISTER,
            version=version,
            supersedes=previous,
            data={"start": start.isoformat(), "end": end.isoformat(), "rows": len(content.rows)},
            issued_at=now,
            issued_by=actor,
        )
        name = f"so-theo-doi-{agency.code}-{start:%Y%m%d}-{end:%Y%m%d}-v{version}.pdf"
        return _store(document, render.html_to_pdf(html), name)


def register_pdf(*, agency: Agency, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> bytes:
    """07 as PDF without storing it (a look at the register; register_issue archives it)."""
    _check_period(agency, start, end)
    issue = render.Issue(issued_at=now or timezone.now(), version=1, issued_by="")
    return render.html_to_pdf(
        render.render_html(render.register_content(agency=agency, start=start, end=end, issue=issue), agency)
    )


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_XLSX_COLUMNS = [
    ("STT", 6),
    ("Mã hồ sơ", 28),
    ("Chủ hồ sơ", 26),
    ("Thủ tục", 40),
    ("Ngày tiếp nhận", 17),
    ("Ngày hẹn trả", 17),
    ("Ngày có kết quả", 17),
    ("Ngày trả kết quả", 17),
    ("Trạng thái", 22),
    ("Đúng hạn / trễ hạn", 16),
]


def register_xlsx(*, agency: Agency, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> bytes:
    """07 as an Excel workbook: the same rows as the PDF, dates as real dates (sortable)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    _check_period(agency, start, end)
    rows = render.register_rows(agency=agency, start=start, end=end, now=now or timezone.now())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi ho so"
    heading = render.heading_for(agency)
    sheet.append([heading.parent_name.upper()])
    sheet.append([heading.agency_name.upper()])
    sheet.append([str(DocumentKind.REGISTER.label).upper()])
    sheet.append([f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"])
    sheet.append([])
    sheet.append([title for title, _ in _XLSX_COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for title_cell in ("A2", "A3"):
        sheet[title_cell].font = Font(bold=True)

    def naive(value: dt.datetime | None) -> dt.datetime | None:
        # Excel has no time zones: local wall-clock time, as on the paper register.
        return value.replace(tzinfo=None) if value is not None else None

    for row in rows:
        sheet.append(
            [
                row.number,
                row.code,
                row.applicant_name,
                row.procedure_name,
                naive(row.received_at),
                naive(row.due_at),
                naive(row.finished_at),
                naive(row.returned_at),
                row.status,
                row.timeliness,
            ]
        )
        for cell in sheet[sheet.max_row][4:8]:
            cell.number_format = "dd/mm/yyyy hh:mm"
    for index, (_, width) in enumerate(_XLSX_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["document_issue", "register_issue", "register_pdf", "register_xlsx"]
