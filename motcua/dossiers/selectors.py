"""All reads of dossiers, and the one permission gate every interface uses."""

from __future__ import annotations

import hmac

from django.db.models import Q, QuerySet

from motcua.accounts.models import Membership, User
from motcua.core.errors import NotAllowed
from motcua.dossiers.lifecycle import FINAL, Status
from motcua.dossiers.models import Dossier, DossierView


def official_agency_ids(user: User) -> set[int]:
    return set(Membership.objects.filter(user=user, active=True).values_list("agency_id", flat=True))


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Officials see the dossiers received by, or now handled by, their agencies; an applicant
    sees their own. Nobody else sees any."""
    agencies = official_agency_ids(user)
    return Dossier.objects.filter(
        Q(agency_id__in=agencies) | Q(current_agency_id__in=agencies) | Q(applicant_id=user.pk)
    ).select_related("procedure_version", "agency", "current_agency", "current_step", "assignee")


def dossier_get_for_user(user: User, dossier_id: int, *, record_view: bool = True) -> Dossier:
    """The dossier if `user` may see it, else NotAllowed (never "not found vs forbidden" leaks:
    both say the same). An official's view is written to the audit log."""
    if not user.is_authenticated:
        raise NotAllowed("Cần đăng nhập", "Please log in")
    dossier = dossiers_visible_to(user).filter(pk=dossier_id).first()
    if dossier is None:
        raise NotAllowed("Không có hồ sơ này hoặc bạn không có quyền xem", "No such dossier, or not yours to see")
    if record_view and dossier.applicant_id != user.pk:
        DossierView.objects.create(dossier=dossier, user=user)
    return dossier


def running() -> Q:
    return ~Q(status__in=[s.value for s in FINAL])


def dossier_track(code: str, id_last4: str) -> Dossier | None:
    """The dossier with this code whose applicant's ID (or tax code) ends with these 4 digits.

    Both are needed: a code alone is printed on paper and guessable. Whether the code exists
    or the digits are wrong, the answer is the same None.
    """
    dossier = dossier_by_code(code)
    digits = "".join(ch for ch in id_last4 if ch.isdigit())
    if dossier is None or len(digits) != 4 or len(dossier.applicant_id_number) < 4:
        return None
    return dossier if hmac.compare_digest(dossier.applicant_id_number[-4:], digits) else None


def dossier_by_code(code: str) -> Dossier | None:
    return Dossier.objects.select_related("procedure_version", "agency").filter(code=code.strip()).first()


__all__ = ["Status", "dossier_by_code", "dossier_get_for_user", "dossiers_visible_to", "running"]


def dossiers_of_applicant(user: User) -> QuerySet[Dossier]:
    """A citizen's own dossiers ("hồ sơ của tôi"), newest first."""
    return (
        Dossier.objects.filter(applicant_id=user.pk)
        .select_related("procedure_version", "agency")
        .order_by("-submitted_at")
    )


def applicant_dossier(user: User, code: str) -> Dossier | None:
    return dossiers_of_applicant(user).filter(code=code).first()
