"""The office's open supplement request of a dossier, for the citizen's dossier page banner."""

from __future__ import annotations

from django import template

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierEvent

register = template.Library()


@register.simple_tag
def open_supplement_request(dossier: Dossier) -> DossierEvent | None:
    """The last supplement request while the dossier waits for it; None otherwise."""
    if Status(dossier.status) != Status.SUPPLEMENT_REQUESTED:
        return None
    from motcua.portal.supplement_views import supplement_request_event

    return supplement_request_event(dossier)
