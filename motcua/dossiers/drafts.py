"""Drafts of online dossiers: saved at every page, resumed on any device, submitted once.

Writes of drafts live here (the dossier itself is still created only by services.dossier_submit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierDraft


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
    deleted, _ = open_drafts.filter(expires_at__lte=now).delete()
    return {"warned": warned, "deleted": deleted}
