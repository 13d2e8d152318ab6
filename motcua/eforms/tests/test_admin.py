from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.eforms.models import FormDefinition
from motcua.eforms.services import form_definitions_load_builtin
from motcua.eforms.tests.helpers import minimal_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser(username="quantri", email="qt@example.org", password="x")
    client.force_login(user)
    return client


def _post_data(**overrides: object) -> dict[str, object]:
    definition = minimal_definition()
    data: dict[str, object] = {
        "code": "to-khai-moi",
        "title": "Tờ khai mới",
        "title_en": "",
        "legal_reference": "Mẫu thử",
        "schema": json.dumps(definition["schema"], ensure_ascii=False),
        "layout": json.dumps(definition["layout"], ensure_ascii=False),
    }
    return data | overrides


def test_valid_definition_is_saved(admin_client: Client) -> None:
    response = admin_client.post("/admin/eforms/formdefinition/add/", _post_data())
    assert response.status_code == 302
    assert FormDefinition.objects.get(code="to-khai-moi").version == 1


def test_problems_are_listed_and_nothing_is_saved(admin_client: Client) -> None:
    layout = minimal_definition()["layout"]
    layout["help"] = {}
    response = admin_client.post("/admin/eforms/formdefinition/add/", _post_data(layout=json.dumps(layout)))
    assert response.status_code == 200
    content = response.content.decode()
    for path in ("ho_ten", "gioi_tinh", "me.ho_ten"):
        assert f"Trường &#x27;{path}&#x27; thiếu hướng dẫn" in content
    assert not FormDefinition.objects.exists()


def test_change_page_shows_indented_json_and_print_previews(admin_client: Client) -> None:
    form = form_definitions_load_builtin()["to-khai-dang-ky-khai-sinh"]
    response = admin_client.get(f"/admin/eforms/formdefinition/{form.pk}/change/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "/bieu-mau/to-khai-dang-ky-khai-sinh.pdf" in content
    assert "/bieu-mau/to-khai-dang-ky-khai-sinh.docx" in content
    assert "Tờ khai đăng ký khai sinh" in content and "\\u" not in content.split("id_schema")[1][:500]
    changelist = admin_client.get("/admin/eforms/formdefinition/")
    assert "/bieu-mau/to-khai-dang-ky-khai-sinh.pdf" in changelist.content.decode()


def test_editing_the_printed_content_bumps_the_version(admin_client: Client) -> None:
    form = form_definitions_load_builtin()["to-khai-dang-ky-khai-sinh"]
    data = _post_data(
        code=form.code,
        title=form.title,
        legal_reference=form.legal_reference,
        title_en=form.title_en,
        schema=json.dumps(form.schema, ensure_ascii=False),
        layout=json.dumps(form.layout | {"addressee": "Kính gửi: UBND phường Bến Thành"}, ensure_ascii=False),
    )
    response = admin_client.post(f"/admin/eforms/formdefinition/{form.pk}/change/", data)
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.version == 2
