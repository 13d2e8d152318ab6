"""A definition that uses every kind of field the engine knows, built in code."""

from __future__ import annotations

from typing import Any

from motcua.eforms.models import FormDefinition
from motcua.eforms.tests.helpers import DIALECT

GENDER = {
    "type": "string",
    "title": "Giới tính",
    "oneOf": [{"const": "nam", "title": "Nam"}, {"const": "nu", "title": "Nữ"}],
}


def every_kind_definition() -> dict[str, Any]:
    schema = {
        "$schema": DIALECT,
        "type": "object",
        "properties": {
            "ho_ten": {"type": "string", "title": "Họ, chữ đệm, tên", "maxLength": 100},
            "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
            "gioi_tinh": GENDER,
            "so_dinh_danh": {"type": "string", "title": "Số định danh cá nhân"},
            "dien_thoai": {"type": "string", "title": "Số điện thoại di động"},
            "email": {"type": "string", "format": "email", "title": "Thư điện tử"},
            "ma_so_thue": {"type": "string", "title": "Mã số thuế"},
            "tuoi": {"type": "integer", "title": "Tuổi"},
            "noi_o": {
                "type": "object",
                "title": "Nơi ở",
                "properties": {
                    "tinh": {"type": "integer", "title": "Tỉnh, thành phố"},
                    "xa": {"type": "integer", "title": "Xã, phường"},
                    "dia_chi": {"type": "string", "title": "Số nhà, đường", "maxLength": 200},
                },
                "required": ["tinh", "xa"],
            },
            "co_vo_chong": {"type": "boolean", "title": "Đã có vợ/chồng"},
            "ho_ten_vo_chong": {"type": "string", "title": "Họ tên vợ/chồng"},
            "thanh_vien": {
                "type": "array",
                "title": "Thành viên hộ gia đình",
                "maxItems": 5,
                "items": {
                    "type": "object",
                    "properties": {
                        "ho_ten": {"type": "string", "title": "Họ tên"},
                        "thu_nhap": {"type": "integer", "title": "Thu nhập tháng"},
                    },
                    "required": ["ho_ten"],
                },
            },
            "luong": {"type": "integer", "title": "Lương tháng của bạn", "minimum": 0},
            "tong_thu_nhap": {"type": "integer", "title": "Tổng thu nhập hộ"},
            "ho_tro": {
                "type": "array",
                "title": "Muốn được hỗ trợ",
                "uniqueItems": True,
                "items": {"type": "string", "enum": ["viec_lam", "hoc_nghe"]},
            },
            "ghi_chu": {"type": "string", "title": "Ghi chú", "maxLength": 1000},
            "giay_to": {"type": "string", "title": "Ảnh giấy tờ"},
            "cam_doan": {"type": "boolean", "title": "Tôi cam đoan"},
        },
        "required": ["ho_ten", "ngay_sinh", "gioi_tinh", "so_dinh_danh", "dien_thoai", "cam_doan"],
    }
    sections = [
        {
            "title": "Người khai",
            "fields": ["ho_ten", "ngay_sinh", "gioi_tinh", "so_dinh_danh", "dien_thoai", "email", "ma_so_thue", "tuoi"],
        },
        {"title": "Nơi ở", "fields": ["noi_o.tinh", "noi_o.xa", "noi_o.dia_chi", "co_vo_chong", "ho_ten_vo_chong"]},
        {"title": "Hộ gia đình", "fields": ["thanh_vien", "luong", "tong_thu_nhap", "ho_tro"]},
        {"title": "Cam đoan", "fields": ["ghi_chu", "giay_to", "cam_doan"]},
    ]
    all_paths = [p for s in sections for p in s["fields"]]
    layout = {
        "sections": sections,
        "help": {p: f"Hướng dẫn ghi mục {p}." for p in all_paths},
        "help_en": {"ho_ten": "Your full name."},
        "lines": {"ghi_chu": 3},
        "widgets": {
            "so_dinh_danh": "cccd",
            "dien_thoai": "mobile",
            "ma_so_thue": "tax_code",
            "co_vo_chong": "yesno",
            "luong": "money",
            "thanh_vien[].thu_nhap": "money",
            "giay_to": "file",
        },
        "when": {"ho_ten_vo_chong": {"field": "co_vo_chong", "equals": True}},
        "computed": {"tuoi": {"age": "ngay_sinh"}, "tong_thu_nhap": {"sum": ["luong", "thanh_vien[].thu_nhap"]}},
        "checks": [{"cccd": "so_dinh_danh", "birth_date": "ngay_sinh", "gender": "gioi_tinh"}],
        "addresses": [{"province": "noi_o.tinh", "ward": "noi_o.xa"}],
    }
    return {"schema": schema, "layout": layout}


def every_kind_form(code: str = "moi-kieu") -> FormDefinition:
    data = every_kind_definition()
    return FormDefinition(code=code, title="Tờ khai thử mọi kiểu", schema=data["schema"], layout=data["layout"])
