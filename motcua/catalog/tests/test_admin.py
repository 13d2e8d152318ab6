"""The catalogue admin, over HTTP, as a superuser."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Fee, Field, Procedure, ProcedureVersion, Topic, VersionState
from motcua.catalog.tests.factories import current, make_agency, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser(username="quantri", password="mat-khau-dai-12345", email="qt@example.vn")
    client.force_login(user)
    return client


def _url(name: str, *args: Any) -> str:
    return reverse(f"admin:catalog_{name}", args=args)


def test_every_catalogue_page_loads(admin_client: Client) -> None:
    procedure = make_procedure(name="Đăng ký khai sinh", national_code="1.001193")
    version = current(procedure)
    topic = Topic.objects.create(slug="sinh-con", name="Sinh con")
    draft = make_procedure(name="Bản nháp", publish=False).versions.get()
    objects = {
        "agency": version.competent_agency.pk,
        "field": procedure.field.pk,
        "topic": topic.pk,
        "procedure": procedure.pk,
        "procedureversion": version.pk,
    }
    for model, pk in objects.items():
        assert admin_client.get(_url(f"{model}_changelist")).status_code == 200, model
        assert admin_client.get(_url(f"{model}_change", pk)).status_code == 200, model
        assert admin_client.get(_url(f"{model}_add")).status_code == 200, model
    page = admin_client.get(_url("procedureversion_change", draft.pk)).content.decode()
    assert "Công bố" in page
    page = admin_client.get(_url("procedureversion_change", version.pk)).content.decode()
    assert "Tạo phiên bản mới" in page
    # the agency autocomplete the accounts Membership inline relies on
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": version.competent_agency.code[:6],
            "app_label": "accounts",
            "model_name": "membership",
            "field_name": "agency",
        },
    )
    assert response.status_code == 200


def _version_post_data(version: ProcedureVersion, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "procedure": version.procedure_id,
        "effective_from": version.effective_from.isoformat(),
        "name": version.name,
        "summary": version.summary,
        "administrative_level": version.administrative_level,
        "for_citizens": "on",
        "competent_agency": version.competent_agency_id,
        "receiving_agencies": [a.pk for a in version.receiving_agencies.all()],
        "channel_counter": "on",
        "processing_time_value": str(version.processing_time_value or ""),
        "processing_time_unit": version.processing_time_unit,
        "result_name": version.result_name,
        "result_by_counter": "on",
        "online_level": version.online_level,
    }
    inlines = {
        "steps": version.steps.all(),
        "components": version.components.all(),
        "fees": version.fees.all(),
        "legal_bases": version.legal_bases.all(),
        "channel_times": version.channel_times.all(),
    }
    for prefix, rows in inlines.items():
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-version"] = version.pk
            for field in ("order", "description", "title", "name", "code", "kind", "amount_vnd", "originals", "copies"):
                value = getattr(row, field, None)
                if value is not None:
                    data[f"{prefix}-{i}-{field}"] = value
            if getattr(row, "required", False):
                data[f"{prefix}-{i}-required"] = "on"
    data.update(changes)
    return data


def test_a_published_version_cannot_be_changed_or_deleted(admin_client: Client) -> None:
    version = current(make_procedure(name="Đăng ký kết hôn"))
    response = admin_client.post(
        _url("procedureversion_change", version.pk), _version_post_data(version, name="Sửa lén")
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "Đăng ký kết hôn"
    assert admin_client.post(_url("procedureversion_delete", version.pk), {"post": "yes"}).status_code == 403
    assert ProcedureVersion.objects.filter(pk=version.pk).exists()
    # bulk delete from the changelist is refused too
    admin_client.post(
        _url("procedureversion_changelist"),
        {"action": "delete_selected", "_selected_action": [version.pk], "post": "yes"},
    )
    assert ProcedureVersion.objects.filter(pk=version.pk).exists()
    # the view-only page shows no editable input for the name
    page = admin_client.get(_url("procedureversion_change", version.pk)).content.decode()
    assert 'name="name"' not in page


def test_a_draft_is_editable_and_validated(admin_client: Client) -> None:
    draft = make_procedure(name="Bản nháp", publish=False).versions.get()
    url = _url("procedureversion_change", draft.pk)
    response = admin_client.post(url, _version_post_data(draft, name="Bản nháp đã sửa"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.name == "Bản nháp đã sửa"
    assert "ban nhap da sua" in draft.search_text

    response = admin_client.post(url, _version_post_data(draft, processing_time_value="0"))
    assert response.status_code == 200
    assert "Thời hạn giải quyết phải lớn hơn 0" in response.content.decode()
    response = admin_client.post(url, _version_post_data(draft, processing_time_value="0", same_day_cutoff="15:00"))
    assert response.status_code == 302

    response = admin_client.post(url, _version_post_data(draft, **{"fees-0-amount_vnd": "-1"}))
    assert response.status_code == 200
    assert "Mức thu phải ≥ 0 đồng / The amount must be ≥ 0 VND." in response.content.decode()
    assert Fee.objects.get(version=draft).amount_vnd == 8000


def test_publish_button_and_action(admin_client: Client) -> None:
    procedure = make_procedure(name="Thủ tục nháp", publish=False)
    draft = procedure.versions.get()
    response = admin_client.post(_url("procedureversion_publish", draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    procedure.refresh_from_db()
    assert draft.state == VersionState.PUBLISHED
    assert procedure.current_version == draft
    assert admin_client.get(_url("procedureversion_publish", draft.pk)).status_code == 405

    other = make_procedure(name="Thủ tục nháp khác", publish=False).versions.get()
    admin_client.post(
        _url("procedureversion_changelist"), {"action": "publish_selected", "_selected_action": [other.pk, draft.pk]}
    )
    other.refresh_from_db()
    assert other.state == VersionState.PUBLISHED


def test_new_version_button_and_action(admin_client: Client) -> None:
    procedure = make_procedure(name="Đăng ký khai tử")
    v1 = current(procedure)
    response = admin_client.post(_url("procedureversion_new_draft", v1.pk))
    v2 = procedure.versions.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == _url("procedureversion_change", v2.pk)
    assert v2.state == VersionState.DRAFT
    assert [f.amount_vnd for f in v2.fees.all()] == [8000]
    admin_client.post(
        _url("procedureversion_changelist"), {"action": "new_draft_of_selected", "_selected_action": [v1.pk]}
    )
    assert procedure.versions.count() == 3


def test_agency_code_is_validated_in_vietnamese(admin_client: Client) -> None:
    parent = make_agency(code="000.00.00.H29")
    data = {
        "code": "12.34",
        "name": "UBND Phường Mới",
        "kind": "ward_committee",
        "parent": parent.pk,
        "province_code": 79,
        "office_hours": "07:30-17:00",
        "active": "on",
    }
    response = admin_client.post(_url("agency_add"), data)
    assert response.status_code == 200
    assert "Mã định danh cơ quan phải có dạng 000.00.00.H29" in response.content.decode()
    assert not Agency.objects.filter(name="UBND Phường Mới").exists()
    response = admin_client.post(_url("agency_add"), {**data, "code": "000.02.01.H29"})
    assert response.status_code == 302
    assert Agency.objects.get(code="000.02.01.H29").parent == parent


def test_procedure_page_lists_its_versions(admin_client: Client) -> None:
    procedure = make_procedure(name="Cấp bản sao trích lục")
    Field.objects.get(pk=procedure.field_id)
    page = admin_client.get(_url("procedure_change", procedure.pk)).content.decode()
    assert "Cấp bản sao trích lục" in page
    assert _url("procedureversion_change", current(procedure).pk) in page
    assert Procedure.objects.count() == 1
