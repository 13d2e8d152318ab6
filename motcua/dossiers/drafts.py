"""Drafts of online dossiers: saved at every page, resumed on any device, submitted once.

Writes of drafts live here (the dossier itself is still created only by services.dossier_submit).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Channel, DossierComponent, Procedure
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierDraft, DossierFile, DraftAttachment
from motcua.uploads.models import SERVABLE, Upload, UploadStatus
from motcua.uploads.services import UploadResult, upload_accept


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.DRAFT_EXPIRY_DAYS)


def draft_start(*, owner: User, procedure: Procedure, agency: Agency | None = None) -> DossierDraft:
    version = procedure.current_version
    if version is None or not version.channel_online:
        raise InvalidInput("Thủ tục này không nhận hồ sơ trực tuyến", "This procedure is not offered online")
    now = timezone.now()
    return DossierDraft.objects.create(
        owner=owner, procedure=procedure, procedure_version=version, agency=agency, expires_at=_expiry(now)
    )


def _owned(draft: DossierDraft, owner: User) -> DossierDraft:
    if draft.owner_id != owner.pk:
        raise NotAllowed("Đây không phải hồ sơ nháp của bạn", "This is not your draft")
    if draft.dossier_id is not None:
        raise InvalidInput("Hồ sơ nháp này đã được nộp", "This draft was already submitted")
    return draft


@transaction.atomic
def draft_save(
    *,
    draft: DossierDraft,
    owner: User,
    form_code: str,
    form_version: int,
    answers: dict[str, Any],
    position: dict[str, Any] | None = None,
) -> DossierDraft:
    """Merge one page's answers into the draft (every page is saved: nothing typed is lost)."""
    locked = _owned(DossierDraft.objects.select_for_update().get(pk=draft.pk), owner)
    entry = dict(locked.form_data.get(form_code, {}))
    entry["version"] = form_version
    entry["answers"] = {**entry.get("answers", {}), **answers}
    locked.form_data = {**locked.form_data, form_code: entry}
    if position is not None:
        locked.position = position
    locked.expires_at = _expiry(timezone.now())
    locked.expiry_warned_at = None
    locked.save(update_fields=["form_data", "position", "expires_at", "expiry_warned_at", "updated_at"])
    return locked


@transaction.atomic
def draft_submit(*, draft: DossierDraft, owner: User, agency: Agency, applicant: services.Applicant) -> Dossier:
    """The draft becomes a dossier on the online channel, its answers frozen. Idempotent: the
    draft's own id is the key, so a double click, a retry or a reload make one dossier."""
    locked = DossierDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.owner_id != owner.pk:
        raise NotAllowed("Đây không phải hồ sơ nháp của bạn", "This is not your draft")
    if locked.dossier is not None:
        return locked.dossier
    dossier = services.dossier_submit(
        procedure=locked.procedure,
        agency=agency,
        channel=Channel.ONLINE,
        applicant=applicant,
        actor=owner,
        idempotency_key=f"draft-{locked.pk}",
        form_data=locked.form_data,
    )
    locked.dossier = dossier
    locked.save(update_fields=["dossier", "updated_at"])
    return dossier


