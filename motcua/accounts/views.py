from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from motcua.accounts.models import Membership, User


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Officials land on their back office, everyone else on the portal."""
    assert isinstance(request.user, User)  # login_required
    if Membership.objects.filter(user=request.user, active=True).exists():
        return redirect("backoffice:inbox")
    return redirect("portal:home")
