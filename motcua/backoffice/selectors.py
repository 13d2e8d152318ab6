"""Reads for the back office (Bộ phận một cửa): the official's desk, the inboxes, search and what
the dossier page shows.

Every query starts from dossiers.selectors.dossiers_visible_to, the one permission gate, and only
narrows it. Deadlines are read on the working calendar of the agency that received the dossier
(the calendar its appointment was computed on, see dossiers.deadlines).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Membership, User
from motcua.backoffice.answers import ChangeRow, supply_changes
from motcua.calendars.selectors import calendar_for_agency
from motcua.catalog.models import Agency, DossierComponent, Procedure
from motcua.core.text import fold
from motcua.core.workcalendar import HOURS_PER_WORKING_DAY, DeadlineStatus, Unit, WorkingCalendar
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.lifecycle import Action, Role, Status
from motcua.dossiers.models import DocumentKind, Dossier, DossierEvent, DossierFile, IssuedDocument, StepRecord

# Online dossiers must be accepted or sent back within 8 working hours of arrival (Decree
# 61/2018 Art. 19 as amended; REGULATIONS.md §2 point 4).
ONLINE_RECEIPT_HOURS = Decimal(8)
# "Due soon" = less than one working day of office time left.
DUE_SOON_HOURS = Decimal(HOURS_PER_WORKING_DAY)
# Accent-insensitive name search folds names in Python: over this many newest matches at most.
NAME_SCAN_LIMIT = 5000

_PROCESSORS = frozenset({Role.SPECIALIST, Role.DEPARTMENT_HEAD})
_APPROVERS = frozenset({Role.DEPARTMENT_HEAD, Role.LEADER})
_NOTHING = Q(pk__in=[])


# -- The official's desk ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Desk:
    """Who is at the counter: an official's active roles, agency by agency."""

    user: User
    roles: dict[int, frozenset[Role]]
    agencies: dict[int, Agency]

    @property
    def agency_ids(self) -> set[int]:
        return set(self.roles)

    def agencies_with(self, roles: Iterable[Role]) -> set[int]:
        wanted = set(roles)
        return {agency_id for agency_id, held in self.roles.items() if held & wanted}

    def holds(self, *roles: Role) -> bool:
        return bool(self.agencies_with(roles))

    @property
    def all_roles(self) -> frozenset[Role]:
        return frozenset(role for held in self.roles.values() for role in held)

    @property
    def receiving_agencies(self) -> list[Agency]:
        """Where this official may take in dossiers at the counter."""
        ids = self.agencies_with({Role.RECEIVING_OFFICER})
        return sorted((self.agencies[pk] for pk in ids), key=lambda agency: agency.name)


def desk_for(user: User | None) -> Desk | None:
    """The official's desk, or None for anyone without an active membership (citizens, former staff)."""
    if user is None or not user.is_authenticated:
        return None
    roles: dict[int, set[Role]] = {}
    agencies: dict[int, Agency] = {}
    for membership in Membership.objects.filter(user=user, active=True).select_related("agency"):
        roles.setdefault(membership.agency_id, set()).add(Role(membership.role))
        agencies[membership.agency_id] = membership.agency
    if not roles:
        return None
    return Desk(user=user, roles={pk: frozenset(held) for pk, held in roles.items()}, agencies=agencies)


# -- Working calendars -----------------------------------------------------------------------------


class Clocks:
    """The working calendars of the agencies met in one request, each loaded once."""

    def __init__(self) -> None:
        self._calendars: dict[int, WorkingCalendar] = {}

    def of(self, agency: Agency) -> WorkingCalendar:
        if agency.pk not in self._calendars:
            self._calendars[agency.pk] = calendar_for_agency(agency)
        return self._calendars[agency.pk]

    def online_receipt_deadline(self, dossier: Dossier) -> dt.datetime:
        """When an online dossier must have been received or sent back: 8 working hours after it
        arrived, counted from the next office period when it arrived out of hours."""
        return self.of(dossier.agency).add(dossier.submitted_at, ONLINE_RECEIPT_HOURS, Unit.WORKING_HOURS)

    def remaining(self, dossier: Dossier, now: dt.datetime) -> dt.timedelta | None:
        """Office time left before the appointment; while the clock is stopped (waiting for a
        supplement) it stays what it was when the clock stopped."""
        if dossier.due_at is None:
            return None
        at = dossier.clock_stopped_at or now
        return self.of(dossier.agency).remaining(at, dossier.due_at)

    def deadline_status(self, dossier: Dossier, now: dt.datetime) -> DeadlineStatus | None:
        if dossier.due_at is None or dossier.clock_stopped_at is not None or _finished_in_time(dossier):
            return None
        return self.of(dossier.agency).status(now, dossier.due_at)


