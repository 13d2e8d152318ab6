"""The wording of notifications: one template per event and language (and optionally channel),
typed in the admin or, when no row exists, the defaults below. Pure: no database.

Templates are Django template syntax rendered from a string by an engine with no loaders and no
tag libraries, and only a short list of built-in tags is accepted (no `{% load %}`,
`{% include %}`, `{% extends %}`, `{% debug %}`, which prints the whole context and the loaded
modules). The context holds plain strings only, never model instances, so an admin cannot reach
`{{ dossier.applicant.password }}` or call a method. Output is plain text (e-mail body, SMS,
in-app), so autoescaping is off; the inbox page escapes when it shows it.

Lines left blank by a tag (`{% if note %}...{% endif %}` with no note) are dropped, so a template
can keep one line per item without fighting Django's whitespace.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone

from motcua.core.text import strip_accents

# Three concatenated GSM-7 parts of 153 septets: the longest SMS we send (and the sandbox accepts).
SMS_MAX_LENGTH = 459
ALL_CHANNELS = "all"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

# Values shortened in an SMS before rendering, so a 500-character procedure name or a long
# reason does not push the tracking link out of the message.
_SMS_SHORTENED = {"procedure": 80, "agency": 80, "note": 160, "reason": 160}


class TemplateProblem(Exception):
    """A template that cannot be used; `field` is "subject" or "body"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# -- Events and what their templates may use --------------------------------------------------

_DOSSIER = ("dossier_code", "procedure", "agency", "appointment", "tracking_url", "note", "site_name")

EVENT_VARIABLES: dict[str, tuple[str, ...]] = {
    "received": _DOSSIER,
    "supplement_requested": _DOSSIER,
    "refused": _DOSSIER,
    "processing": _DOSSIER,
    "fees_due": _DOSSIER,
    "result_ready": _DOSSIER,
    "returned": _DOSSIER,
    "withdrawn": _DOSSIER,
    "stopped": _DOSSIER,
    "overdue_apology": (*_DOSSIER, "reason", "old_appointment", "new_appointment"),
    "due_soon": _DOSSIER,
    "overdue": _DOSSIER,
    "verification_code": ("code", "minutes", "site_name"),
}

_SAMPLE: dict[str, str] = {
    "dossier_code": "000.00.01.H29-250609-0001",
    "procedure": "Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "agency": "Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội",
    "appointment": "08:00 ngày 05/03/2026",
    "tracking_url": "https://dichvucong.example.gov.vn/tra-cuu/000.00.01.H29-250609-0001/",
    "note": "Thiếu bản sao giấy chứng sinh; đề nghị bổ sung bản sao có chứng thực trong 5 ngày làm việc.",
    "site_name": "Cổng dịch vụ công MotCua",
    "reason": "Chờ kết quả xác minh của cơ quan công an về nơi cư trú của người đề nghị.",
    "old_appointment": "08:00 ngày 05/03/2026",
    "new_appointment": "17:00 ngày 09/03/2026",
    "code": "123456",
    "minutes": "10",
}


def sample_context(event: str) -> dict[str, str]:
    """Realistic, longish values for every variable of `event`: a template is tried on it before saving."""
    return {name: _SAMPLE[name] for name in EVENT_VARIABLES[event]}


