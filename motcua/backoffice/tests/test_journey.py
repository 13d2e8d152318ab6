"""Counter journeys over HTTP: intake, processing, approval, signature, return; supplements
with the clock stopped; a stale form; refused actions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.backoffice.tests.conftest import Ward
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierFile
from motcua.uploads.tests.samples import pdf_upload


def pdf(name: str = "ban-scan.pdf") -> SimpleUploadedFile:
    return pdf_upload(name)  # a real PDF: uploads are checked by their content (motcua.uploads)


def act(client: Client, user: User, dossier: Dossier, action: str, **extra: Any) -> Dossier:
    client.force_login(user)
    dossier.refresh_from_db()
    response = client.post(
        f"/mot-cua/ho-so/{dossier.pk}/", {"action": action, "revision": dossier.revision, "note": "", **extra}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    dossier.refresh_from_db()
    return dossier


def intake_form(ward: Ward, **overrides: Any) -> dict[str, Any]:
    components = list(ward.procedure.current_version.components.order_by("order"))  # type: ignore[union-attr]
    data: dict[str, Any] = {
        "thu_tuc": ward.procedure.pk,
        "agency": ward.agency.pk,
        "channel": "counter",
        "applicant_kind": "citizen",
        "applicant_name": "  Trần Thị   Bình ",
        "applicant_id_number": "079 215 000 002",
        "applicant_phone": "0912 345 678",
        "applicant_email": "",
        "applicant_address": "12 Lê Lợi, Phường Sài Gòn",
        f"received_{components[0].pk}": "on",
        f"received_{components[1].pk}": "on",
        f"scan_{components[0].pk}": [pdf("to-khai.pdf")],
        f"scan_{components[1].pk}": [pdf("giay-chung-sinh.pdf"), pdf("trang-2.pdf")],
        "digitisation_complete": "on",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_procedure_is_picked_by_a_search_without_accents(client: Client, ward: Ward) -> None:
    client.force_login(ward.receiving_officer)
    page = client.get("/mot-cua/tiep-nhan/moi/", {"q": "dang ky khai sinh"}).content.decode()
    assert f"?thu_tuc={ward.procedure.pk}" in page
    form = client.get("/mot-cua/tiep-nhan/moi/", {"thu_tuc": ward.procedure.pk}).content.decode()
    assert "Giấy chứng sinh" in form and "Tờ khai đăng ký khai sinh" in form
    assert 'type="file"' in form and "multiple" in form


def test_a_procedure_of_another_agency_is_not_offered(client: Client, ward: Ward) -> None:
    client.force_login(ward.outsider)
    page = client.get("/mot-cua/tiep-nhan/moi/", {"thu_tuc": ward.procedure.pk}).content.decode()
    assert "Bước 1: chọn thủ tục" in page  # back to picking: not a procedure of this ward
    response = client.post("/mot-cua/tiep-nhan/moi/", intake_form(ward, agency=ward.other_agency.pk))
    assert not Dossier.objects.exists()
    assert response.status_code == 200


def test_full_counter_journey(client: Client, ward: Ward) -> None:
    client.force_login(ward.receiving_officer)
    response = client.post("/mot-cua/tiep-nhan/moi/", intake_form(ward))
    assert response.status_code == 302, response.content.decode()[-3000:]
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/mot-cua/ho-so/{dossier.pk}/"
    assert dossier.status == Status.RECEIVED
    assert dossier.applicant_name == "Trần Thị Bình"
    assert dossier.applicant_id_number == "079215000002"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.digitisation_complete and dossier.due_at is not None
    scans = DossierFile.objects.filter(dossier=dossier, digitised=True)
    assert scans.count() == 3 and all(f.component_id for f in scans)

    page = client.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận hồ sơ" in page
    assert "In Giấy tiếp nhận và hẹn trả kết quả" in page  # issued by the receipt itself
    assert "/hoso/giay-to/" in page
    assert "giay-chung-sinh.pdf" in page and "Đã số hóa xong" in page

    dossier = act(client, ward.receiving_officer, dossier, "start")
    assert dossier.status == Status.PROCESSING
    dossier = act(client, ward.receiving_officer, dossier, "forward", note="Chuyển thẩm định")
    assert dossier.current_step is not None and dossier.current_step.order == 2
    dossier = act(client, ward.specialist, dossier, "submit_for_approval", attachments=[pdf("du-thao.pdf")])
    assert dossier.status == Status.AWAITING_APPROVAL

    client.force_login(ward.department_head)
    inbox = client.get("/mot-cua/?hop=phe-duyet").content.decode()
    assert dossier.code in inbox
    dossier = act(client, ward.department_head, dossier, "approve")
    assert dossier.status == Status.AWAITING_SIGNATURE
    client.force_login(ward.department_head)
    assert dossier.code not in client.get("/mot-cua/?hop=phe-duyet").content.decode()
    client.force_login(ward.leader)
    assert dossier.code in client.get("/mot-cua/?hop=phe-duyet").content.decode()
    dossier = act(client, ward.leader, dossier, "sign")
    assert dossier.status == Status.RESULT_READY

    client.force_login(ward.receiving_officer)
    assert dossier.code in client.get("/mot-cua/?hop=tra-ket-qua").content.decode()
    dossier = act(client, ward.receiving_officer, dossier, "return_result")
    assert dossier.status == Status.RETURNED
    assert dossier.code in client.get("/mot-cua/?hop=da-tra").content.decode()

    page = client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    for label in ("Tiếp nhận", "Bắt đầu xử lý", "Chuyển bước tiếp theo", "Trình phê duyệt", "Phê duyệt", "Ký kết quả"):
        assert label in page
    assert "du-thao.pdf" in page  # the file attached to the event
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in page
    assert "Thẩm định hồ sơ" in page and "Lãnh đạo ký duyệt" in page
    assert "Bạn không có thao tác nào" in page


def test_intake_checks_what_was_typed_and_keeps_it(client: Client, ward: Ward) -> None:
    client.force_login(ward.receiving_officer)
    components = list(ward.procedure.current_version.components.order_by("order"))  # type: ignore[union-attr]
    response = client.post(
        "/mot-cua/tiep-nhan/moi/",
        intake_form(
            ward,
            applicant_id_number="12345",
            applicant_phone="12",
            channel="post",
            **{f"scan_{components[2].pk}": [pdf()]},
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Số định danh cá nhân gồm 12 chữ số" in page
    assert "Số điện thoại không hợp lệ" in page
    assert "Cần ngày gửi trên phiếu bưu chính" in page
    assert "hãy đánh dấu đã nhận thành phần này" in page
    assert "Trần Thị   Bình" in page or "Trần Thị Bình" in page
    assert not Dossier.objects.exists()


def test_a_tax_code_is_accepted_for_a_business(client: Client, ward: Ward) -> None:
    client.force_login(ward.receiving_officer)
    response = client.post(
        "/mot-cua/tiep-nhan/moi/",
        intake_form(ward, applicant_kind="business", applicant_name="Công ty TNHH A", applicant_id_number="0100109106"),
    )
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_id_number == "0100109106"


def test_a_dossier_missing_a_required_component_is_not_received(client: Client, ward: Ward) -> None:
    client.force_login(ward.receiving_officer)
    components = list(ward.procedure.current_version.components.order_by("order"))  # type: ignore[union-attr]
    data = intake_form(ward)
    del data[f"received_{components[1].pk}"], data[f"scan_{components[1].pk}"]
    response = client.post("/mot-cua/tiep-nhan/moi/", data)
    page = response.content.decode()
    assert "Hồ sơ chưa đủ thành phần bắt buộc" in page and "Giấy chứng sinh" in page
    assert not Dossier.objects.exists()
    assert not DossierFile.objects.exists()


def test_an_invalid_scan_is_refused_before_anything_is_written(client: Client, ward: Ward) -> None:
    client.force_login(ward.receiving_officer)
    components = list(ward.procedure.current_version.components.order_by("order"))  # type: ignore[union-attr]
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/x-msdownload")
    response = client.post("/mot-cua/tiep-nhan/moi/", intake_form(ward, **{f"scan_{components[0].pk}": [bad]}))
    assert "Tệp đính kèm không hợp lệ" in response.content.decode()
    assert "virus.exe" in response.content.decode()
    assert not Dossier.objects.exists()


def _processing(client: Client, ward: Ward) -> Dossier:
    client.force_login(ward.receiving_officer)
    assert client.post("/mot-cua/tiep-nhan/moi/", intake_form(ward)).status_code == 302
    dossier = Dossier.objects.get()
    dossier = act(client, ward.receiving_officer, dossier, "start")
    return act(client, ward.receiving_officer, dossier, "forward")


def test_a_supplement_request_stops_the_clock_and_the_supplement_restarts_it(client: Client, ward: Ward) -> None:
    dossier = _processing(client, ward)
    client.force_login(ward.specialist)
    # The reason is required: refused and the form comes back.
    response = client.post(
        f"/mot-cua/ho-so/{dossier.pk}/", {"action": "request_supplement", "revision": dossier.revision, "note": " "}
    )
    assert response.status_code == 200
    assert "Cần ghi rõ lý do" in response.content.decode()
    dossier = act(client, ward.specialist, dossier, "request_supplement", note="Thiếu bản sao giấy chứng sinh")
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.clock_stopped_at is not None
    due_before = dossier.due_at
    page = client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    assert "Đang dừng tính thời gian giải quyết" in page
    assert "Thiếu bản sao giấy chứng sinh" in page

    client.force_login(ward.receiving_officer)
    assert dossier.code in client.get("/mot-cua/?hop=cho-bo-sung").content.decode()
    dossier = act(client, ward.receiving_officer, dossier, "supply", attachments=[pdf("bo-sung.pdf")])
    assert dossier.status == Status.SUPPLEMENT_RECEIVED and dossier.clock_stopped_at is None
    assert dossier.due_at is not None and due_before is not None and dossier.due_at >= due_before
    page = client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    assert "Đang dừng tính thời gian giải quyết" not in page
    assert "bo-sung.pdf" in page

    # A second request needs its own reason and counts the dossier as late.
    dossier = act(client, ward.specialist, dossier, "start")
    client.force_login(ward.specialist)
    page = client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    assert "Lý do yêu cầu bổ sung lần hai" in page
    response = client.post(
        f"/mot-cua/ho-so/{dossier.pk}/",
        {"action": "request_supplement", "revision": dossier.revision, "note": "Thiếu chữ ký"},
    )
    assert "Cần lý do cho lần yêu cầu bổ sung thứ hai" in response.content.decode()
    dossier = act(
        client,
        ward.specialist,
        dossier,
        "request_supplement",
        note="Thiếu chữ ký",
        second_supplement_reason="Chữ ký trên tờ khai không khớp",
    )
    assert dossier.supplement_count == 2 and dossier.counts_as_late


def test_a_stale_form_says_so_keeps_what_was_typed_and_changes_nothing(client: Client, ward: Ward) -> None:
    dossier = _processing(client, ward)
    stale_revision = dossier.revision
    # Meanwhile the department head sends it for a supplement from another desk.
    services.dossier_transition(
        dossier=dossier,
        actor=ward.department_head,
        transition=services.Transition(action=Action.REQUEST_SUPPLEMENT, note="Thiếu giấy tờ"),
    )
    client.force_login(ward.specialist)
    response = client.post(
        f"/mot-cua/ho-so/{dossier.pk}/",
        {"action": "submit_for_approval", "revision": stale_revision, "note": "Đề nghị phê duyệt, hồ sơ hợp lệ"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in page
    assert "Đề nghị phê duyệt, hồ sơ hợp lệ" in page  # nothing typed is lost
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert "Bạn không có thao tác nào" in page  # supplement_requested: nothing for a specialist

    # Someone still able to act gets the form back with the new revision and the typed note.
    client.force_login(ward.receiving_officer)
    response = client.post(
        f"/mot-cua/ho-so/{dossier.pk}/", {"action": "supply", "revision": stale_revision, "note": "Đã nhận bản bổ sung"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert f'name="revision" value="{dossier.revision}"' in page
    assert "Đã nhận bản bổ sung</textarea>" in page


def test_a_refused_action_shows_the_services_message_and_keeps_the_note(client: Client, ward: Ward) -> None:
    dossier = _processing(client, ward)
    dossier = act(client, ward.specialist, dossier, "forward")  # now at the department head's step
    client.force_login(ward.specialist)
    response = client.post(
        f"/mot-cua/ho-so/{dossier.pk}/", {"action": "forward", "revision": dossier.revision, "note": "Ghi chú dài"}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "Bước &#x27;Trưởng phòng xem xét&#x27; do Trưởng phòng thực hiện" in page
    assert "Ghi chú dài" in page
    dossier.refresh_from_db()
    assert dossier.current_step is not None and dossier.current_step.order == 3


def test_transfer_needs_a_target_agency(client: Client, ward: Ward) -> None:
    dossier = _processing(client, ward)
    client.force_login(ward.specialist)
    page = client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    assert "Cơ quan nhận liên thông" in page and ward.other_agency.name in page
    response = client.post(f"/mot-cua/ho-so/{dossier.pk}/", {"action": "transfer", "revision": dossier.revision})
    assert "Cần chọn cơ quan nhận liên thông" in response.content.decode()
    dossier = act(client, ward.specialist, dossier, "transfer", transfer_to=ward.other_agency.pk)
    assert dossier.status == Status.TRANSFERRED and dossier.current_agency == ward.other_agency
    # The other ward now sees it to process (liên thông).
    client.force_login(ward.outsider)
    assert dossier.code in client.get("/mot-cua/?hop=xu-ly").content.decode()


@pytest.mark.parametrize("with_scan", [True, False])
def test_scans_can_be_added_on_the_dossier_page(client: Client, ward: Ward, with_scan: bool) -> None:
    from motcua.catalog.models import Channel
    from motcua.dossiers.tests.factories import make_dossier

    dossier = make_dossier(procedure=ward.procedure, agency=ward.agency, channel=Channel.ONLINE, applicant=ward.citizen)
    component = dossier.procedure_version.components.first()
    assert component is not None
    client.force_login(ward.receiving_officer)
    data: dict[str, Any] = {"form": "scan", "component": component.pk, "digitisation_complete": "on"}
    if with_scan:
        data["scans"] = [pdf("ban-giay.pdf")]
    assert client.post(f"/mot-cua/ho-so/{dossier.pk}/", data).status_code == 302
    dossier.refresh_from_db()
    assert dossier.digitisation_complete
    assert DossierFile.objects.filter(dossier=dossier, digitised=True).count() == int(with_scan)
    client.force_login(ward.specialist)
    assert client.post(f"/mot-cua/ho-so/{dossier.pk}/", data).status_code == 403
