import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from motcua.accounts.models import Membership, Role, User
from motcua.catalog.models import Agency, DossierComponent, Procedure, VersionState
from motcua.core.demo.seed import PROCEDURES_FILE

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_refused_when_debug_is_off() -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


@override_settings(DEBUG=True)
def test_seed_demo_loads_every_real_procedure_and_is_idempotent() -> None:
    call_command("seed_demo")
    raw = json.loads(PROCEDURES_FILE.read_text(encoding="utf-8"))
    assert Procedure.objects.count() == len(raw) == 28
    assert not Procedure.objects.filter(current_version__isnull=True).exists()
    assert not Procedure.objects.exclude(current_version__state=VersionState.PUBLISHED).exists()
    birth = Procedure.objects.get(national_code="1.001193")
    assert birth.current_version is not None
    assert birth.current_version.summary.startswith("Khi em bé chào đời")
    # facts as published: a null amount stays null, never guessed
    assert list(birth.current_version.fees.values_list("amount_vnd", flat=True)) == [None, 8000]
    assert Agency.objects.filter(kind="ward_committee").count() >= 5
    assert Agency.objects.filter(kind="department").count() >= 3
    assert DossierComponent.objects.filter(form__isnull=False).values("version").distinct().count() >= 8

    from motcua.dossiers.models import Dossier

    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"submitted", "processing", "supplement_requested", "awaiting_signature", "returned"} == statuses

    call_command("seed_demo")
    assert Procedure.objects.count() == 28
    assert User.objects.filter(username="congdan").count() == 1
    assert Dossier.objects.count() == 5


@override_settings(DEBUG=True)
def test_demo_accounts_have_documented_roles() -> None:
    call_command("seed_demo")
    for username in ["congdan", "doanhnghiep", "admin"]:
        assert User.objects.get(username=username).check_password("motcua-demo")
    for base, role in [
        ("tiepnhan", Role.RECEIVING_OFFICER),
        ("chuyenvien", Role.SPECIALIST),
        ("truongphong", Role.DEPARTMENT_HEAD),
        ("lanhdao", Role.LEADER),
        ("quantri", Role.AGENCY_ADMIN),
    ]:
        ward = Membership.objects.get(user__username=base)
        department = Membership.objects.get(user__username=base + ".so")
        assert ward.role == department.role == role
        assert ward.agency.kind == "ward_committee"
        assert department.agency.kind == "department"
    assert User.objects.get(username="admin").is_superuser
