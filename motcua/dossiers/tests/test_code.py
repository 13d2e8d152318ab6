"""Dossier codes: `<agency>-YYMMDD-XXXX`, gap-free and unique under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from motcua.catalog.tests.factories import make_agency
from motcua.dossiers.services import dossier_code_next

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_code_of_the_day_follows_the_circular() -> None:
    agency = make_agency(code="000.00.01.H22")
    assert dossier_code_next(agency=agency, day=dt.date(2025, 6, 9)) == "000.00.01.H22-250609-0001"
    assert dossier_code_next(agency=agency, day=dt.date(2025, 6, 9)) == "000.00.01.H22-250609-0002"
    # the sequence restarts every day, and per agency
    assert dossier_code_next(agency=agency, day=dt.date(2025, 6, 10)).endswith("-250610-0001")
    other = make_agency(code="000.00.02.H22")
    assert dossier_code_next(agency=other, day=dt.date(2025, 6, 9)).endswith("-0001")


def test_a_rolled_back_receipt_gives_its_number_back() -> None:
    agency = make_agency()
    day = dt.date(2026, 3, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_code_next(agency=agency, day=day)
        raise RuntimeError("crash mid-receipt")
    assert dossier_code_next(agency=agency, day=day).endswith("-0001")


def test_fifty_simultaneous_receipts_get_0001_to_0050_without_duplicate_or_hole() -> None:
    agency = make_agency()
    day = dt.date(2026, 3, 3)
    start = threading.Barrier(10)

    def receive(_: int) -> str:
        try:
            start.wait(timeout=5) if _ < 10 else None
            with transaction.atomic():
                return dossier_code_next(agency=agency, day=day)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(receive, range(50)))
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 51)), connection.vendor
