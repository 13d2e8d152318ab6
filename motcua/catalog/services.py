"""All writes to the catalogue. Published versions are immutable: edits make a new draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.catalog.models import (
    VERSION_CONTENT_FIELDS,
    Agency,
    DossierComponent,
    Fee,
    FeeKind,
    Field,
    LegalBasis,
    Procedure,
    ProcedureStep,
    ProcedureVersion,
    ProcessingTimeByChannel,
    Topic,
    VersionState,
)
from motcua.core.errors import InvalidInput
from motcua.core.text import fold
from motcua.eforms.models import FormDefinition


@dataclass(frozen=True, kw_only=True)
class FeeData:
    name: str
    kind: str = FeeKind.FEE
    amount_vnd: int | None = None
    code: str = ""
    exemptions: str = ""


@dataclass(frozen=True, kw_only=True)
class ComponentData:
    name: str
    originals: int | None = None
    copies: int | None = None
    required: bool = True
    code: str = ""
    note: str = ""
    form: FormDefinition | None = None


@dataclass(frozen=True, kw_only=True)
class ChannelTimeData:
    channel: str
    value: Decimal
    unit: str
    note: str = ""


_Data = TypeVar("_Data", FeeData, ComponentData, ChannelTimeData)


@dataclass(kw_only=True)
class VersionContent:
    """What a version says; `fields` holds the plain ProcedureVersion columns."""

    fields: dict[str, Any]
    steps: Sequence[str] = ()
    legal_bases: Sequence[str] = ()
    fees: Sequence[FeeData] = ()
    components: Sequence[ComponentData] = ()
    channel_times: Sequence[ChannelTimeData] = ()
    receiving_agencies: Sequence[Agency] = ()


def version_search_text(version: ProcedureVersion) -> str:
    """The folded text search looks in: code, names, field, agency, summary."""
    procedure = version.procedure
    parts = [
        procedure.national_code or "",
        version.name,
        version.name_en,
        procedure.field.name,
        version.competent_agency.name,
        version.summary,
    ]
    return fold(" ".join(parts))


def field_get_or_create(*, name: str, code: str = "", name_en: str = "") -> Field:
    from django.utils.text import slugify

    slug = slugify(fold(name))[:120]
    field, _created = Field.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_en": name_en, "code": code or slug}
    )
    return field


def procedure_create(
    *, field: Field, slug: str, national_code: str | None = None, topics: Iterable[Topic] = ()
) -> Procedure:
    procedure = Procedure(field=field, slug=slug, national_code=national_code or None)
    procedure.full_clean()
    procedure.save()
    procedure.topics.set(list(topics))
    return procedure


@transaction.atomic
def procedure_version_create(*, procedure: Procedure, content: VersionContent) -> ProcedureVersion:
    """A new draft version of `procedure`, numbered after the last one."""
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ProcedureVersion(procedure=procedure, number=last + 1, state=VersionState.DRAFT, **content.fields)
    _check_version_rules(version)
    version.full_clean(exclude=["search_text"])
    version.search_text = version_search_text(version)
    version.save()
    _write_children(version, content)
    return version


PROCESSING_TIME_RULE = (
    "Thời hạn giải quyết phải lớn hơn 0, trừ thủ tục trả trong ngày (0) có giờ chốt",
    "The processing time must be > 0, unless same-day (0) with a cut-off time",
)


def processing_time_is_valid(value: Decimal | None, cutoff: object) -> bool:
    """> 0, or 0 for a same-day procedure with a cut-off; None means "not published"."""
    return value is None or value > 0 or (value == 0 and bool(cutoff))


def _check_version_rules(version: ProcedureVersion) -> None:
    if not processing_time_is_valid(version.processing_time_value, version.same_day_cutoff):
        raise InvalidInput(
            "Phiên bản thủ tục không hợp lệ",
            "Invalid procedure version",
            problems=[" / ".join(PROCESSING_TIME_RULE)],
        )


def _values(data: Any) -> dict[str, Any]:
    """A data class's fields as keyword arguments (shallow: model instances stay themselves)."""
    return {f.name: getattr(data, f.name) for f in dataclass_fields(data)}


def _from_row(data_class: type[_Data], row: Any) -> _Data:
    """The data class built from the same-named attributes of a model row."""
    return data_class(**{f.name: getattr(row, f.name) for f in dataclass_fields(data_class)})


def _write_children(version: ProcedureVersion, content: VersionContent) -> None:
    ProcedureStep.objects.bulk_create(
        ProcedureStep(version=version, order=i, description=text) for i, text in enumerate(content.steps, 1)
    )
    LegalBasis.objects.bulk_create(
        LegalBasis(version=version, order=i, title=text) for i, text in enumerate(content.legal_bases, 1)
    )
    fees = [Fee(version=version, order=i, **_values(f)) for i, f in enumerate(content.fees, 1)]
    components = [DossierComponent(version=version, order=i, **_values(c)) for i, c in enumerate(content.components, 1)]
    for row in [*fees, *components]:
        row.full_clean(exclude=["version"])
    Fee.objects.bulk_create(fees)
    DossierComponent.objects.bulk_create(components)
    ProcessingTimeByChannel.objects.bulk_create(
        ProcessingTimeByChannel(version=version, **_values(t)) for t in content.channel_times
    )
    version.receiving_agencies.set(list(content.receiving_agencies))


