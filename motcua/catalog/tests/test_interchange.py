"""Import/export of the catalogue (interchange.py and the two management commands)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog import interchange, services
from motcua.catalog.models import (
    Agency,
    AgencyKind,
    DossierComponent,
    Fee,
    Procedure,
    ProcedureVersion,
    Topic,
    VersionState,
)
from motcua.catalog.tests.factories import current, make_agency, make_form, make_procedure
from motcua.core.errors import InvalidInput
from motcua.eforms.models import FormDefinition

pytestmark = pytest.mark.django_db


def _catalogue() -> None:
    root = make_agency(code="000.00.00.H29", name="UBND Thành phố Hồ Chí Minh", kind=AgencyKind.PROVINCE_COMMITTEE)
    ward = make_agency(code="000.01.01.H29", name="UBND Phường Sài Gòn", parent=root, email="sg@example.vn")
    birth = make_procedure(
        name="Đăng ký khai sinh",
        national_code="1.001193",
        agency=ward,
        channel_online=True,
        online_level="full",
        legacy_level=4,
    )
    birth.topics.add(services.topic_get_or_create(slug="sinh-con", name="Sinh con"))
    version = current(birth)
    # A shorter time online: a ProcessingTimeByChannel row.
    version.channel_times.create(channel="online", value=2, unit="working_days", note="Nộp trực tuyến")
    make_procedure(
        name="Chứng thực bản sao từ bản chính",
        agency=ward,
        processing_time=0,
        same_day_cutoff=dt.time(15),
        fees=[
            services.FeeData(name="Phí chứng thực", kind="charge", amount_vnd=2000, exemptions="Miễn hộ nghèo"),
            services.FeeData(name="Lệ phí do HĐND quy định", amount_vnd=None),
        ],
    )


def _export() -> dict[str, Any]:
    return interchange.catalogue_export().data


def _wipe_catalogue() -> None:
    Procedure.objects.update(current_version=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Topic.objects.all().delete()
    FormDefinition.objects.all().delete()  # the file carries the forms it refers to
    while Agency.objects.exists():  # leaves first: parent is a protected foreign key
        Agency.objects.filter(children__isnull=True).delete()


def _counts() -> tuple[int, ...]:
    return (
        Agency.objects.count(),
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        Fee.objects.count(),
        DossierComponent.objects.count(),
        Topic.objects.count(),
    )


def test_every_version_column_is_carried_or_knowingly_left_out() -> None:
    columns = {f.name for f in ProcedureVersion._meta.concrete_fields}
    assert columns == set(interchange.VERSION_FIELDS) | interchange.NOT_CARRIED


def test_export_has_the_national_shape() -> None:
    _catalogue()
    data = _export()
    assert data["version"] == 1
    assert [a["MADONVI"] for a in data["agencies"]] == ["000.00.00.H29", "000.01.01.H29"]
    assert data["agencies"][1]["MADONVICHA"] == "000.00.00.H29"
    birth = next(p for p in data["procedures"] if p["MATTHC"] == "1.001193")
    assert birth["TENTTHC"] == "Đăng ký khai sinh"
    assert birth["LINHVUCTHUCHIEN"] == [{"MALINHVUC": "ho-tich", "TENLINHVUC": "Hộ tịch"}]
    assert birth["CAPTHUCHIEN"] == "Cấp Xã"
    assert birth["COQUANTHUCHIEN"] == [{"MADONVI": "000.01.01.H29", "TENDONVI": "UBND Phường Sài Gòn"}]
    counter, online = birth["CACHTHUCTHUCHIEN"]
    assert (counter["KENH"], counter["THOIGIAN"][0]["THOIGIANGIAIQUYET"]) == (1, 3)
    assert (online["KENH"], online["THOIGIAN"][0]["THOIGIANGIAIQUYET"]) == (2, 2)
    assert online["THOIGIAN"][0]["DONVITINH"] == "Ngày làm việc"
    assert counter["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] == 8000
    assert birth["CANCUPHAPLY"] == [{"SOVANBAN": "60/2014/QH13", "TENVANBAN": "Luật Hộ tịch số 60/2014/QH13"}]
    assert birth["MUCDO"] == 4
    assert birth["MOTCUA"]["topics"] == [{"slug": "sinh-con", "name": "Sinh con"}]
    assert birth["MOTCUA"]["online_level"] == "full"
    same_day = next(p for p in data["procedures"] if p["MATTHC"] is None)
    assert same_day["MOTCUA"]["same_day_cutoff"] == "15:00"
    assert same_day["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["THOIGIANGIAIQUYET"] == 0
    fees = same_day["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"]
    assert [(f["LOAIPHILEPHI"], f["SOTIEN"]) for f in fees] == [(2, 2000), (1, None)]


def test_round_trip_into_an_empty_database_gives_the_same_file() -> None:
    _catalogue()
    first = _export()
    _wipe_catalogue()
    assert _counts()[:3] == (0, 0, 0)
    result = interchange.catalogue_import(interchange.dumps(first))
    assert (result.agencies_created, result.procedures_created) == (2, 2)
    assert _export() == first


def test_reimporting_the_same_file_changes_nothing() -> None:
    _catalogue()
    text = interchange.dumps(_export())
    before = _counts()
    result = interchange.catalogue_import(text)
    assert not result.changed_anything
    assert result.unchanged == 2
    assert _counts() == before


def test_changed_content_makes_a_new_published_version() -> None:
    _catalogue()
    data = _export()
    birth = next(p for p in data["procedures"] if p["MATTHC"] == "1.001193")
    birth["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = 10000
    birth["CACHTHUCTHUCHIEN"][1]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = 10000
    del birth["MOTCUA"]["effective_from"]
    result = interchange.catalogue_import(interchange.dumps(data))
    assert (result.versions_created, result.unchanged) == (1, 1)
    procedure = Procedure.objects.get(national_code="1.001193")
    v1, v2 = procedure.versions.order_by("number")
    assert v1.state == v2.state == VersionState.PUBLISHED
    assert [f.amount_vnd for f in v1.fees.all()] == [8000]  # the old version is untouched
    assert [f.amount_vnd for f in v2.fees.all()] == [10000]
    assert v2.effective_from == dt.date.today()
    assert procedure.current_version == v2
    # the online-channel time is kept as its own row in the new version
    assert [(t.channel, t.value) for t in v2.channel_times.all()] == [("online", 2)]
    # and importing the changed file again writes nothing more
    assert not interchange.catalogue_import(interchange.dumps(data)).changed_anything


def test_topic_or_status_change_updates_the_procedure_without_a_version() -> None:
    _catalogue()
    data = _export()
    birth = next(p for p in data["procedures"] if p["MATTHC"] == "1.001193")
    birth["MOTCUA"]["status"] = "suspended"
    result = interchange.catalogue_import(interchange.dumps(data))
    assert (result.procedures_updated, result.versions_created) == (1, 0)
    assert Procedure.objects.get(national_code="1.001193").status == "suspended"


def _national_record(**changes: Any) -> dict[str, Any]:
    """A record as the national database would send it: strings, no MOTCUA block except the summary."""
    record: dict[str, Any] = {
        "MATTHC": "2.000748",
        "TENTTHC": "Cấp bản sao trích lục hộ tịch",
        "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-TP05", "TENLINHVUC": "Hộ tịch"}],
        "CAPTHUCHIEN": "Cấp Xã",
        "DOITUONGTHUCHIEN": [{"MADOITUONG": "1", "TENDOITUONG": "Công dân Việt Nam"}],
        "COQUANTHUCHIEN": [{"MADONVI": "000.01.01.H29", "TENDONVI": "UBND Phường Sài Gòn"}],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": "1",
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": "1",
                        "DONVITINH": "Ngày làm việc",
                        "MOTA": "",
                        "PHILEPHI": [{"MAPHILEPHI": "LP1", "LOAIPHILEPHI": "1", "SOTIEN": "8000", "MOTA": "Lệ phí"}],
                    }
                ],
            },
            {
                "KENH": "2",
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": "4",
                        "DONVITINH": "Giờ làm việc",
                        "PHILEPHI": [{"MAPHILEPHI": "LP1", "LOAIPHILEPHI": "1", "SOTIEN": "4000", "MOTA": "Lệ phí"}],
                    }
                ],
            },
        ],
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": "",
                "GIAYTO": [
                    {
                        "MAGIAYTO": "GT1",
                        "TENGIAYTO": "Tờ khai",
                        "SOBANCHINH": "1",
                        "SOBANSAO": "0",
                        "MAUDON": [{"MAMAUDON": "to-khai-thu", "TENMAUDON": "Tờ khai", "URL": ""}],
                    }
                ],
            }
        ],
        "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Nộp hồ sơ"}]}],
        "KETQUATHUCHIEN": [{"MAKETQUA": "KQ1", "TENKETQUA": "Bản sao trích lục"}],
        "CANCUPHAPLY": [{"SOVANBAN": "123/2015/NĐ-CP", "TENVANBAN": "Nghị định quy định chi tiết Luật Hộ tịch"}],
        "YEUCAU": "Không",
        "MOTCUA": {"summary": "Xin lại bản sao giấy khai sinh, kết hôn... khi bị mất."},
    }
    record.update(changes)
    return record


def test_import_of_a_national_record_with_strings() -> None:
    make_agency(code="000.01.01.H29", name="UBND Phường Sài Gòn")
    form = make_form()
    text = json.dumps({"version": 1, "procedures": [_national_record()]}, ensure_ascii=False)
    result = interchange.catalogue_import(text)
    assert result.procedures_created == 1
    procedure = Procedure.objects.get(national_code="2.000748")
    version = current(procedure)
    assert procedure.field.code == "G09-TP05"
    assert (version.channel_counter, version.channel_online, version.channel_post) == (True, True, False)
    assert (version.processing_time_value, version.processing_time_unit) == (1, "working_days")
    assert [(t.channel, t.value, t.unit) for t in version.channel_times.all()] == [("online", 4, "working_hours")]
    # different amounts per channel cannot be one fee row: both are kept, in order
    assert [f.amount_vnd for f in version.fees.all()] == [8000, 4000]
    component = version.components.get()
    assert (component.code, component.originals, component.form) == ("GT1", 1, form)
    assert [b.title for b in version.legal_bases.all()] == [
        "Nghị định quy định chi tiết Luật Hộ tịch số 123/2015/NĐ-CP"
    ]
    assert version.effective_from == dt.date.today()
    # importing it again is a no-op
    assert not interchange.catalogue_import(text).changed_anything


def _problems(data: Any) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        interchange.catalogue_import(json.dumps(data, ensure_ascii=False))
    return caught.value.problems


def test_invalid_file_is_rejected_whole_with_every_problem_and_nothing_written() -> None:
    _catalogue()
    data = _export()
    good_new = _national_record()
    bad = copy.deepcopy(data)
    birth = next(p for p in bad["procedures"] if p["MATTHC"] == "1.001193")
    birth["TENTTHC"] = "Đăng ký khai sinh (sửa)"  # a valid change that must not be written
    birth["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = -5
    same_day = next(p for p in bad["procedures"] if p["MATTHC"] is None)
    same_day["MOTCUA"]["same_day_cutoff"] = None
    bad["procedures"].append(good_new)
    bad["procedures"].append(_national_record(MATTHC="2.000749", COQUANTHUCHIEN=[{"MADONVI": "000.09.09.H29"}]))
    bad["agencies"].append({"MADONVI": "12.34", "TENDONVI": "Sai mã", "MATINH": 79})
    before = _counts()
    problems = _problems(bad)
    assert _counts() == before
    assert Procedure.objects.filter(national_code="2.000748").count() == 0
    assert current(Procedure.objects.get(national_code="1.001193")).name == "Đăng ký khai sinh"
    text = "\n".join(problems)
    index = bad["procedures"].index(birth)
    assert (
        f"procedures[{index}] (1.001193) CACHTHUCTHUCHIEN[0].THOIGIAN[0].PHILEPHI[0].SOTIEN: phải ≥ 0 / must be ≥ 0"
        in problems
    )
    assert "CACHTHUCTHUCHIEN[0].THOIGIAN[0].THOIGIANGIAIQUYET: Thời hạn giải quyết phải lớn hơn 0" in text
    assert "procedures[3] (2.000749) COQUANTHUCHIEN[0].MADONVI: cơ quan 000.09.09.H29 không có" in text
    assert "agencies[2] (12.34) MADONVI: mã định danh cơ quan phải có dạng 000.00.00.H29" in text
    assert "biểu mẫu to-khai-thu không có" in text  # the form is referenced but does not exist


def test_required_fields_and_types_are_checked_by_the_schema() -> None:
    make_agency(code="000.01.01.H29")
    record = _national_record()
    del record["TENTTHC"]
    record["KETQUATHUCHIEN"] = []
    record["CACHTHUCTHUCHIEN"][0]["KENH"] = 7
    problems = _problems({"version": 1, "procedures": [record]})
    assert "procedures[0] (2.000748) TENTTHC: thiếu trường bắt buộc / required field is missing" in problems
    assert any(p.startswith("procedures[0] (2.000748) KETQUATHUCHIEN: cần ít nhất 1 mục") for p in problems)
    assert any(p.startswith("procedures[0] (2.000748) CACHTHUCTHUCHIEN[0].KENH: phải là một trong") for p in problems)
    assert _problems({"procedures": []}) == ["version: thiếu trường bắt buộc / required field is missing"]


def test_new_procedure_needs_a_summary_and_an_identity() -> None:
    make_agency(code="000.01.01.H29")
    record = _national_record(MOTCUA={})
    del record["MATTHC"]
    problems = _problems({"version": 1, "procedures": [record]})
    assert any("MATTHC: cần MATTHC hoặc MOTCUA.slug" in p for p in problems)


def test_duplicates_and_agency_cycles_are_refused() -> None:
    data = {
        "version": 1,
        "agencies": [
            {"MADONVI": "000.00.01.H29", "TENDONVI": "A", "MATINH": 79, "MADONVICHA": "000.00.02.H29"},
            {"MADONVI": "000.00.02.H29", "TENDONVI": "B", "MATINH": 79, "MADONVICHA": "000.00.01.H29"},
            {"MADONVI": "000.00.03.H29", "TENDONVI": "C", "MATINH": 79, "MADONVICHA": "000.00.09.H29"},
        ],
        "procedures": [
            _national_record(COQUANTHUCHIEN=[{"MADONVI": "000.00.01.H29"}], THANHPHANHOSO=[]),
            _national_record(COQUANTHUCHIEN=[{"MADONVI": "000.00.01.H29"}], THANHPHANHOSO=[]),
        ],
    }
    text = "\n".join(_problems(data))
    assert "agencies[0] (000.00.01.H29) MADONVICHA: cây cơ quan bị vòng lặp" in text
    assert "agencies[2] (000.00.03.H29) MADONVICHA: cơ quan cấp trên 000.00.09.H29 không có" in text
    assert "procedures[1] (2.000748) MATTHC: mã bị lặp lại" in text
    assert Agency.objects.count() == 0


def test_malformed_json_reports_line_and_column() -> None:
    with pytest.raises(InvalidInput) as caught:
        interchange.catalogue_import('{"version": 1,\n  "procedures": [,]}')
    assert "dòng 2, cột 18" in str(caught.value)
    assert "line 2, column 18" in str(caught.value)


def test_agencies_are_written_parents_first_and_updated_in_place() -> None:
    data = {
        "version": 1,
        "procedures": [],
        "agencies": [
            {
                "MADONVI": "000.01.01.H29",
                "TENDONVI": "Phường",
                "MATINH": 79,
                "MAXA": 26740,
                "MADONVICHA": "000.00.00.H29",
            },
            {
                "MADONVI": "000.00.00.H29",
                "TENDONVI": "Thành phố",
                "MATINH": 79,
                "MOTCUA": {"kind": "province_committee"},
            },
        ],
    }
    result = interchange.catalogue_import(json.dumps(data))
    assert result.agencies_created == 2
    ward = Agency.objects.get(code="000.01.01.H29")
    assert (ward.parent and ward.parent.code, ward.ward_code, ward.kind) == ("000.00.00.H29", 26740, "other")
    data["agencies"][0]["TENDONVI"] = "Phường Sài Gòn"
    result = interchange.catalogue_import(json.dumps(data))
    assert (result.agencies_created, result.agencies_updated) == (0, 1)
    ward.refresh_from_db()
    assert ward.name == "Phường Sài Gòn"


def test_commands_export_import_and_reject(tmp_path: Path) -> None:
    _catalogue()
    path = tmp_path / "catalogue.json"
    err = io.StringIO()
    call_command("catalog_export", str(path), stderr=err)
    assert "Đã xuất 2 thủ tục, 2 cơ quan" in err.getvalue()
    out = io.StringIO()
    call_command("catalog_export", "-", stdout=out, stderr=io.StringIO())
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(out.getvalue())

    out = io.StringIO()
    call_command("catalog_import", str(path), stdout=out)
    assert "2 không đổi" in out.getvalue()

    data = json.loads(path.read_text(encoding="utf-8"))
    data["procedures"][0]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = -1
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    err = io.StringIO()
    before = _counts()
    with pytest.raises(CommandError, match="Tệp bị từ chối, không ghi gì: 1 lỗi"):
        call_command("catalog_import", str(path), stderr=err)
    assert "PHILEPHI[0].SOTIEN: phải ≥ 0 / must be ≥ 0" in err.getvalue()
    assert _counts() == before

    path.write_text("{oops", encoding="utf-8")
    with pytest.raises(CommandError, match="dòng 1, cột 2"):
        call_command("catalog_import", str(path), stderr=io.StringIO())


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    make_agency(code="000.01.01.H29")
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"version": 1, "procedures": [_national_record(THANHPHANHOSO=[])]}), encoding="utf-8")
    out = io.StringIO()
    call_command("catalog_import", str(path), "--dry-run", stdout=out)
    assert "--dry-run" in out.getvalue()
    assert Procedure.objects.count() == 0


def test_the_file_carries_its_forms_and_rejects_an_invalid_one_whole() -> None:
    form = make_form()
    make_procedure(name="Đăng ký khai sinh", components=[services.ComponentData(name="Tờ khai", form=form)])
    data = _export()
    assert [f["code"] for f in data["forms"]] == ["to-khai-thu"]
    _wipe_catalogue()
    data["forms"][0]["layout"]["help"] = {}
    with pytest.raises(InvalidInput) as error:
        interchange.catalogue_import(interchange.dumps(data))
    assert any(str(p).startswith("forms[0] (to-khai-thu)") for p in error.value.problems)
    assert _counts()[:3] == (0, 0, 0)
    assert not FormDefinition.objects.exists()
    data["forms"][0]["layout"]["help"] = {"ho_ten": "Viết như trên thẻ căn cước."}
    interchange.catalogue_import(interchange.dumps(data))  # into the empty database
    assert FormDefinition.objects.get().components.count() == 1
