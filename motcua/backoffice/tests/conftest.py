"""A ward with one official per role, a citizen, an official of another ward, and a procedure
with two components and the four-step workflow of the dossier factories."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from motcua.accounts.models import User
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Agency, Procedure
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.dossiers.lifecycle import Role
from motcua.dossiers.tests.factories import make_citizen, make_official, make_workflow


@dataclass
class Ward:
    agency: Agency
    other_agency: Agency
    procedure: Procedure
    receiving_officer: User
    specialist: User
    department_head: User
    leader: User
    agency_admin: User
    citizen: User
    outsider: User  # a receiving officer of another ward


@pytest.fixture
def ward(db: None) -> Ward:
    agency = make_agency(name="UBND Phường Sài Gòn")
    other = make_agency(name="UBND Phường Bến Thành")
    procedure = make_procedure(
        name="Đăng ký khai sinh",
        national_code="1.001193",
        agency=agency,
        channel_online=True,
        components=[
            catalog_services.ComponentData(name="Tờ khai đăng ký khai sinh", originals=1, copies=0),
            catalog_services.ComponentData(name="Giấy chứng sinh", originals=1, copies=0),
            catalog_services.ComponentData(name="Giấy tờ khác (nếu có)", copies=1, required=False),
        ],
    )
    make_workflow(procedure)
    return Ward(
        agency=agency,
        other_agency=other,
        procedure=procedure,
        receiving_officer=make_official(agency, Role.RECEIVING_OFFICER, "tiepnhan"),
        specialist=make_official(agency, Role.SPECIALIST, "chuyenvien"),
        department_head=make_official(agency, Role.DEPARTMENT_HEAD, "truongphong"),
        leader=make_official(agency, Role.LEADER, "lanhdao"),
        agency_admin=make_official(agency, Role.AGENCY_ADMIN, "quantri"),
        citizen=make_citizen("congdan"),
        outsider=make_official(other, Role.RECEIVING_OFFICER, "tiepnhan-benthanh"),
    )
