"""Forms of the back office: they read and check what was typed; the decisions are the services'."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import phonenumbers
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.vn import mst

from motcua.backoffice.answers import answered_forms
from motcua.catalog.models import Agency, Channel, DossierComponent
from motcua.core.workcalendar import TIME_ZONE
from motcua.dossiers import services
from motcua.dossiers.lifecycle import NEEDS_REASON, Action, Status
from motcua.dossiers.models import ApplicantKind, Dossier

ACCEPT = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,application/pdf,image/*"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
_PERSONAL_ID = re.compile(r"^\d{12}$")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); always cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        cleaned = single(data, initial)
        return [cleaned] if cleaned else []


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=DATETIME_LOCAL)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


def clean_id_number(value: str) -> str:
    """A 12-digit personal identification number (số định danh cá nhân) or a tax code (mã số
    thuế, 10 digits or 13 with the branch suffix)."""
    compact = re.sub(r"[\s.\-]", "", value)
    if _PERSONAL_ID.match(compact):
        return compact
    if mst.is_valid(compact):
        return str(mst.compact(compact))
    raise forms.ValidationError(
        _("Số định danh cá nhân gồm 12 chữ số; mã số thuế gồm 10 hoặc 13 chữ số hợp lệ."), code="id_number"
    )


def clean_phone(value: str) -> str:
    """A Vietnamese phone number, kept as its national digits (0912345678)."""
    if not value.strip():
        return ""
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("Số điện thoại không hợp lệ."), code="phone")
    if number.country_code != 84:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")


# -- Counter intake ----------------------------------------------------------------------------


class IntakeForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Nơi tiếp nhận"), empty_label=None)
    channel = forms.ChoiceField(
        label=_("Kênh nộp"),
        choices=[(Channel.COUNTER.value, Channel.COUNTER.label), (Channel.POST.value, Channel.POST.label)],
        initial=Channel.COUNTER.value,
        widget=forms.RadioSelect,
    )
    posted_on = forms.DateField(
        label=_("Ngày gửi trên phiếu bưu chính"),
        required=False,
        widget=DateInput(),
        help_text=_("Chỉ khi nộp qua bưu chính."),
    )
    applicant_kind = forms.ChoiceField(label=_("Loại chủ hồ sơ"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("Họ và tên / tên tổ chức"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân hoặc mã số thuế"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    digitisation_complete = forms.BooleanField(label=_("Đã số hóa xong toàn bộ hồ sơ giấy"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        agencies: Sequence[Agency],
        components: Sequence[DossierComponent],
        needs_appointment: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")
        if len(agencies) == 1:
            agency_field.initial = agencies[0].pk
            agency_field.widget = forms.HiddenInput()
        self.components = list(components)
        for component in self.components:
            self.fields[f"received_{component.pk}"] = forms.BooleanField(
                label=component.name, required=False, initial=False
            )
            self.fields[f"scan_{component.pk}"] = MultipleFileField(label=_("Bản số hóa"), required=False)
        self.needs_appointment = needs_appointment
        if needs_appointment:
            self.fields["due_at"] = forms.DateTimeField(
                label=_("Ngày hẹn trả kết quả"),
                help_text=_("Thủ tục chưa công bố thời hạn giải quyết: cán bộ nhập ngày hẹn."),
                widget=DateTimeLocalInput(),
                input_formats=[DATETIME_LOCAL],
            )

    def component_rows(self) -> list[tuple[DossierComponent, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"received_{c.pk}"], self[f"scan_{c.pk}"]) for c in self.components]

    def clean_applicant_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["applicant_id_number"])

    def clean_applicant_phone(self) -> str:
        return clean_phone(self.cleaned_data["applicant_phone"])

    def clean_applicant_name(self) -> str:
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        posted_on = cleaned.get("posted_on")
        if cleaned.get("channel") == Channel.POST:
            if posted_on is None:
                self.add_error("posted_on", _("Cần ngày gửi trên phiếu bưu chính."))
            elif posted_on > timezone.localdate():
                self.add_error("posted_on", _("Ngày gửi không thể sau hôm nay."))
        for component in self.components:
            if cleaned.get(f"scan_{component.pk}") and not cleaned.get(f"received_{component.pk}"):
                self.add_error(f"received_{component.pk}", _("Có bản số hóa: hãy đánh dấu đã nhận thành phần này."))
        return cleaned

    def posted_at(self) -> dt.datetime | None:
        posted_on = self.cleaned_data.get("posted_on")
        if self.cleaned_data["channel"] != Channel.POST or posted_on is None:
            return None
        return timezone.make_aware(dt.datetime.combine(posted_on, dt.time(0, 0)))

    def received_components(self) -> list[DossierComponent]:
        return [c for c in self.components if self.cleaned_data.get(f"received_{c.pk}")]

    def scans(self) -> dict[int, list[UploadedFile[Any]]]:
        return {c.pk: files for c in self.components if (files := self.cleaned_data.get(f"scan_{c.pk}") or [])}

    def applicant(self) -> services.Applicant:
        data = self.cleaned_data
        return services.Applicant(
            name=data["applicant_name"],
            kind=data["applicant_kind"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
        )


# -- Actions on a dossier ----------------------------------------------------------------------


class ActionForm(forms.Form):
    """One form for every action the official may take: the button pressed names the action."""

    action = forms.ChoiceField(choices=())
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        label=_("Ghi chú / lý do"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi từ chối, yêu cầu bổ sung, trả lại, không duyệt, dừng hoặc rút hồ sơ."),
    )
    attachments = MultipleFileField(label=_("Tệp đính kèm (PDF, ảnh)"), required=False)

    def __init__(
        self,
        *args: Any,
        actions: Sequence[Action],
        dossier: Dossier,
        transfer_targets: QuerySet[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [(a.value, a.label) for a in self.actions]
        self.fields["revision"].initial = dossier.revision
        if Action.TRANSFER in self.actions:
            self.fields["transfer_to"] = forms.ModelChoiceField(
                label=_("Cơ quan nhận liên thông"), queryset=transfer_targets, required=False
            )
        version = dossier.procedure_version
        if Action.RECEIVE in self.actions and version.processing_time_value is None:
            self.fields["due_at"] = forms.DateTimeField(
                label=_("Ngày hẹn trả kết quả"),
                help_text=_("Thủ tục chưa công bố thời hạn giải quyết: cán bộ nhập ngày hẹn."),
                required=False,
                widget=DateTimeLocalInput(),
                input_formats=[DATETIME_LOCAL],
            )
        if Action.REQUEST_SUPPLEMENT in self.actions:
            self._add_requested_items(dossier)
        if Action.REQUEST_SUPPLEMENT in self.actions and dossier.supplement_count >= 1:
            self.fields["second_supplement_reason"] = forms.CharField(
                label=_("Lý do yêu cầu bổ sung lần hai"),
                help_text=_("Hồ sơ đã được yêu cầu bổ sung một lần; lần hai sẽ tính là trễ hạn."),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def _add_requested_items(self, dossier: Dossier) -> None:
        """Which e-form fields and components the citizen must correct or supply: plain
        checkboxes, fields grouped by form with the current answer beside each label."""
        groups = [
            (
                form.title,
                [
                    (f.key, f"{f.label}: {f.answer}" if f.answer else f"{f.label}: {_('(chưa khai)')}")
                    for f in form.fields
                ],
            )
            for form in answered_forms(dossier)
            if form.fields
        ]
        if groups:
            self.fields["requested_fields"] = forms.MultipleChoiceField(
                label=_("Mục trên tờ khai cần sửa"),
                help_text=_("Người nộp chỉ sửa được các mục được đánh dấu (nội dung hiện khai ở sau dấu hai chấm)."),
                choices=groups,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        components = DossierComponent.objects.filter(version_id=dossier.procedure_version_id).order_by("order")
        if components:
            self.fields["requested_components"] = forms.ModelMultipleChoiceField(
                label=_("Thành phần hồ sơ cần nộp bổ sung"),
                queryset=components,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @property
    def main_actions(self) -> list[Action]:
        return [a for a in self.actions if a not in NEEDS_REASON]

    @property
    def reason_actions(self) -> list[Action]:
        return [a for a in self.actions if a in NEEDS_REASON]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("action"):
            return cleaned
        action = Action(cleaned["action"])
        if action in NEEDS_REASON and not cleaned.get("note", "").strip():
            self.add_error("note", _("Cần ghi rõ lý do để “%(action)s”.") % {"action": action.label})
        if action == Action.TRANSFER and not cleaned.get("transfer_to"):
            self.add_error("transfer_to", _("Cần chọn cơ quan nhận liên thông."))
        if action == Action.RECEIVE and "due_at" in self.fields and not cleaned.get("due_at"):
            self.add_error("due_at", _("Cần nhập ngày hẹn trả kết quả."))
        if (
            action == Action.REQUEST_SUPPLEMENT
            and "second_supplement_reason" in self.fields
            and not cleaned.get("second_supplement_reason", "").strip()
        ):
            self.add_error("second_supplement_reason", _("Cần lý do cho lần yêu cầu bổ sung thứ hai."))
        return cleaned

    def requested(self) -> dict[str, list[Any]]:
        """Transition.data["requested"] of a supplement request (dossiers.supplements)."""
        return {
            "fields": list(self.cleaned_data.get("requested_fields") or []),
            "components": [c.pk for c in self.cleaned_data.get("requested_components") or []],
        }

    def transition(self) -> services.Transition:
        data = self.cleaned_data
        action = Action(data["action"])
        extra: dict[str, object] = {}
        if action == Action.REQUEST_SUPPLEMENT:
            extra["requested"] = self.requested()
        return services.Transition(
            action=action,
            note=data.get("note", ""),
            files=data.get("attachments") or [],
            second_supplement_reason=data.get("second_supplement_reason", ""),
            due_at=data.get("due_at"),
            transfer_to=data.get("transfer_to"),
            expected_revision=data["revision"],
            data=extra,
        )


class ExtendForm(forms.Form):
    """Xin lỗi và hẹn lại ngày trả: the reason and the new appointment, typed as a date and an
    hour of the office's day; services.dossier_extend decides whether it may be issued."""

    reason = forms.CharField(
        label=_("Lý do chậm trả kết quả"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ghi trên Phiếu xin lỗi và hẹn lại ngày trả kết quả gửi người nộp."),
    )
    new_due_date = forms.DateField(label=_("Ngày hẹn mới"), widget=DateInput())
    new_due_time = forms.TimeField(label=_("Giờ hẹn mới"), widget=TimeInput(), input_formats=["%H:%M", "%H:%M:%S"])

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if dossier.due_at is not None:
            old = dossier.due_at.astimezone(TIME_ZONE)
            # Same hour as the old appointment by default: usually only the day moves. The
            # browser's date picker starts at the old day; the service still checks "later".
            self.fields["new_due_time"].initial = old.time()
            self.fields["new_due_date"].widget.attrs["min"] = f"{old:%Y-%m-%d}"

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Cần ghi rõ lý do."), code="required")
        return reason

    def new_due_at(self) -> dt.datetime:
        # Typed in office time whatever zone the browser or server runs in (Vietnam has no DST,
        # so every local time exists exactly once).
        day: dt.date = self.cleaned_data["new_due_date"]
        hour: dt.time = self.cleaned_data["new_due_time"]
        return dt.datetime.combine(day, hour.replace(second=0, microsecond=0), tzinfo=TIME_ZONE)


class ScanForm(forms.Form):
    """Scans added to a dossier already in the system (e.g. paper brought for an online one)."""

    component = forms.ModelChoiceField(queryset=DossierComponent.objects.none(), label=_("Thành phần hồ sơ"))
    scans = MultipleFileField(label=_("Bản số hóa (PDF, ảnh)"), required=False)
    digitisation_complete = forms.BooleanField(label=_("Đã số hóa xong toàn bộ hồ sơ giấy"), required=False)

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        component_field = self.fields["component"]
        assert isinstance(component_field, forms.ModelChoiceField)
        component_field.queryset = DossierComponent.objects.filter(version_id=dossier.procedure_version_id)
        if dossier.digitisation_complete:
            del self.fields["digitisation_complete"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("scans") and not cleaned.get("digitisation_complete"):
            raise forms.ValidationError(_("Chọn tệp để tải lên hoặc đánh dấu đã số hóa xong."))
        return cleaned


# -- Search ------------------------------------------------------------------------------------


class SearchForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), required=False, max_length=40)
    name = forms.CharField(label=_("Chủ hồ sơ"), required=False, max_length=255)
    id_number = forms.CharField(label=_("Số định danh / mã số thuế"), required=False, max_length=20)
    procedure = forms.CharField(label=_("Thủ tục"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *Status.choices])
    received_from = forms.DateField(label=_("Tiếp nhận từ ngày"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("đến ngày"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned
