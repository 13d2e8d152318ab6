"""Dossier test data, built through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from motcua.accounts.models import Membership, User, UserKind
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Role
from motcua.dossiers.models import Dossier, Workflow, WorkflowStep

_counter = itertools.count(1)


def make_official(agency: Agency, role: str, username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"{role}-{next(_counter)}", password="x", kind=UserKind.OFFICIAL, full_name=role
    )
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


def make_citizen(username: str | None = None) -> User:
    return User.objects.create_user(
        username=username or f"citizen-{next(_counter)}",
        password="x",
        kind=UserKind.CITIZEN,
        full_name="Nguyễn Văn An",
    )


def make_workflow(procedure: Procedure, agency: Agency | None = None) -> Workflow:
    """Receive (4 h) → specialist (8 h) → department head approves (4 h) → leader signs (4 h)."""
    assert procedure.current_version is not None
    workflow = Workflow.objects.create(procedure_version=procedure.current_version)
    for order, (name, role, hours, approval, signature) in enumerate(
        [
            ("Tiếp nhận, chuyển xử lý", Role.RECEIVING_OFFICER, "4", False, False),
            ("Thẩm định hồ sơ", Role.SPECIALIST, "8", False, False),
            ("Trưởng phòng xem xét", Role.DEPARTMENT_HEAD, "4", True, False),
            ("Lãnh đạo ký duyệt", Role.LEADER, "4", False, True),
        ],
        1,
    ):
        WorkflowStep.objects.create(
            workflow=workflow,
            order=order,
            name=name,
            role=role,
            agency=agency,
            budget_hours=Decimal(hours),
            needs_approval=approval,
            needs_signature=signature,
        )
    return workflow


def make_dossier(
    *,
    procedure: Procedure | None = None,
    agency: Agency | None = None,
    channel: str = Channel.COUNTER,
    officer: User | None = None,
    applicant: User | None = None,
    now: dt.datetime | None = None,
    with_workflow: bool = True,
) -> Dossier:
    """A dossier waiting for receipt (status 1), at a ward with a 3-working-day procedure."""
    agency = agency or make_agency()
    procedure = procedure or make_procedure(agency=agency, channel_online=True)
    if with_workflow and not Workflow.objects.filter(procedure_version=procedure.current_version).exists():
        make_workflow(procedure)
    if channel != Channel.ONLINE and officer is None:
        officer = make_official(agency, Role.RECEIVING_OFFICER)
    return services.dossier_submit(
        procedure=procedure,
        agency=agency,
        channel=channel,
        applicant=services.Applicant(
            name="Nguyễn Văn An", id_number="079215000001", phone="0912345678", user=applicant
        ),
        actor=applicant if channel == Channel.ONLINE else officer,
        posted_at=now if channel == Channel.POST else None,
        now=now,
    )