def _finished_in_time(dossier: Dossier) -> bool:
    return dossier.finished_at is not None and dossier.due_at is not None and dossier.finished_at <= dossier.due_at


# -- Inboxes ---------------------------------------------------------------------------------------


class Inbox(models.TextChoices):
    TO_RECEIVE = "tiep-nhan", _("Chờ tiếp nhận")
    AWAITING_SUPPLEMENT = "cho-bo-sung", _("Chờ bổ sung")
    TO_PROCESS = "xu-ly", _("Cần xử lý")
    TO_APPROVE = "phe-duyet", _("Chờ phê duyệt, ký")
    TO_RETURN = "tra-ket-qua", _("Chờ trả kết quả")
    DUE_SOON = "sap-den-han", _("Sắp đến hạn")
    OVERDUE = "qua-han", _("Quá hạn")
    RETURNED = "da-tra", _("Đã trả trong tháng")


# Who sees which inbox in the navigation (every official may still open any: it is only a filter
# of what they may see anyway).
_INBOX_ROLES: dict[Inbox, frozenset[Role]] = {
    Inbox.TO_RECEIVE: frozenset({Role.RECEIVING_OFFICER}),
    Inbox.AWAITING_SUPPLEMENT: frozenset({Role.RECEIVING_OFFICER}),
    Inbox.TO_PROCESS: frozenset({Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.LEADER}),
    Inbox.TO_APPROVE: _APPROVERS,
    Inbox.TO_RETURN: frozenset({Role.RECEIVING_OFFICER}),
    Inbox.DUE_SOON: frozenset(Role),
    Inbox.OVERDUE: frozenset(Role),
    Inbox.RETURNED: frozenset(Role),
}


def inboxes_for(desk: Desk) -> list[Inbox]:
    return [inbox for inbox in Inbox if desk.all_roles & _INBOX_ROLES[inbox]]


def desk_dossiers(desk: Desk) -> QuerySet[Dossier]:
    """What the official may see, limited to the agencies they work for (not their own
    applications as a citizen)."""
    ids = desk.agency_ids
    return dossier_selectors.dossiers_visible_to(desk.user).filter(Q(agency_id__in=ids) | Q(current_agency_id__in=ids))


def _month_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _to_process(desk: Desk) -> Q:
    """Dossiers whose current step is for a role the official holds at the agency handling it;
    received ones not started yet (no step) for the officer who received them or any receiving
    officer there; and dossiers another agency handed over to one of theirs (liên thông)."""
    role_fits = _NOTHING
    for agency_id, roles in desk.roles.items():
        role_fits |= Q(current_agency_id=agency_id, current_step__role__in=roles)
    not_started = Q(current_step__isnull=True) & (
        Q(assignee=desk.user) | Q(current_agency_id__in=desk.agencies_with({Role.RECEIVING_OFFICER}))
    )
    handed_over = Q(
        status=Status.TRANSFERRED,
        current_agency_id__in=desk.agencies_with(_PROCESSORS | {Role.RECEIVING_OFFICER}),
    ) & ~Q(agency_id=F("current_agency_id"))
    in_hand = Q(status__in=[Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_RECEIVED])
    return (in_hand & (role_fits | not_started)) | handed_over


def _overdue(now: dt.datetime) -> Q:
    """Past the appointment and not finished. Not overdue: a result finished in time and waiting
    to be collected, and a dossier whose clock stopped before its appointment (the appointment
    moves when the supplement arrives)."""
    return (
        dossier_selectors.running()
        & Q(due_at__lt=now)
        & ~Q(status=Status.RESULT_READY, finished_at__lte=F("due_at"))
        & ~Q(clock_stopped_at__lt=F("due_at"))
    )


