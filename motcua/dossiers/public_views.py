"""The public tracking page (tra cứu hồ sơ): anyone with a dossier code sees how it stands.

It shows only facts that identify no one: the code, the procedure, the receiving agency, the
status and the dates. Never the applicant's name, identity number, phone, e-mail or address
(personal data, Decree 13/2023): a code is printed on paper and can be read or guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.selectors import dossier_by_code

MAX_CODE_LENGTH = 40


@dataclass(frozen=True)
class PublicFacts:
    """What the tracking page may show; built field by field so nothing personal slips in."""

    code: str
    procedure_name: str
    agency_name: str
    status: str
    national_status: int
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None


@require_safe
def tracking_form(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()[:MAX_CODE_LENGTH]
    if code:
        return HttpResponseRedirect(reverse("dossiers:tracking", kwargs={"code": code}))
    return render(request, "dossiers/tracking_form.html", {"code": ""})


@require_safe
def tracking(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_by_code(code[:MAX_CODE_LENGTH])
    if dossier is None:
        return render(request, "dossiers/tracking_form.html", {"code": code, "not_found": True}, status=404)
    status = Status(dossier.status)
    facts = PublicFacts(
        code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        agency_name=dossier.agency.name,
        status=str(status.label),
        national_status=dossier.national_status,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        returned_at=dossier.returned_at,
    )
    return render(request, "dossiers/tracking.html", {"facts": facts})
