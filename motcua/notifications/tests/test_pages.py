"""The inbox, the channel choices and the template admin, over HTTP."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.dossiers.tests.factories import make_citizen
from motcua.notifications.models import Notification, NotificationPreference, NotificationTemplate
from motcua.notifications.services import notify, notify_event

pytestmark = pytest.mark.django_db


def _logged_in(client: Client) -> tuple[Client, User]:
    citizen = make_citizen()
    client.force_login(citizen)
    return client, citizen


def test_pages_need_a_login(client: Client) -> None:
    for name in ("notifications:inbox", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/dang-nhap/" in response["Location"]
    response = client.post(reverse("notifications:mark_read", kwargs={"pk": 1}))
    assert response.status_code == 302


def test_inbox_lists_own_notifications_with_unread_count_and_marks_them_read(client: Client) -> None:
    client, citizen = _logged_in(client)
    other = make_citizen()
    notify_event(event="verification_code", user=citizen, email="a@example.vn", context={"code": "1", "minutes": 5})
    [mine] = notify(subject="Hồ sơ của tôi đã có kết quả", body="Nội dung <b>an toàn</b>", user=citizen)
    notify(subject="Thông báo thứ hai", body="", user=citizen)
    [theirs] = notify(subject="Của người khác", body="", user=other)
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hồ sơ của tôi đã có kết quả" in html and "Thông báo thứ hai" in html
    assert "Của người khác" not in html
    assert "Mã xác thực" not in html  # codes have no inbox copy
    assert "&lt;b&gt;an toàn&lt;/b&gt;" in html  # plain text, escaped
    assert page.context["unread"] == 2

    response = client.post(reverse("notifications:mark_read", kwargs={"pk": mine.pk}))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notifications:inbox")).context["unread"] == 1

    # Someone else's item: not found, and left unread.
    assert client.post(reverse("notifications:mark_read", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Reading is a POST only.
    assert client.get(reverse("notifications:mark_read", kwargs={"pk": mine.pk})).status_code == 405

    client.post(reverse("notifications:mark_all_read"))
    assert client.get(reverse("notifications:inbox")).context["unread"] == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_page_shows_the_defaults_and_saves_a_choice(client: Client) -> None:
    client, citizen = _logged_in(client)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    assert page.context["form"].initial == {"email": True, "sms": True, "language": "vi"}
    response = client.post(reverse("notifications:preferences"), {"email": "on", "language": "en"})
    assert response.status_code == 200
    assert response.context["saved"]
    preference = NotificationPreference.objects.get(user=citizen)
    assert (preference.email, preference.sms, preference.language, preference.in_app) == (True, False, "en", True)
    response = client.post(reverse("notifications:preferences"), {"language": "fr"})
    assert not response.context["saved"]
    assert NotificationPreference.objects.get(user=citizen).language == "en"


def test_the_admin_refuses_a_broken_template_and_starts_a_new_one_from_the_default(admin_client: Client) -> None:
    url = reverse("admin:notifications_notificationtemplate_add")
    page = admin_client.get(url, {"event": "overdue_apology", "language": "en"})
    assert page.context["adminform"].form.initial["subject"].startswith("We apologise")
    data = {
        "event": "received",
        "language": "vi",
        "channel": "all",
        "subject": "Hồ sơ {{ dossier_code }}",
        "body": "{% load static %}{{ password }}",
        "active": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "load" in str(response.context["adminform"].form.errors["body"])
    response = admin_client.post(url, data | {"body": "Xin chào {{ applicant_password }}"})
    assert "applicant_password" in str(response.context["adminform"].form.errors["body"])
    assert not NotificationTemplate.objects.exists()
    response = admin_client.post(url, data | {"body": "Tra cứu: {{ tracking_url }}"})
    assert response.status_code == 302
    assert NotificationTemplate.objects.get().body == "Tra cứu: {{ tracking_url }}"
