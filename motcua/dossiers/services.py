"""All writes to dossiers. One transition service performs every change of state."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency, Channel, DossierComponent, Procedure, ProcedureVersion
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers import deadlines
from motcua.dossiers.lifecycle import (
    CLOCK_STOPPED,
    FINAL,
    NEEDS_REASON,
    Action,
    MoveRefused,
    Role,
    Status,
    check_move,
)
from motcua.dossiers.models import (
    DocumentKind,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierRating,
    DossierSequence,
    StepOutcome,
    StepRecord,
    Workflow,
    WorkflowStep,
)
from motcua.uploads.inspection import Accepted
from motcua.uploads.services import uploaded_files_check

# -- Dossier code (Circular 01/2018/TT-VPCP Art. 19) ----------------------------------------------


def dossier_code_next(*, agency: Agency, day: dt.date) -> str:
    """`<agency code>-YYMMDD-XXXX`: the agency's next number of that day, gap-free.

    One upsert both creates the day's counter and increments it, and RETURNING hands back the
    number, atomically on PostgreSQL and SQLite (>= 3.35) alike: two receipts can never read the
    same value. It must run inside the transaction that inserts the dossier, so a rollback
    returns the number and the sequence keeps no hole.
    """
    table = connection.ops.quote_name(DossierSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [agency.pk, day],
        )
        row = cursor.fetchone()
    assert row is not None
    return f"{agency.code}-{day:%y%m%d}-{row[0]:04d}"


# -- Submission ----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Applicant:
    name: str
    kind: str = "citizen"
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    user: User | None = None


@transaction.atomic
def dossier_submit(
    *,
    procedure: Procedure,
    agency: Agency,
    channel: str,
    applicant: Applicant,
    actor: User | None,
    summary: str = "",
    posted_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    idempotency_key: str | None = None,
    form_data: dict[str, Any] | None = None,
) -> Dossier:
    """A dossier enters the system (counter, post or online) and gets its code; it waits for
    receipt (status 1). Counter and post dossiers are created by the receiving officer.

    With an `idempotency_key`, submitting again returns the first dossier (same applicant only).
    `form_data` holds the e-form answers, frozen as submitted: {form code: {"version": n,
    "answers": {...}}}.
    """
    dossier, _created = dossier_submit_once(
        procedure=procedure,
        agency=agency,
        channel=channel,
        applicant=applicant,
        actor=actor,
        summary=summary,
        posted_at=posted_at,
        now=now,
        idempotency_key=idempotency_key,
        form_data=form_data,
    )
    return dossier


def dossier_submit_once(
    *,
    procedure: Procedure,
    agency: Agency,
    channel: str,
    applicant: Applicant,
    actor: User | None,
    summary: str = "",
    posted_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    idempotency_key: str | None = None,
    form_data: dict[str, Any] | None = None,
) -> tuple[Dossier, DossierEvent | None]:
    """dossier_submit, also handing back the submission event this call wrote (None: the key
    had already made the dossier, and this call wrote nothing). The caller can answer with the
    event it already holds instead of reading it back."""
    arguments = (procedure, agency, channel, applicant, actor, summary, posted_at, now, idempotency_key, form_data)
    try:
        # One atomic block holds the counter, the dossier and its event: a transaction when
        # called on its own (the API), a savepoint inside a caller's transaction. If a request
        # with the same key got there first, the unique key refuses the insert and the block
        # rolls back this code number with it (no hole in the sequence). No outer block: on its
        # own, a savepoint inside a transaction would cost two more round trips per submission
        # and guard nothing, since the lookup below may as well run after the rollback.
        with transaction.atomic():
            return _submit(*arguments)
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_submitter(existing, applicant), None


_RELATIONS = ["procedure", "procedure_version", "workflow", "agency", "current_agency", "applicant"]


def _same_submitter(existing: Dossier, applicant: Applicant) -> Dossier:
    if applicant.user is not None and existing.applicant_id not in (None, applicant.user.pk):
        raise InvalidInput("Khóa gửi hồ sơ đã được dùng", "This idempotency key was already used")
    return existing


def _submit(
    procedure: Procedure,
    agency: Agency,
    channel: str,
    applicant: Applicant,
    actor: User | None,
    summary: str,
    posted_at: dt.datetime | None,
    now: dt.datetime | None,
    idempotency_key: str | None,
    form_data: dict[str, Any] | None,
) -> tuple[Dossier, DossierEvent]:
    now = now or timezone.now()
    version = procedure.current_version
    if version is None:
        raise InvalidInput("Thủ tục chưa được công bố", "The procedure is not published")
    if channel not in Channel.values:
        raise InvalidInput("Kênh nộp không hợp lệ", "Unknown channel")
    if channel == Channel.ONLINE and not version.channel_online:
        raise InvalidInput("Thủ tục này không nhận hồ sơ trực tuyến", "This procedure is not offered online")
    if channel == Channel.POST and posted_at is None:
        raise InvalidInput("Cần ngày gửi trên phiếu bưu chính", "The postal date is required")
    if not applicant.name.strip():
        raise InvalidInput("Cần họ tên chủ hồ sơ", "The applicant's name is required")
    if channel != Channel.ONLINE:
        _require_role(actor, agency, {Role.RECEIVING_OFFICER})
    day = timezone.localtime(now).date()
    dossier = Dossier(
        code="",
        procedure=procedure,
        procedure_version=version,
        # The id is all the row needs: no model is built for it (dossier.workflow loads on use).
        workflow_id=Workflow.objects.filter(procedure_version=version, active=True)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first(),
        agency=agency,
        current_agency=agency,
        channel=channel,
        status=Status.SUBMITTED,
        applicant=applicant.user,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(),
        summary=summary or version.name,
        submitted_at=now,
        posted_at=posted_at,
        idempotency_key=idempotency_key,
        form_data=form_data or {},
    )
    # Field values are checked; the related rows were just loaded, the code comes from the
    # gap-free sequence and the idempotency key is decided by the database's unique index
    # (caught in dossier_submit_once): no query is spent re-checking them.
    dossier.clean_fields(exclude=[*_RELATIONS, "code"])
    # The agency's counter row stays locked from here to the commit: everything that can be
    # done before taking a number is done above, so receipts at one agency queue briefly.
    dossier.code = dossier_code_next(agency=agency, day=day)
    dossier.save()
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        actor=actor,
        actor_role=Role.APPLICANT if channel == Channel.ONLINE else Role.RECEIVING_OFFICER,
        to_status=Status.SUBMITTED,
        note=f"Nộp hồ sơ qua kênh {Channel(channel).label}",
        data={"channel": channel},
    )
    return dossier, event


# -- Who may act ---------------------------------------------------------------------------------


def actor_roles(user: User | None, dossier: Dossier) -> set[Role]:
    """The roles `user` holds for this dossier: its applicant, and officials of the agency that
    received it or of the agency now handling it (liên thông)."""
    if user is None:
        return {Role.SYSTEM}
    roles: set[Role] = set()
    if dossier.applicant_id is not None and dossier.applicant_id == user.pk:
        roles.add(Role.APPLICANT)
    agencies = {dossier.agency_id, dossier.current_agency_id or dossier.agency_id}
    for role in Membership.objects.filter(user=user, active=True, agency_id__in=agencies).values_list(
        "role", flat=True
    ):
        roles.add(Role(role))
    return roles


def _require_role(actor: User | None, agency: Agency, roles: set[Role]) -> None:
    if actor is None or not Membership.objects.filter(user=actor, agency=agency, role__in=roles, active=True).exists():
        raise NotAllowed("Bạn không có quyền thực hiện việc này tại cơ quan này", "Not allowed at this agency")


# -- The one transition service ------------------------------------------------------------------


@dataclass(kw_only=True)
class Transition:
    action: Action
    note: str = ""
    files: Sequence[UploadedFile[Any]] = ()
    # A second supplement request needs an explicit reason and marks the dossier late.
    second_supplement_reason: str = ""
    # The appointment, where the procedure publishes no processing time.
    due_at: dt.datetime | None = None
    transfer_to: Agency | None = None
    # The e-form answers corrected by an online supplement (only with SUPPLY).
    form_data: dict[str, Any] | None = None
    expected_revision: int | None = None
    data: dict[str, object] = field(default_factory=dict)


def dossier_transition(
    *, dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime | None = None
) -> Dossier:
    """Lock the dossier, check the move and the actor's role, write the event, update the
    appointment when the clock stops or restarts, save; side effects run after commit.

    A crash anywhere inside leaves the dossier as it was (one transaction). Two officials acting
    at once: the row lock makes the second wait and then see the first one's state, so it
    fails the check instead of applying a stale move.
    """
    checked = _check_files(transition.files, dossier=dossier)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if transition.expected_revision is not None and locked.revision != transition.expected_revision:
            raise NotAllowed(
                "Hồ sơ vừa được người khác cập nhật; hãy tải lại trang",
                "Someone else has just changed this dossier; reload the page",
            )
        now = now or timezone.now()
        before = Status(locked.status)
        try:
            after = check_move(before, transition.action, actor_roles(actor, locked))
        except MoveRefused as refused:
            raise NotAllowed(refused.message_vi, refused.message_en) from refused
        if transition.action in NEEDS_REASON and not transition.note.strip():
            raise InvalidInput("Cần ghi rõ lý do", "A reason is required")
        changed = _APPLY[transition.action](locked, actor, transition, now)
        if after in CLOCK_STOPPED and locked.clock_stopped_at is None:
            locked.clock_stopped_at = now
        locked.status = after
        locked.revision += 1
        changed |= {"status", "revision", "clock_stopped_at", "updated_at"}
        locked.save(update_fields=sorted(changed))
        event = DossierEvent.objects.create(
            dossier=locked,
            at=now,
            actor=actor,
            actor_role=_main_role(actor, locked),
            action=transition.action,
            from_status=before,
            to_status=after,
            note=transition.note.strip(),
            data={**transition.data, "due_at": locked.due_at.isoformat() if locked.due_at else None},
        )
        _issue_documents(locked, actor, transition, now)
        _announce(locked, transition)
        _store_checked(dossier=locked, checked=checked, actor=actor, event=event)
    return locked


def dossier_files_store(
    *,
    dossier: Dossier,
    files: Sequence[UploadedFile[Any]],
    actor: User | None,
    event: DossierEvent | None = None,
    component: DossierComponent | None = None,
    digitised: bool = False,
) -> list[DossierFile]:
    """Store uploads as files of the dossier (attached to an event, or scans of a component),
    after the same checks as every upload (motcua.uploads: type by content, sizes from settings,
    images re-encoded without EXIF)."""
    return _store_checked(
        dossier=dossier,
        checked=_check_files(files, dossier=dossier),
        actor=actor,
        event=event,
        component=component,
        digitised=digitised,
    )


def _store_checked(
    *,
    dossier: Dossier,
    checked: Sequence[Accepted],
    actor: User | None,
    event: DossierEvent | None = None,
    component: DossierComponent | None = None,
    digitised: bool = False,
) -> list[DossierFile]:
    """Files already checked, stored in the private storage under a random name and shown under
    a safe one."""
    return [
        DossierFile.objects.create(
            dossier=dossier,
            event=event,
            component=component,
            file=ContentFile(item.data, name=f"{uuid.uuid4().hex}.{item.extension}"),
            name=item.display_name,
            content_type=item.content_type,
            size=len(item.data),
            digitised=digitised,
            uploaded_by=actor,
        )
        for item in checked
    ]


def _main_role(actor: User | None, dossier: Dossier) -> Role:
    roles = actor_roles(actor, dossier)
    for role in Role:  # the table's order: applicant first, then officials by rank
        if role in roles:
            return role
    return Role.SYSTEM


def _check_files(files: Sequence[UploadedFile[Any]], *, dossier: Dossier | None = None) -> list[Accepted]:
    """By content, never by the browser's Content-Type; InvalidInput names each refused file.
    The dossier's files so far count towards its total size limit."""
    so_far = 0
    if dossier is not None:
        so_far = DossierFile.objects.filter(dossier=dossier).aggregate(total=Sum("size"))["total"] or 0
    return uploaded_files_check(files, bytes_so_far=so_far)


