import datetime as dt

import pytest

from motcua.catalog import services
from motcua.catalog.models import VersionState
from motcua.catalog.tests.factories import current, make_procedure
from motcua.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_published_version_is_immutable_and_edit_makes_next_version() -> None:
    procedure = make_procedure(name="Đăng ký kết hôn", national_code="1.000894")
    v1 = current(procedure)
    with pytest.raises(InvalidInput):
        services.ensure_editable(v1)
    v2 = services.procedure_version_new_draft(version=v1, effective_from=dt.date(2026, 1, 1))
    assert (v2.number, v2.state) == (2, VersionState.DRAFT)
    assert [c.name for c in v2.components.all()] == [c.name for c in v1.components.all()]
    assert [f.amount_vnd for f in v2.fees.all()] == [8000]
    services.procedure_version_publish(version=v2)
    procedure.refresh_from_db()
    assert procedure.current_version == v2


def test_future_version_takes_over_on_its_effective_date() -> None:
    procedure = make_procedure(name="Đăng ký khai tử")
    v1 = current(procedure)
    v2 = services.procedure_version_new_draft(version=v1, effective_from=dt.date(2099, 1, 1))
    services.procedure_version_publish(version=v2)
    procedure.refresh_from_db()
    assert procedure.current_version == v1
    assert services.catalog_refresh_current_versions(today=dt.date(2099, 1, 1)) == 1
    procedure.refresh_from_db()
    assert procedure.current_version == v2


def test_processing_time_zero_needs_same_day_cutoff() -> None:
    with pytest.raises(InvalidInput):
        make_procedure(name="Thủ tục sai thời hạn", processing_time=0)
    make_procedure(name="Chứng thực bản sao", processing_time=0, same_day_cutoff=dt.time(15))


def test_search_text_is_folded() -> None:
    procedure = make_procedure(name="Đăng ký khai sinh", national_code="1.001193")
    assert "dang ky khai sinh" in current(procedure).search_text
    assert "1.001193" in current(procedure).search_text


def test_agency_codes_and_divisions_are_checked() -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from motcua.catalog.tests.factories import make_agency

    make_agency(code="000.00.31.H29", ward_code=26740)  # Phường Sài Gòn, Hồ Chí Minh City
    with pytest.raises(ValidationError) as error:
        make_agency(code="12.34")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_agency(code="000.00.99.H29", province_code=999)
    assert "province_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_agency(code="000.00.98.H29", ward_code=1)
    assert "ward_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_agency(code="000.00.97.H26", province_code=1, ward_code=26740)  # Hà Nội
    with translation.override("vi"):
        assert error.value.message_dict["ward_code"] == ["Phường Sài Gòn không thuộc tỉnh/thành phố mã 1."]


def test_daily_refresh_command_moves_procedures_whose_new_version_is_due() -> None:
    import io

    from django.core.management import call_command

    procedure = make_procedure(name="Đăng ký tạm trú")
    v2 = services.procedure_version_new_draft(version=current(procedure), effective_from=dt.date(2099, 1, 1))
    services.procedure_version_publish(version=v2)
    procedure.refresh_from_db()
    assert procedure.current_version != v2
    # Its date arrives: moved into the past rather than moving the clock.
    type(v2).objects.filter(pk=v2.pk).update(effective_from=dt.date(2025, 12, 31))
    out = io.StringIO()
    call_command("catalog_refresh_versions", stdout=out)
    assert out.getvalue().startswith("1 thủ tục")
    procedure.refresh_from_db()
    assert procedure.current_version == v2
