"""Online submission: idempotent under retries and concurrent double clicks; answers frozen."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connections

from motcua.catalog.models import Channel
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.core.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, dossier_submit
from motcua.dossiers.tests.factories import make_citizen


def submit(procedure: Any, agency: Any, citizen: Any, key: str | None) -> Dossier:
    return dossier_submit(
        procedure=procedure,
        agency=agency,
        channel=Channel.ONLINE,
        applicant=Applicant(name="Nguyễn Văn An", id_number="079215000001", user=citizen),
        actor=citizen,
        idempotency_key=key,
        form_data={"to-khai-dang-ky-khai-sinh": {"version": 1, "answers": {"ho_ten": "Nguyễn Văn Bé"}}},
    )


@pytest.mark.django_db
def test_the_same_key_returns_the_same_dossier_and_answers_are_kept() -> None:
    agency = make_agency()
    procedure = make_procedure(agency=agency, channel_online=True)
    citizen = make_citizen()
    first = submit(procedure, agency, citizen, "key-1")
    again = submit(procedure, agency, citizen, "key-1")
    assert again.pk == first.pk and Dossier.objects.count() == 1
    assert first.form_data["to-khai-dang-ky-khai-sinh"]["answers"]["ho_ten"] == "Nguyễn Văn Bé"
    other = make_citizen()
    with pytest.raises(InvalidInput):
        submit(procedure, agency, other, "key-1")  # someone else's key never shows their dossier
    assert submit(procedure, agency, citizen, "key-2").code.endswith("-0002")


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_double_clicks_make_one_dossier_and_no_hole_in_the_codes() -> None:
    agency = make_agency()
    procedure = make_procedure(agency=agency, channel_online=True)
    citizen = make_citizen()
    barrier = threading.Barrier(8)

    def click(_: int) -> int:
        try:
            barrier.wait(timeout=5)
            return submit(procedure, agency, citizen, "double-click").pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(click, range(8)))
    assert len(ids) == 1
    assert Dossier.objects.count() == 1
    assert submit(procedure, agency, citizen, "next").code.endswith("-0002")


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_submissions_outside_any_transaction_make_one_dossier_and_one_event() -> None:
    """The API's path: dossier_submit_once called with no transaction around it."""
    from motcua.dossiers.models import DossierEvent
    from motcua.dossiers.services import dossier_submit_once

    agency = make_agency()
    procedure = make_procedure(agency=agency, channel_online=True)
    citizen = make_citizen()
    barrier = threading.Barrier(8)

    def click(_: int) -> bool:
        try:
            barrier.wait(timeout=5)
            _dossier, event = dossier_submit_once(
                procedure=procedure,
                agency=agency,
                channel=Channel.ONLINE,
                actor=citizen,
                applicant=Applicant(name="An", user=citizen),
                idempotency_key="api-key",
            )
            return event is not None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(click, range(8)))
    assert created.count(True) == 1
    assert Dossier.objects.count() == 1 and DossierEvent.objects.count() == 1
    assert submit(procedure, agency, citizen, "after").code.endswith("-0002")
