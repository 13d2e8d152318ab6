"""Account pages: they translate the request into one service call and show its outcome."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts import identifiers, oidc, services
from motcua.accounts.forms import (
    CodeForm,
    LoginForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
    ProfileForm,
    SignUpForm,
)
from motcua.accounts.models import CodePurpose, Membership, User
from motcua.accounts.selectors import user_find_by_contact
from motcua.core.errors import MotCuaError

BACKEND = "motcua.accounts.backends.IdentifierBackend"
SESSION_SIGN_UP = "accounts:sign_up_contact"
SESSION_RESET = "accounts:reset_contact"
SESSION_NEXT = "accounts:oidc_next"


def error_text(exc: MotCuaError) -> str:
    text = exc.message_en if get_language() == "en" else exc.message_vi
    return " ".join([text, *exc.problems])


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Officials land on their back office, everyone else on the portal."""
    assert isinstance(request.user, User)  # login_required
    if Membership.objects.filter(user=request.user, active=True).exists():
        return redirect("backoffice:inbox")
    return redirect("portal:home")


class LoginView(auth_views.LoginView):
    """/dang-nhap/: a username, an e-mail address or a phone number, and the password."""

    form_class = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.oidc_enabled()
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_sign_up(
                kind=data["kind"],
                full_name=data["full_name"],
                contact=data["contact"],
                password=data["password1"],
                tax_code=data["tax_code"],
            )
        except services.CodeThrottled as exc:
            # Signed up again within a minute: the account is updated, the last code still works.
            messages.error(request, error_text(exc))
        except MotCuaError as exc:
            form.add_error(None, error_text(exc))
            return render(request, "accounts/sign_up.html", {"form": form})
        request.session[SESSION_SIGN_UP] = identifiers.contact_normalized(data["contact"])[1]
        return redirect("accounts:sign_up_verify")
    return render(request, "accounts/sign_up.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_up_verify(request: HttpRequest) -> HttpResponse:
    address = request.session.get(SESSION_SIGN_UP)
    if not address:
        return redirect("accounts:sign_up")
    form = CodeForm(request.POST if request.POST.get("action") != "resend" else None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        user = user_find_by_contact(address)
        try:
            if user is None or user.is_active:
                raise Http404
            services.verification_code_send(purpose=CodePurpose.SIGN_UP, address=address, user=user)
            messages.success(request, _("Đã gửi mã mới."))
        except MotCuaError as exc:
            messages.error(request, error_text(exc))
        return redirect("accounts:sign_up_verify")
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_activate(contact=address, code=form.cleaned_data["code"])
        except MotCuaError as exc:
            form.add_error("code", error_text(exc))
        else:
            del request.session[SESSION_SIGN_UP]
            login(request, user, backend=BACKEND)
            messages.success(request, _("Tài khoản đã được kích hoạt."))
            return redirect("after_login")
    return render(request, "accounts/sign_up_verify.html", {"form": form, "address": address})


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_request(contact=form.cleaned_data["contact"])
        except services.CodeThrottled as exc:
            messages.error(request, error_text(exc))
        except MotCuaError as exc:
            form.add_error("contact", error_text(exc))
            return render(request, "accounts/password_reset.html", {"form": form})
        request.session[SESSION_RESET] = identifiers.contact_normalized(form.cleaned_data["contact"])[1]
        return redirect("accounts:password_reset_confirm")
    return render(request, "accounts/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    address = request.session.get(SESSION_RESET)
    if not address:
        return redirect("accounts:password_reset")
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            services.password_reset_request(contact=address)
            messages.success(request, _("Nếu địa chỉ này có tài khoản, một mã mới đã được gửi."))
        except MotCuaError as exc:
            messages.error(request, error_text(exc))
        return redirect("accounts:password_reset_confirm")
    form = PasswordResetConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(
                contact=address, code=form.cleaned_data["code"], new_password=form.cleaned_data["password1"]
            )
        except MotCuaError as exc:
            form.add_error(None, error_text(exc))
        else:
            del request.session[SESSION_RESET]
            messages.success(request, _("Đã đặt lại mật khẩu. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect("login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form, "address": address})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if not form.fields[name].disabled}
        try:
            # A fresh row: the form has already copied its values onto request.user.
            services.user_profile_update(user=User.objects.get(pk=request.user.pk), changes=changes)
        except MotCuaError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã lưu hồ sơ."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "profile_user": request.user})


def oidc_start(request: HttpRequest) -> HttpResponse:
    if not oidc.oidc_enabled():
        raise Http404
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        request.session[SESSION_NEXT] = next_url
    try:
        return oidc.oidc_authorize_redirect(request)
    except MotCuaError as exc:
        messages.error(request, error_text(exc))
        return redirect("login")


def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.oidc_enabled():
        raise Http404
    try:
        claims = oidc.oidc_callback_claims(request)
        user = services.user_from_identity(provider=oidc.provider_id(), claims=claims, claim_names=settings.OIDC_CLAIMS)
    except MotCuaError as exc:
        messages.error(request, error_text(exc))
        return redirect("login")
    if not user.is_active:
        messages.error(request, _("Tài khoản này đã bị khóa."))
        return redirect("login")
    next_url = request.session.pop(SESSION_NEXT, "")
    login(request, user, backend=BACKEND)
    return redirect(next_url or "after_login")