def _inbox_filter(desk: Desk, inbox: Inbox, now: dt.datetime) -> Q:
    receivers = desk.agencies_with({Role.RECEIVING_OFFICER})
    if inbox == Inbox.TO_RECEIVE:
        return Q(status=Status.SUBMITTED, agency_id__in=receivers)
    if inbox == Inbox.AWAITING_SUPPLEMENT:
        return Q(status=Status.SUPPLEMENT_REQUESTED, agency_id__in=receivers)
    if inbox == Inbox.TO_PROCESS:
        return _to_process(desk)
    if inbox == Inbox.TO_APPROVE:
        return Q(status=Status.AWAITING_APPROVAL, current_agency_id__in=desk.agencies_with(_APPROVERS)) | Q(
            status=Status.AWAITING_SIGNATURE, current_agency_id__in=desk.agencies_with({Role.LEADER})
        )
    if inbox == Inbox.TO_RETURN:
        return Q(status=Status.RESULT_READY, agency_id__in=receivers)
    if inbox == Inbox.OVERDUE:
        return _overdue(now)
    if inbox == Inbox.RETURNED:
        return Q(status=Status.RETURNED, returned_at__gte=_month_start(now))
    raise ValueError(inbox)  # DUE_SOON needs the calendars: _due_soon_ids


def _due_soon_ids(desk: Desk, now: dt.datetime, clocks: Clocks) -> list[int]:
    """Running dossiers with less than one working day of office time left.

    One SQL bound per agency (the instant one working day from now on its calendar) keeps the
    candidates few; the calendar's own status() then decides, so the page and the list agree.
    """
    candidates = (
        desk_dossiers(desk)
        .filter(dossier_selectors.running(), due_at__gte=now, clock_stopped_at__isnull=True)
        .exclude(status=Status.RESULT_READY)
    )
    agency_ids = set(candidates.values_list("agency_id", flat=True).distinct())
    bound = _NOTHING
    for agency in Agency.objects.filter(pk__in=agency_ids):
        soon = clocks.of(agency).add(now, DUE_SOON_HOURS, Unit.WORKING_HOURS)
        bound |= Q(agency_id=agency.pk, due_at__lte=soon)
    rows = candidates.filter(bound).select_related(None).select_related("agency").only("pk", "agency", "due_at")
    return [
        dossier.pk
        for dossier in rows
        if dossier.due_at is not None and clocks.of(dossier.agency).status(now, dossier.due_at) == "due_soon"
    ]


def inbox_dossiers(desk: Desk, inbox: Inbox, now: dt.datetime, clocks: Clocks) -> QuerySet[Dossier]:
    queryset = desk_dossiers(desk).select_related("procedure", "procedure_version", "current_step")
    if inbox == Inbox.DUE_SOON:
        return queryset.filter(pk__in=_due_soon_ids(desk, now, clocks)).order_by("due_at")
    queryset = queryset.filter(_inbox_filter(desk, inbox, now))
    if inbox == Inbox.RETURNED:
        return queryset.order_by("-returned_at")
    if inbox in (Inbox.TO_RECEIVE, Inbox.AWAITING_SUPPLEMENT):
        return queryset.order_by("submitted_at")  # first come, first served
    return queryset.order_by(F("due_at").asc(nulls_last=True), "submitted_at")


@dataclass(frozen=True)
class InboxCount:
    inbox: Inbox
    count: int
    # Online dossiers waiting past the 8-working-hour receipt limit (only for TO_RECEIVE).
    breaching: int = 0


def inbox_counts(desk: Desk, now: dt.datetime, clocks: Clocks) -> list[InboxCount]:
    """The counts in the navigation: one aggregate query for the plain inboxes, the calendars
    for due soon and the receipt limit."""
    shown = inboxes_for(desk)
    plain = [inbox for inbox in shown if inbox != Inbox.DUE_SOON]
    totals = desk_dossiers(desk).aggregate(
        **{inbox.name.lower(): Count("pk", filter=_inbox_filter(desk, inbox, now)) for inbox in plain}
    )
    counts = []
    for inbox in shown:
        if inbox == Inbox.DUE_SOON:
            counts.append(InboxCount(inbox, len(_due_soon_ids(desk, now, clocks))))
        elif inbox == Inbox.TO_RECEIVE:
            counts.append(
                InboxCount(inbox, totals[inbox.name.lower()], breaching=len(receipt_breaches(desk, now, clocks)))
            )
        else:
            counts.append(InboxCount(inbox, totals[inbox.name.lower()]))
    return counts


