"""Counter and postal intake (tiếp nhận trực tiếp, qua bưu chính): the writes the back office adds
around the dossier services.

The dossier row itself is only ever written by motcua.dossiers.services (submit, transition);
here we attach the scanned components (DossierFile rows) and record that digitisation is
complete. Each write leaves a DossierEvent row, so the audit trail shows who scanned what, when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Channel, DossierComponent, Procedure
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import FINAL, Action, Role, Status
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile

_SCANNERS = frozenset({Role.RECEIVING_OFFICER})


def _require_scanner(actor: User, dossier: Dossier) -> None:
    if not services.actor_roles(actor, dossier) & _SCANNERS:
        raise NotAllowed(
            "Chỉ cán bộ tiếp nhận của cơ quan được số hóa hồ sơ này",
            "Only the agency's receiving officers may digitise this dossier",
        )
    if Status(dossier.status) in FINAL:
        raise InvalidInput("Hồ sơ đã kết thúc", "The dossier is closed")


def dossier_component_files_attach(
    *,
    dossier: Dossier,
    component: DossierComponent,
    files: Sequence[UploadedFile[Any]],
    actor: User,
    now: dt.datetime | None = None,
) -> list[DossierFile]:
    """Scans of one paper component (bản số hóa), checked like every upload (PDF or images,
    at most 20 MB each: services.dossier_files_store)."""
    if not files:
        return []
    if component.version_id != dossier.procedure_version_id:
        raise InvalidInput(
            "Thành phần hồ sơ không thuộc thủ tục của hồ sơ này",
            "The component is not one of this dossier's procedure",
        )
    _require_scanner(actor, dossier)
    now = now or timezone.now()
    with transaction.atomic():
        created = services.dossier_files_store(
            dossier=dossier, files=files, actor=actor, component=component, digitised=True
        )
        DossierEvent.objects.create(
            dossier=dossier,
            at=now,
            actor=actor,
            actor_role=Role.RECEIVING_OFFICER,
            note=f"Số hóa thành phần “{component.name}”: {len(created)} tệp",
            data={"component": component.pk, "files": [f.pk for f in created]},
        )
    return created


def dossier_mark_digitised(*, dossier: Dossier, actor: User, now: dt.datetime | None = None) -> bool:
    """Record that every paper component has been scanned. Returns False when it already was.

    The flag is set with an UPDATE under the row lock, not by saving the model: the dossier row
    belongs to the transition service, and the revision goes up so an open form in another tab
    notices the change.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        _require_scanner(actor, locked)
        if locked.digitisation_complete:
            return False
        Dossier.objects.filter(pk=locked.pk).update(digitisation_complete=True, revision=F("revision") + 1)
        DossierEvent.objects.create(
            dossier=locked,
            at=now,
            actor=actor,
            actor_role=Role.RECEIVING_OFFICER,
            note="Hoàn thành số hóa hồ sơ giấy",
            data={"digitisation_complete": True},
        )
    dossier.digitisation_complete = True
    dossier.revision = locked.revision + 1
    return True


@dataclass(kw_only=True)
class CounterIntake:
    """What the receiving officer has in hand at the counter (or from the post)."""

    procedure: Procedure
    agency: Agency
    channel: str
    applicant: services.Applicant
    posted_at: dt.datetime | None = None
    components_received: Sequence[DossierComponent] = ()
    # component pk -> its scans
    scans: Mapping[int, Sequence[UploadedFile[Any]]] = field(default_factory=dict)
    digitisation_complete: bool = False
    # The appointment, only when the procedure publishes no processing time.
    due_at: dt.datetime | None = None
    note: str = ""
    summary: str = ""


def missing_required_components(version_components: Sequence[DossierComponent], received: Sequence[int]) -> list[str]:
    """Names of the required components not ticked as received (pure)."""
    ticked = set(received)
    return [c.name for c in version_components if c.required and c.pk not in ticked]


@transaction.atomic
def dossier_intake_at_counter(*, intake: CounterIntake, actor: User, now: dt.datetime | None = None) -> Dossier:
    """Submit, attach the scans, and receive, all or nothing: a refused receipt (no appointment,
    an invalid scan) leaves no half-made dossier and gives its code back (services.dossier_code_next).

    A dossier missing a required component is not received: the officer guides the applicant to
    complete it first (Decree 61/2018 Art. 19: only a complete dossier gets a receipt).
    """
    now = now or timezone.now()
    if intake.channel not in (Channel.COUNTER, Channel.POST):
        raise InvalidInput("Tại quầy chỉ nhận hồ sơ trực tiếp hoặc qua bưu chính", "Counter or post only")
    version = intake.procedure.current_version
    if version is None:
        raise InvalidInput("Thủ tục chưa được công bố", "The procedure is not published")
    components = list(DossierComponent.objects.filter(version=version).order_by("order"))
    known = {c.pk for c in components}
    received = [c for c in intake.components_received if c.pk in known]
    missing = missing_required_components(components, [c.pk for c in received])
    if missing:
        raise InvalidInput(
            "Hồ sơ chưa đủ thành phần bắt buộc: hướng dẫn người nộp bổ sung trước khi tiếp nhận",
            "Required components are missing: guide the applicant to complete the dossier before receipt",
            problems=missing,
        )
    stray = set(intake.scans) - {c.pk for c in received}
    if stray:
        raise InvalidInput(
            "Có tệp số hóa cho thành phần chưa được đánh dấu đã nhận",
            "There are scans for components not ticked as received",
        )
    services._check_files([upload for uploads in intake.scans.values() for upload in uploads])
    dossier = services.dossier_submit(
        procedure=intake.procedure,
        agency=intake.agency,
        channel=intake.channel,
        applicant=intake.applicant,
        actor=actor,
        summary=intake.summary,
        posted_at=intake.posted_at,
        now=now,
    )
    for component in received:
        dossier_component_files_attach(
            dossier=dossier, component=component, files=intake.scans.get(component.pk, ()), actor=actor, now=now
        )
    if intake.digitisation_complete:
        dossier_mark_digitised(dossier=dossier, actor=actor, now=now)
    return services.dossier_transition(
        dossier=dossier,
        actor=actor,
        transition=services.Transition(
            action=Action.RECEIVE,
            note=intake.note,
            due_at=intake.due_at,
            data={"components_received": [{"id": c.pk, "name": c.name} for c in received]},
        ),
        now=now,
    )
