"""The citizen's notification pages: the portal inbox and the choice of channels. Every page is
the logged-in person's own: an item of someone else's is a 404, never a 403 that confirms it exists."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.models import User
from motcua.notifications import selectors, services
from motcua.notifications.models import Language


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Nhận thông báo qua thư điện tử"), required=False)
    sms = forms.BooleanField(label=_("Nhận thông báo qua tin nhắn SMS"), required=False)
    language = forms.ChoiceField(label=_("Ngôn ngữ của thông báo"), choices=Language.choices)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "notifications/inbox.html",
        {"items": selectors.inbox_for_user(user), "unread": selectors.unread_count(user)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.notification_mark_read(user=_user(request), notification_id=pk):
        raise Http404
    return HttpResponseRedirect(reverse("notifications:inbox"))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=_user(request))
    return HttpResponseRedirect(reverse("notifications:inbox"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    saved = False
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.notification_preference_set(
                user=user,
                email=form.cleaned_data["email"],
                sms=form.cleaned_data["sms"],
                language=form.cleaned_data["language"],
            )
            saved = True
    else:
        current = selectors.preference_for_user(user)
        form = PreferenceForm(initial={"email": current.email, "sms": current.sms, "language": current.language})
    return render(request, "notifications/preferences.html", {"form": form, "saved": saved, "user_obj": user})