def drafts_expire(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Warn owners of drafts about to expire (once), delete expired ones. Run daily."""
    from motcua.notifications.services import notify

    now = now or timezone.now()
    open_drafts = DossierDraft.objects.filter(dossier__isnull=True).select_related("owner", "procedure_version")
    warned = 0
    soon = now + dt.timedelta(days=settings.DRAFT_WARNING_DAYS)
    for draft in open_drafts.filter(expires_at__gt=now, expires_at__lte=soon, expiry_warned_at__isnull=True):
        with transaction.atomic():
            notify(
                subject="Hồ sơ nháp sắp bị xóa",
                body=(
                    f"Hồ sơ nháp «{draft.procedure_version.name}» sẽ bị xóa lúc "
                    f"{timezone.localtime(draft.expires_at):%H:%M ngày %d/%m/%Y} nếu bạn không tiếp tục. "
                    f"Tiếp tục tại: {settings.SITE_URL}/ho-so-cua-toi/"
                ),
                user=draft.owner,
                email=draft.owner.email,
                phone=draft.owner.phone,
            )
            DossierDraft.objects.filter(pk=draft.pk).update(expiry_warned_at=now)
        warned += 1
    deleted, _by_model = open_drafts.filter(expires_at__lte=now).delete()
    return {"warned": warned, "deleted": deleted}


# -- The online journey: reads of one's drafts, attachments, checks, submission ----------------


def draft_get_for_owner(*, owner: User, draft_id: int) -> DossierDraft | None:
    """The owner's open (not yet submitted) draft, else None: someone else's looks like none."""
    return (
        DossierDraft.objects.filter(pk=draft_id, owner_id=owner.pk, dossier__isnull=True)
        .select_related("procedure", "procedure_version", "agency")
        .first()
    )


def drafts_open_of(owner: User) -> list[DossierDraft]:
    """The owner's drafts not yet submitted, newest first ("Hồ sơ của tôi")."""
    return list(
        DossierDraft.objects.filter(owner_id=owner.pk, dossier__isnull=True).select_related("procedure_version")[:50]
    )


def draft_components(draft: DossierDraft) -> list[DossierComponent]:
    return list(draft.procedure_version.components.select_related("form").order_by("order", "id"))


def draft_attachments(draft: DossierDraft) -> list[DraftAttachment]:
    return list(draft.attachments.select_related("upload", "component"))


def _component_of(draft: DossierDraft, component_id: int) -> DossierComponent:
    component = DossierComponent.objects.filter(pk=component_id, version_id=draft.procedure_version_id).first()
    if component is None:
        raise InvalidInput("Không có thành phần hồ sơ này", "No such dossier component")
    return component


@transaction.atomic
def draft_attach(
    *, draft: DossierDraft, owner: User, component_id: int, files: Sequence[UploadedFile[Any]]
) -> list[UploadResult]:
    """Check and keep each file for one component; one result per file (the good ones are
    kept even when another is refused, each refusal says why)."""
    locked = _owned(DossierDraft.objects.select_for_update().get(pk=draft.pk), owner)
    component = _component_of(locked, component_id)
    so_far = Upload.objects.filter(pk__in=locked.attachments.values("upload_id")).aggregate(total=Sum("size"))
    results = upload_accept(files=files, owner=owner, uploaded_by=owner, dossier_bytes_so_far=so_far["total"] or 0)
    for result in results:
        if result.ok and result.upload is not None:
            DraftAttachment.objects.create(draft=locked, component=component, upload=result.upload)
    locked.expires_at = _expiry(timezone.now())
    locked.save(update_fields=["expires_at", "updated_at"])
    return results


@transaction.atomic
def draft_attachment_remove(*, draft: DossierDraft, owner: User, attachment_id: int) -> None:
    """Take a file off the draft (the Upload row stays: it is the audit of what was sent)."""
    locked = _owned(DossierDraft.objects.select_for_update().get(pk=draft.pk), owner)
    DraftAttachment.objects.filter(pk=attachment_id, draft=locked).delete()


@transaction.atomic
def draft_discard(*, draft: DossierDraft, owner: User) -> None:
    """The citizen gives the draft up ("Xóa"); a submitted draft cannot be discarded."""
    _owned(DossierDraft.objects.select_for_update().get(pk=draft.pk), owner).delete()


@transaction.atomic
def draft_set_agency(*, draft: DossierDraft, owner: User, agency: Agency) -> DossierDraft:
    locked = _owned(DossierDraft.objects.select_for_update().get(pk=draft.pk), owner)
    if not draft_agencies(locked.procedure_version_id).filter(pk=agency.pk).exists():
        raise InvalidInput("Nơi nộp này không nhận hồ sơ của thủ tục", "This agency does not receive this procedure")
    locked.agency = agency
    locked.save(update_fields=["agency", "updated_at"])
    return locked


def draft_agencies(version_id: int) -> Any:
    """Where the dossier may be sent: the published receiving agencies, else the competent one."""
    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.select_related("competent_agency").get(pk=version_id)
    places = version.receiving_agencies.order_by("name")
    if places.exists():
        return places
    return Agency.objects.filter(pk=version.competent_agency_id)


@dataclass(frozen=True, kw_only=True)
class DraftProblem:
    """Something that stops submission: a form answer (form, section, path) or a component
    without a file, or a file still being scanned."""

    message: str
    form_code: str = ""
    section: int | None = None
    path: str = ""
    component_id: int | None = None


def draft_problems(draft: DossierDraft) -> list[DraftProblem]:
    """Every reason the draft cannot be submitted yet, in page order; [] means ready."""
    from motcua.eforms import engine

    problems: list[DraftProblem] = []
    if draft.agency_id is None:
        problems.append(DraftProblem(message=_("Chưa chọn nơi nộp hồ sơ")))
    attachments = draft_attachments(draft)
    for component in draft_components(draft):
        if component.form is not None:
            form = component.form
            answers = draft.form_data.get(form.code, {}).get("answers", {})
            fields = {f.path: (s.index, f.label) for s in engine.sections(form) for f in s.fields}
            for path, messages in engine.validate_all(form, answers).items():
                index, label = fields.get(path, fields.get(path.split(".", 1)[0], (0, "")))
                for message in messages:
                    problems.append(
                        DraftProblem(
                            message=f"{label}: {message}" if label else message,
                            form_code=form.code,
                            section=index,
                            path=path,
                        )
                    )
            continue
        mine = [a for a in attachments if a.component_id == component.pk]
        if component.required and not mine:
            problems.append(
                DraftProblem(
                    message=_("Chưa đính kèm: %(component)s") % {"component": component.name},
                    component_id=component.pk,
                )
            )
        for attachment in mine:
            if attachment.upload.status == UploadStatus.QUARANTINED:
                problems.append(
                    DraftProblem(
                        message=_("Tệp «%(file)s» đang được quét virus, vui lòng chờ một lát rồi nộp lại")
                        % {"file": attachment.upload.display_name},
                        component_id=component.pk,
                    )
                )
            elif attachment.upload.status not in SERVABLE:
                problems.append(
                    DraftProblem(
                        message=_("Tệp «%(file)s» không dùng được, hãy xóa và tải tệp khác")
                        % {"file": attachment.upload.display_name},
                        component_id=component.pk,
                    )
                )
    return problems


def _applicant_of(owner: User) -> services.Applicant:
    return services.Applicant(
        name=owner.full_name or owner.get_full_name() or owner.username,
        id_number=owner.personal_id,
        phone=owner.phone,
        email=owner.email,
        address=owner.address,
        user=owner,
    )


@transaction.atomic
def draft_submit_online(*, draft: DossierDraft, owner: User) -> Dossier:
    """Check the draft, submit it (idempotent: see draft_submit) and turn its attachments into
    the dossier's files. A repeated call returns the dossier made by the first one."""
    # Locked first: a double click waits here, then finds the dossier already made.
    locked = DossierDraft.objects.select_for_update().select_related("procedure", "procedure_version").get(pk=draft.pk)
    if locked.owner_id != owner.pk:
        raise NotAllowed("Đây không phải hồ sơ nháp của bạn", "This is not your draft")
    if locked.dossier_id is not None:
        return Dossier.objects.get(pk=locked.dossier_id)
    problems = draft_problems(locked)
    if problems:
        raise InvalidInput("; ".join(p.message for p in problems), "The draft is not complete")
    assert locked.agency is not None  # draft_problems says so otherwise
    dossier = draft_submit(draft=locked, owner=owner, agency=locked.agency, applicant=_applicant_of(owner))
    for attachment in draft_attachments(locked):
        _dossier_file_from_upload(dossier=dossier, attachment=attachment, actor=owner)
    return dossier


def _dossier_file_from_upload(*, dossier: Dossier, attachment: DraftAttachment, actor: User) -> DossierFile:
    """The upload was inspected (type by content, re-encoded) when received and scanned since:
    its stored bytes are copied as they are, under a new random name in the dossier's folder."""
    upload = attachment.upload
    if upload.status not in SERVABLE or not upload.file:  # draft_problems refuses these first
        raise InvalidInput("Tệp đính kèm chưa sẵn sàng", "An attachment is not ready")
    with upload.file.open("rb") as stored:
        data = stored.read()
    stored_name = upload.file.name or ""
    extension = stored_name.rsplit(".", 1)[-1] if "." in stored_name else "bin"
    return DossierFile.objects.create(
        dossier=dossier,
        component=attachment.component,
        file=ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}"),
        name=upload.display_name,
        content_type=upload.content_type,
        size=len(data),
        uploaded_by=actor,
    )


