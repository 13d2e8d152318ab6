"""The public tracking page and the gated downloads, over HTTP, role by role."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.catalog.tests.factories import make_agency
from motcua.dossiers.documents import services
from motcua.dossiers.lifecycle import Role, Status
from motcua.dossiers.models import Dossier, IssuedDocument
from motcua.dossiers.tests.factories import make_citizen, make_dossier, make_official

pytestmark = pytest.mark.django_db

ZONE = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def dossier() -> Dossier:
    citizen = make_citizen()
    dossier = make_dossier(applicant=citizen)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.PROCESSING,
        received_at=dt.datetime(2025, 6, 9, 9, 30, tzinfo=ZONE),
        due_at=dt.datetime(2025, 6, 12, 16, 30, tzinfo=ZONE),
        applicant_address="12 Lê Lợi, Phường Bến Thành",
        applicant_email="an@example.com",
    )
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def document(dossier: Dossier) -> IssuedDocument:
    officer = make_official(dossier.agency, Role.RECEIVING_OFFICER)
    return services.document_issue(dossier=dossier, kind="01", actor=officer)


def _client(user: object | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


# -- Tracking ------------------------------------------------------------------------------------


def test_tracking_needs_the_code_and_the_last_4_id_digits_and_hides_personal_data(
    client: Client, dossier: Dossier
) -> None:
    form = client.get(f"/tra-cuu/{dossier.code}/")  # from the QR code: the code is filled in
    assert form.status_code == 200 and f'value="{dossier.code}"' in form.content.decode()
    response = client.post("/tra-cuu/", {"code": f"  {dossier.code} ", "id_last4": "0001"})
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        dossier.code,
        "Đăng ký khai sinh",
        dossier.agency.name,
        "Đang xử lý",
        "mã trạng thái 4",
        "12/06/2025",
    ):
        assert shown in page, shown
    for hidden in ("Nguyễn Văn An", "079215000001", "0912345678", "Lê Lợi", "an@example.com"):
        assert hidden not in page, hidden
    assert "làm việc)" in page  # the countdown ("quá … làm việc" once the appointment has passed)


def test_wrong_digits_and_unknown_codes_get_the_same_answer_and_guessing_is_slowed(
    client: Client, dossier: Dossier
) -> None:
    from django.core.cache import cache

    cache.clear()
    wrong_digits = client.post("/tra-cuu/", {"code": dossier.code, "id_last4": "9999"})
    unknown_code = client.post("/tra-cuu/", {"code": "000.00.01.H29-250609-9999", "id_last4": "0001"})
    assert wrong_digits.status_code == unknown_code.status_code == 404
    assert "Không tìm thấy" in wrong_digits.content.decode()
    assert client.post("/tra-cuu/", {"code": dossier.code}).status_code == 400
    for _ in range(8):
        client.post("/tra-cuu/", {"code": dossier.code, "id_last4": "1234"})
    slowed = client.post("/tra-cuu/", {"code": dossier.code, "id_last4": "0001"})  # even the right answer
    assert slowed.status_code == 429
    assert "thử lại sau 15 phút" in slowed.content.decode()
    cache.clear()


# -- Issued document download --------------------------------------------------------------------


def test_the_applicant_and_officials_of_the_agency_download(dossier: Dossier, document: IssuedDocument) -> None:
    url = f"/hoso/giay-to/{document.pk}.pdf"
    for user in (dossier.applicant, make_official(dossier.agency, Role.SPECIALIST)):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert PdfReader(io.BytesIO(response.content)).pages


def test_others_get_404_and_anonymous_is_sent_to_log_in(dossier: Dossier, document: IssuedDocument) -> None:
    url = f"/hoso/giay-to/{document.pk}.pdf"
    for user in (make_citizen(), make_official(make_agency(), Role.RECEIVING_OFFICER)):
        assert _client(user).get(url).status_code == 404
    assert _client(dossier.applicant).get(f"/hoso/giay-to/{document.pk + 999}.pdf").status_code == 404
    anonymous = _client(None).get(url)
    assert anonymous.status_code == 302
    assert "/dang-nhap/" in anonymous["Location"]


def test_a_stored_register_is_for_officials_of_its_agency_only(dossier: Dossier) -> None:
    officer = make_official(dossier.agency, Role.RECEIVING_OFFICER)
    register = services.register_issue(
        agency=dossier.agency, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30), actor=officer
    )
    url = f"/hoso/giay-to/{register.pk}.pdf"
    assert _client(officer).get(url).status_code == 200
    assert _client(dossier.applicant).get(url).status_code == 404
    assert _client(make_official(make_agency(), Role.LEADER)).get(url).status_code == 404


# -- Register download ---------------------------------------------------------------------------


def test_register_downloads_for_the_official_s_agency(dossier: Dossier) -> None:
    other = make_dossier()
    Dossier.objects.filter(pk=other.pk).update(received_at=dt.datetime(2025, 6, 10, 9, tzinfo=ZONE))
    client = _client(make_official(dossier.agency, Role.DEPARTMENT_HEAD))
    period = {"from": "2025-06-01", "to": "2025-06-30"}
    xlsx = client.get("/hoso/so-theo-doi.xlsx", period)
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == services.XLSX_CONTENT_TYPE
    codes = [row[1] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(min_row=7, values_only=True)]
    assert codes == [dossier.code]  # not the other agency's dossier
    pdf = client.get("/hoso/so-theo-doi.pdf", period)
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert dossier.code in text
    assert other.code not in text
    assert not IssuedDocument.objects.exists()  # a look, not an issuance


def test_register_download_refuses_bad_periods_citizens_and_anonymous(dossier: Dossier) -> None:
    official = _client(make_official(dossier.agency, Role.RECEIVING_OFFICER))
    assert official.get("/hoso/so-theo-doi.xlsx", {"from": "2025-06-01"}).status_code == 400
    assert official.get("/hoso/so-theo-doi.xlsx", {"from": "2025-06-30", "to": "2025-06-01"}).status_code == 400
    period = {"from": "2025-06-01", "to": "2025-06-30"}
    assert _client(dossier.applicant).get("/hoso/so-theo-doi.xlsx", period).status_code == 404
    assert _client(None).get("/hoso/so-theo-doi.pdf", period).status_code == 302


def test_an_official_of_two_agencies_chooses_one(dossier: Dossier) -> None:
    user = make_official(dossier.agency, Role.RECEIVING_OFFICER)
    second = make_agency()
    user.memberships.create(agency=second, role=Role.RECEIVING_OFFICER)
    client = _client(user)
    period = {"from": "2025-06-01", "to": "2025-06-30"}
    assert client.get("/hoso/so-theo-doi.xlsx", period).status_code == 400
    assert client.get("/hoso/so-theo-doi.xlsx", {**period, "agency": second.code}).status_code == 200
    assert client.get("/hoso/so-theo-doi.xlsx", {**period, "agency": "999.99.99.H99"}).status_code == 404


def test_tracking_api(client: Client, dossier: Dossier) -> None:
    from django.core.cache import cache

    cache.clear()
    response = client.get("/api/v1/tracking", {"code": dossier.code, "id_last4": "0001"})
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["national_status"], body["status_label"]) == (dossier.code, 4, "Đang xử lý")
    assert "079215000001" not in response.content.decode()
    assert client.get("/api/v1/tracking", {"code": dossier.code, "id_last4": "9999"}).status_code == 404
    cache.clear()
