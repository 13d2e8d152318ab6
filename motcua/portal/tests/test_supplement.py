"""Online supplement over HTTP: the officer ticks what must be corrected, the citizen sees and
changes only that, the dossier goes back to the office with the same code and the officer sees
the diff and the new files."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Channel, DossierComponent, Procedure
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.dossiers.lifecycle import Action, Role, Status
from motcua.dossiers.models import DocumentKind, Dossier, DossierFile
from motcua.dossiers.services import Applicant, dossier_submit
from motcua.dossiers.tests.factories import make_citizen, make_official, make_workflow
from motcua.eforms.models import FormDefinition
from motcua.uploads.tests.samples import pdf_upload, upload

pytestmark = pytest.mark.django_db

FORM = "to-khai-bo-sung"
ANSWERS = {"nguoi": {"ho_ten": "Le Van An", "ngay_sinh": "2015-01-02"}, "dia_chi": "12 Lê Lợi"}


@dataclass
class Setting:
    procedure: Procedure
    officer: User
    citizen: User
    dossier: Dossier
    birth_certificate: DossierComponent
    other_component: DossierComponent


@pytest.fixture
def setting() -> Setting:
    agency = make_agency(name="UBND Phường Sài Gòn")
    procedure = make_procedure(
        name="Đăng ký khai sinh",
        agency=agency,
        channel_online=True,
        components=[
            catalog_services.ComponentData(name="Giấy chứng sinh", originals=1, copies=0),
            catalog_services.ComponentData(name="Giấy tờ khác (nếu có)", copies=1, required=False),
        ],
    )
    make_workflow(procedure)
    definition = FormDefinition(
        code=FORM,
        title="Tờ khai đăng ký khai sinh",
        schema={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "nguoi": {
                    "type": "object",
                    "properties": {
                        "ho_ten": {"type": "string", "title": "Họ, chữ đệm, tên"},
                        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
                    },
                    "required": ["ho_ten", "ngay_sinh"],
                },
                "dia_chi": {"type": "string", "title": "Nơi cư trú"},
            },
            "required": ["nguoi"],
        },
        layout={
            "sections": [{"title": "Người được khai sinh", "fields": ["nguoi.ho_ten", "nguoi.ngay_sinh", "dia_chi"]}]
        },
    )
    definition.full_clean()
    definition.save()
    citizen = make_citizen("congdan")
    dossier = dossier_submit(
        procedure=procedure,
        agency=agency,
        channel=Channel.ONLINE,
        actor=citizen,
        applicant=Applicant(name="Lê Văn An", id_number="079215000001", user=citizen),
        form_data={FORM: {"version": 1, "answers": ANSWERS}},
    )
    assert procedure.current_version is not None
    components = list(procedure.current_version.components.order_by("order"))
    return Setting(
        procedure=procedure,
        officer=make_official(agency, Role.RECEIVING_OFFICER, "tiepnhan"),
        citizen=citizen,
        dossier=dossier,
        birth_certificate=components[0],
        other_component=components[1],
    )


def request_supplement(client: Client, s: Setting) -> Dossier:
    client.force_login(s.officer)
    page = client.get(f"/mot-cua/ho-so/{s.dossier.pk}/").content.decode()
    # The officer ticks fields by their labels, the current answer beside each, and components by name.
    assert "Họ, chữ đệm, tên: Le Van An" in page and "Ngày sinh: 02/01/2015" in page
    assert f'value="{FORM}/nguoi.ho_ten"' in page and "Giấy chứng sinh" in page
    response = client.post(
        f"/mot-cua/ho-so/{s.dossier.pk}/",
        {
            "action": Action.REQUEST_SUPPLEMENT.value,
            "revision": s.dossier.revision,
            "note": "Họ tên: viết đủ dấu như trên giấy chứng sinh\nGiấy chứng sinh: bản chụp bị mờ",
            "requested_fields": [f"{FORM}/nguoi.ho_ten"],
            "requested_components": [s.birth_certificate.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    dossier = Dossier.objects.get(pk=s.dossier.pk)
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    event = dossier.events.get(action=Action.REQUEST_SUPPLEMENT)
    assert event.data["requested"] == {"fields": [f"{FORM}/nguoi.ho_ten"], "components": [s.birth_certificate.pk]}
    # The written note stays the official list of Mẫu 02.
    document = dossier.documents.get(kind=DocumentKind.SUPPLEMENT_REQUEST)
    assert [m["item"] for m in document.data["missing"]] == ["Họ tên", "Giấy chứng sinh"]
    return dossier


def test_citizen_corrects_only_what_was_asked_and_the_officer_sees_the_diff(client: Client, setting: Setting) -> None:
    s = setting
    dossier = request_supplement(client, s)
    code = dossier.code
    url = f"/ho-so-cua-toi/{code}/bo-sung/"

    client.force_login(s.citizen)
    mine = client.get(f"/ho-so-cua-toi/{code}/").content.decode()
    assert "Cơ quan yêu cầu bổ sung:" in mine and "viết đủ dấu" in mine and f'href="{url}"' in mine

    page = client.get(url).content.decode()
    assert f'name="{FORM}/nguoi.ho_ten"' in page and 'value="Le Van An"' in page
    assert "nguoi.ngay_sinh" not in page and "dia_chi" not in page  # only the requested field
    assert f'name="thanh_phan_{s.birth_certificate.pk}"' in page and "Giấy tờ khác" not in page

    # A tampered page changing another field: refused by the service, nothing changes.
    tampered = client.post(
        url,
        {
            "action": "send",
            f"{FORM}/nguoi.ho_ten": "Lê Văn An",
            f"{FORM}/nguoi.ngay_sinh": "01/01/2010",
            f"thanh_phan_{s.birth_certificate.pk}": pdf_upload("giay-chung-sinh.pdf"),
        },
    )
    assert tampered.status_code == 400
    assert "Chỉ được sửa những mục cơ quan yêu cầu bổ sung" in tampered.content.decode()
    assert f"{FORM}/nguoi.ngay_sinh" in tampered.content.decode()
    unchanged = Dossier.objects.get(pk=dossier.pk)
    assert unchanged.status == Status.SUPPLEMENT_REQUESTED and unchanged.form_data[FORM]["answers"] == ANSWERS
    assert not DossierFile.objects.filter(dossier=dossier).exists()

    # A file that is not what it claims: refused by name, what was typed is kept.
    fake = client.post(
        url,
        {
            "action": "send",
            f"{FORM}/nguoi.ho_ten": "Lê Văn An",
            f"thanh_phan_{s.birth_certificate.pk}": upload("giay-chung-sinh.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert fake.status_code == 400
    assert "giay-chung-sinh.pdf" in fake.content.decode() and 'value="Lê Văn An"' in fake.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_REQUESTED

    # Required field emptied and no file: the engine's message and the component's.
    empty = client.post(url, {"action": "send", f"{FORM}/nguoi.ho_ten": ""}).content.decode()
    assert "Chưa điền mục này" in empty and "Chưa chọn tệp cho thành phần này" in empty

    done = client.post(
        url,
        {
            "action": "send",
            f"{FORM}/nguoi.ho_ten": "Lê Văn An",
            f"thanh_phan_{s.birth_certificate.pk}": pdf_upload("giay-chung-sinh.pdf"),
            "note": "Đã chụp lại bản rõ",
        },
        follow=True,
    )
    assert "Đã gửi bổ sung hồ sơ" in done.content.decode()
    supplied = Dossier.objects.get(pk=dossier.pk)
    assert supplied.status == Status.SUPPLEMENT_RECEIVED and supplied.code == code
    assert supplied.form_data[FORM]["answers"] == {**ANSWERS, "nguoi": {**ANSWERS["nguoi"], "ho_ten": "Lê Văn An"}}
    stored = DossierFile.objects.get(dossier=dossier)
    supply = supplied.events.get(action=Action.SUPPLY)
    assert stored.component == s.birth_certificate and stored.event == supply and stored.name == "giay-chung-sinh.pdf"
    assert supply.data["changes"] == [{"form": FORM, "field": "nguoi.ho_ten", "old": "Le Van An", "new": "Lê Văn An"}]
    assert "Cơ quan yêu cầu bổ sung:" not in done.content.decode()

    client.force_login(s.officer)
    officer_page = client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    assert "Người nộp đã sửa" in officer_page
    assert "Họ, chữ đệm, tên" in officer_page and "<del>Le Van An</del>" in officer_page
    assert "<ins>Lê Văn An</ins>" in officer_page and "giay-chung-sinh.pdf" in officer_page


def test_only_the_applicant_and_only_while_waiting(client: Client, setting: Setting) -> None:
    s = setting
    url = f"/ho-so-cua-toi/{s.dossier.code}/bo-sung/"
    client.force_login(s.citizen)
    waiting_receipt = client.get(url)
    assert waiting_receipt.status_code == 200
    assert "không ở trạng thái chờ bổ sung" in waiting_receipt.content.decode()
    assert 'name="action"' not in waiting_receipt.content.decode()
    posted = client.post(url, {"action": "send", f"{FORM}/nguoi.ho_ten": "X"})
    assert posted.status_code == 409
    assert Dossier.objects.get(pk=s.dossier.pk).form_data[FORM]["answers"] == ANSWERS
    mine = client.get(f"/ho-so-cua-toi/{s.dossier.code}/").content.decode()
    assert "Cơ quan yêu cầu bổ sung:" not in mine

    request_supplement(client, s)
    client.force_login(make_citizen("nguoi-khac"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "send", f"{FORM}/nguoi.ho_ten": "X"}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
