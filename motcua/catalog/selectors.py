"""All reads of the catalogue."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from motcua.catalog.models import (
    Agency,
    DossierComponent,
    Field,
    Procedure,
    ProcedureStatus,
    ProcedureVersion,
    Topic,
)


def procedures_public() -> QuerySet[Procedure]:
    """Procedures a citizen can see: not abolished, with a version in force."""
    return (
        Procedure.objects.exclude(status=ProcedureStatus.ABOLISHED)
        .filter(current_version__isnull=False)
        .select_related("field", "current_version", "current_version__competent_agency")
    )


def procedure_get_by_key(key: str) -> Procedure | None:
    """By national code (1.001193) or, for procedures without one, by slug.

    Abolished procedures are still found here (not in lists or search), so an old link or a
    printed QR code tells the citizen the procedure was abolished instead of "not found".
    """
    queryset = Procedure.objects.filter(current_version__isnull=False).select_related(
        "field", "current_version", "current_version__competent_agency"
    )
    return queryset.filter(national_code=key).first() or queryset.filter(slug=key).first()


def version_detail(version_id: int) -> ProcedureVersion:
    """A version with everything level 1 publishes, in as few queries as it takes."""
    return (
        ProcedureVersion.objects.select_related("procedure", "procedure__field", "competent_agency")
        .prefetch_related(
            "steps",
            "legal_bases",
            "fees",
            "channel_times",
            "receiving_agencies",
            Prefetch("components", queryset=DossierComponent.objects.select_related("form")),
            "procedure__topics",
        )
        .get(pk=version_id)
    )


def agencies_public() -> QuerySet[Agency]:
    return Agency.objects.filter(active=True).select_related("parent")


def agency_get_by_code(code: str) -> Agency | None:
    return agencies_public().filter(code=code).first()


def topics_all() -> QuerySet[Topic]:
    """Life events and topics, in their browsing order (the portal shows those with procedures)."""
    return Topic.objects.all()


def fields_all() -> QuerySet[Field]:
    return Field.objects.order_by("name")


def procedure_for_submission(key: str) -> Procedure | None:
    """The procedure and its version in force, as catalog.selectors.procedure_get_by_key finds
    it (national code first, then slug), without the joins a submission never reads (field,
    competent agency): this runs on every online submission, and building the SQL for all 45
    columns of a procedure and its version cost more CPU than the rest of the lookup. Only the
    columns the submission reads are loaded; any other one still loads on first use."""
    queryset = (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("current_version")
        .only("national_code", "slug", "current_version__name", "current_version__channel_online")
    )
    return queryset.filter(national_code=key).first() or queryset.filter(slug=key).first()
