"""Online supplement: only what was asked, the code unchanged, the officer sees the changes."""

from __future__ import annotations

import pytest

from motcua.catalog.models import Channel
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.core.errors import InvalidInput
from motcua.dossiers.lifecycle import Action, Role, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, Transition, dossier_submit, dossier_transition
from motcua.dossiers.supplements import answers_diff, dossier_supplement_online, requested_items
from motcua.dossiers.tests.factories import make_citizen, make_official

pytestmark = pytest.mark.django_db


def test_citizen_fixes_only_the_requested_field_and_the_officer_sees_the_change() -> None:
    agency = make_agency()
    officer = make_official(agency, Role.RECEIVING_OFFICER)
    procedure = make_procedure(agency=agency, channel_online=True)
    citizen = make_citizen()
    dossier = dossier_submit(
        procedure=procedure,
        agency=agency,
        channel=Channel.ONLINE,
        actor=citizen,
        applicant=Applicant(name="Lê An", id_number="079215000001", user=citizen),
        form_data={"to-khai": {"version": 1, "answers": {"ho_ten": "Le An", "ngay_sinh": "2015-01-02"}}},
    )
    code = dossier.code
    dossier = dossier_transition(
        dossier=dossier,
        actor=officer,
        transition=Transition(
            action=Action.REQUEST_SUPPLEMENT,
            note="Họ tên: viết đủ dấu như trên giấy chứng sinh",
            data={"requested": {"fields": ["to-khai/ho_ten"], "components": []}},
        ),
    )
    assert requested_items(dossier) == {"fields": ["to-khai/ho_ten"], "components": []}
    with pytest.raises(InvalidInput) as refused:
        dossier_supplement_online(dossier=dossier, applicant=citizen, answers={"to-khai": {"ngay_sinh": "2015-02-02"}})
    assert refused.value.problems == ["to-khai/ngay_sinh"]
    dossier = dossier_supplement_online(dossier=dossier, applicant=citizen, answers={"to-khai": {"ho_ten": "Lê An"}})
    assert dossier.status == Status.SUPPLEMENT_RECEIVED and dossier.code == code
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.form_data["to-khai"]["answers"] == {"ho_ten": "Lê An", "ngay_sinh": "2015-01-02"}
    supply = dossier.events.get(action=Action.SUPPLY)
    assert supply.data["changes"] == [{"form": "to-khai", "field": "ho_ten", "old": "Le An", "new": "Lê An"}]


def test_answers_diff() -> None:
    before = {"a": {"answers": {"x": 1, "y": 2}}}
    after = {"a": {"answers": {"x": 1, "y": 3, "z": 4}}, "b": {"answers": {"w": 5}}}
    assert answers_diff(before, after) == [
        {"form": "a", "field": "y", "old": 2, "new": 3},
        {"form": "a", "field": "z", "old": None, "new": 4},
        {"form": "b", "field": "w", "old": None, "new": 5},
    ]
