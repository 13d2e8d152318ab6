"""The engine per field type: rendering, reading a POST, validation (no database, no HTTP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import translation

from motcua.eforms.engine import apply_patch, parse_section, render_section, sections, validate_all
from motcua.eforms.engine.fields import compute
from motcua.eforms.tests.engine_helpers import every_kind_form

HO_CHI_MINH, VUNG_TAU, HOAN_KIEM = 79, 26506, 70


def post(data: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


FIRST_PAGE = {
    "ho_ten": "Nguyễn Thị Ánh",
    "ngay_sinh": "02/03/2015",
    "gioi_tinh": "nam",
    "so_dinh_danh": "079 215 000 001",
    "dien_thoai": "0912 345 678",
    "email": "",
    "ma_so_thue": "0314409058-002",
}


def test_fields_get_their_kinds_from_schema_and_layout() -> None:
    pass
    kinds = {f.path: f.kind for s in sections(every_kind_form()) for f in s.fields}
    assert kinds == {
        "ho_ten": "text",
        "ngay_sinh": "date",
        "gioi_tinh": "radio",
        "so_dinh_danh": "cccd",
        "dien_thoai": "mobile",
        "email": "email",
        "ma_so_thue": "tax_code",
        "tuoi": "computed",
        "noi_o.tinh": "province",
        "noi_o.xa": "ward",
        "noi_o.dia_chi": "text",
        "co_vo_chong": "yesno",
        "ho_ten_vo_chong": "text",
        "thanh_vien": "repeat",
        "luong": "money",
        "tong_thu_nhap": "computed",
        "ho_tro": "checkboxes",
        "ghi_chu": "textarea",
        "giay_to": "file",
        "cam_doan": "check",
    }


def test_first_page_renders_labels_help_inputmode_and_autocomplete() -> None:
    html = render_section(None, every_kind_form(), 0, {})
    assert '<label class="ef-label" for="f-ho_ten">Họ, chữ đệm, tên' in html
    assert 'id="f-ho_ten-help">Hướng dẫn ghi mục ho_ten.</p>' in html
    assert 'aria-describedby="f-ho_ten-help"' in html
    assert 'name="so_dinh_danh" value="" inputmode="numeric"' in html
    assert 'type="tel" id="f-dien_thoai" name="dien_thoai" value="" inputmode="tel" autocomplete="tel"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert "<legend" in html and 'type="radio"' in html
    assert "ef-summary" not in html


def test_a_good_first_page_is_stored_typed() -> None:
    result = parse_section(every_kind_form(), 0, post(FIRST_PAGE))
    assert result.errors == {}
    assert result.moves_on
    patch = result.answers_patch
    assert patch["ngay_sinh"] == "2015-03-02"
    assert patch["so_dinh_danh"] == "079215000001"
    assert patch["dien_thoai"] == "0912345678"
    assert patch["ma_so_thue"] == "0314409058-002"
    assert patch["email"] is None
    assert patch["tuoi"] == compute({"age": "ngay_sinh"}, {"ngay_sinh": "2015-03-02"})


def test_errors_keep_every_answer_and_say_how_to_fix() -> None:
    form = every_kind_form()
    bad = {
        **FIRST_PAGE,
        "ngay_sinh": "31/02/2025",
        "dien_thoai": "02838123456",
        "ma_so_thue": "0100233489",
        "ho_ten": "",
    }
    with translation.override("vi"):
        result = parse_section(form, 0, post(bad))
        assert set(result.errors) == {"ngay_sinh", "dien_thoai", "ma_so_thue", "ho_ten"}
        assert "không có trên lịch" in result.errors["ngay_sinh"][0]
        assert "di động" in result.errors["dien_thoai"][0]
        assert "Chưa điền" in result.errors["ho_ten"][0]
        answers = apply_patch({}, result.answers_patch)
        html = render_section(None, form, 0, answers, result.errors)
    assert answers["ngay_sinh"] == "31/02/2025"  # kept as typed
    assert 'value="31/02/2025"' in html and 'value="0100233489"' in html and 'value="079215000001"' in html
    assert '<a href="#f-ngay_sinh">Ngày sinh: Ngày 31/02/2025 không có trên lịch' in html
    assert 'id="f-ngay_sinh-error"' in html and 'aria-describedby="f-ngay_sinh-help f-ngay_sinh-error"' in html
    assert 'aria-invalid="true"' in html


def test_english_messages_when_the_language_is_english() -> None:
    with translation.override("en"):
        result = parse_section(every_kind_form(), 0, post({**FIRST_PAGE, "ho_ten": "", "ngay_sinh": "31/02/2025"}))
        html = render_section(None, every_kind_form(), 0, {}, result.errors)
    assert result.errors["ho_ten"] == ["This is required: fill it in."]
    assert "There is no 31/02/2025 in the calendar" in result.errors["ngay_sinh"][0]
    assert "Your full name." in html  # help_en
    assert "Continue" in html


def test_cccd_is_checked_against_birth_date_and_gender() -> None:
    data = {**FIRST_PAGE, "ngay_sinh": "02/03/2016", "gioi_tinh": "nu"}
    with translation.override("vi"):
        result = parse_section(every_kind_form(), 0, post(data))
    year, sex = result.errors["so_dinh_danh"]
    assert "2015" in year and "2016" in year and "nam" in sex


def test_province_then_ward_without_javascript() -> None:
    form = every_kind_form()
    html = render_section(None, form, 1, {})
    assert "Chọn tỉnh, thành phố trước" in html
    assert 'value="choose:noi_o.tinh"' in html
    chosen = parse_section(form, 1, post({"noi_o.tinh": str(HO_CHI_MINH), "action": "choose:noi_o.tinh"}))
    assert chosen.action == "choose_province" and chosen.target == "noi_o.tinh"
    answers = apply_patch({}, chosen.answers_patch)
    html = render_section(None, form, 1, answers)
    assert f'<option value="{VUNG_TAU}">Phường Vũng Tàu</option>' in html
    assert f'value="{HOAN_KIEM}"' not in html  # Hà Nội's wards are not offered
    done = parse_section(form, 1, post({"noi_o.tinh": "79", "noi_o.xa": str(VUNG_TAU), "co_vo_chong": "0"}))
    assert done.errors == {} and done.answers_patch["noi_o.xa"] == VUNG_TAU
    wrong = parse_section(form, 1, post({"noi_o.tinh": "79", "noi_o.xa": str(HOAN_KIEM), "co_vo_chong": "0"}))
    assert "không thuộc" in wrong.errors["noi_o.xa"][0]
    # Choosing another province empties the ward of the old one.
    moved = parse_section(form, 1, post({"noi_o.tinh": "1", "noi_o.xa": str(VUNG_TAU), "action": "choose:noi_o.tinh"}))
    assert moved.answers_patch["noi_o.xa"] is None


def test_condition_hides_and_drops_a_field() -> None:
    form = every_kind_form()
    html = render_section(None, form, 1, {})
    assert 'data-when-field="co_vo_chong" data-when-equals="True"' in html
    assert "Chỉ điền mục này khi “Đã có vợ/chồng” là “Có”" in html
    base = {"noi_o.tinh": "79", "noi_o.xa": str(VUNG_TAU)}
    kept = parse_section(form, 1, post({**base, "co_vo_chong": "1", "ho_ten_vo_chong": "Trần Văn B"}))
    assert kept.answers_patch["ho_ten_vo_chong"] == "Trần Văn B"
    dropped = parse_section(form, 1, post({**base, "co_vo_chong": "0", "ho_ten_vo_chong": "Trần Văn B"}))
    assert dropped.answers_patch["ho_ten_vo_chong"] is None
    assert "ho_ten_vo_chong" not in validate_all(form, {"co_vo_chong": False, "ho_ten_vo_chong": 5})


def test_repeating_rows_added_and_removed_without_javascript() -> None:
    form = every_kind_form()
    html = render_section(None, form, 2, {})
    assert 'name="thanh_vien.__rows" value="1"' in html and 'value="add:thanh_vien"' in html
    added = parse_section(
        form, 2, post({"thanh_vien.__rows": "1", "thanh_vien.0.ho_ten": "An", "action": "add:thanh_vien"})
    )
    assert added.action == "add_row"
    answers = apply_patch({}, added.answers_patch)
    assert answers["thanh_vien"] == [{"ho_ten": "An"}, {}]
    html = render_section(None, form, 2, answers)
    assert 'name="thanh_vien.1.ho_ten"' in html and 'value="remove:thanh_vien:1"' in html
    two = {"thanh_vien.__rows": "2", "thanh_vien.0.ho_ten": "An", "thanh_vien.1.ho_ten": "Bình"}
    removed = parse_section(form, 2, post({**two, "action": "remove:thanh_vien:0"}))
    assert removed.answers_patch["thanh_vien"] == [{"ho_ten": "Bình"}]
    # A cell that cannot be read keeps its text and points at the cell.
    bad = parse_section(form, 2, post({**two, "thanh_vien.1.thu_nhap": "1,5 triệu"}))
    assert "thanh_vien.1.thu_nhap" in bad.errors
    assert bad.answers_patch["thanh_vien"][1]["thu_nhap"] == "1,5 triệu"
    html = render_section(None, form, 2, apply_patch({}, bad.answers_patch), bad.errors)
    assert "Thành viên hộ gia đình, dòng 2: Thu nhập tháng" in html
    # A row with a missing required column.
    missing = parse_section(form, 2, post({"thanh_vien.__rows": "1", "thanh_vien.0.thu_nhap": "100"}))
    assert "thanh_vien.0.ho_ten" in missing.errors


def test_computed_sum_of_money_fields_and_age() -> None:
    form = every_kind_form()
    data = {
        "thanh_vien.__rows": "2",
        "thanh_vien.0.ho_ten": "An",
        "thanh_vien.0.thu_nhap": "1.500.000",
        "thanh_vien.1.ho_ten": "Bình",
        "thanh_vien.1.thu_nhap": "2500000",
        "luong": "3.000.000 đ",
        "ho_tro": ["viec_lam"],
    }
    result = parse_section(form, 2, post(data))
    assert result.errors == {}
    assert result.answers_patch["tong_thu_nhap"] == 7_000_000
    assert result.answers_patch["ho_tro"] == ["viec_lam"]
    html = render_section(None, form, 2, apply_patch({}, result.answers_patch))
    assert '<output id="f-tong_thu_nhap" class="ef-output"' in html and "7.000.000" in html
    assert 'value="3.000.000"' in html
    assert compute({"age": "d"}, {"d": "2000-06-15"}, today=dt.date(2025, 6, 14)) == 24
    assert compute({"age": "d"}, {"d": "2000-06-15"}, today=dt.date(2025, 6, 15)) == 25
    assert compute({"count": "rows"}, {"rows": [{}, {}]}) == 2


def test_file_inputs_hand_back_the_upload_and_keep_its_name() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.datastructures import MultiValueDict

    form = every_kind_form()
    upload = SimpleUploadedFile("cccd.jpg", b"\xff\xd8", content_type="image/jpeg")
    result = parse_section(form, 3, post({"cam_doan": "1"}), MultiValueDict({"giay_to": [upload]}))
    assert result.files == {"giay_to": upload} and result.answers_patch["giay_to"] == "cccd.jpg"
    html = render_section(None, form, 3, apply_patch({}, result.answers_patch))
    assert 'type="file"' in html and "Đã có tệp: cccd.jpg" in html
    kept = parse_section(form, 3, post({"cam_doan": "1", "giay_to__keep": "1"}), MultiValueDict())
    assert "giay_to" not in kept.answers_patch
    unticked = parse_section(form, 3, post({}), MultiValueDict())
    assert "cam_doan" in unticked.errors


def test_prefill_and_earlier_answers_are_offered_to_pick() -> None:
    form = every_kind_form()
    html = render_section(
        None,
        form,
        0,
        {},
        prefill={"ho_ten": "Nguyễn Văn An"},
        choices_from_earlier={"dien_thoai": ["0912345678", "0987654321"]},
    )
    assert 'value="Nguyễn Văn An"' in html and "Đã điền sẵn" in html
    assert "Dùng thông tin đã có" in html and '<option value="0987654321">0987654321</option>' in html
    picked = parse_section(form, 0, post({**FIRST_PAGE, "dien_thoai": "", "dien_thoai__pick": "0987654321"}))
    assert picked.answers_patch["dien_thoai"] == "0987654321"


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_back_and_stay_are_actions(index: int) -> None:
    assert parse_section(every_kind_form(), index, post({"action": "back"})).action == "back"
    assert parse_section(every_kind_form(), index, post({"action": "stay"})).action == "stay"


def test_validate_all_maps_json_schema_errors_to_paths() -> None:
    form = every_kind_form()
    with translation.override("vi"):
        problems = validate_all(form, {"ho_ten": "x" * 101, "luong": -1, "noi_o": {"dia_chi": "1 Lê Lợi"}})
    assert "Dài quá: tối đa 100 ký tự" in problems["ho_ten"][0]
    assert "nhỏ quá" in problems["luong"][0]
    assert "noi_o.tinh" in problems and "noi_o.xa" in problems
    assert "cam_doan" in problems and "Cần đánh dấu" in problems["cam_doan"][0]
    assert "gioi_tinh" in problems and "chọn" in problems["gioi_tinh"][0]
