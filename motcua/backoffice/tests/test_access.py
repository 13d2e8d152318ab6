"""Who may open what in the back office, role by role (HTTP)."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import Membership, User
from motcua.backoffice.tests.conftest import Ward
from motcua.catalog.models import Channel
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierView
from motcua.dossiers.tests.factories import make_dossier

PAGES = ["/mot-cua/", "/mot-cua/tim/?code=X", "/mot-cua/tiep-nhan/moi/"]


def page(client: Client, user: User, url: str) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def submitted(ward: Ward, channel: str = Channel.COUNTER) -> Dossier:
    return make_dossier(procedure=ward.procedure, agency=ward.agency, channel=channel, officer=ward.receiving_officer)


@pytest.mark.parametrize("url", [*PAGES, "/mot-cua/ho-so/1/", "/mot-cua/tep/1/"])
def test_anonymous_is_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=/mot-cua/")


@pytest.mark.parametrize("url", PAGES)
def test_a_citizen_gets_a_403_page_in_vietnamese(client: Client, ward: Ward, url: str) -> None:
    status, text = page(client, ward.citizen, url)
    assert status == 403
    assert "Không có quyền truy cập" in text
    assert "Bộ phận một cửa" in text


def test_a_citizen_cannot_open_even_their_own_dossier_in_the_back_office(client: Client, ward: Ward) -> None:
    dossier = make_dossier(procedure=ward.procedure, agency=ward.agency, channel=Channel.ONLINE, applicant=ward.citizen)
    status, _ = page(client, ward.citizen, f"/mot-cua/ho-so/{dossier.pk}/")
    assert status == 403


def test_an_official_whose_membership_ended_gets_403(client: Client, ward: Ward) -> None:
    Membership.objects.filter(user=ward.specialist).update(active=False)
    status, _ = page(client, ward.specialist, "/mot-cua/")
    assert status == 403


def test_an_official_of_another_agency_gets_404_and_finds_nothing(client: Client, ward: Ward) -> None:
    dossier = submitted(ward)
    status, text = page(client, ward.outsider, f"/mot-cua/ho-so/{dossier.pk}/")
    assert status == 404
    assert dossier.applicant_name not in text
    assert not DossierView.objects.filter(dossier=dossier).exists()
    _, results = page(client, ward.outsider, f"/mot-cua/tim/?code={dossier.code}")
    assert f"/mot-cua/ho-so/{dossier.pk}/" not in results
    assert "0 hồ sơ" in results
    _, inbox = page(client, ward.outsider, "/mot-cua/?hop=tiep-nhan")
    assert dossier.code not in inbox


@pytest.mark.parametrize("role", ["receiving_officer", "specialist", "department_head", "leader", "agency_admin"])
def test_every_official_of_the_agency_opens_the_dossier_and_the_view_is_audited(
    client: Client, ward: Ward, role: str
) -> None:
    dossier = submitted(ward)
    user = getattr(ward, role)
    status, text = page(client, user, f"/mot-cua/ho-so/{dossier.pk}/")
    assert status == 200
    assert dossier.code in text and "Nguyễn Văn An" in text
    assert DossierView.objects.filter(dossier=dossier, user=user).count() == 1


def test_only_the_receiving_officer_sees_the_receive_button(client: Client, ward: Ward) -> None:
    dossier = submitted(ward)
    receive = 'name="action" value="receive"'
    _, text = page(client, ward.receiving_officer, f"/mot-cua/ho-so/{dossier.pk}/")
    assert receive in text
    for user in (ward.specialist, ward.department_head, ward.leader, ward.agency_admin):
        _, text = page(client, user, f"/mot-cua/ho-so/{dossier.pk}/")
        assert receive not in text, user
        assert "Bạn không có thao tác nào" in text


@pytest.mark.parametrize("role", ["specialist", "department_head", "leader", "agency_admin"])
def test_no_one_but_the_receiving_officer_can_post_receive(client: Client, ward: Ward, role: str) -> None:
    dossier = submitted(ward)
    client.force_login(getattr(ward, role))
    response = client.post(
        f"/mot-cua/ho-so/{dossier.pk}/", {"action": "receive", "revision": dossier.revision, "note": ""}
    )
    assert response.status_code == 403
    assert "Bạn không được thực hiện thao tác này" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_the_outsider_cannot_post_an_action_on_another_agencys_dossier(client: Client, ward: Ward) -> None:
    dossier = submitted(ward)
    client.force_login(ward.outsider)
    response = client.post(f"/mot-cua/ho-so/{dossier.pk}/", {"action": "receive", "revision": dossier.revision})
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


@pytest.mark.parametrize("role", ["specialist", "department_head", "leader", "agency_admin"])
def test_only_receiving_officers_take_in_dossiers_at_the_counter(client: Client, ward: Ward, role: str) -> None:
    status, text = page(client, getattr(ward, role), "/mot-cua/tiep-nhan/moi/")
    assert status == 403
    assert "Chỉ cán bộ tiếp nhận" in text
    _, inbox = page(client, getattr(ward, role), "/mot-cua/")
    assert "Tiếp nhận hồ sơ mới" not in inbox
    _, inbox = page(client, ward.receiving_officer, "/mot-cua/")
    assert "Tiếp nhận hồ sơ mới" in inbox


def test_each_role_sees_its_own_inboxes(client: Client, ward: Ward) -> None:
    expected = {
        "receiving_officer": ({"Chờ tiếp nhận", "Chờ trả kết quả", "Quá hạn"}, {"Chờ phê duyệt, ký"}),
        "specialist": ({"Cần xử lý", "Sắp đến hạn"}, {"Chờ tiếp nhận", "Chờ phê duyệt, ký"}),
        "department_head": ({"Cần xử lý", "Chờ phê duyệt, ký"}, {"Chờ tiếp nhận"}),
        "leader": ({"Chờ phê duyệt, ký", "Đã trả trong tháng"}, {"Chờ tiếp nhận"}),
        "agency_admin": ({"Sắp đến hạn", "Quá hạn", "Đã trả trong tháng"}, {"Chờ tiếp nhận", "Cần xử lý"}),
    }
    for role, (shown, hidden) in expected.items():
        status, text = page(client, getattr(ward, role), "/mot-cua/")
        assert status == 200
        nav = text.split('aria-label="Hộp hồ sơ"')[1].split("</nav>")[0]
        for label in shown:
            assert label in nav, (role, label)
        for label in hidden:
            assert label not in nav, (role, label)


def test_files_are_served_only_through_the_permission_gate(client: Client, ward: Ward) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.backoffice.intake import dossier_component_files_attach
    from motcua.uploads.tests.samples import pdf_bytes

    scan_bytes = pdf_bytes()  # a real PDF: uploads are checked by their content (motcua.uploads)

    dossier = submitted(ward)
    component = dossier.procedure_version.components.first()
    assert component is not None
    (scan,) = dossier_component_files_attach(
        dossier=dossier,
        component=component,
        files=[SimpleUploadedFile("to-khai.pdf", scan_bytes, content_type="application/pdf")],
        actor=ward.receiving_officer,
    )
    client.force_login(ward.specialist)
    response = client.get(f"/mot-cua/tep/{scan.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == scan_bytes  # type: ignore[attr-defined]
    client.force_login(ward.outsider)
    assert client.get(f"/mot-cua/tep/{scan.pk}/").status_code == 404
    client.force_login(ward.citizen)
    assert client.get(f"/mot-cua/tep/{scan.pk}/").status_code == 403