def receipt_breaches(desk: Desk, now: dt.datetime, clocks: Clocks) -> set[int]:
    """Online dossiers still waiting for receipt past their 8-working-hour limit."""
    waiting = (
        desk_dossiers(desk)
        .filter(_inbox_filter(desk, Inbox.TO_RECEIVE, now), channel="online")
        .select_related(None)
        .select_related("agency")
        .only("pk", "agency", "submitted_at", "channel")
        .order_by("submitted_at")[:1000]
    )
    return {dossier.pk for dossier in waiting if clocks.online_receipt_deadline(dossier) <= now}


# -- Rows of a list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A dossier as a line of an inbox or of search results, with its deadline read on the calendar."""

    dossier: Dossier
    remaining: dt.timedelta | None
    deadline: DeadlineStatus | None
    receipt_breached: bool
    receipt_deadline: dt.datetime | None


def rows_for(dossiers: Iterable[Dossier], now: dt.datetime, clocks: Clocks) -> list[Row]:
    rows = []
    for dossier in dossiers:
        receipt_deadline = None
        if dossier.status == Status.SUBMITTED and dossier.channel == "online":
            receipt_deadline = clocks.online_receipt_deadline(dossier)
        rows.append(
            Row(
                dossier=dossier,
                remaining=clocks.remaining(dossier, now),
                deadline=clocks.deadline_status(dossier, now),
                receipt_breached=receipt_deadline is not None and receipt_deadline <= now,
                receipt_deadline=receipt_deadline,
            )
        )
    return rows


# -- Search ----------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class SearchCriteria:
    code: str = ""
    name: str = ""
    id_number: str = ""
    procedure: str = ""
    status: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None

    def is_empty(self) -> bool:
        return not any(vars(self).values())


@dataclass(frozen=True)
class SearchResult:
    dossiers: QuerySet[Dossier]
    # The name was matched over the newest NAME_SCAN_LIMIT candidates only.
    truncated: bool = False


def dossiers_search(user: User, criteria: SearchCriteria) -> SearchResult:
    """Dossiers the user may see (dossiers_visible_to) matching every criterion given.

    The applicant's name matches without accents or case ("nguyen van an" finds "Nguyễn Văn An"):
    the database cannot fold Vietnamese the same way on SQLite and PostgreSQL, so the other
    criteria narrow in SQL and the names of at most NAME_SCAN_LIMIT newest candidates are folded
    here. The procedure matches the same way on its name or national code.
    """
    queryset = dossier_selectors.dossiers_visible_to(user).select_related("procedure")
    if criteria.code:
        queryset = queryset.filter(code__icontains=criteria.code.strip())
    if criteria.id_number:
        queryset = queryset.filter(applicant_id_number__icontains=criteria.id_number.strip())
    if criteria.status:
        queryset = queryset.filter(status=criteria.status)
    if criteria.received_from:
        queryset = queryset.filter(received_at__date__gte=criteria.received_from)
    if criteria.received_to:
        queryset = queryset.filter(received_at__date__lte=criteria.received_to)
    wanted_procedure = fold(criteria.procedure).split()
    if wanted_procedure:
        # Every word, accent-free, in the name or the national code of a procedure the user's
        # dossiers use (a few hundred at most: the versions' names, not the dossiers, are read).
        names = (
            queryset.order_by()
            .values_list("procedure_id", "procedure_version__name", "procedure__national_code")
            .distinct()
        )
        procedure_ids = {
            pk for pk, name, code in names if _name_matches(wanted_procedure, fold(f"{name} {code or ''}"))
        }
        queryset = queryset.filter(procedure_id__in=procedure_ids)
    queryset = queryset.order_by("-submitted_at", "-pk")
    truncated = False
    wanted = fold(criteria.name).split()
    if wanted:
        candidates = list(queryset.values_list("pk", "applicant_name")[: NAME_SCAN_LIMIT + 1])
        truncated = len(candidates) > NAME_SCAN_LIMIT
        matches = [pk for pk, name in candidates[:NAME_SCAN_LIMIT] if _name_matches(wanted, fold(name))]
        queryset = queryset.filter(pk__in=matches)
    return SearchResult(queryset, truncated)


def _name_matches(wanted: list[str], folded_name: str) -> bool:
    words = folded_name.split()
    return all(any(word.startswith(part) for word in words) for part in wanted)


# -- The dossier page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentFiles:
    component: DossierComponent
    files: list[DossierFile]


