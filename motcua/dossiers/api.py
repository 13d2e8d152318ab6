"""Dossier endpoints of /api/v1/: public tracking, and the citizen's own dossiers (bearer token)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Channel
from motcua.catalog.selectors import procedure_for_submission
from motcua.core.errors import MotCuaError
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.public_views import public_facts, track
from motcua.dossiers.selectors import applicant_dossier
from motcua.interop.auth import TokenAuth

router = Router(tags=["Hồ sơ / dossiers"])


class TrackingOut(Schema):
    code: str
    procedure: str
    agency: str
    status: str
    status_label: str
    national_status: int
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    returned_at: dt.datetime | None
    remaining_working_minutes: int | None


class MessageOut(Schema):
    detail: str
    message_vi: str
    message_en: str


def _message(vi: str, en: str) -> MessageOut:
    return MessageOut(detail=f"{vi} / {en}", message_vi=vi, message_en=en)


@router.get("/tracking", response={200: TrackingOut, 404: MessageOut, 429: MessageOut})
def tracking(request: HttpRequest, code: str, id_last4: str) -> Status[TrackingOut | MessageOut]:
    """Public tracking: the dossier code and the last 4 digits of the applicant's ID number.
    No personal data; wrong answers are counted per address and slowed down."""
    dossier, slowed = track(request, code.strip(), id_last4)
    if slowed:
        return Status(429, _message("Tra cứu sai nhiều lần, hãy thử lại sau 15 phút", "Too many attempts"))
    if dossier is None:
        return Status(404, _message("Không tìm thấy hồ sơ", "No such dossier"))
    facts = public_facts(dossier, timezone.now())
    return Status(
        200,
        TrackingOut(
            code=facts.code,
            procedure=facts.procedure_name,
            agency=facts.agency_name,
            status=dossier.status,
            status_label=facts.status,
            national_status=facts.national_status,
            received_at=facts.received_at,
            due_at=facts.due_at,
            returned_at=facts.returned_at,
            remaining_working_minutes=int(facts.remaining.total_seconds() // 60) if facts.remaining else None,
        ),
    )


# -- The citizen's own dossiers (bearer token) ---------------------------------------------------


class ApplicantIn(Schema):
    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class DossierIn(Schema):
    procedure: str
    agency: str | None = None
    applicant: ApplicantIn | None = None
    form_data: dict[str, Any] = {}


class EventOut(Schema):
    at: dt.datetime
    action: str
    to_status: str
    note: str


class DossierOut(Schema):
    code: str
    procedure: str
    agency: str
    status: str
    national_status: int
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    events: list[EventOut]


class WithdrawIn(Schema):
    reason: str


def _dossier_out(dossier: Dossier, events: list[DossierEvent] | None = None) -> DossierOut:
    """`events`: the dossier's events when the caller already holds them all (a submission has
    just written its only one); otherwise they are read."""
    if events is None:
        events = list(dossier.events.order_by("at", "id"))
    return DossierOut(
        code=dossier.code,
        procedure=dossier.procedure_version.name,
        agency=dossier.agency.code,
        status=dossier.status,
        national_status=dossier.national_status,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        events=[EventOut(at=e.at, action=e.action or "submit", to_status=e.to_status, note=e.note) for e in events],
    )


def _refused(error: MotCuaError) -> MessageOut:
    return _message(error.message_vi, error.message_en)


@router.post(
    "/dossiers",
    auth=TokenAuth(),
    response={201: DossierOut, 200: DossierOut, 400: MessageOut, 404: MessageOut},
)
def dossier_create(request: HttpRequest, payload: DossierIn) -> Status[DossierOut | MessageOut]:
    """Submit a dossier online. Send an `Idempotency-Key` header (e.g. a UUID): repeating the
    request with the same key returns the same dossier (200) instead of making a second (201)."""
    user = request.user
    assert isinstance(user, User)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 64:
        return Status(400, _message("Cần tiêu đề Idempotency-Key (tối đa 64 ký tự)", "Idempotency-Key header required"))
    procedure = procedure_for_submission(payload.procedure)
    if procedure is None or procedure.current_version is None:
        return Status(404, _message(f"Không có thủ tục {payload.procedure}", f"No procedure {payload.procedure}"))
    receiving = procedure.current_version.receiving_agencies
    # Named agency: only that row is read (the whole list only to explain a refusal).
    # None named: the procedure's only receiving agency, if it has just one.
    candidates: list[Agency] = list(receiving.filter(code=payload.agency) if payload.agency else receiving.all()[:2])
    agency = candidates[0] if len(candidates) == 1 else None
    if agency is None:
        codes = ", ".join(a.code for a in receiving.all())
        return Status(400, _message(f"Chọn nơi nộp (agency) trong: {codes}", f"Choose the agency among: {codes}"))
    given = payload.applicant or ApplicantIn()
    try:
        dossier, event = services.dossier_submit_once(
            procedure=procedure,
            agency=agency,
            channel=Channel.ONLINE,
            applicant=services.Applicant(
                name=given.name or user.full_name or user.get_username(),
                kind=user.kind if user.kind != "official" else "citizen",
                id_number=given.id_number or user.personal_id or user.tax_code,
                phone=given.phone or user.phone,
                email=given.email or user.email,
                address=given.address or "",
                user=user,
            ),
            actor=user,
            idempotency_key=key,
            form_data=payload.form_data,
        )
    except MotCuaError as refused:
        return Status(400, _refused(refused))
    if event is None:  # the key had already made this dossier: answer with it as it is now
        return Status(200, _dossier_out(dossier))
    return Status(201, _dossier_out(dossier, [event]))


@router.get("/dossiers/{code}", auth=TokenAuth(), response={200: DossierOut, 404: MessageOut})
def dossier_read(request: HttpRequest, code: str) -> Status[DossierOut | MessageOut]:
    assert isinstance(request.user, User)
    dossier = applicant_dossier(request.user, code)
    if dossier is None:
        return Status(404, _message("Không tìm thấy hồ sơ", "No such dossier"))
    return Status(200, _dossier_out(dossier))


@router.post(
    "/dossiers/{code}/withdraw", auth=TokenAuth(), response={200: DossierOut, 400: MessageOut, 404: MessageOut}
)
def dossier_withdraw(request: HttpRequest, code: str, payload: WithdrawIn) -> Status[DossierOut | MessageOut]:
    """Withdraw one's own dossier (national status 7); a reason is required."""
    assert isinstance(request.user, User)
    dossier = applicant_dossier(request.user, code)
    if dossier is None:
        return Status(404, _message("Không tìm thấy hồ sơ", "No such dossier"))
    try:
        dossier = services.dossier_transition(
            dossier=dossier,
            actor=request.user,
            transition=services.Transition(action=Action.WITHDRAW, note=payload.reason),
        )
    except MotCuaError as refused:
        return Status(400, _refused(refused))
    return Status(200, _dossier_out(dossier))