def when(moment: dt.datetime | None, language: str = DEFAULT_LANGUAGE) -> str:
    """An appointment as people read it: "08:00 ngày 05/03/2026" (local time, Asia/Ho_Chi_Minh)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return local.strftime("%H:%M on %d/%m/%Y" if language == "en" else "%H:%M ngày %d/%m/%Y")


# -- The defaults (also the starting text of a new template in the admin) ---------------------


@dataclass(frozen=True)
class TemplateText:
    subject: str
    body: str
    channel: str = ALL_CHANNELS


_TRACK_VI = "Tra cứu: {{ tracking_url }}"
_TRACK_EN = "Track it: {{ tracking_url }}"
_PROCEDURE_VI = "Thủ tục: {{ procedure }}."
_PROCEDURE_EN = "Procedure: {{ procedure }}."
_NOTE = "{{ note }}"
_APPOINTMENT_VI = "{% if appointment %}Hẹn trả kết quả: {{ appointment }}.{% endif %}"
_APPOINTMENT_EN = "{% if appointment %}Results due: {{ appointment }}.{% endif %}"


def _vi(subject: str, *lines: str) -> TemplateText:
    return TemplateText(subject, "\n".join(lines))


_APPLICANT_VI = (_PROCEDURE_VI, _NOTE, _TRACK_VI)
_APPLICANT_EN = (_PROCEDURE_EN, _NOTE, _TRACK_EN)

DEFAULTS: dict[tuple[str, str, str], TemplateText] = {
    # Vietnamese wording kept from the first version (tests and printed guides quote it).
    ("received", "vi", "all"): _vi(
        "Hồ sơ {{ dossier_code }} đã được tiếp nhận", _PROCEDURE_VI, _NOTE, _APPOINTMENT_VI, _TRACK_VI
    ),
    ("supplement_requested", "vi", "all"): _vi(
        "Hồ sơ {{ dossier_code }} cần bổ sung giấy tờ", _PROCEDURE_VI, _NOTE, _APPOINTMENT_VI, _TRACK_VI
    ),
    ("refused", "vi", "all"): _vi("Hồ sơ {{ dossier_code }} không được tiếp nhận", *_APPLICANT_VI),
    ("processing", "vi", "all"): _vi(
        "Hồ sơ {{ dossier_code }} đang được giải quyết", _PROCEDURE_VI, _NOTE, _APPOINTMENT_VI, _TRACK_VI
    ),
    ("fees_due", "vi", "all"): _vi("Hồ sơ {{ dossier_code }}: đề nghị nộp phí, lệ phí", *_APPLICANT_VI),
    ("result_ready", "vi", "all"): _vi("Hồ sơ {{ dossier_code }} đã có kết quả", *_APPLICANT_VI),
    ("returned", "vi", "all"): _vi("Đã trả kết quả hồ sơ {{ dossier_code }}", *_APPLICANT_VI),
    ("withdrawn", "vi", "all"): _vi("Hồ sơ {{ dossier_code }} đã được rút", *_APPLICANT_VI),
    ("stopped", "vi", "all"): _vi("Hồ sơ {{ dossier_code }} bị dừng xử lý", *_APPLICANT_VI),
    ("overdue_apology", "vi", "all"): _vi(
        "Xin lỗi: hồ sơ {{ dossier_code }} được hẹn lại ngày trả kết quả",
        "Lý do: {{ reason }}",
        "Ngày hẹn cũ: {{ old_appointment }}.",
        "Ngày hẹn mới: {{ new_appointment }}.",
        _TRACK_VI,
    ),
    ("due_soon", "vi", "all"): _vi(
        "Hồ sơ {{ dossier_code }} sắp đến hạn", "{{ procedure }}. Hẹn trả: {{ appointment }}."
    ),
    ("overdue", "vi", "all"): _vi(
        "Hồ sơ {{ dossier_code }} đã quá hạn", "{{ procedure }}. Hẹn trả: {{ appointment }}."
    ),
    ("verification_code", "vi", "all"): _vi(
        "Mã xác thực {{ site_name }}",
        "Mã xác thực của bạn là {{ code }}, có hiệu lực trong {{ minutes }} phút.",
        "Không cung cấp mã này cho bất kỳ ai, kể cả cán bộ.",
    ),
    ("verification_code", "vi", "sms"): TemplateText(
        "Mã xác thực",
        "Mã xác thực của bạn là {{ code }}, hiệu lực {{ minutes }} phút. Không cung cấp mã cho bất kỳ ai.",
        "sms",
    ),
    ("received", "en", "all"): _vi(
        "Dossier {{ dossier_code }} has been received", _PROCEDURE_EN, _NOTE, _APPOINTMENT_EN, _TRACK_EN
    ),
    ("supplement_requested", "en", "all"): _vi(
        "Dossier {{ dossier_code }} needs more documents", _PROCEDURE_EN, _NOTE, _APPOINTMENT_EN, _TRACK_EN
    ),
    ("refused", "en", "all"): _vi("Dossier {{ dossier_code }} was not accepted", *_APPLICANT_EN),
    ("processing", "en", "all"): _vi(
        "Dossier {{ dossier_code }} is being processed", _PROCEDURE_EN, _NOTE, _APPOINTMENT_EN, _TRACK_EN
    ),
    ("fees_due", "en", "all"): _vi("Dossier {{ dossier_code }}: fees are due", *_APPLICANT_EN),
    ("result_ready", "en", "all"): _vi("The result of dossier {{ dossier_code }} is ready", *_APPLICANT_EN),
    ("returned", "en", "all"): _vi("The result of dossier {{ dossier_code }} has been handed over", *_APPLICANT_EN),
    ("withdrawn", "en", "all"): _vi("Dossier {{ dossier_code }} has been withdrawn", *_APPLICANT_EN),
    ("stopped", "en", "all"): _vi("Processing of dossier {{ dossier_code }} has stopped", *_APPLICANT_EN),
    ("overdue_apology", "en", "all"): _vi(
        "We apologise: dossier {{ dossier_code }} has a new appointment",
        "Reason: {{ reason }}",
        "Previous appointment: {{ old_appointment }}.",
        "New appointment: {{ new_appointment }}.",
        _TRACK_EN,
    ),
    ("due_soon", "en", "all"): _vi(
        "Dossier {{ dossier_code }} is due soon", "{{ procedure }}. Due: {{ appointment }}."
    ),
    ("overdue", "en", "all"): _vi("Dossier {{ dossier_code }} is overdue", "{{ procedure }}. Due: {{ appointment }}."),
    ("verification_code", "en", "all"): _vi(
        "{{ site_name }} verification code",
        "Your verification code is {{ code }}; it is valid for {{ minutes }} minutes.",
        "Do not give this code to anyone, officials included.",
    ),
    ("verification_code", "en", "sms"): TemplateText(
        "Verification code",
        "Your verification code is {{ code }}, valid for {{ minutes }} minutes. Do not share it.",
        "sms",
    ),
}


def default_template(event: str, language: str, channel: str) -> TemplateText:
    """The shipped wording: for this channel if there is one, else for all channels; Vietnamese
    when the language has none."""
    for lang in (language, DEFAULT_LANGUAGE):
        for key in ((event, lang, channel), (event, lang, ALL_CHANNELS)):
            if key in DEFAULTS:
                return DEFAULTS[key]
    raise KeyError(f"no default template for {event}")


# -- The engine ---------------------------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof", "now"}
    | {"spaceless", "endspaceless", "comment", "endcomment", "filter", "endfilter"}
)
_TAG = re.compile(r"{%\s*(\w*)")
_INVALID = "\x00{}\x00"
_UNKNOWN = re.compile(r"\x00([^\x00]*)\x00")


@cache
def _engine(*, strict: bool) -> Engine:
    """No loaders (so nothing to include or extend), no libraries to `{% load %}`, no escaping
    (plain text). `strict` marks unknown variables so the check before saving can name them."""
    return Engine(
        dirs=[],
        app_dirs=False,
        loaders=[],
        libraries={},
        autoescape=False,
        string_if_invalid=_INVALID.format("%s") if strict else "",
    )


def _check_tags(field: str, source: str) -> None:
    refused = sorted({name or "?" for name in _TAG.findall(source) if name not in ALLOWED_TAGS})
    if refused:
        raise TemplateProblem(
            field,
            f"Thẻ không được phép / tags not allowed: {', '.join(refused)} "
            f"(được dùng / allowed: {', '.join(sorted(ALLOWED_TAGS))})",
        )


def _render(field: str, source: str, context: dict[str, str], *, strict: bool = False) -> str:
    _check_tags(field, source)
    try:
        output = _engine(strict=strict).from_string(source).render(Context(context, autoescape=False))
    except TemplateSyntaxError as error:
        raise TemplateProblem(field, f"Lỗi cú pháp mẫu / template syntax error: {error}") from error
    except Exception as error:  # a typed-in template failing is the admin's to fix, not a 500
        raise TemplateProblem(field, f"Mẫu không hiển thị được / template fails: {error}") from error
    unknown = sorted(set(_UNKNOWN.findall(output)))
    if unknown:
        raise TemplateProblem(field, f"Mẫu dùng giá trị không có / unknown values: {', '.join(unknown)}")
    return output


def _tidy(text: str) -> str:
    lines = (line.rstrip() for line in text.strip().splitlines())
    return "\n".join(line for line in lines if line)


# -- SMS text -----------------------------------------------------------------------------------

# GSM 03.38: the basic set costs one septet a character, the extension set two. Vietnamese
# without diacritics fits the basic set; a message with any other character would be sent as
# UCS-2 (70 characters a part), so those are replaced.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€")
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " "})


def sms_text(text: str) -> str:
    """Vietnamese without diacritics, in the GSM-7 alphabet (anything else becomes "?")."""
    folded = strip_accents(text).translate(_TYPOGRAPHY)
    return "".join(ch if ch in _GSM_BASIC or ch in _GSM_EXTENSION else "?" for ch in folded)


def sms_length(text: str) -> int:
    """Length in GSM-7 septets (an extension character counts two)."""
    return len(text) + sum(1 for ch in text if ch in _GSM_EXTENSION)


def sms_fit(message: str) -> str:
    """`message` cut (with "...") so that its folded form, the text actually sent, fits in
    SMS_MAX_LENGTH septets. Vietnamese letters fold one to one, so a first cut at that many
    characters leaves only a few to trim one by one."""
    if sms_length(sms_text(message)) <= SMS_MAX_LENGTH:
        return message
    message = message[:SMS_MAX_LENGTH]
    while sms_length(sms_text(message)) > SMS_MAX_LENGTH - 3:
        message = message[:-1]
    return message.rstrip() + "..."


def sms_compose(subject: str, body: str) -> str:
    """The SMS row body for a message given as text (not a template): "subject. body", cut to fit."""
    return sms_fit(f"{subject}. {body}")


# -- Rendering ----------------------------------------------------------------------------------


def _shorten(value: str, limit: int | None) -> str:
    return value if limit is None or len(value) <= limit else value[:limit].rstrip() + "..."


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(template: TemplateText, context: dict[str, str], *, channel: str, strict: bool = False) -> Rendered:
    """Subject and body for one channel. For SMS the body is the whole message ("subject. body"
    from a template for all channels, the body alone from one made for SMS), still in
    Vietnamese with diacritics so the outbox reads as the other channels do; what is sent is
    `sms_text(body)`, without diacritics, in GSM-7, at most SMS_MAX_LENGTH septets."""
    if channel == "sms":
        context = {name: _shorten(value, _SMS_SHORTENED.get(name)) for name, value in context.items()}
    subject = " ".join(_render("subject", template.subject, context, strict=strict).split())
    body = _tidy(_render("body", template.body, context, strict=strict))
    if strict and len(subject) > 255:
        raise TemplateProblem("subject", f"Tiêu đề dài {len(subject)} ký tự, quá 255 / subject too long")
    if channel != "sms":
        return Rendered(subject[:255], body)
    message = body if template.channel == "sms" else f"{subject}. {body}"
    length = sms_length(sms_text(message))
    if strict and length > SMS_MAX_LENGTH:
        raise TemplateProblem("body", f"Tin nhắn SMS dài {length} ký tự, quá {SMS_MAX_LENGTH} / SMS too long")
    return Rendered(subject[:255], sms_fit(message))


def validate(*, event: str, channel: str, subject: str, body: str) -> None:
    """TemplateProblem unless the template renders with the sample context of `event`, names only
    its variables, and (for SMS, or for all channels) fits in an SMS."""
    template = TemplateText(subject, body, channel)
    context = sample_context(event)
    if not subject.strip():
        raise TemplateProblem("subject", "Cần có tiêu đề / a subject is required")
    for each in ("email", "sms") if channel == ALL_CHANNELS else (channel,):
        render(template, context, channel=each, strict=True)
