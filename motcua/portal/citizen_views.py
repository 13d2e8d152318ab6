"""The citizen's own dossiers: list, full timeline, documents, withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.models import User
from motcua.core.errors import MotCuaError
from motcua.dossiers import selectors, services
from motcua.dossiers.lifecycle import Action, Role, Status, actions_for
from motcua.dossiers.public_views import public_facts
from motcua.portal.views import not_found


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


@login_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    dossiers = list(selectors.dossiers_of_applicant(_user(request))[:200])
    return render(request, "portal/my_dossiers.html", {"dossiers": dossiers})


@login_required
@require_http_methods(["GET", "POST"])
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    dossier = selectors.applicant_dossier(user, code)
    if dossier is None:
        return not_found(request)
    can_withdraw = Action.WITHDRAW in actions_for(Status(dossier.status), {Role.APPLICANT})
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        if not can_withdraw:
            error = _("Hồ sơ này không còn rút được.")
        elif request.POST.get("confirm") != "yes":
            error = _("Hãy đánh dấu xác nhận bạn muốn rút hồ sơ.")
        else:
            try:
                services.dossier_transition(
                    dossier=dossier,
                    actor=user,
                    transition=services.Transition(action=Action.WITHDRAW, note=reason),
                )
            except MotCuaError as refused:
                error = refused.message_vi
            else:
                messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
                return redirect("portal:my_dossier", code=dossier.code)
    context = {
        "dossier": dossier,
        "facts": public_facts(dossier, timezone.now()),
        "events": dossier.events.order_by("at", "id"),
        "documents": dossier.documents.order_by("-issued_at"),
        "can_withdraw": can_withdraw,
        "error": error,
    }
    return render(request, "portal/my_dossier.html", context, status=400 if error else 200)
