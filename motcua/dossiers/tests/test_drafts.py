"""Drafts: saved page by page, owned, submitted once, expired with a warning first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers import drafts
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.dossiers.services import Applicant
from motcua.dossiers.tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def test_a_draft_keeps_every_page_and_becomes_one_dossier() -> None:
    agency = make_agency()
    procedure = make_procedure(agency=agency, channel_online=True)
    citizen = make_citizen()
    draft = drafts.draft_start(owner=citizen, procedure=procedure)
    draft = drafts.draft_save(
        draft=draft,
        owner=citizen,
        form_code="to-khai",
        form_version=1,
        answers={"ho_ten": "Lê An"},
        position={"form": "to-khai", "section": 1},
    )
    draft = drafts.draft_save(
        draft=draft, owner=citizen, form_code="to-khai", form_version=1, answers={"ngay_sinh": "2015-01-02"}
    )
    assert draft.form_data == {"to-khai": {"version": 1, "answers": {"ho_ten": "Lê An", "ngay_sinh": "2015-01-02"}}}
    with pytest.raises(NotAllowed):
        drafts.draft_save(draft=draft, owner=make_citizen(), form_code="to-khai", form_version=1, answers={})
    applicant = Applicant(name="Lê An", id_number="079215000001", user=citizen)
    dossier = drafts.draft_submit(draft=draft, owner=citizen, agency=agency, applicant=applicant)
    assert drafts.draft_submit(draft=draft, owner=citizen, agency=agency, applicant=applicant).pk == dossier.pk
    assert Dossier.objects.count() == 1
    assert dossier.form_data["to-khai"]["answers"]["ho_ten"] == "Lê An"
    with pytest.raises(InvalidInput, match="đã được nộp"):
        drafts.draft_save(draft=draft, owner=citizen, form_code="to-khai", form_version=1, answers={})


def test_drafts_are_warned_then_deleted_but_submitted_ones_stay() -> None:
    agency = make_agency()
    procedure = make_procedure(agency=agency, channel_online=True)
    citizen = make_citizen()
    old = drafts.draft_start(owner=citizen, procedure=procedure)
    done = drafts.draft_start(owner=citizen, procedure=procedure)
    drafts.draft_submit(draft=done, owner=citizen, agency=agency, applicant=Applicant(name="An", user=citizen))
    now = timezone.now()
    assert drafts.drafts_expire(now=old.expires_at - dt.timedelta(days=2)) == {"warned": 1, "deleted": 0}
    assert drafts.drafts_expire(now=old.expires_at - dt.timedelta(days=1)) == {"warned": 0, "deleted": 0}
    assert drafts.drafts_expire(now=old.expires_at + dt.timedelta(seconds=1))["deleted"] == 1
    assert list(DossierDraft.objects.all()) == [DossierDraft.objects.get(pk=done.pk)]
    assert now


def test_offline_procedures_have_no_drafts() -> None:
    procedure = make_procedure(channel_online=False)
    with pytest.raises(InvalidInput, match="trực tuyến"):
        drafts.draft_start(owner=make_citizen(), procedure=procedure)