@dataclass(frozen=True)
class DossierPage:
    events: list[DossierEvent]
    components: list[ComponentFiles]
    other_files: list[DossierFile]
    step_records: list[StepRecord]
    documents: list[IssuedDocument]
    receipt: IssuedDocument | None
    remaining: dt.timedelta | None
    deadline: DeadlineStatus | None
    receipt_deadline: dt.datetime | None
    receipt_breached: bool
    # {event id: field label, old -> new} for online supplements (the SUPPLY event's diff).
    changes: dict[int, list[ChangeRow]] = field(default_factory=dict)


def dossier_page(dossier: Dossier, now: dt.datetime, clocks: Clocks) -> DossierPage:
    """Everything the back office shows about one dossier the user was allowed to open
    (dossier_get_for_user has run)."""
    events = list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor")
        .prefetch_related(Prefetch("files", queryset=DossierFile.objects.order_by("pk")))
        .order_by("at", "pk")
    )
    files = list(
        DossierFile.objects.filter(Q(event__isnull=True) | Q(component__isnull=False), dossier=dossier).order_by("pk")
    )
    # A component's files include those the citizen sent with an online supplement (attached to
    # the SUPPLY event too, so the timeline shows them where they arrived).
    components = [
        ComponentFiles(component, [f for f in files if f.component_id == component.pk])
        for component in DossierComponent.objects.filter(version_id=dossier.procedure_version_id).order_by("order")
    ]
    known = {c.component.pk for c in components}
    other_files = [f for f in files if f.component_id not in known and f.event_id is None]
    documents = list(
        IssuedDocument.objects.filter(dossier=dossier).select_related("issued_by").order_by("-issued_at", "-pk")
    )
    superseded = {d.supersedes_id for d in documents if d.supersedes_id is not None}
    receipt = next((d for d in documents if d.kind == DocumentKind.RECEIPT and d.pk not in superseded), None)
    row = rows_for([dossier], now, clocks)[0]
    return DossierPage(
        events=events,
        components=components,
        other_files=other_files,
        step_records=list(
            StepRecord.objects.filter(dossier=dossier)
            .select_related("agency", "giver", "receiver")
            .order_by("started_at", "pk")
        ),
        documents=documents,
        receipt=receipt,
        remaining=row.remaining,
        deadline=row.deadline,
        receipt_deadline=row.receipt_deadline,
        receipt_breached=row.receipt_breached,
        changes=supply_changes(events),
    )


def transfer_targets(dossier: Dossier) -> QuerySet[Agency]:
    """Agencies a dossier may be handed over to (liên thông): any other active agency."""
    return (
        Agency.objects.filter(active=True).exclude(pk=dossier.current_agency_id or dossier.agency_id).order_by("name")
    )


def dossier_file_for_user(user: User, file_id: int) -> DossierFile | None:
    """A file of a dossier the user may see (through the same gate), else None."""
    dossier_file = DossierFile.objects.filter(pk=file_id).only("pk", "dossier_id").first()
    if dossier_file is None:
        return None
    if not dossier_selectors.dossiers_visible_to(user).filter(pk=dossier_file.dossier_id).exists():
        return None
    return DossierFile.objects.get(pk=file_id)


def procedure_offered_at(procedure_id: int, agency: Agency) -> Procedure | None:
    """A published procedure the agency receives dossiers for (as receiving or competent agency)."""
    return (
        Procedure.objects.select_related("current_version")
        .filter(pk=procedure_id, current_version__isnull=False)
        .filter(Q(current_version__receiving_agencies=agency) | Q(current_version__competent_agency=agency))
        .distinct()
        .first()
    )


def receipt_components(dossier: Dossier) -> list[dict[str, object]] | None:
    """The components to list on the receipt (document 01): those ticked at the counter, else
    those with files (online), else None (the documents service then lists the procedure's)."""
    event = (
        DossierEvent.objects.filter(dossier=dossier, action=Action.RECEIVE).order_by("-at", "-pk").only("data").first()
    )
    ticked = event.data.get("components_received") if event is not None else None
    components = DossierComponent.objects.filter(version_id=dossier.procedure_version_id).order_by("order")
    if isinstance(ticked, list) and ticked:
        ids = {row["id"] for row in ticked if isinstance(row, dict) and isinstance(row.get("id"), int)}
        components = components.filter(pk__in=ids)
    else:
        with_files = DossierFile.objects.filter(dossier=dossier, component__isnull=False).values("component_id")
        components = components.filter(pk__in=with_files)
    rows = [{"name": c.name, "originals": c.originals or 0, "copies": c.copies or 0} for c in components]
    return rows or None
