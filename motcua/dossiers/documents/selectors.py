"""Reads for the standard documents: which wording applies, the register's dossiers, the last
issued version."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.dossiers.models import DocumentKind, DocumentTemplate, Dossier, IssuedDocument


def document_template_for(kind: DocumentKind, agency: Agency) -> DocumentTemplate | None:
    """The agency's own active wording of `kind`, else the one for all agencies, else None
    (the default template file then applies)."""
    templates = DocumentTemplate.objects.filter(kind=kind, active=True)
    return templates.filter(agency=agency).first() or templates.filter(agency__isnull=True).first()


def issued_document_latest(*, dossier: Dossier, kind: DocumentKind) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(dossier=dossier, kind=kind).order_by("-version").first()


def register_latest(*, agency: Agency, start: dt.date, end: dt.date) -> IssuedDocument | None:
    """The last register (07) issued for exactly this agency and period."""
    return (
        IssuedDocument.objects.filter(
            dossier__isnull=True,
            agency=agency,
            kind=DocumentKind.REGISTER,
            data__start=start.isoformat(),
            data__end=end.isoformat(),
        )
        .order_by("-version")
        .first()
    )


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the local time zone: the register's period is in
    local days (a dossier received at 23:30 on the 30th belongs to the 30th, not the 1st UTC)."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def register_dossiers(*, agency: Agency, start: dt.date, end: dt.date) -> QuerySet[Dossier]:
    """The dossiers an agency received in a period, in order of receipt (Sổ theo dõi hồ sơ).

    Only received dossiers are entered in the register: one refused or sent back for
    correction at the counter was never received (REGULATIONS.md §2, step 3).
    """
    since, until = day_bounds(start, end)
    return (
        Dossier.objects.filter(agency=agency, received_at__gte=since, received_at__lt=until)
        .select_related("procedure_version")
        .order_by("received_at", "id")
    )
