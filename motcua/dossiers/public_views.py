"""The public tracking page (tra cứu hồ sơ): with the dossier code and the last 4 digits of the
applicant's ID number, anyone sees how the dossier stands.

It shows only facts that identify no one: the code, the procedure, the receiving agency, the
status and the dates. Never the applicant's name, identity number, phone, e-mail or address
(personal data, Decree 13/2023): a code is printed on paper and can be read or guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from motcua.core.errors import MotCuaError
from motcua.core.ratelimit import client_ip, hit, too_many
from motcua.dossiers import deadlines
from motcua.dossiers.lifecycle import CLOCK_STOPPED, FINAL, Status
from motcua.dossiers.models import Dossier, DossierRating, Satisfaction
from motcua.dossiers.selectors import dossier_track
from motcua.dossiers.services import RatingInput, dossier_rate

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
    remaining: timedelta | None


# Tracking by the public: a code and the last 4 digits of the applicant's ID number. Wrong
# answers are counted per address; past the limit every answer is "try later", so guessing
# codes costs time (and a right answer cannot be told apart from a wrong one until then).
FAILURES_ALLOWED = 10
RATEABLE = frozenset({Status.RETURNED, Status.REFUSED})
FAILURE_WINDOW_SECONDS = 15 * 60


def track(request: HttpRequest, code: str, id_last4: str) -> tuple[Dossier | None, bool]:
    """(the dossier or None, whether the caller is being slowed down)."""
    key = f"tracking:{client_ip(request)}"
    if too_many(key, limit=FAILURES_ALLOWED):
        return None, True
    dossier = dossier_track(code[:MAX_CODE_LENGTH], id_last4)
    if dossier is None:
        hit(key, window_seconds=FAILURE_WINDOW_SECONDS)
    return dossier, False


def public_facts(dossier: Dossier, now: datetime) -> PublicFacts:
    status = Status(dossier.status)
    running = status not in FINAL and dossier.due_at is not None and status not in CLOCK_STOPPED
    return PublicFacts(
        code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        agency_name=dossier.agency.name,
        status=str(status.label),
        national_status=dossier.national_status,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        returned_at=dossier.returned_at,
        remaining=deadlines.remaining(dossier.agency, now, dossier.due_at) if running and dossier.due_at else None,
    )


@require_http_methods(["GET", "POST"])
def tracking_form(request: HttpRequest, code: str = "") -> HttpResponse:
    """GET: the form (the code pre-filled when it comes from a QR code); POST: the answer.

    POST, so the ID digits never end up in a URL, a proxy log or the browser history.
    """
    context: dict[str, object] = {"code": code.strip()[:MAX_CODE_LENGTH]}
    if request.method == "POST":
        code = request.POST.get("code", "").strip()[:MAX_CODE_LENGTH]
        id_last4 = request.POST.get("id_last4", "").strip()
        context["code"] = code
        if not code or not id_last4:
            context["error"] = _("Hãy nhập cả mã hồ sơ và 4 số cuối số định danh (CCCD) của chủ hồ sơ.")
            return render(request, "dossiers/tracking_form.html", context, status=400)
        dossier, slowed = track(request, code, id_last4)
        if slowed:
            context["error"] = _("Bạn đã tra cứu sai nhiều lần. Hãy thử lại sau 15 phút.")
            return render(request, "dossiers/tracking_form.html", context, status=429)
        if dossier is None:
            context["error"] = _(
                "Không tìm thấy hồ sơ với mã và 4 số cuối này. Hãy kiểm tra lại mã trên giấy tiếp nhận "
                "và số định danh của chủ hồ sơ."
            )
            return render(request, "dossiers/tracking_form.html", context, status=404)
        facts = public_facts(dossier, timezone.now())
        can_rate = Status(dossier.status) in RATEABLE and not DossierRating.objects.filter(dossier=dossier).exists()
        return render(
            request,
            "dossiers/tracking.html",
            {"facts": facts, "can_rate": can_rate, "rating_form": RatingForm(), "id_last4": id_last4},
        )
    return render(request, "dossiers/tracking_form.html", context)


class RatingForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_lazy("Mức độ hài lòng chung"), choices=Satisfaction.choices, coerce=int, widget=forms.RadioSelect
    )
    convenience = forms.TypedChoiceField(
        label=_lazy("Thực hiện có thuận tiện không"), choices=Satisfaction.choices, coerce=int, widget=forms.RadioSelect
    )
    staff_attitude = forms.TypedChoiceField(
        label=_lazy("Thái độ của cán bộ"), choices=Satisfaction.choices, coerce=int, widget=forms.RadioSelect
    )
    on_time = forms.TypedChoiceField(
        label=_lazy("Bạn nhận kết quả đúng ngày hẹn không"),
        choices=[("1", _lazy("Có")), ("0", _lazy("Không"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    contacts_needed = forms.IntegerField(
        label=_lazy("Bạn phải liên hệ bao nhiêu lần để hoàn thành"), min_value=1, max_value=50, initial=1
    )
    agencies_contacted = forms.IntegerField(
        label=_lazy("Bạn phải liên hệ bao nhiêu cơ quan"), min_value=1, max_value=20, initial=1
    )
    comment = forms.CharField(
        label=_lazy("Góp ý (không bắt buộc)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


@require_http_methods(["POST"])
def rating(request: HttpRequest) -> HttpResponse:
    """The applicant rates the handling, proving again who they are with the code and 4 digits."""
    code = request.POST.get("code", "").strip()[:MAX_CODE_LENGTH]
    id_last4 = request.POST.get("id_last4", "").strip()
    dossier, slowed = track(request, code, id_last4)
    if dossier is None:
        status = 429 if slowed else 404
        return render(
            request,
            "dossiers/tracking_form.html",
            {"code": code, "error": _("Không tìm thấy hồ sơ với mã và 4 số cuối này.")},
            status=status,
        )
    form = RatingForm(request.POST)
    context = {
        "facts": public_facts(dossier, timezone.now()),
        "id_last4": id_last4,
        "rating_form": form,
        "can_rate": True,
    }
    if not form.is_valid():
        return render(request, "dossiers/tracking.html", context, status=400)
    try:
        dossier_rate(dossier=dossier, rating=RatingInput(**form.cleaned_data))
    except MotCuaError as refused:
        context["rating_error"] = refused.message_vi
        return render(request, "dossiers/tracking.html", context, status=400)
    return render(request, "dossiers/tracking.html", {"facts": context["facts"], "rated": True})
