"""The online application over HTTP: start, pages saved, resume elsewhere, files, check, submit once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.dossiers.lifecycle import Role
from motcua.dossiers.models import Dossier, DossierDraft, DossierFile, DraftAttachment
from motcua.dossiers.tests.factories import make_citizen, make_official
from motcua.eforms.services import form_definitions_load_builtin
from motcua.uploads.models import UploadStatus
from motcua.uploads.selectors import upload_get_for_user
from motcua.uploads.tests import samples

pytestmark = pytest.mark.django_db

FORM = "to-khai-cap-giay-xac-nhan-tinh-trang-hon-nhan"
WARDS = [26887, 26536, 26882]  # wards of TP Hồ Chí Minh (79) since 01/7/2025
PAGE_1 = {
    "nguoi_yeu_cau.ho_ten": "NGUYỄN VĂN AN",
    "nguoi_yeu_cau.giay_to_tuy_than": "Căn cước số 079090000123",
    "nguoi_yeu_cau.noi_cu_tru": "12 Lê Lợi, phường Bến Thành, TP Hồ Chí Minh",
    "nguoi_yeu_cau.dien_thoai": "0912345678",
    "nguoi_yeu_cau.quan_he": "bản thân",
    "action": "next",
}
PAGE_2 = {
    "nguoi_duoc_xac_nhan.ho_ten": "NGUYỄN VĂN AN",
    "nguoi_duoc_xac_nhan.ngay_sinh": "1990-05-17",
    "nguoi_duoc_xac_nhan.gioi_tinh": "nam",
    "nguoi_duoc_xac_nhan.dan_toc": "Kinh",
    "nguoi_duoc_xac_nhan.quoc_tich": "Việt Nam",
    "nguoi_duoc_xac_nhan.giay_to_tuy_than": "Căn cước số 079090000123",
    "nguoi_duoc_xac_nhan.noi_cu_tru": "12 Lê Lợi, phường Bến Thành, TP Hồ Chí Minh",
    "action": "next",
}
PAGE_3 = {"tinh_trang_hon_nhan": "chua_ket_hon", "muc_dich": "Để đăng ký kết hôn", "so_ban": "1", "action": "next"}


def online_procedure(*, online: bool = True, wards: int = 1) -> Procedure:
    forms = form_definitions_load_builtin()
    agencies = [make_agency(ward_code=WARDS[i]) for i in range(wards)]
    procedure = make_procedure(
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        agency=agencies[0],
        channel_online=online,
        components=[
            catalog_services.ComponentData(name="Tờ khai theo mẫu", originals=1, form=forms[FORM]),
            catalog_services.ComponentData(name="Giấy tờ chứng minh nơi cư trú", copies=1, required=True),
            catalog_services.ComponentData(name="Giấy tờ khác", required=False),
        ],
    )
    version = procedure.current_version
    assert version is not None
    version.receiving_agencies.set(agencies)
    return procedure


def citizen(phone: str = "+84912345678") -> User:
    user = make_citizen()
    user.personal_id = "079090000123"
    user.phone = phone
    user.birth_date = dt.date(1990, 5, 17)
    user.address = "12 Lê Lợi, phường Bến Thành, TP Hồ Chí Minh"
    user.ward_code = str(WARDS[1])
    user.save()
    return user


def start(client: Client, procedure: Procedure) -> DossierDraft:
    page = client.get(f"/thu-tuc/{procedure.key}/nop-truc-tuyen/")
    assert page.status_code == 200
    agency = procedure.current_version.receiving_agencies.order_by("name")  # type: ignore[union-attr]
    response = client.post(f"/thu-tuc/{procedure.key}/nop-truc-tuyen/", {"agency": agency.last().pk})
    draft = DossierDraft.objects.latest("pk")
    assert response.url == f"/nop-truc-tuyen/{draft.pk}/"
    return draft


def section(draft: DossierDraft, number: int) -> str:
    return f"/nop-truc-tuyen/{draft.pk}/to-khai/{FORM}/{number}/"


def test_procedure_page_offers_online_only_when_open(client: Client) -> None:
    online, offline = online_procedure(), online_procedure(online=False)
    assert "Nộp hồ sơ trực tuyến</a>" in client.get(f"/thu-tuc/{online.key}/").content.decode()
    assert "Nộp hồ sơ trực tuyến</a>" not in client.get(f"/thu-tuc/{offline.key}/").content.decode()
    login = client.get(f"/thu-tuc/{online.key}/nop-truc-tuyen/")
    assert login.status_code == 302 and f"next=/thu-tuc/{online.key}/nop-truc-tuyen/" in login["Location"]
    client.force_login(citizen())
    assert client.get(f"/thu-tuc/{offline.key}/nop-truc-tuyen/").status_code == 404
    assert client.post(f"/thu-tuc/{offline.key}/nop-truc-tuyen/", {"agency": "1"}).status_code == 404
    assert not DossierDraft.objects.exists()


def test_agency_defaults_to_the_profile_ward(client: Client) -> None:
    procedure = online_procedure(wards=3)
    client.force_login(citizen())  # lives in the second ward
    page = client.get(f"/thu-tuc/{procedure.key}/nop-truc-tuyen/").content.decode()
    assert page.count("<option") == 3
    chosen = procedure.current_version.receiving_agencies.get(ward_code=WARDS[1])  # type: ignore[union-attr]
    assert f'value="{chosen.pk}" selected' in page


def test_whole_journey_resumed_on_another_device_and_submitted_once(
    client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    procedure = online_procedure()
    user = citizen()
    client.force_login(user)
    draft = start(client, procedure)
    first = client.get(f"/nop-truc-tuyen/{draft.pk}/", follow=True)
    body = first.content.decode()
    # Pick, not retype: the profile fills the requester's fields.
    assert "Đã điền sẵn" in body and "Nguyễn Văn An" in body and "Căn cước số 079090000123" in body
    assert "0912345678" in body

    missing = client.post(section(draft, 1), {**PAGE_1, "nguoi_yeu_cau.quan_he": ""})
    assert missing.status_code == 200
    assert "Cần sửa các mục sau" in missing.content.decode() and "Có lỗi" in missing.content.decode()
    assert client.post(section(draft, 1), PAGE_1).url == section(draft, 2)
    assert client.post(section(draft, 2), {**PAGE_2, "action": "stay"}).url == section(draft, 2)
    draft.refresh_from_db()
    assert draft.position == {"step": "form", "form": FORM, "section": 1}
    assert draft.form_data[FORM]["answers"]["nguoi_yeu_cau"]["quan_he"] == "bản thân"

    # Another device: a new session, logged in again, lands where it stopped, answers kept.
    other = Client()
    other.force_login(user)
    resumed = other.get(f"/nop-truc-tuyen/{draft.pk}/")
    assert resumed.url == section(draft, 2)
    assert "Kinh" in other.get(section(draft, 2)).content.decode()
    listing = other.get("/ho-so-cua-toi/").content.decode()
    assert "Tiếp tục" in listing and f"/nop-truc-tuyen/{draft.pk}/" in listing

    assert other.post(section(draft, 2), PAGE_2).url == section(draft, 3)
    assert other.post(section(draft, 3), PAGE_3).url == f"/nop-truc-tuyen/{draft.pk}/dinh-kem/"
    components = list(procedure.current_version.components.order_by("order"))  # type: ignore[union-attr]
    residence = components[1]

    # One real PDF and one program dressed as a PDF: the PDF is kept, the fake refused with why.
    with django_capture_on_commit_callbacks(execute=True):
        refused = other.post(
            f"/nop-truc-tuyen/{draft.pk}/dinh-kem/",
            {
                "upload": residence.pk,
                "files": [samples.pdf_upload("xac-nhan-cu-tru.pdf"), samples.upload("giay-to.pdf", b"MZ\x90\x00" * 64)],
            },
        )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "giay-to.pdf:" in page and "xac-nhan-cu-tru.pdf" in page
    kept = DraftAttachment.objects.get(draft=draft)
    assert kept.component == residence and kept.upload.status == UploadStatus.NOT_SCANNED

    # Removing a file and adding it back.
    with django_capture_on_commit_callbacks(execute=True):
        other.post(f"/nop-truc-tuyen/{draft.pk}/dinh-kem/", {"upload": residence.pk, "files": [samples.pdf_upload()]})
    extra = DraftAttachment.objects.filter(draft=draft).latest("pk")
    assert other.post(f"/nop-truc-tuyen/{draft.pk}/dinh-kem/", {"remove": extra.pk}).status_code == 302
    assert DraftAttachment.objects.filter(draft=draft).count() == 1

    assert other.post(f"/nop-truc-tuyen/{draft.pk}/dinh-kem/", {"action": "next"}).url == (
        f"/nop-truc-tuyen/{draft.pk}/kiem-tra/"
    )
    review = other.get(f"/nop-truc-tuyen/{draft.pk}/kiem-tra/").content.decode()
    assert "Cần hoàn thiện" not in review and "Để đăng ký kết hôn" in review and "xac-nhan-cu-tru.pdf" in review
    assert f"{section(draft, 3)}" in review  # the change links

    done = other.post(f"/nop-truc-tuyen/{draft.pk}/nop/")
    again = other.post(f"/nop-truc-tuyen/{draft.pk}/nop/")
    assert done.url == again.url == f"/nop-truc-tuyen/{draft.pk}/da-nop/"
    dossier = Dossier.objects.get()
    assert dossier.form_data[FORM]["answers"]["muc_dich"] == "Để đăng ký kết hôn"
    assert dossier.applicant == user and dossier.applicant_id_number == "079090000123"
    confirmation = other.get(done.url).content.decode()
    assert dossier.code in confirmation and "8 giờ làm việc" in confirmation and "/ho-so-cua-toi/" in confirmation
    files = list(DossierFile.objects.filter(dossier=dossier))
    assert [(f.name, f.component_id) for f in files] == [("xac-nhan-cu-tru.pdf", residence.pk)]
    assert files[0].file.read().startswith(b"%PDF")
    assert other.get(section(draft, 1)).status_code == 404  # submitted: no more editing
    assert "Tiếp tục" not in other.get("/ho-so-cua-toi/").content.decode()

    # The receiving agency's officials may now read the upload; others may not.
    officer = make_official(dossier.agency, Role.RECEIVING_OFFICER)
    stranger = make_official(make_agency(), Role.RECEIVING_OFFICER)
    assert upload_get_for_user(officer, kept.upload_id) is not None
    assert upload_get_for_user(stranger, kept.upload_id) is None


def test_review_lists_what_is_missing_and_submit_refuses(client: Client) -> None:
    procedure = online_procedure()
    client.force_login(citizen())
    draft = start(client, procedure)
    client.post(section(draft, 1), PAGE_1)
    review = client.get(f"/nop-truc-tuyen/{draft.pk}/kiem-tra/").content.decode()
    assert "Cần hoàn thiện trước khi nộp" in review
    assert "Chưa đính kèm: Giấy tờ chứng minh nơi cư trú" in review and "Giấy tờ khác" not in review.split("</ul>")[0]
    assert f'href="{section(draft, 3)}#f-muc_dich"' in review
    refused = client.post(f"/nop-truc-tuyen/{draft.pk}/nop/")
    assert refused.status_code == 400 and not Dossier.objects.exists()


def test_quarantined_file_asks_to_wait(client: Client) -> None:
    procedure = online_procedure()
    client.force_login(citizen())
    draft = start(client, procedure)
    for number, data in ((1, PAGE_1), (2, PAGE_2), (3, PAGE_3)):
        client.post(section(draft, number), data)
    residence = procedure.current_version.components.get(order=2)  # type: ignore[union-attr]
    # No commit in this test's transaction: the scan has not run, the file is still quarantined.
    client.post(f"/nop-truc-tuyen/{draft.pk}/dinh-kem/", {"upload": residence.pk, "files": [samples.pdf_upload()]})
    refused = client.post(f"/nop-truc-tuyen/{draft.pk}/nop/")
    assert refused.status_code == 400 and "đang được quét virus" in refused.content.decode()
    assert not Dossier.objects.exists()


def test_someone_elses_draft_is_not_found(client: Client) -> None:
    procedure = online_procedure()
    client.force_login(citizen())
    draft = start(client, procedure)
    intruder = Client()
    intruder.force_login(citizen(phone="+84987654321"))
    for url in (
        f"/nop-truc-tuyen/{draft.pk}/",
        section(draft, 1),
        f"/nop-truc-tuyen/{draft.pk}/dinh-kem/",
        f"/nop-truc-tuyen/{draft.pk}/kiem-tra/",
    ):
        assert intruder.get(url).status_code == 404, url
    assert intruder.post(section(draft, 1), PAGE_1).status_code == 404
    assert intruder.post(f"/nop-truc-tuyen/{draft.pk}/nop/").status_code == 404
    assert intruder.post(f"/nop-truc-tuyen/{draft.pk}/xoa/").status_code == 404
    assert DossierDraft.objects.filter(pk=draft.pk, form_data={}).exists()


def test_discard_from_my_dossiers(client: Client) -> None:
    procedure = online_procedure()
    client.force_login(citizen())
    draft = start(client, procedure)
    assert client.post(f"/nop-truc-tuyen/{draft.pk}/xoa/").url == "/ho-so-cua-toi/"
    assert not DossierDraft.objects.exists()
