from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.accounts.models import ConsentMethod, Role, User
from motcua.accounts.selectors import consent_active
from motcua.accounts.services import consent_code_send, consent_record, consent_revoke
from motcua.accounts.tests.conftest import last_code
from motcua.catalog.tests.factories import make_agency
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.tests.factories import make_citizen, make_official

pytestmark = pytest.mark.django_db


def test_signed_paper_consent_for_an_account_then_revoked() -> None:
    agency = make_agency()
    official = make_official(agency, Role.RECEIVING_OFFICER)
    citizen = make_citizen()
    citizen.personal_id = "079090000001"
    citizen.save()
    assert consent_active(official, citizen) is None
    consent = consent_record(
        official=official,
        agency=agency,
        citizen=citizen,
        purpose="Nộp hồ sơ đăng ký khai sinh trực tuyến thay",
        method=ConsentMethod.SIGNED_PAPER,
        evidence=ContentFile(b"%PDF-1.4 ...", name="giay-dong-y.pdf"),
    )
    assert consent.citizen_name == "Nguyễn Văn An"
    assert consent.evidence.name.endswith(".pdf")
    assert consent_active(official, citizen) == consent
    assert consent_active(official, "079090000001") == consent
    other_official = make_official(agency, Role.RECEIVING_OFFICER)
    assert consent_active(other_official, citizen) is None
    stranger = make_citizen()
    with pytest.raises(NotAllowed):
        consent_revoke(consent=consent, actor=stranger)
    consent_revoke(consent=consent, actor=citizen)
    assert consent_active(official, citizen) is None
    consent.refresh_from_db()
    assert consent.revoked_by == citizen


def test_verbal_consent_for_someone_without_an_account_expires() -> None:
    agency = make_agency()
    official = make_official(agency, Role.RECEIVING_OFFICER)
    consent_record(
        official=official,
        agency=agency,
        citizen_name="Trần Thị Bình",
        citizen_personal_id="001195000002",
        purpose="Tra cứu hồ sơ",
        method=ConsentMethod.VERBAL,
        valid_until=timezone.now() - dt.timedelta(minutes=1),
    )
    assert consent_active(official, "001195000002") is None


def test_consent_by_a_code_sent_to_the_citizens_phone() -> None:
    agency = make_agency()
    official = make_official(agency, Role.RECEIVING_OFFICER)
    consent_code_send(official=official, phone="0912345678")
    code = last_code("+84912345678")
    wrong = "000000" if code != "000000" else "111111"
    arguments = {
        "official": official,
        "agency": agency,
        "citizen_name": "Lê Văn Cường",
        "citizen_personal_id": "079089000003",
        "citizen_phone": "0912345678",
        "purpose": "Nộp hồ sơ thay",
        "method": ConsentMethod.PHONE_CODE,
    }
    with pytest.raises(InvalidInput, match="không đúng"):
        consent_record(**arguments, code=wrong)
    consent = consent_record(**arguments, code=code)
    assert consent.citizen_phone == "+84912345678"
    assert consent_active(official, "079089000003") == consent


def test_only_officials_of_the_agency_record_consents() -> None:
    agency, elsewhere = make_agency(), make_agency()
    official = make_official(elsewhere, Role.RECEIVING_OFFICER)
    with pytest.raises(NotAllowed):
        consent_record(
            official=official,
            agency=agency,
            citizen_name="A",
            citizen_personal_id="079090000001",
            purpose="x",
            method=ConsentMethod.VERBAL,
        )
    with pytest.raises(NotAllowed):
        consent_code_send(official=User.objects.create_user(username="cd"), phone="0912345678")
    with pytest.raises(InvalidInput) as raised:
        consent_record(
            official=make_official(agency, Role.RECEIVING_OFFICER),
            agency=agency,
            citizen_name="",
            citizen_personal_id="123",
            purpose="",
            method=ConsentMethod.VERBAL,
        )
    assert len(raised.value.problems) == 3
