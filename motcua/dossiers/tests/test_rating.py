"""The applicant rates the handling by dossier code (and the last 4 ID digits), once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.tests.factories import make_dossier

pytestmark = pytest.mark.django_db

ANSWERS = {
    "overall": "5",
    "convenience": "4",
    "staff_attitude": "5",
    "on_time": "1",
    "contacts_needed": "1",
    "agencies_contacted": "1",
    "comment": "Cán bộ hướng dẫn tận tình.",
}


@pytest.fixture
def returned() -> Dossier:
    cache.clear()
    dossier = make_dossier()
    Dossier.objects.filter(pk=dossier.pk).update(status="returned")  # test setup: the result is returned
    return dossier


def test_rating_is_offered_after_return_and_recorded_once(client: Client, returned: Dossier) -> None:
    page = client.post("/tra-cuu/", {"code": returned.code, "id_last4": "0001"}).content.decode()
    assert "Đánh giá việc giải quyết hồ sơ" in page
    response = client.post("/danh-gia/", {"code": returned.code, "id_last4": "0001", **ANSWERS})
    assert response.status_code == 200
    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    rating = DossierRating.objects.get(dossier=returned)
    assert (rating.overall, rating.on_time, rating.comment) == (5, True, "Cán bộ hướng dẫn tận tình.")
    assert not rating.is_complaint
    again = client.post("/danh-gia/", {"code": returned.code, "id_last4": "0001", **ANSWERS})
    assert again.status_code == 400 and "đã được đánh giá" in again.content.decode()
    assert (
        "Đánh giá việc giải quyết"
        not in client.post("/tra-cuu/", {"code": returned.code, "id_last4": "0001"}).content.decode()
    )


def test_rating_needs_the_digits_valid_answers_and_a_returned_result(client: Client, returned: Dossier) -> None:
    assert client.post("/danh-gia/", {"code": returned.code, "id_last4": "9999", **ANSWERS}).status_code == 404
    bad = client.post("/danh-gia/", {"code": returned.code, "id_last4": "0001", **ANSWERS, "overall": "9"})
    assert bad.status_code == 400
    running = make_dossier()
    refused = client.post("/danh-gia/", {"code": running.code, "id_last4": "0001", **ANSWERS})
    assert refused.status_code == 400 and "khi đã nhận kết quả" in refused.content.decode()
    assert not DossierRating.objects.exists()