def draft_upload_visible(user: User, upload: Upload) -> bool:
    """Upload gate: officials of the agency a submitted draft went to may read its files (the
    owner already may). Unsubmitted drafts are private to their owner."""
    from motcua.dossiers.selectors import official_agency_ids

    agencies = official_agency_ids(user)
    if not agencies:
        return False
    return DraftAttachment.objects.filter(
        upload_id=upload.pk, draft__dossier__isnull=False, draft__dossier__agency_id__in=agencies
    ).exists()


@transaction.atomic
def draft_save_page(
    *,
    draft: DossierDraft,
    owner: User,
    form_code: str,
    form_version: int,
    answers_patch: dict[str, Any],
    position: dict[str, Any] | None = None,
) -> DossierDraft:
    """Apply one page's patch from the e-form engine ({dotted path: value}, None removes) to the
    stored answers, then save through draft_save. The patch is applied to the row read under
    the lock: two tabs saving different pages both keep their answers, and a removed answer
    (a field hidden again) really goes, which a shallow merge of whole answers would not do."""
    from motcua.eforms import engine

    locked = _owned(DossierDraft.objects.select_for_update().get(pk=draft.pk), owner)
    stored = dict(locked.form_data.get(form_code, {}).get("answers", {}))
    answers = engine.apply_patch(stored, answers_patch)
    # Keys the patch removed are gone from `answers`; draft_save merges, so replace the entry.
    locked.form_data = {**locked.form_data, form_code: {"version": form_version, "answers": {}}}
    locked.save(update_fields=["form_data"])
    return draft_save(
        draft=locked,
        owner=owner,
        form_code=form_code,
        form_version=form_version,
        answers=answers,
        position=position,
    )


@transaction.atomic
def draft_position_save(*, draft: DossierDraft, owner: User, position: dict[str, Any]) -> DossierDraft:
    """Remember the page the citizen moved to (a page without answers: attachments, review)."""
    locked = _owned(DossierDraft.objects.select_for_update().get(pk=draft.pk), owner)
    locked.position = position
    locked.expires_at = _expiry(timezone.now())
    locked.expiry_warned_at = None
    locked.save(update_fields=["position", "expires_at", "expiry_warned_at", "updated_at"])
    return locked
