"""Test data built through the real services (no mocks of our own code)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from motcua.catalog import services
from motcua.catalog.models import (
    AdministrativeLevel,
    Agency,
    AgencyKind,
    FeeKind,
    Procedure,
    ProcedureVersion,
    TimeUnit,
)
from motcua.core.text import fold
from motcua.eforms.models import FormDefinition

_counter = itertools.count(1)


def make_agency(
    *, code: str | None = None, name: str | None = None, kind: str = AgencyKind.WARD_COMMITTEE, **extra: Any
) -> Agency:
    n = next(_counter)
    extra.setdefault("province_code", 79)
    agency = Agency(
        code=code or f"{n:03d}.{n % 100:02d}.01.H29",
        name=name or f"UBND Phường Thử Nghiệm {n}",
        kind=kind,
        **extra,
    )
    agency.full_clean()
    agency.save()
    return agency


def make_procedure(
    *,
    name: str = "Đăng ký khai sinh",
    national_code: str | None = None,
    field_name: str = "Hộ tịch",
    agency: Agency | None = None,
    processing_time: Decimal | None = Decimal("3"),
    unit: str = TimeUnit.WORKING_DAYS,
    same_day_cutoff: dt.time | None = None,
    fees: list[services.FeeData] | None = None,
    components: list[services.ComponentData] | None = None,
    publish: bool = True,
    **fields: Any,
) -> Procedure:
    """A procedure with one version (published unless `publish=False`)."""
    agency = agency or make_agency()
    field = services.field_get_or_create(name=field_name)
    slug = slugify(fold(name))[:180] + f"-{next(_counter)}"
    procedure = services.procedure_create(field=field, slug=slug, national_code=national_code)
    content = services.VersionContent(
        fields={
            "name": name,
            "summary": fields.pop("summary", f"Tóm tắt dễ hiểu về thủ tục {name}."),
            "administrative_level": fields.pop("administrative_level", AdministrativeLevel.WARD),
            "competent_agency": agency,
            "processing_time_value": processing_time,
            "processing_time_unit": unit,
            "same_day_cutoff": same_day_cutoff,
            "result_name": fields.pop("result_name", "Giấy chứng nhận"),
            "effective_from": fields.pop("effective_from", dt.date(2025, 7, 1)),
            **fields,
        },
        steps=["Nộp hồ sơ tại Bộ phận một cửa", "Cán bộ thẩm định", "Trả kết quả"],
        legal_bases=["Luật Hộ tịch số 60/2014/QH13"],
        fees=fees if fees is not None else [services.FeeData(name="Lệ phí", kind=FeeKind.FEE, amount_vnd=8000)],
        components=components
        if components is not None
        else [services.ComponentData(name="Tờ khai theo mẫu", originals=1, copies=0)],
        receiving_agencies=[agency],
    )
    version = services.procedure_version_create(procedure=procedure, content=content)
    if publish:
        services.procedure_version_publish(version=version)
        procedure.refresh_from_db()
    return procedure


def current(procedure: Procedure) -> ProcedureVersion:
    assert procedure.current_version is not None
    return procedure.current_version


def make_form(*, code: str = "to-khai-thu", title: str = "Tờ khai thử nghiệm") -> FormDefinition:
    form = FormDefinition(
        code=code,
        title=title,
        schema={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"ho_ten": {"type": "string", "title": "Họ, chữ đệm, tên"}},
            "required": ["ho_ten"],
        },
        layout={
            "sections": [{"title": "Thông tin người khai", "fields": ["ho_ten"]}],
            "help": {"ho_ten": "Viết như trên thẻ căn cước."},
        },
    )
    form.full_clean()
    form.save()
    return form