# -- Standard documents issued by a move ---------------------------------------------------------

_DOCUMENTS: dict[Action, DocumentKind] = {
    Action.RECEIVE: DocumentKind.RECEIPT,
    Action.REQUEST_SUPPLEMENT: DocumentKind.SUPPLEMENT_REQUEST,
    Action.REFUSE: DocumentKind.REFUSAL,
    Action.STOP: DocumentKind.STOP_NOTICE,
}


def missing_items(note: str) -> list[dict[str, str]]:
    """The supplement request's list, one item a line: "Giấy chứng sinh: bản chính bị mờ"."""
    items = []
    for line in note.splitlines():
        item, _sep, reason = line.strip(" -•\t").partition(":")
        if item.strip():
            items.append({"item": item.strip(), "reason": reason.strip() or "Chưa có trong hồ sơ"})
    return items


def _received_components(dossier: Dossier, received: object) -> list[dict[str, object]]:
    """The components the officer ticked at the counter, as the receipt lists them."""
    ids = [int(item["id"]) for item in received if isinstance(item, dict)] if isinstance(received, list) else []
    components = dossier.procedure_version.components.filter(pk__in=ids)
    return [{"name": c.name, "originals": c.originals, "copies": c.copies} for c in components]


def _issue_documents(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> None:
    """The paper the move produces (receipt, supplement request, refusal, stop notice), issued in
    the same transaction: the officer prints it at once, and it exists iff the move happened."""
    from motcua.dossiers.documents.services import document_issue

    kind = _DOCUMENTS.get(transition.action)
    if kind is None:
        return
    data: dict[str, Any] = {"reason": transition.note.strip()}
    if kind == DocumentKind.SUPPLEMENT_REQUEST:
        data = {"missing": missing_items(transition.note)}
    elif kind == DocumentKind.RECEIPT and "components_received" in transition.data:
        data = {"components": _received_components(dossier, transition.data["components_received"])}
    document_issue(dossier=dossier, kind=kind, actor=actor, data=data, now=now)


# -- Telling the applicant -----------------------------------------------------------------------

# The notification event of each move the applicant is told about; the wording is the event's
# template (notifications.templating defaults, editable per language in the admin).
_ANNOUNCED: dict[Action, str] = {
    Action.RECEIVE: "received",
    Action.REQUEST_SUPPLEMENT: "supplement_requested",
    Action.REFUSE: "refused",
    Action.START: "processing",
    Action.REQUEST_FEES: "fees_due",
    Action.SIGN: "result_ready",
    Action.RETURN_RESULT: "returned",
    Action.WITHDRAW: "withdrawn",
    Action.STOP: "stopped",
}


def tracking_url(dossier: Dossier) -> str:
    return f"{settings.SITE_URL}/tra-cuu/{dossier.code}/"


def _announce(dossier: Dossier, transition: Transition) -> None:
    """Outbox rows in this transaction; they are sent after commit (notifications), in the
    applicant's language and on the channels they chose."""
    from motcua.notifications.services import notify_applicant_event

    event = _ANNOUNCED.get(transition.action)
    if event is None:
        return
    notify_applicant_event(dossier, event=event, context={"note": transition.note.strip()})


# -- Late handling: apology and a new appointment ------------------------------------------------


def may_extend(actor: User, dossier: Dossier) -> bool:
    """Who may issue the apology with a new appointment: the assignee, a department head or a
    leader of the receiving or handling agency."""
    roles = actor_roles(actor, dossier)
    return dossier.assignee_id == actor.pk or bool(roles & {Role.DEPARTMENT_HEAD, Role.LEADER})


def extension_open(dossier: Dossier, now: dt.datetime) -> bool:
    """The apology must be sent BEFORE the appointment passes, while the dossier is running."""
    return Status(dossier.status) not in FINAL and dossier.due_at is not None and now < dossier.due_at


@transaction.atomic
def dossier_extend(
    *, dossier: Dossier, actor: User, new_due_at: dt.datetime, reason: str, now: dt.datetime | None = None
) -> Dossier:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: issued BEFORE the appointment passes, with a
    reason and a later date; the applicant is told through every channel they have. The
    original appointment stays on record (the 766 index still measures against it)."""
    now = now or timezone.now()
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not may_extend(actor, locked):
        raise NotAllowed(
            "Chỉ người đang xử lý hoặc lãnh đạo được xin gia hạn", "Only the assignee or a leader may extend"
        )
    if Status(locked.status) in FINAL or locked.due_at is None:
        raise InvalidInput("Hồ sơ không còn trong thời hạn xử lý", "The dossier is not running")
    if not extension_open(locked, now):
        raise InvalidInput(
            "Đã quá ngày hẹn: văn bản xin lỗi phải được gửi trước ngày hẹn trả",
            "The appointment has passed: the apology must be sent before it",
        )
    if new_due_at <= locked.due_at:
        raise InvalidInput("Ngày hẹn mới phải sau ngày hẹn cũ", "The new appointment must be later")
    if not reason.strip():
        raise InvalidInput("Cần ghi rõ lý do", "A reason is required")
    previous = locked.due_at
    locked.due_at = new_due_at
    locked.revision += 1
    locked.save(update_fields=["due_at", "revision", "updated_at"])
    DossierEvent.objects.create(
        dossier=locked,
        at=now,
        actor=actor,
        actor_role=_main_role(actor, locked),
        action=Action.EXTEND,
        from_status=locked.status,
        to_status=locked.status,
        note=reason.strip(),
        data={"previous_due_at": previous.isoformat(), "due_at": new_due_at.isoformat()},
    )
    from motcua.dossiers.documents.services import document_issue
    from motcua.notifications.services import notify_applicant_event

    document_issue(
        dossier=locked,
        kind=DocumentKind.APOLOGY,
        actor=actor,
        data={"reason": reason.strip(), "old_due_at": previous, "new_due_at": new_due_at},
        now=now,
    )
    notify_applicant_event(
        locked,
        event="overdue_apology",
        context={"reason": reason.strip(), "old_appointment": previous, "new_appointment": new_due_at},
    )
    return locked


# -- What each action does besides the state change ----------------------------------------------

_Apply = Callable[[Dossier, "User | None", Transition, dt.datetime], set[str]]


def _receive(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    if dossier.received_at is not None:
        raise InvalidInput("Hồ sơ đã được tiếp nhận", "The dossier has already been received")
    version: ProcedureVersion = dossier.procedure_version
    due = deadlines.appointment(dossier.agency, now, version)
    if due is None:
        if transition.due_at is None or transition.due_at <= now:
            raise InvalidInput(
                "Thủ tục chưa công bố thời hạn giải quyết: cần nhập ngày hẹn trả",
                "The procedure publishes no processing time: enter the appointment",
            )
        due = transition.due_at
    dossier.received_at = now
    dossier.due_at = due
    dossier.original_due_at = due
    dossier.assignee = actor
    return {"received_at", "due_at", "original_due_at", "assignee"}


def _request_supplement(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    # Once, in writing, listing everything missing; a second time only with a reason, and then
    # the dossier counts as late for the 766 index.
    if dossier.supplement_count >= 1:
        if not transition.second_supplement_reason.strip():
            raise InvalidInput(
                "Hồ sơ đã được yêu cầu bổ sung một lần; lần thứ hai cần lý do rõ ràng và sẽ tính là trễ hạn",
                "A supplement was already requested once; a second one needs an explicit reason and counts as late",
            )
        dossier.counts_as_late = True
        transition.data["second_supplement_reason"] = transition.second_supplement_reason.strip()
    dossier.supplement_count += 1
    dossier.clock_stopped_at = now
    return {"supplement_count", "counts_as_late", "clock_stopped_at"}


def _supply(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    """The supplement arrived: the clock restarts and the appointment moves by the office time
    that passed while it was stopped."""
    if dossier.clock_stopped_at is not None and dossier.due_at is not None:
        stopped = deadlines.working_minutes_between(dossier.agency, dossier.clock_stopped_at, now)
        transition.data.update({"stopped_minutes": stopped, "previous_due_at": dossier.due_at.isoformat()})
        dossier.due_at = deadlines.extend(dossier.agency, dossier.due_at, dossier.clock_stopped_at, now)
    dossier.clock_stopped_at = None
    if transition.form_data is not None:
        dossier.form_data = transition.form_data
        return {"due_at", "clock_stopped_at", "form_data"}
    return {"due_at", "clock_stopped_at"}


def _start(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    if dossier.received_at is None:
        raise InvalidInput("Hồ sơ chưa được tiếp nhận", "The dossier has not been received")
    if dossier.current_step_id is None:
        first = _steps(dossier)[:1]
        if first:
            _enter_step(dossier, first[0], actor, now)
    dossier.assignee = actor
    return {"current_step", "assignee"}


def _forward(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    steps = _steps(dossier)
    position = _position(dossier, steps)
    if position >= 0 and Role(steps[position].role) not in actor_roles(actor, dossier):
        raise NotAllowed(
            f"Bước '{steps[position].name}' do {Role(steps[position].role).label} thực hiện",
            f"Step '{steps[position].name}' belongs to the {steps[position].role}",
        )
    if position + 1 >= len(steps):
        raise InvalidInput("Đây là bước cuối của quy trình", "This is the last step of the workflow")
    _close_step(dossier, actor, now)
    _enter_step(dossier, steps[position + 1], actor, now)
    return {"current_step", "current_agency", "assignee"}


def _send_back(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    steps = _steps(dossier)
    position = _position(dossier, steps)
    current = steps[position] if steps else None
    if current is None or position == 0 or not current.can_send_back:
        raise InvalidInput("Bước này không được trả lại bước trước", "This step cannot send the dossier back")
    _close_step(dossier, actor, now)
    _enter_step(dossier, steps[position - 1], actor, now)
    return {"current_step", "current_agency", "assignee"}


def _advance_if_next_step_is(
    flag: str,
) -> _Apply:
    """Approval and signature close the step in hand and open the next one when the workflow
    has a step for it."""

    def apply(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
        steps = _steps(dossier)
        position = _position(dossier, steps)
        if position + 1 < len(steps) and getattr(steps[position + 1], flag):
            _close_step(dossier, actor, now)
            _enter_step(dossier, steps[position + 1], actor, now)
        return {"current_step", "current_agency", "assignee"}

    return apply


def _sign(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    _close_step(dossier, actor, now)
    dossier.finished_at = now
    return {"finished_at"}


def _transfer(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    target = transition.transfer_to
    if target is None or target.pk == dossier.current_agency_id:
        raise InvalidInput("Cần chọn cơ quan nhận liên thông", "Choose the agency to hand over to")
    _close_step(dossier, actor, now)
    transition.data.update(
        {"from_agency": dossier.current_agency.code if dossier.current_agency else None, "to_agency": target.code}
    )
    StepRecord.objects.create(
        dossier=dossier, name=f"Liên thông: {target.name}", agency=target, giver=actor, started_at=now
    )
    dossier.current_agency = target
    return {"current_agency"}


def _transfer_back(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    _close_step(dossier, actor, now)
    dossier.current_agency = dossier.agency
    if dossier.current_step is not None:  # the step left for the hand-over resumes: a new line on the sheet
        _enter_step(dossier, dossier.current_step, actor, now)
    return {"current_agency", "current_step", "assignee"}


def _return_result(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    dossier.returned_at = now
    if dossier.due_at is not None and (dossier.finished_at or now) > dossier.due_at:
        dossier.counts_as_late = True
    return {"returned_at", "counts_as_late"}


def _finish(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    _close_step(dossier, actor, now)
    dossier.finished_at = now
    return {"finished_at"}


def _nothing(dossier: Dossier, actor: User | None, transition: Transition, now: dt.datetime) -> set[str]:
    return set()


_APPLY: dict[Action, _Apply] = {
    Action.RECEIVE: _receive,
    Action.REFUSE: _finish,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLY: _supply,
    Action.START: _start,
    Action.FORWARD: _forward,
    Action.SEND_BACK: _send_back,
    Action.SUBMIT_FOR_APPROVAL: _advance_if_next_step_is("needs_approval"),
    Action.APPROVE: _advance_if_next_step_is("needs_signature"),
    Action.REJECT: _send_back,
    Action.SIGN: _sign,
    Action.TRANSFER: _transfer,
    Action.TRANSFER_BACK: _transfer_back,
    Action.REQUEST_FEES: _nothing,
    Action.FEES_PAID: _nothing,
    Action.RETURN_RESULT: _return_result,
    Action.WITHDRAW: _finish,
    Action.STOP: _finish,
}
assert set(_APPLY) == set(Action) - {Action.EXTEND}, "every action needs its effect"
assert not FINAL & CLOCK_STOPPED


# -- Workflow steps and the processing control sheet ---------------------------------------------


def _steps(dossier: Dossier) -> list[WorkflowStep]:
    if dossier.workflow_id is None:
        return []
    return list(WorkflowStep.objects.filter(workflow_id=dossier.workflow_id).order_by("order"))


def _position(dossier: Dossier, steps: list[WorkflowStep]) -> int:
    for index, step in enumerate(steps):
        if step.pk == dossier.current_step_id:
            return index
    return -1


def _enter_step(dossier: Dossier, step: WorkflowStep, actor: User | None, now: dt.datetime) -> None:
    agency = step.agency or dossier.agency
    StepRecord.objects.create(
        dossier=dossier,
        step=step,
        name=step.name,
        agency=agency,
        giver=actor,
        started_at=now,
        due_at=deadlines.add_working_hours(agency, now, step.budget_hours),
    )
    dossier.current_step = step
    dossier.current_agency = agency
    # The step is now in the hands of whoever holds its role there: nobody in particular yet.
    dossier.assignee = None


def _close_step(dossier: Dossier, actor: User | None, now: dt.datetime) -> None:
    """Close the open step record: who took it over, when, and early / on time / late."""
    record = dossier.step_records.filter(ended_at__isnull=True).order_by("-started_at", "-id").first()
    if record is None:
        return
    record.ended_at = now
    record.receiver = record.receiver or actor
    record.outcome = step_outcome(record.due_at, now)
    record.save(update_fields=["ended_at", "receiver", "outcome"])


def step_outcome(due_at: dt.datetime | None, ended_at: dt.datetime) -> str:
    """Late after the step's deadline; on time on the deadline's own day; early on a day before."""
    if due_at is None or ended_at > due_at:
        return StepOutcome.LATE if due_at is not None else StepOutcome.ON_TIME
    if timezone.localtime(ended_at).date() == timezone.localtime(due_at).date():
        return StepOutcome.ON_TIME
    return StepOutcome.EARLY


# -- Workflows -----------------------------------------------------------------------------------

# (name, role, share of the processing time, needs approval, needs signature)
DEFAULT_STEPS: tuple[tuple[str, Role, Decimal, bool, bool], ...] = (
    ("Tiếp nhận, chuyển xử lý", Role.RECEIVING_OFFICER, Decimal("0.1"), False, False),
    ("Thẩm định, đề xuất", Role.SPECIALIST, Decimal("0.6"), False, False),
    ("Trưởng phòng xem xét", Role.DEPARTMENT_HEAD, Decimal("0.15"), True, False),
    ("Lãnh đạo ký duyệt", Role.LEADER, Decimal("0.15"), False, True),
)


@transaction.atomic
def workflow_create_default(*, version: ProcedureVersion) -> Workflow:
    """A four-step workflow sharing the procedure's processing time (at least one working day
    when it is same-day or unpublished); agencies then edit it in the admin."""
    hours = Decimal(8)
    if version.processing_time_value:
        per_unit = Decimal(1) if version.processing_time_unit == "working_hours" else Decimal(8)
        hours = max(hours, version.processing_time_value * per_unit)
    number = (Workflow.objects.filter(procedure_version=version).count() or 0) + 1
    workflow = Workflow.objects.create(procedure_version=version, number=number)
    WorkflowStep.objects.bulk_create(
        WorkflowStep(
            workflow=workflow,
            order=order,
            name=name,
            role=role,
            budget_hours=(hours * share).quantize(Decimal("0.01")),
            needs_approval=approval,
            needs_signature=signature,
        )
        for order, (name, role, share, approval, signature) in enumerate(DEFAULT_STEPS, 1)
    )
    return workflow


# -- Early warnings ------------------------------------------------------------------------------

# Due soon is "less than one working day left"; the longest run of days off (Tết) is under two
# weeks, so no running dossier due later than this can be due soon.
WARNING_WINDOW = dt.timedelta(days=14)


def dossiers_warn_deadlines(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Tell the assignee and the leaders about dossiers now due soon or overdue, once per level
    and appointment (a new appointment after an extension warns again). Run every few minutes."""
    from motcua.notifications.models import DeadlineWarning
    from motcua.notifications.services import notify_officials_event

    now = now or timezone.now()
    sent = {"due_soon": 0, "overdue": 0}
    candidates = (
        Dossier.objects.exclude(status__in=[s.value for s in FINAL])
        .exclude(status__in=[s.value for s in CLOCK_STOPPED])
        .filter(due_at__isnull=False, due_at__lte=now + WARNING_WINDOW)
        .select_related("agency", "current_agency", "assignee", "procedure_version")
    )
    for dossier in candidates.iterator():
        assert dossier.due_at is not None
        level = str(deadlines.status(dossier.agency, now, dossier.due_at))
        if level not in sent:
            continue
        with transaction.atomic():
            _warning, created = DeadlineWarning.objects.get_or_create(
                dossier=dossier, level=level, due_at=dossier.due_at
            )
            if not created:
                continue
            notify_officials_event(dossier, roles={Role.LEADER, Role.DEPARTMENT_HEAD}, event=level)
        sent[level] += 1
    return sent


# -- Rating --------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class RatingInput:
    overall: int
    convenience: int
    on_time: bool
    staff_attitude: int
    contacts_needed: int
    agencies_contacted: int
    comment: str = ""


@transaction.atomic
def dossier_rate(*, dossier: Dossier, rating: RatingInput, now: dt.datetime | None = None) -> DossierRating:
    """The applicant rates a dossier once, after its result was returned (or it was refused)."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if Status(locked.status) not in {Status.RETURNED, Status.REFUSED}:
        raise InvalidInput(
            "Chỉ đánh giá được khi đã nhận kết quả", "A dossier can be rated once its result was returned"
        )
    if DossierRating.objects.filter(dossier=locked).exists():
        raise InvalidInput("Hồ sơ này đã được đánh giá", "This dossier has already been rated")
    row = DossierRating(dossier=locked, rated_at=now or timezone.now(), **asdict(rating))
    row.full_clean()
    row.save()
    return row
