"""Dossier endpoints of /api/v1/ (the citizen's own dossiers come with issue 4's next part)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from motcua.dossiers.public_views import public_facts, track

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
