"""The transition service against the real database and the real working calendar."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from motcua.catalog.models import Channel
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action, Role, Status
from motcua.dossiers.models import Dossier, DossierEvent, StepOutcome
from motcua.dossiers.services import Transition, dossier_transition
from motcua.dossiers.tests.factories import make_citizen, make_dossier, make_official
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=HCM)


@pytest.fixture
def ward() -> Any:
    agency = make_agency(code="000.00.31.H29", ward_code=26740)
    return {
        "agency": agency,
        "officer": make_official(agency, Role.RECEIVING_OFFICER),
        "specialist": make_official(agency, Role.SPECIALIST),
        "head": make_official(agency, Role.DEPARTMENT_HEAD),
        "leader": make_official(agency, Role.LEADER),
    }


def act(dossier: Dossier, actor: Any, action: Action, when: dt.datetime, **extra: Any) -> Dossier:
    return dossier_transition(dossier=dossier, actor=actor, transition=Transition(action=action, **extra), now=when)


def test_counter_dossier_from_receipt_to_return_with_the_control_sheet(ward: Any) -> None:
    # Received Friday 10:00 with 3 working days -> Wednesday 10:00 (the weekend does not count).
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-06", "09:55"))
    assert dossier.code == "000.00.31.H29-260306-0001"
    assert dossier.national_status == 1
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-06", "10:00"))
    assert dossier.due_at == at("2026-03-11", "10:00")
    assert dossier.national_status == 2
    dossier = act(dossier, ward["officer"], Action.START, at("2026-03-06", "10:30"))
    dossier = act(dossier, ward["officer"], Action.FORWARD, at("2026-03-06", "11:00"))  # to the specialist
    dossier = act(dossier, ward["specialist"], Action.SUBMIT_FOR_APPROVAL, at("2026-03-09", "16:00"))
    dossier = act(dossier, ward["head"], Action.APPROVE, at("2026-03-10", "08:00"))
    dossier = act(dossier, ward["leader"], Action.SIGN, at("2026-03-10", "09:00"))
    assert dossier.status == Status.RESULT_READY and dossier.national_status == 9
    dossier = act(dossier, ward["officer"], Action.RETURN_RESULT, at("2026-03-10", "14:00"))
    assert dossier.status == Status.RETURNED and dossier.national_status == 10
    assert not dossier.counts_as_late
    sheet = list(dossier.step_records.order_by("started_at"))
    assert [r.name for r in sheet] == [
        "Tiếp nhận, chuyển xử lý",
        "Thẩm định hồ sơ",
        "Trưởng phòng xem xét",
        "Lãnh đạo ký duyệt",
    ]
    assert all(r.ended_at for r in sheet)
    assert sheet[0].outcome == StepOutcome.ON_TIME  # 4 h budget from 10:30, done 11:00 the same day
    assert sheet[1].outcome == StepOutcome.LATE  # 8 h budget from Fri 11:00 = Mon 11:00; done Mon 16:00
    events = list(dossier.events.values_list("action", flat=True))
    assert events == ["", "receive", "start", "forward", "submit_for_approval", "approve", "sign", "return_result"]


def test_supplement_stops_the_clock_and_moves_the_appointment(ward: Any) -> None:
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))
    assert dossier.due_at == at("2026-03-05", "08:00")
    dossier = act(dossier, ward["officer"], Action.START, at("2026-03-02", "09:00"))
    dossier = act(
        dossier,
        ward["officer"],
        Action.REQUEST_SUPPLEMENT,
        at("2026-03-02", "10:00"),
        note="Thiếu: Giấy chứng sinh (bản chính).",
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.national_status == 5
    assert dossier.clock_stopped_at == at("2026-03-02", "10:00")
    # The supplement arrives the next morning at 09:00: 1.5 + 4 + 1.5 = 7 office hours elapsed
    # while stopped (10:00-11:30, 13:00-17:00, 07:30-09:00), so the appointment moves 7 hours.
    dossier = act(dossier, ward["officer"], Action.SUPPLY, at("2026-03-03", "09:00"))
    assert dossier.clock_stopped_at is None
    assert dossier.due_at == at("2026-03-05", "16:30")
    assert dossier.original_due_at == at("2026-03-05", "08:00")
    supply = dossier.events.get(action=Action.SUPPLY)
    assert supply.data["stopped_minutes"] == 420


def test_a_supplement_is_requested_once_unless_a_reason_is_given_and_then_it_is_late(ward: Any) -> None:
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.START, at("2026-03-02", "08:10"))
    dossier = act(dossier, ward["officer"], Action.REQUEST_SUPPLEMENT, at("2026-03-02", "09:00"), note="Thiếu A")
    dossier = act(dossier, ward["officer"], Action.SUPPLY, at("2026-03-02", "10:00"))
    dossier = act(dossier, ward["officer"], Action.START, at("2026-03-02", "10:05"))
    with pytest.raises(InvalidInput, match="một lần"):
        act(dossier, ward["officer"], Action.REQUEST_SUPPLEMENT, at("2026-03-02", "11:00"), note="Thiếu B")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and not dossier.counts_as_late
    dossier = act(
        dossier,
        ward["officer"],
        Action.REQUEST_SUPPLEMENT,
        at("2026-03-02", "11:00"),
        note="Thiếu B",
        second_supplement_reason="Cơ quan thuế yêu cầu thêm giấy tờ mới phát sinh",
    )
    assert dossier.supplement_count == 2 and dossier.counts_as_late


def test_refusals_say_why_in_vietnamese_and_change_nothing(ward: Any) -> None:
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    with pytest.raises(NotAllowed, match="Vai trò"):
        act(dossier, ward["specialist"], Action.RECEIVE, at("2026-03-02", "08:00"))
    with pytest.raises(NotAllowed, match="Không thể"):
        act(dossier, ward["leader"], Action.SIGN, at("2026-03-02", "08:00"))
    with pytest.raises(InvalidInput, match="lý do"):
        act(dossier, ward["officer"], Action.REFUSE, at("2026-03-02", "08:00"))
    stranger = make_official(make_agency(), Role.RECEIVING_OFFICER)
    with pytest.raises(NotAllowed):
        act(dossier, stranger, Action.RECEIVE, at("2026-03-02", "08:00"))
    with pytest.raises(InvalidInput, match="PDF"):
        act(
            dossier,
            ward["officer"],
            Action.RECEIVE,
            at("2026-03-02", "08:00"),
            files=[SimpleUploadedFile("virus.exe", b"MZ", content_type="application/x-msdownload")],
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.revision == 0
    assert dossier.events.count() == 1


def test_a_crash_mid_transition_leaves_the_dossier_as_it_was(ward: Any, monkeypatch: Any) -> None:
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    # The crash is injected in the last write of the transition (the event row).
    monkeypatch.setattr(DossierEvent.objects, "create", crash)
    with pytest.raises(RuntimeError):
        act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))
    dossier.refresh_from_db()
    assert (dossier.status, dossier.received_at, dossier.due_at, dossier.revision) == (Status.SUBMITTED, None, None, 0)


def test_stale_revision_is_refused(ward: Any) -> None:
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"), expected_revision=0)
    with pytest.raises(NotAllowed, match="tải lại"):
        act(dossier, ward["officer"], Action.START, at("2026-03-02", "08:05"), expected_revision=0)


@pytest.mark.django_db(transaction=True)
def test_two_officers_receiving_at_once_only_one_succeeds() -> None:
    agency = make_agency()
    officers = [make_official(agency, Role.RECEIVING_OFFICER) for _ in range(2)]
    dossier = make_dossier(agency=agency, officer=officers[0], now=at("2026-03-02", "08:00"))
    barrier = threading.Barrier(2)

    def receive(officer: Any) -> str:
        try:
            barrier.wait(timeout=5)
            act(dossier, officer, Action.RECEIVE, at("2026-03-02", "08:00"))
            return "ok"
        except (NotAllowed, InvalidInput):
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(receive, officers))
    assert outcomes == ["ok", "refused"]
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.RECEIVE).count() == 1


def test_apology_and_extension_before_the_appointment_tells_the_applicant(ward: Any) -> None:
    citizen = make_citizen()
    dossier = make_dossier(
        agency=ward["agency"], channel=Channel.ONLINE, applicant=citizen, now=at("2026-03-02", "07:00")
    )
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["specialist"], Action.START, at("2026-03-02", "08:30"))
    with pytest.raises(InvalidInput, match="sau ngày hẹn cũ"):
        services.dossier_extend(
            dossier=dossier,
            actor=ward["specialist"],
            new_due_at=at("2026-03-04", "08:00"),
            reason="Chờ xác minh",
            now=at("2026-03-04", "07:00"),
        )
    dossier = services.dossier_extend(
        dossier=dossier,
        actor=ward["specialist"],
        new_due_at=at("2026-03-09", "17:00"),
        reason="Chờ kết quả xác minh của cơ quan công an",
        now=at("2026-03-04", "16:00"),
    )
    assert dossier.due_at == at("2026-03-09", "17:00")
    assert dossier.original_due_at == at("2026-03-05", "08:00")
    assert Notification.objects.filter(dossier=dossier, subject__startswith="Xin lỗi").exists()
    assert dossier.documents.filter(kind="04").count() == 1
    with pytest.raises(InvalidInput, match="quá ngày hẹn"):
        services.dossier_extend(
            dossier=dossier,
            actor=ward["specialist"],
            new_due_at=at("2026-03-20", "17:00"),
            reason="Lần nữa",
            now=at("2026-03-10", "08:00"),
        )


def test_online_dossier_needs_a_procedure_offered_online_and_announces_receipt(ward: Any) -> None:
    offline = make_procedure(agency=ward["agency"], name="Chứng thực chữ ký", channel_online=False)
    with pytest.raises(InvalidInput, match="trực tuyến"):
        make_dossier(procedure=offline, agency=ward["agency"], channel=Channel.ONLINE)
    citizen = make_citizen()
    dossier = make_dossier(
        agency=ward["agency"], channel=Channel.ONLINE, applicant=citizen, now=at("2026-03-02", "07:00")
    )
    act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))
    note = Notification.objects.get(dossier=dossier, channel="in_app")
    assert note.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Hẹn trả kết quả: 08:00 ngày 05/03/2026" in note.body


def test_procedure_without_published_time_needs_an_appointment_from_the_officer(ward: Any) -> None:
    procedure = make_procedure(agency=ward["agency"], name="Đổi giấy phép lái xe", processing_time=None)
    dossier = make_dossier(
        procedure=procedure, agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00")
    )
    with pytest.raises(InvalidInput, match="ngày hẹn"):
        act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"), due_at=at("2026-03-09", "17:00"))
    assert dossier.due_at == at("2026-03-09", "17:00")


def test_default_workflow_shares_the_processing_time(ward: Any) -> None:
    procedure = make_procedure(agency=ward["agency"], name="Đăng ký kết hôn", processing_time=Decimal(5))
    workflow = services.workflow_create_default(version=procedure.current_version)  # type: ignore[arg-type]
    budgets = [s.budget_hours for s in workflow.steps.order_by("order")]
    assert sum(budgets) == Decimal(40)
    assert [s.role for s in workflow.steps.order_by("order")] == [
        "receiving_officer",
        "specialist",
        "department_head",
        "leader",
    ]


def test_early_warnings_go_to_assignee_and_leader_once_per_level(ward: Any) -> None:
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))  # due Thu 5 Mar 08:00
    dossier = act(dossier, ward["officer"], Action.START, at("2026-03-02", "08:30"))
    assert services.dossiers_warn_deadlines(now=at("2026-03-03", "08:00")) == {"due_soon": 0, "overdue": 0}
    assert services.dossiers_warn_deadlines(now=at("2026-03-04", "09:00")) == {"due_soon": 1, "overdue": 0}
    assert services.dossiers_warn_deadlines(now=at("2026-03-04", "10:00")) == {"due_soon": 0, "overdue": 0}
    assert services.dossiers_warn_deadlines(now=at("2026-03-05", "09:00")) == {"due_soon": 0, "overdue": 1}
    told = set(Notification.objects.filter(dossier=dossier, channel="in_app").values_list("recipient", flat=True))
    assert {ward["leader"].pk, ward["head"].pk, ward["officer"].pk} <= told  # the officer is the assignee
    assert ward["specialist"].pk not in told


def test_moves_issue_their_standard_documents(ward: Any) -> None:
    from pypdf import PdfReader

    from motcua.dossiers.models import DocumentKind, IssuedDocument

    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.START, at("2026-03-02", "08:10"))
    dossier = act(
        dossier,
        ward["officer"],
        Action.REQUEST_SUPPLEMENT,
        at("2026-03-02", "09:00"),
        note="Giấy chứng sinh: bản chính bị mờ\nGiấy tờ tùy thân của người đi đăng ký",
    )
    kinds = list(IssuedDocument.objects.filter(dossier=dossier).order_by("issued_at").values_list("kind", flat=True))
    assert kinds == [DocumentKind.RECEIPT, DocumentKind.SUPPLEMENT_REQUEST]
    request = IssuedDocument.objects.get(dossier=dossier, kind=DocumentKind.SUPPLEMENT_REQUEST)
    text = "".join(page.extract_text() for page in PdfReader(request.file.open("rb")).pages)
    assert "bản chính bị mờ" in text and "Giấy tờ tùy thân của người đi đăng ký" in text
    assert dossier.code in text


def test_missing_items_one_per_line() -> None:
    assert services.missing_items("- Giấy chứng sinh: bản chính bị mờ\n\nCCCD") == [
        {"item": "Giấy chứng sinh", "reason": "bản chính bị mờ"},
        {"item": "CCCD", "reason": "Chưa có trong hồ sơ"},
    ]


def test_incomplete_at_the_counter_check_then_received_once_supplied(ward: Any) -> None:
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.REQUEST_SUPPLEMENT, at("2026-03-02", "08:05"), note="Thiếu CCCD")
    assert dossier.due_at is None  # nothing received yet: no appointment, no clock
    dossier = act(dossier, ward["officer"], Action.SUPPLY, at("2026-03-03", "08:00"))
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-03", "08:10"))
    assert dossier.status == Status.RECEIVED
    assert dossier.due_at == at("2026-03-06", "08:10")


def test_events_cannot_be_rewritten_even_with_raw_sql(ward: Any) -> None:
    from django.db import DatabaseError, connection, transaction

    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    event = dossier.events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE dossiers_dossierevent SET note = 'sửa' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.note.startswith("Nộp hồ sơ")


def test_warn_command_runs_once_without_every() -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("dossiers_warn", stdout=out)
    assert out.getvalue().startswith("Sắp đến hạn: 0, quá hạn: 0")


def test_hand_over_to_another_agency_and_back_is_on_the_control_sheet(ward: Any) -> None:
    tax = make_agency(code="000.00.40.H29", name="Chi cục Thuế khu vực")
    tax_specialist = make_official(tax, Role.SPECIALIST)
    dossier = make_dossier(agency=ward["agency"], officer=ward["officer"], now=at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.RECEIVE, at("2026-03-02", "08:00"))
    dossier = act(dossier, ward["officer"], Action.START, at("2026-03-02", "08:10"))
    dossier = act(dossier, ward["officer"], Action.FORWARD, at("2026-03-02", "08:20"))
    with pytest.raises(NotAllowed):  # not yet theirs
        act(dossier, tax_specialist, Action.TRANSFER_BACK, at("2026-03-02", "09:00"))
    dossier = act(dossier, ward["specialist"], Action.TRANSFER, at("2026-03-02", "09:00"), transfer_to=tax)
    assert (dossier.status, dossier.current_agency, dossier.national_status) == (Status.TRANSFERRED, tax, 4)
    dossier = act(dossier, tax_specialist, Action.TRANSFER_BACK, at("2026-03-03", "10:00"))
    assert dossier.current_agency == ward["agency"] and dossier.status == Status.PROCESSING
    hand_over = dossier.step_records.get(agency=tax)
    assert hand_over.name == "Liên thông: Chi cục Thuế khu vực"
    assert (hand_over.started_at, hand_over.ended_at) == (at("2026-03-02", "09:00"), at("2026-03-03", "10:00"))
    assert dossier.events.get(action=Action.TRANSFER).data["to_agency"] == "000.00.40.H29"
    resumed = dossier.step_records.get(ended_at__isnull=True)
    assert (resumed.name, resumed.started_at) == ("Thẩm định hồ sơ", at("2026-03-03", "10:00"))
