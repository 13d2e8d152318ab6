"""Forms of the account pages: they only read input; the rules are in services.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts import identifiers
from motcua.accounts.backends import account_key, client_ip
from motcua.accounts.models import User, UserKind
from motcua.accounts.selectors import user_find_by_identifier
from motcua.accounts.throttle import login_locked_until
from motcua.core.errors import MotCuaError

SIGN_UP_KINDS = [(k.value, k.label) for k in (UserKind.CITIZEN, UserKind.BUSINESS, UserKind.ORGANISATION)]


def _locked_message(until: dt.datetime) -> str:
    local = timezone.localtime(until)
    return str(
        _("Đăng nhập tạm thời bị khóa vì nhập sai nhiều lần. Hãy thử lại sau %(time)s.")
        % {"time": formats.time_format(local, "H:i")}
    )


class LoginForm(AuthenticationForm):
    """Officials log in with their username, citizens with their e-mail address or phone number."""

    username = forms.CharField(
        label=_("Tên đăng nhập, thư điện tử hoặc số điện thoại"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
    }

    def clean(self) -> dict[str, Any]:
        identifier = self.cleaned_data.get("username") or ""
        account = account_key(identifier, user_find_by_identifier(identifier))
        ip = client_ip(self.request)
        if until := login_locked_until(account=account, ip=ip):
            raise forms.ValidationError(_locked_message(until), code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            # This failure may just have locked the account: say so at once.
            if until := login_locked_until(account=account, ip=ip):
                raise forms.ValidationError(_locked_message(until), code="locked") from None
            raise


class PasswordPairMixin(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Hai lần nhập mật khẩu không giống nhau."))
        return data


class SignUpForm(PasswordPairMixin):
    kind = forms.ChoiceField(label=_("Đăng ký cho"), choices=SIGN_UP_KINDS, initial=UserKind.CITIZEN)
    full_name = forms.CharField(label=_("Họ và tên (hoặc tên doanh nghiệp, tổ chức)"), max_length=200)
    contact = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại di động"),
        max_length=254,
        help_text=_("Mã xác thực sẽ được gửi tới địa chỉ này."),
    )
    tax_code = forms.CharField(label=_("Mã số thuế (doanh nghiệp)"), max_length=14, required=False)
    password1 = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã xác thực (6 chữ số)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Mã xác thực gồm 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordResetRequestForm(forms.Form):
    contact = forms.CharField(label=_("Thư điện tử hoặc số điện thoại di động"), max_length=254)


class PasswordResetConfirmForm(CodeForm, PasswordPairMixin):
    password1 = forms.CharField(
        label=_("Mật khẩu mới"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class ProfileForm(forms.ModelForm[User]):
    """The profile; fields an identity provider vouched for are shown but cannot be changed."""

    birth_date = forms.DateField(
        label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    personal_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)

    class Meta:
        model = User
        fields = ["full_name", "birth_date", "personal_id", "address"]

    def clean_personal_id(self) -> str:
        value: str = self.cleaned_data["personal_id"]
        if not value or self.fields["personal_id"].disabled:
            return value
        try:
            return identifiers.personal_id_normalized(value)
        except MotCuaError as exc:
            raise forms.ValidationError(exc.message_vi) from exc

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.instance.identity_verified_fields:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Đã xác thực qua định danh điện tử.")
