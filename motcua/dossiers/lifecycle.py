"""The dossier lifecycle as one transition table: pure data and functions, no database.

Internal states are finer than the ten national status codes of DVCQG (REGULATIONS.md §2);
each maps to exactly one national code. Every move a dossier can make is a row of TRANSITIONS:
(from state, action) -> (to state, roles allowed). The one write path
(services.dossier_transition) checks a move here before it touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Mới nộp, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Đã nhận hồ sơ bổ sung")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ phê duyệt")
    AWAITING_SIGNATURE = "awaiting_signature", _("Chờ ký duyệt")
    TRANSFERRED = "transferred", _("Chuyển cơ quan khác (liên thông)")
    FEES_DUE = "fees_due", _("Chờ thực hiện nghĩa vụ tài chính")
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


class Action(models.TextChoices):
    RECEIVE = "receive", _("Tiếp nhận")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUPPLY = "supply", _("Nhận hồ sơ bổ sung")
    START = "start", _("Bắt đầu xử lý")
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    SUBMIT_FOR_APPROVAL = "submit_for_approval", _("Trình phê duyệt")
    APPROVE = "approve", _("Phê duyệt")
    REJECT = "reject", _("Không duyệt, trả lại xử lý")
    SIGN = "sign", _("Ký kết quả")
    TRANSFER = "transfer", _("Chuyển liên thông")
    TRANSFER_BACK = "transfer_back", _("Nhận lại từ liên thông")
    REQUEST_FEES = "request_fees", _("Yêu cầu nộp phí, lệ phí")
    FEES_PAID = "fees_paid", _("Đã nộp phí, lệ phí")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    STOP = "stop", _("Dừng xử lý")
    # Not a move between states: the apology with a new appointment (services.dossier_extend).
    EXTEND = "extend", _("Xin lỗi, hẹn lại ngày trả")


class Role(models.TextChoices):
    """Who acts. Officials' roles are accounts.Role; APPLICANT is the dossier's owner; SYSTEM
    is the platform itself (e.g. the national portal sync or a payment notification)."""

    APPLICANT = "applicant", _("Người nộp hồ sơ")
    RECEIVING_OFFICER = "receiving_officer", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    DEPARTMENT_HEAD = "department_head", _("Trưởng phòng")
    LEADER = "leader", _("Lãnh đạo phê duyệt")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    SYSTEM = "system", _("Hệ thống")


# National status codes of DVCQG (TrangThaiHoSo), REGULATIONS.md §2 [secondary].
NATIONAL_CODE: dict[Status, int] = {
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_RECEIVED: 4,
    Status.AWAITING_APPROVAL: 4,
    Status.AWAITING_SIGNATURE: 4,
    Status.TRANSFERRED: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.FEES_DUE: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESULT_READY: 9,
    Status.RETURNED: 10,
}

FINAL: frozenset[Status] = frozenset({Status.REFUSED, Status.RETURNED, Status.WITHDRAWN, Status.STOPPED})
# While in these states the legal clock does not run (the applicant owes something).
CLOCK_STOPPED: frozenset[Status] = frozenset({Status.SUPPLEMENT_REQUESTED})

R = Role
_RECEIVERS = frozenset({R.RECEIVING_OFFICER})
_PROCESSORS = frozenset({R.SPECIALIST, R.DEPARTMENT_HEAD})
_APPROVERS = frozenset({R.DEPARTMENT_HEAD, R.LEADER})
_SIGNERS = frozenset({R.LEADER})
_ACTIVE = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_RECEIVED,
    Status.AWAITING_APPROVAL,
    Status.AWAITING_SIGNATURE,
)


@dataclass(frozen=True)
class Move:
    to: Status
    roles: frozenset[Role]


TRANSITIONS: dict[tuple[Status, Action], Move] = {
    # Receipt (the 8-working-hour SLA for online dossiers runs in SUBMITTED).
    (Status.SUBMITTED, Action.RECEIVE): Move(Status.RECEIVED, _RECEIVERS),
    (Status.SUBMITTED, Action.REFUSE): Move(Status.REFUSED, _RECEIVERS),
    (Status.SUBMITTED, Action.REQUEST_SUPPLEMENT): Move(Status.SUPPLEMENT_REQUESTED, _RECEIVERS),
    (Status.SUBMITTED, Action.WITHDRAW): Move(Status.WITHDRAWN, frozenset({R.APPLICANT, R.RECEIVING_OFFICER})),
    # Processing.
    (Status.RECEIVED, Action.START): Move(Status.PROCESSING, _PROCESSORS | _RECEIVERS),
    # Whoever holds the current workflow step hands it on (services check the step's role).
    (Status.PROCESSING, Action.FORWARD): Move(Status.PROCESSING, _PROCESSORS | _RECEIVERS),
    (Status.PROCESSING, Action.SEND_BACK): Move(Status.PROCESSING, _PROCESSORS | _APPROVERS),
    (Status.PROCESSING, Action.REQUEST_SUPPLEMENT): Move(Status.SUPPLEMENT_REQUESTED, _PROCESSORS | _RECEIVERS),
    (Status.SUPPLEMENT_REQUESTED, Action.SUPPLY): Move(Status.SUPPLEMENT_RECEIVED, _RECEIVERS | {R.APPLICANT}),
    (Status.SUPPLEMENT_RECEIVED, Action.START): Move(Status.PROCESSING, _PROCESSORS | _RECEIVERS),
    # A dossier found incomplete at the counter check is received once it is complete.
    (Status.SUPPLEMENT_RECEIVED, Action.RECEIVE): Move(Status.RECEIVED, _RECEIVERS),
    (Status.PROCESSING, Action.SUBMIT_FOR_APPROVAL): Move(Status.AWAITING_APPROVAL, _PROCESSORS),
    (Status.AWAITING_APPROVAL, Action.APPROVE): Move(Status.AWAITING_SIGNATURE, _APPROVERS),
    (Status.AWAITING_APPROVAL, Action.REJECT): Move(Status.PROCESSING, _APPROVERS),
    (Status.AWAITING_SIGNATURE, Action.SIGN): Move(Status.RESULT_READY, _SIGNERS),
    (Status.AWAITING_SIGNATURE, Action.REJECT): Move(Status.PROCESSING, _SIGNERS),
    # Hand-over to another agency (liên thông) and back.
    (Status.PROCESSING, Action.TRANSFER): Move(Status.TRANSFERRED, _PROCESSORS | _APPROVERS),
    (Status.TRANSFERRED, Action.TRANSFER_BACK): Move(Status.PROCESSING, _PROCESSORS | _RECEIVERS),
    # Fees.
    (Status.PROCESSING, Action.REQUEST_FEES): Move(Status.FEES_DUE, _PROCESSORS),
    (Status.FEES_DUE, Action.FEES_PAID): Move(Status.PROCESSING, _PROCESSORS | _RECEIVERS | {R.SYSTEM}),
    # Return.
    (Status.RESULT_READY, Action.RETURN_RESULT): Move(Status.RETURNED, _RECEIVERS),
    # The applicant may withdraw and the agency may stop while the dossier is not finished.
    **{(s, Action.WITHDRAW): Move(Status.WITHDRAWN, frozenset({R.APPLICANT, R.RECEIVING_OFFICER})) for s in _ACTIVE},
    **{
        (s, Action.STOP): Move(Status.STOPPED, _APPROVERS)
        for s in (*_ACTIVE, Status.SUPPLEMENT_REQUESTED, Status.FEES_DUE, Status.TRANSFERRED)
    },
}

# Actions that need a written reason (they produce a notice the applicant receives).
NEEDS_REASON: frozenset[Action] = frozenset(
    {Action.REFUSE, Action.REQUEST_SUPPLEMENT, Action.STOP, Action.SEND_BACK, Action.REJECT, Action.WITHDRAW}
)


class MoveRefused(Exception):
    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en


def check_move(status: Status, action: Action, roles: set[Role]) -> Status:
    """The state `action` leads to from `status` for someone holding `roles`, or MoveRefused."""
    move = TRANSITIONS.get((status, action))
    if move is None:
        raise MoveRefused(
            f"Không thể '{action.label}' khi hồ sơ đang ở trạng thái '{status.label}'",
            f"'{action.value}' is not possible while the dossier is '{status.value}'",
        )
    if not roles & move.roles:
        raise MoveRefused(
            f"Vai trò của bạn không được '{action.label}' hồ sơ này",
            f"Your role may not '{action.value}' this dossier",
        )
    return move.to


def actions_for(status: Status, roles: set[Role]) -> list[Action]:
    """Every action these roles may take from `status`, in table order (for the buttons)."""
    return [action for (source, action), move in TRANSITIONS.items() if source == status and roles & move.roles]


def national_code(status: Status) -> int:
    return NATIONAL_CODE[status]
