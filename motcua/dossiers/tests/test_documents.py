"""The standard documents 01-07, read back as a citizen's PDF reader or Excel would."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.accounts.models import User
from motcua.catalog.models import AgencyKind
from motcua.catalog.tests.factories import make_agency
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.core.testing import assert_fonts_embedded
from motcua.dossiers.documents import render, services
from motcua.dossiers.lifecycle import Role, Status
from motcua.dossiers.models import DocumentKind, DocumentTemplate, Dossier, IssuedDocument, StepOutcome, StepRecord
from motcua.dossiers.tests.factories import make_dossier, make_official

pytestmark = pytest.mark.django_db

ZONE = dt.timezone(dt.timedelta(hours=7))
RECEIVED = dt.datetime(2025, 6, 9, 9, 30, tzinfo=ZONE)
DUE = dt.datetime(2025, 6, 12, 16, 30, tzinfo=ZONE)
NOW = dt.datetime(2025, 6, 10, 8, 0, tzinfo=ZONE)

KIND_DATA: dict[DocumentKind, dict[str, Any]] = {
    DocumentKind.RECEIPT: {},
    DocumentKind.SUPPLEMENT_REQUEST: {
        "missing": [
            {"item": "Giấy chứng sinh", "reason": "Chưa nộp bản chính"},
            {"item": "Giấy chứng nhận kết hôn", "reason": "Bản sao không được chứng thực"},
        ]
    },
    DocumentKind.REFUSAL: {"reason": "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban"},
    DocumentKind.APOLOGY: {
        "reason": "Cần xác minh thêm với cơ quan liên quan",
        "new_due_at": "2025-06-17T16:30:00+07:00",
    },
    DocumentKind.STOP_NOTICE: {"reason": "Người yêu cầu đã chết trước khi có kết quả"},
    DocumentKind.CONTROL_SHEET: {},
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _pdf(document: IssuedDocument) -> PdfReader:
    with document.file.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def _text(reader: PdfReader) -> str:
    """The text of every page, whitespace collapsed: the PDF breaks lines where the layout does."""
    return " ".join(_nfc("\n".join(page.extract_text() for page in reader.pages)).split())


def _received(dossier: Dossier) -> Dossier:
    # The receive transition needs the working calendar; these tests only need its outcome.
    Dossier.objects.filter(pk=dossier.pk).update(
        received_at=RECEIVED, due_at=DUE, original_due_at=DUE, status=Status.PROCESSING
    )
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def province() -> Any:
    return make_agency(name="Ủy ban nhân dân Thành phố Hồ Chí Minh", kind=AgencyKind.PROVINCE_COMMITTEE)


@pytest.fixture
def dossier(province: Any) -> Dossier:
    ward = make_agency(name="Ủy ban nhân dân Phường Bến Thành", parent=province, phone="028 3829 0000")
    return _received(make_dossier(agency=ward))


@pytest.fixture
def officer(dossier: Dossier) -> User:
    return make_official(dossier.agency, Role.RECEIVING_OFFICER)


def _images(reader: PdfReader) -> int:
    return sum(len(page.images) for page in reader.pages)


def _links(reader: PdfReader) -> set[str]:
    found = set()
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                found.add(str(action["/URI"]))
    return found


# -- 01-06 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KIND_DATA))
def test_each_dossier_document_is_an_a4_pdf_with_heading_agency_code_title_and_qr(
    kind: DocumentKind, dossier: Dossier, officer: User
) -> None:
    document = services.document_issue(dossier=dossier, kind=kind, actor=officer, data=KIND_DATA[kind], now=NOW)
    reader = _pdf(document)
    text = _text(reader)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH" in text  # the issuing agency
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH" in text  # its parent, above it
    assert dossier.code in text.replace(" ", "")
    assert str(kind.label).upper() in text
    assert "Thành phố Hồ Chí Minh, ngày 10 tháng 6 năm 2025" in text
    assert_fonts_embedded(reader)
    width, height = sorted(float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points, either orientation
    tracking = f"http://127.0.0.1:8000/tra-cuu/{dossier.code}/"
    assert _images(reader) == 1  # the QR code
    assert tracking in _links(reader)
    assert (document.kind, document.version, document.supersedes, document.dossier) == (kind, 1, None, dossier)
    assert document.issued_by == officer
    assert document.issued_at == NOW


def test_receipt_lists_components_times_channel_officer_and_return(dossier: Dossier, officer: User) -> None:
    officer.full_name = "Trần Thị Bích"
    officer.save()
    data = {
        "components": [
            {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
            {"name": "Giấy chứng sinh", "originals": 1, "copies": 2},
        ]
    }
    text = _text(_pdf(services.document_issue(dossier=dossier, kind="01", actor=officer, data=data, now=NOW)))
    for expected in (
        "Giấy chứng sinh",
        "Tờ khai đăng ký khai sinh",
        "Nguyễn Văn An",
        "Đăng ký khai sinh",
        "09 giờ 30 phút, ngày 09/06/2025",
        "16 giờ 30 phút, ngày 12/06/2025",
        "Trực tiếp",
        "Trần Thị Bích",
        "Trực tiếp tại Bộ phận tiếp nhận và trả kết quả",
        "3 ngày làm việc",
    ):
        assert expected in text, expected


def test_no_receipt_without_an_appointment(dossier: Dossier, officer: User) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(due_at=None)
    dossier.refresh_from_db()
    with pytest.raises(InvalidInput, match="ngày hẹn"):
        services.document_issue(dossier=dossier, kind=DocumentKind.RECEIPT, actor=officer, now=NOW)
    assert not IssuedDocument.objects.exists()


def test_no_receipt_before_receipt(officer: User, dossier: Dossier) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(received_at=None)
    dossier.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.document_issue(dossier=dossier, kind=DocumentKind.RECEIPT, actor=officer, now=NOW)


def test_supplement_request_lists_every_item_with_its_reason(dossier: Dossier, officer: User) -> None:
    kind = DocumentKind.SUPPLEMENT_REQUEST
    text = _text(_pdf(services.document_issue(dossier=dossier, kind=kind, actor=officer, data=KIND_DATA[kind])))
    for row in KIND_DATA[kind]["missing"]:
        assert row["item"] in text
        assert row["reason"] in text
    with pytest.raises(InvalidInput):
        services.document_issue(dossier=dossier, kind=kind, actor=officer, data={"missing": []})
    with pytest.raises(InvalidInput) as refused:
        services.document_issue(dossier=dossier, kind=kind, actor=officer, data={"missing": [{"item": "Tờ khai"}]})
    assert refused.value.problems


@pytest.mark.parametrize("kind", [DocumentKind.REFUSAL, DocumentKind.STOP_NOTICE, DocumentKind.APOLOGY])
def test_refusal_stop_and_apology_need_a_reason(kind: DocumentKind, dossier: Dossier, officer: User) -> None:
    with pytest.raises(InvalidInput):
        services.document_issue(dossier=dossier, kind=kind, actor=officer, data={"reason": "  "})
    text = _text(_pdf(services.document_issue(dossier=dossier, kind=kind, actor=officer, data=KIND_DATA[kind])))
    assert KIND_DATA[kind]["reason"] in text


def test_apology_shows_the_old_and_the_new_appointment(dossier: Dossier, officer: User) -> None:
    data = KIND_DATA[DocumentKind.APOLOGY]
    document = services.document_issue(dossier=dossier, kind="04", actor=officer, data=data)
    text = _text(_pdf(document))
    assert "16 giờ 30 phút, ngày 12/06/2025" in text
    assert "16 giờ 30 phút, ngày 17/06/2025" in text
    with pytest.raises(InvalidInput, match="sau ngày hẹn cũ"):
        services.document_issue(
            dossier=dossier, kind="04", actor=officer, data={**data, "new_due_at": "2025-06-11T10:00:00+07:00"}
        )


def test_control_sheet_has_receipt_steps_to_the_minute_and_outcomes(dossier: Dossier, officer: User) -> None:
    specialist = make_official(dossier.agency, Role.SPECIALIST)
    specialist.full_name = "Lê Văn Cường"
    specialist.save()
    StepRecord.objects.create(
        dossier=dossier,
        name="Thẩm định hồ sơ",
        agency=dossier.agency,
        giver=officer,
        receiver=specialist,
        started_at=dt.datetime(2025, 6, 9, 10, 5, tzinfo=ZONE),
        due_at=dt.datetime(2025, 6, 10, 10, 5, tzinfo=ZONE),
        ended_at=dt.datetime(2025, 6, 10, 14, 47, tzinfo=ZONE),
        outcome=StepOutcome.LATE,
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        returned_at=dt.datetime(2025, 6, 12, 9, 0, tzinfo=ZONE), finished_at=dt.datetime(2025, 6, 11, 9, 0, tzinfo=ZONE)
    )
    dossier.refresh_from_db()
    text = _text(_pdf(services.document_issue(dossier=dossier, kind="06", actor=officer)))
    for expected in (
        "Tiếp nhận hồ sơ",
        "Thẩm định hồ sơ",
        "Lê Văn Cường",
        "10:05 09/06/2025",
        "14:47 10/06/2025",
        "Trễ hạn",
        "Trả kết quả",
        "Đúng hạn",
    ):
        assert expected in text, expected


def test_reissue_makes_version_two_superseding_one_and_keeps_one_unchanged(dossier: Dossier, officer: User) -> None:
    first = services.document_issue(dossier=dossier, kind="03", actor=officer, data={"reason": "Lý do thứ nhất"})
    with first.file.open("rb") as stored:
        first_bytes = stored.read()
    second = services.document_issue(dossier=dossier, kind="03", actor=officer, data={"reason": "Lý do thứ hai"})
    first.refresh_from_db()
    assert (second.version, second.supersedes) == (2, first)
    assert first.superseded_by == second
    assert second.file.name != first.file.name
    with first.file.open("rb") as stored:
        assert stored.read() == first_bytes
    assert "Lý do thứ nhất" in _text(_pdf(first))
    second_text = _text(_pdf(second))
    assert "Lý do thứ hai" in second_text
    assert "Lần ban hành thứ 2" in second_text
    # Another kind starts its own chain.
    other = services.document_issue(dossier=dossier, kind="05", actor=officer, data={"reason": "Dừng"})
    assert (other.version, other.supersedes) == (1, None)


def test_only_officials_of_the_agency_issue(dossier: Dossier) -> None:
    stranger = make_official(make_agency(), Role.RECEIVING_OFFICER)
    with pytest.raises(NotAllowed):
        services.document_issue(dossier=dossier, kind="03", actor=stranger, data={"reason": "x"})
    with pytest.raises(InvalidInput):
        services.document_issue(dossier=dossier, kind="07", actor=None)


# -- The agency's own wording --------------------------------------------------------------------


def test_an_agency_wording_replaces_the_body_but_not_the_heading(dossier: Dossier, officer: User) -> None:
    html = "<p>Ủy ban xin thông báo: {{ dossier.applicant_name }} bị từ chối vì {{ reason }}.</p>"
    template = DocumentTemplate(kind="03", agency=dossier.agency, html=html)
    template.full_clean()
    template.save()
    text = _text(_pdf(services.document_issue(dossier=dossier, kind="03", actor=officer, data={"reason": "thiếu"})))
    assert "Ủy ban xin thông báo: Nguyễn Văn An bị từ chối vì thiếu." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert dossier.code in text.replace(" ", "")
    # Other agencies keep the default wording.
    other = _received(make_dossier())
    other_officer = make_official(other.agency, Role.RECEIVING_OFFICER)
    other_text = _text(
        _pdf(services.document_issue(dossier=other, kind="03", actor=other_officer, data={"reason": "x"}))
    )
    assert "Ủy ban xin thông báo" not in other_text


def test_a_wording_for_all_agencies_applies_when_an_agency_has_none(dossier: Dossier, officer: User) -> None:
    DocumentTemplate.objects.create(kind="05", agency=None, html="<p>Mẫu chung: {{ reason }}</p>")
    text = _text(_pdf(services.document_issue(dossier=dossier, kind="05", actor=officer, data={"reason": "Lý do"})))
    assert "Mẫu chung: Lý do" in text


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("{% if %}", "cú pháp"),
        ("{{ dossier.password }}", "dossier.password"),
        ("{{ unknown_value }}", "unknown_value"),
        ('{% include "documents/01.html" %}', "không hiển thị"),
        ("{% load static %}", "cú pháp"),
    ],
)
def test_a_wording_that_does_not_render_is_refused_on_save(html: str, message: str) -> None:
    template = DocumentTemplate(kind="03", html=html)
    with pytest.raises(ValidationError, match=message):
        template.full_clean()


def test_wording_is_autoescaped() -> None:
    content = render.sample_content(DocumentKind.REFUSAL)
    context = {**content.as_context(), "reason": "<script>x</script>"}
    assert "<script>" not in render.render_body("{{ reason }}", context)


# -- 07 ------------------------------------------------------------------------------------------


def _register_dossiers(agency: Any) -> list[Dossier]:
    on_time = _received(make_dossier(agency=agency))
    late = _received(make_dossier(agency=agency))
    Dossier.objects.filter(pk=late.pk).update(
        status=Status.RETURNED,
        finished_at=DUE + dt.timedelta(days=1),
        returned_at=DUE + dt.timedelta(days=1),
        counts_as_late=True,
    )
    outside = _received(make_dossier(agency=agency))
    Dossier.objects.filter(pk=outside.pk).update(received_at=RECEIVED - dt.timedelta(days=40))
    make_dossier(agency=agency)  # never received: not in the register
    return [on_time, late, outside]


def test_register_pdf_lists_the_period_s_dossiers(dossier: Dossier, officer: User) -> None:
    on_time, late, outside = _register_dossiers(dossier.agency)
    document = services.register_issue(
        agency=dossier.agency, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30), actor=officer, now=NOW
    )
    reader = _pdf(document)
    text = _text(reader)
    flat = text.replace(" ", "")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH" in text
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 01/06/2025 đến ngày 30/06/2025" in text
    for included in (dossier, on_time, late):
        assert included.code in flat
    assert outside.code not in flat
    assert "Trễ hạn" in text
    assert "Trong hạn" in text
    assert_fonts_embedded(reader)
    assert (document.dossier, document.kind, document.data["rows"]) == (None, DocumentKind.REGISTER, 3)
    again = services.register_issue(
        agency=dossier.agency, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30), actor=officer, now=NOW
    )
    assert (again.version, again.supersedes) == (2, document)


def test_register_xlsx_opens_and_has_the_rows(dossier: Dossier) -> None:
    on_time, late, _outside = _register_dossiers(dossier.agency)
    content = services.register_xlsx(
        agency=dossier.agency, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30), now=NOW
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH"
    assert rows[5][:2] == ("STT", "Mã hồ sơ")
    data = rows[6:]
    assert [row[1] for row in data] == [dossier.code, on_time.code, late.code]
    first = data[0]
    assert first[2] == "Nguyễn Văn An"
    assert first[4] == dt.datetime(2025, 6, 9, 9, 30)  # local wall-clock time
    assert first[9] == "Trong hạn"
    assert data[2][9] == "Trễ hạn"


def test_register_period_is_checked(dossier: Dossier) -> None:
    with pytest.raises(InvalidInput):
        services.register_xlsx(agency=dossier.agency, start=dt.date(2025, 6, 30), end=dt.date(2025, 6, 1))
    with pytest.raises(InvalidInput):
        services.register_xlsx(agency=dossier.agency, start=dt.date(2024, 1, 1), end=dt.date(2025, 6, 1))


@pytest.mark.parametrize(
    ("due", "finished", "late", "final", "expected"),
    [
        (DUE, None, False, False, "Trong hạn"),
        (NOW - dt.timedelta(hours=1), None, False, False, "Quá hạn"),
        (DUE, DUE - dt.timedelta(hours=1), False, True, "Đúng hạn"),
        (DUE, DUE + dt.timedelta(minutes=1), False, True, "Trễ hạn"),
        (DUE, None, True, False, "Trễ hạn"),
        (None, None, False, False, "Chưa có hạn"),
        (DUE, None, False, True, ""),
    ],
)
def test_timeliness(
    due: dt.datetime | None, finished: dt.datetime | None, late: bool, final: bool, expected: str
) -> None:
    assert render.timeliness(due_at=due, finished_at=finished, counts_as_late=late, final=final, now=NOW) == expected


def test_place_date_writes_january_and_february_with_a_zero() -> None:
    assert render.place_date("Hà Nội", dt.datetime(2025, 2, 3, 9, tzinfo=ZONE)) == "Hà Nội, ngày 03 tháng 02 năm 2025"
    assert render.place_date("", timezone.make_aware(dt.datetime(2025, 11, 3, 9))) == "Ngày 03 tháng 11 năm 2025"
