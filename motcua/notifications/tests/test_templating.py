"""The wording rules, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.notifications import templating
from motcua.notifications.templating import SMS_MAX_LENGTH, TemplateProblem, TemplateText


@pytest.mark.parametrize("language", templating.LANGUAGES)
@pytest.mark.parametrize("event", sorted(templating.EVENT_VARIABLES))
def test_every_event_has_a_default_in_both_languages_that_passes_its_own_check(event: str, language: str) -> None:
    for channel in ("email", "sms", "in_app"):
        template = templating.default_template(event, language, channel)
        templating.validate(event=event, channel=template.channel, subject=template.subject, body=template.body)
        rendered = templating.render(template, templating.sample_context(event), channel=channel, strict=True)
        assert rendered.subject and rendered.body
        assert "{{" not in rendered.subject + rendered.body


def test_received_keeps_the_first_wording_and_drops_the_empty_note_line() -> None:
    context = templating.sample_context("received") | {"note": ""}
    rendered = templating.render(templating.default_template("received", "vi", "email"), context, channel="email")
    assert rendered.subject == "Hồ sơ 000.00.01.H29-250609-0001 đã được tiếp nhận"
    assert rendered.body.splitlines() == [
        f"Thủ tục: {context['procedure']}.",
        "Hẹn trả kết quả: 08:00 ngày 05/03/2026.",
        f"Tra cứu: {context['tracking_url']}",
    ]


def test_english_wording_and_date() -> None:
    rendered = templating.render(
        templating.default_template("overdue_apology", "en", "email"),
        templating.sample_context("overdue_apology") | {"old_appointment": "08:00 on 05/03/2026"},
        channel="email",
    )
    assert rendered.subject.startswith("We apologise: dossier 000.00.01.H29-250609-0001")
    assert "Previous appointment: 08:00 on 05/03/2026." in rendered.body
    moment = dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hà Nội
    assert templating.when(moment, "vi") == "08:00 ngày 05/03/2026"
    assert templating.when(moment, "en") == "08:00 on 05/03/2026"


def test_sms_is_subject_and_body_without_diacritics_in_gsm7() -> None:
    rendered = templating.render(
        templating.default_template("refused", "vi", "sms"),
        templating.sample_context("refused") | {"note": "Thiếu “giấy khai sinh” – bản chính"},
        channel="sms",
    )
    assert rendered.subject == "Hồ sơ 000.00.01.H29-250609-0001 không được tiếp nhận"  # for the outbox list
    assert rendered.body.startswith("Hồ sơ 000.00.01.H29-250609-0001 không được tiếp nhận. Thủ tục: Đăng ký")
    sent = templating.sms_text(rendered.body)
    assert sent.startswith("Ho so 000.00.01.H29-250609-0001 khong duoc tiep nhan. Thu tuc: Dang ky khai sinh")
    assert 'Thieu "giay khai sinh" - ban chinh' in sent
    assert all(ord(ch) < 128 for ch in sent)


def test_a_long_sms_is_cut_but_its_values_are_shortened_first() -> None:
    context = templating.sample_context("refused") | {"note": "Lý do rất dài. " * 100}
    rendered = templating.render(templating.default_template("refused", "vi", "sms"), context, channel="sms")
    assert templating.sms_length(templating.sms_text(rendered.body)) <= SMS_MAX_LENGTH
    assert rendered.body.endswith(context["tracking_url"])  # the note was shortened, the link kept
    huge = TemplateText("x", "{{ note }}… " * 10)
    cut = templating.render(huge, context, channel="sms")
    assert cut.body.endswith("...")
    assert templating.sms_length(templating.sms_text(cut.body)) in range(SMS_MAX_LENGTH - 3, SMS_MAX_LENGTH + 1)


def test_an_sms_only_template_sends_its_body_alone() -> None:
    template = templating.default_template("verification_code", "vi", "sms")
    rendered = templating.render(template, {"code": "654321", "minutes": "10", "site_name": "X"}, channel="sms")
    expected = "Ma xac thuc cua ban la 654321, hieu luc 10 phut. Khong cung cap ma cho bat ky ai."
    assert templating.sms_text(rendered.body) == expected


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{% load static %}{{ dossier_code }}", "load"),
        ('{% include "base.html" %}', "include"),
        ('{% extends "base.html" %}', "extends"),
        ("{% debug %}", "debug"),
        ("{{ dossier_code }} {{ applicant.password }}", "applicant.password"),
        ("{% if %}", "cú pháp"),
        ("{{ dossier_code|nonexistent_filter }}", "cú pháp"),
    ],
)
def test_a_broken_or_unsafe_template_is_refused(body: str, words: str) -> None:
    with pytest.raises(TemplateProblem, match=words) as problem:
        templating.validate(event="received", channel="all", subject="Hồ sơ {{ dossier_code }}", body=body)
    assert problem.value.field == "body"


def test_an_sms_template_too_long_for_the_sample_is_refused() -> None:
    with pytest.raises(TemplateProblem, match="SMS"):
        templating.validate(event="received", channel="sms", subject="x", body="{{ procedure }} " * 6)
    # The same text is fine for e-mail only.
    templating.validate(event="received", channel="email", subject="x", body="{{ procedure }} " * 6)


def test_gsm7_length_counts_extension_characters_twice() -> None:
    assert templating.sms_length("a{b}") == 6
    assert templating.sms_text("Đặng Thị Ánh — 5€ ✓") == "Dang Thi Anh - 5€ ?"


def test_a_subject_too_long_for_the_outbox_is_refused() -> None:
    with pytest.raises(TemplateProblem, match="255") as problem:
        templating.validate(event="received", channel="email", subject="{{ procedure }} " * 3, body="x")
    assert problem.value.field == "subject"
