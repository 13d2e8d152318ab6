"""The public catalogue API (/api/v1/procedures, /api/v1/agencies): reads only, no login.

One operation per endpoint, each with its own output schema; the data comes from selectors and
catalog.search, so the API, the portal and the admin never disagree about what is public.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field as SchemaField

from motcua.catalog import search, selectors
from motcua.catalog.models import Agency, Procedure, ProcedureVersion
from motcua.core.text import duration_in_words, fee_in_words

router = Router(tags=["catalog"])

MAX_PAGE_SIZE = 100


class ErrorOut(Schema):
    detail: str
    message_vi: str
    message_en: str


class ProcessingTimeOut(Schema):
    value: int | float | None = SchemaField(description="null = not published; 0 = same day")
    unit: str = SchemaField(description="working_hours | working_days | calendar_days")
    text: str = SchemaField(description='In words, e.g. "3 ngày làm việc"')
    text_en: str
    same_day_cutoff: str | None = SchemaField(None, description='"15:00": received later = next working day')
    note: str = ""


class FeeOut(Schema):
    code: str
    name: str
    kind: str = SchemaField(description="fee (lệ phí) | charge (phí)")
    amount: int | None = SchemaField(description="VND; null = set by the provincial council or not published")
    formatted: str
    exemptions: str = ""


class ServiceLevelOut(Schema):
    online_level: str | None = SchemaField(description="Decree 42/2022: full | partial | none; null = unknown")
    online_level_label: str
    legacy_level: int | None = SchemaField(description="Circular 32/2017 level 1-4")


class FieldOut(Schema):
    code: str
    name: str
    slug: str


class AgencyRefOut(Schema):
    code: str
    name: str


class ProcedureItemOut(Schema):
    code: str = SchemaField(description="The national code, or the slug when there is none")
    national_code: str | None
    name: str
    field: FieldOut
    agency: AgencyRefOut
    processing_time: ProcessingTimeOut
    fees: list[FeeOut]
    service_level: ServiceLevelOut
    url: str = SchemaField(description="The public page of the procedure")


class ProcedurePageOut(Schema):
    count: int = SchemaField(description="Items on this page")
    total: int = SchemaField(description="Items matching, on every page")
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    items: list[ProcedureItemOut]


class FormOut(Schema):
    code: str
    title: str
    pdf_url: str
    docx_url: str


class ComponentOut(Schema):
    code: str
    name: str
    originals: int | None
    copies: int | None
    required: bool
    note: str
    form: FormOut | None


class ChannelTimeOut(Schema):
    channel: str
    label: str
    processing_time: ProcessingTimeOut


class ChannelOut(Schema):
    channel: str
    label: str


class ProcedureDetailOut(ProcedureItemOut):
    status: str
    version: int
    effective_from: dt.date
    name_en: str
    summary: str
    summary_en: str
    administrative_level: str
    subjects: list[str] = SchemaField(description="citizen | business | organisation")
    competent_agency_text: str
    receiving_agencies: list[AgencyRefOut]
    steps: list[str]
    components: list[ComponentOut]
    legal_bases: list[str]
    channels: list[ChannelOut]
    channel_times: list[ChannelTimeOut]
    result: str
    result_channels: list[str]
    requirements: str
    publishing_decision: str
    topics: list[str]


class ContactOut(Schema):
    address: str
    phone: str
    email: str
    website: str
    office_hours: str


class AgencyOut(Schema):
    code: str
    name: str
    name_en: str
    short_name: str
    kind: str
    kind_label: str
    parent_code: str | None
    province_code: int
    ward_code: int | None
    is_receiving_point: bool
    contact: ContactOut


class ProcedureFilters(Schema):
    q: str = SchemaField("", description="Free text (any accents), or a national code")
    field: str | None = SchemaField(None, description="Field slug, e.g. ho-tich")
    agency: str | None = SchemaField(None, description="Agency code (competent or receiving)")
    level: str | None = SchemaField(None, description="full | partial | none | 1..4")
    subject: str | None = SchemaField(None, description="citizen | business | organisation")
    topic: str | None = SchemaField(None, description="Topic slug")
    page: int = SchemaField(1, ge=1)
    page_size: int = SchemaField(20, ge=1, le=MAX_PAGE_SIZE)


def _not_found(what_vi: str, what_en: str, code: str) -> ErrorOut:
    message_vi = f"Không tìm thấy {what_vi} {code}"
    message_en = f"No {what_en} {code}"
    return ErrorOut(detail=f"{message_vi} / {message_en}", message_vi=message_vi, message_en=message_en)


def _processing_time(
    value: Decimal | None, unit: str, cutoff: dt.time | None = None, note: str = ""
) -> ProcessingTimeOut:
    return ProcessingTimeOut(
        value=(int(value) if value == value.to_integral_value() else float(value)) if value is not None else None,
        unit=unit,
        text=duration_in_words(value, unit, cutoff),
        text_en=duration_in_words(value, unit, cutoff, en=True),
        same_day_cutoff=cutoff.strftime("%H:%M") if cutoff else None,
        note=note,
    )


def _item(request: HttpRequest, procedure: Procedure, version: ProcedureVersion) -> ProcedureItemOut:
    level_label = version.get_online_level_display() if version.online_level else "Chưa xác định"
    return ProcedureItemOut(
        code=procedure.key,
        national_code=procedure.national_code,
        name=version.name,
        field=FieldOut(code=procedure.field.code, name=procedure.field.name, slug=procedure.field.slug),
        agency=AgencyRefOut(code=version.competent_agency.code, name=version.competent_agency.name),
        processing_time=_processing_time(
            version.processing_time_value,
            version.processing_time_unit,
            version.same_day_cutoff,
            version.processing_time_note,
        ),
        fees=[
            FeeOut(
                code=fee.code,
                name=fee.name,
                kind=fee.kind,
                amount=fee.amount_vnd,
                formatted=fee_in_words(fee.amount_vnd),
                exemptions=fee.exemptions,
            )
            for fee in version.fees.all()
        ],
        service_level=ServiceLevelOut(
            online_level=version.online_level or None,
            online_level_label=str(level_label),
            legacy_level=version.legacy_level,
        ),
        url=request.build_absolute_uri(f"/thu-tuc/{procedure.key}/"),
    )


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get("/procedures", response=ProcedurePageOut, summary="Tìm thủ tục / Search procedures")
def procedure_list(request: HttpRequest, filters: Query[ProcedureFilters]) -> ProcedurePageOut:
    total, procedures = search.search_procedures(
        filters.q,
        subject=filters.subject or None,
        field=filters.field or None,
        topic=filters.topic or None,
        agency=filters.agency or None,
        level=filters.level or None,
        limit=filters.page_size,
        offset=(filters.page - 1) * filters.page_size,
    )
    versions = {
        v.pk: v
        for v in ProcedureVersion.objects.filter(pk__in=[p.current_version_id for p in procedures])
        .select_related("competent_agency")
        .prefetch_related("fees")
    }
    items = [_item(request, p, versions[p.current_version_id]) for p in procedures if p.current_version_id in versions]
    pages = max(1, math.ceil(total / filters.page_size))
    return ProcedurePageOut(
        count=len(items),
        total=total,
        page=filters.page,
        page_size=filters.page_size,
        pages=pages,
        next=_page_url(request, filters.page + 1) if filters.page < pages else None,
        previous=_page_url(request, filters.page - 1) if 1 < filters.page <= pages else None,
        items=items,
    )


def _form_url(request: HttpRequest, code: str, extension: str) -> str:
    return request.build_absolute_uri(f"/bieu-mau/{code}.{extension}")


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetailOut, 404: ErrorOut},
    summary="Chi tiết thủ tục (mức 1) / Procedure detail (level 1)",
)
def procedure_detail(request: HttpRequest, code: str) -> Status[ProcedureDetailOut | ErrorOut]:
    procedure = selectors.procedure_get_by_key(code)
    if procedure is None or procedure.current_version_id is None:
        return Status(404, _not_found("thủ tục", "procedure", code))
    version = selectors.version_detail(procedure.current_version_id)
    subjects = [
        name
        for name, flag in (
            ("citizen", version.for_citizens),
            ("business", version.for_businesses),
            ("organisation", version.for_organisations),
        )
        if flag
    ]
    channels = [
        ChannelOut(channel=channel, label=label)
        for channel, label, offered in (
            ("counter", "Trực tiếp", version.channel_counter),
            ("online", "Trực tuyến", version.channel_online),
            ("post", "Bưu chính công ích", version.channel_post),
        )
        if offered
    ]
    detail = ProcedureDetailOut(
        **_item(request, procedure, version).model_dump(),
        status=procedure.status,
        version=version.number,
        effective_from=version.effective_from,
        name_en=version.name_en,
        summary=version.summary,
        summary_en=version.summary_en,
        administrative_level=version.administrative_level,
        subjects=subjects,
        competent_agency_text=version.competent_agency_text,
        receiving_agencies=[AgencyRefOut(code=a.code, name=a.name) for a in version.receiving_agencies.all()],
        steps=[step.description for step in version.steps.all()],
        components=[
            ComponentOut(
                code=c.code,
                name=c.name,
                originals=c.originals,
                copies=c.copies,
                required=c.required,
                note=c.note,
                form=FormOut(
                    code=c.form.code,
                    title=c.form.title,
                    pdf_url=_form_url(request, c.form.code, "pdf"),
                    docx_url=_form_url(request, c.form.code, "docx"),
                )
                if c.form
                else None,
            )
            for c in version.components.all()
        ],
        legal_bases=[basis.title for basis in version.legal_bases.all()],
        channels=channels,
        channel_times=[
            ChannelTimeOut(
                channel=t.channel,
                label=str(t.get_channel_display()),
                processing_time=_processing_time(t.value, t.unit, version.same_day_cutoff, t.note),
            )
            for t in version.channel_times.all()
        ],
        result=version.result_name,
        result_channels=[
            name
            for name, flag in (
                ("counter", version.result_by_counter),
                ("post", version.result_by_post),
                ("online", version.result_online),
            )
            if flag
        ],
        requirements=version.requirements,
        publishing_decision=version.publishing_decision,
        topics=[topic.slug for topic in procedure.topics.all()],
    )
    return Status(200, detail)


def _agency(agency: Agency) -> AgencyOut:
    return AgencyOut(
        code=agency.code,
        name=agency.name,
        name_en=agency.name_en,
        short_name=agency.short_name,
        kind=agency.kind,
        kind_label=str(agency.get_kind_display()),
        parent_code=agency.parent.code if agency.parent else None,
        province_code=agency.province_code,
        ward_code=agency.ward_code,
        is_receiving_point=agency.is_receiving_point,
        contact=ContactOut(
            address=agency.address,
            phone=agency.phone,
            email=agency.email,
            website=agency.website,
            office_hours=agency.office_hours,
        ),
    )


@router.get("/agencies", response=list[AgencyOut], summary="Danh sách cơ quan / Agencies (a tree by parent_code)")
def agency_list(request: HttpRequest) -> list[AgencyOut]:
    return [_agency(agency) for agency in selectors.agencies_public().order_by("code")]


@router.get(
    "/agencies/{code}",
    response={200: AgencyOut, 404: ErrorOut},
    summary="Một cơ quan / One agency",
)
def agency_detail(request: HttpRequest, code: str) -> Status[AgencyOut | ErrorOut]:
    agency = selectors.agency_get_by_code(code)
    if agency is None:
        return Status(404, _not_found("cơ quan", "agency", code))
    return Status(200, _agency(agency))