def version_content(version: ProcedureVersion) -> VersionContent:
    """Everything a version says, as data (to copy it into a new draft, or to export it)."""
    fields = {}
    for name in VERSION_CONTENT_FIELDS:
        attname = ProcedureVersion._meta.get_field(name).attname  # type: ignore[union-attr]
        fields[attname] = getattr(version, attname)
    return VersionContent(
        fields=fields,
        steps=[s.description for s in version.steps.all()],
        legal_bases=[b.title for b in version.legal_bases.all()],
        fees=[_from_row(FeeData, f) for f in version.fees.all()],
        components=[_from_row(ComponentData, c) for c in version.components.all()],
        channel_times=[_from_row(ChannelTimeData, t) for t in version.channel_times.all()],
        receiving_agencies=list(version.receiving_agencies.all()),
    )


def ensure_editable(version: ProcedureVersion) -> None:
    if version.state == VersionState.PUBLISHED:
        raise InvalidInput(
            "Phiên bản đã công bố không được sửa; hãy tạo phiên bản mới",
            "A published version cannot be edited; create a new version",
        )


@transaction.atomic
def procedure_version_new_draft(
    *, version: ProcedureVersion, effective_from: dt.date | None = None
) -> ProcedureVersion:
    """Editing a published version: copy it into the next draft version."""
    content = version_content(version)
    if effective_from is not None:
        content.fields["effective_from"] = effective_from
    return procedure_version_create(procedure=version.procedure, content=content)


@transaction.atomic
def procedure_version_publish(*, version: ProcedureVersion) -> ProcedureVersion:
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    ensure_editable(version)
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.search_text = version_search_text(version)
    version.save(update_fields=["state", "published_at", "search_text", "updated_at"])
    procedure_refresh_current_version(procedure=version.procedure)
    return version


def procedure_refresh_current_version(*, procedure: Procedure, today: dt.date | None = None) -> None:
    """Point the procedure at its newest published version already in force."""
    today = today or timezone.localdate()
    current = (
        procedure.versions.filter(state=VersionState.PUBLISHED, effective_from__lte=today)
        .order_by("-effective_from", "-number")
        .first()
    )
    if procedure.current_version_id != (current.pk if current else None):
        procedure.current_version = current
        procedure.save(update_fields=["current_version", "updated_at"])


def catalog_refresh_current_versions(*, today: dt.date | None = None) -> int:
    """Daily: versions whose effective date has come take over. Returns how many procedures moved."""
    today = today or timezone.localdate()
    moved = 0
    stale = Procedure.objects.filter(
        Q(versions__state=VersionState.PUBLISHED, versions__effective_from__lte=today)
    ).distinct()
    for procedure in stale.iterator():
        before = procedure.current_version_id
        procedure_refresh_current_version(procedure=procedure, today=today)
        moved += before != procedure.current_version_id
    return moved


# -- Agencies, topics and procedure identity (used by the catalogue import and the admin) ------


def agency_create_or_update(*, code: str, values: dict[str, Any]) -> tuple[Agency, str]:
    """Create the agency with this Circular 10/2016 code, or bring it up to date.

    Returns the agency and "created", "updated" or "unchanged" (an import run twice writes
    nothing the second time).
    """
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        agency = Agency(code=code, **values)
        agency.full_clean()
        agency.save()
        return agency, "created"
    changed = [name for name, value in values.items() if getattr(agency, name) != value]
    if not changed:
        return agency, "unchanged"
    for name in changed:
        setattr(agency, name, values[name])
    agency.full_clean()
    agency.save()
    return agency, "updated"


def topic_get_or_create(*, slug: str, name: str) -> Topic:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        topic = Topic(slug=slug, name=name)
        topic.full_clean()
        topic.save()
    return topic


def procedure_update(
    *,
    procedure: Procedure,
    field: Field,
    slug: str,
    national_code: str | None,
    status: str,
    topics: Iterable[Topic],
) -> bool:
    """Change a procedure's identity and classification (not its content: that is versions).

    Returns whether anything changed.
    """
    topics = list(topics)
    changed = [
        name
        for name, value in (("field", field), ("slug", slug), ("national_code", national_code), ("status", status))
        if getattr(procedure, name) != value
    ]
    for name in changed:
        setattr(procedure, name, {"field": field, "slug": slug, "national_code": national_code, "status": status}[name])
    if changed:
        procedure.full_clean()
        procedure.save()
    topics_changed = {t.pk for t in procedure.topics.all()} != {t.pk for t in topics}
    if topics_changed:
        procedure.topics.set(topics)
    return bool(changed) or topics_changed
