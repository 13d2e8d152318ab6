"""Small definitions for tests, built in code so each test shows what it checks."""

from __future__ import annotations

import copy
import json
from typing import Any

from motcua.eforms.models import FormDefinition
from motcua.eforms.services import DEFINITIONS_DIR

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def minimal_definition() -> dict[str, Any]:
    return {
        "schema": {
            "$schema": DIALECT,
            "type": "object",
            "properties": {
                "ho_ten": {"type": "string", "title": "Họ, chữ đệm, tên", "maxLength": 100},
                "gioi_tinh": {
                    "type": "string",
                    "title": "Giới tính",
                    "oneOf": [{"const": "nam", "title": "Nam"}, {"const": "nu", "title": "Nữ"}],
                },
                "me": {
                    "type": "object",
                    "title": "Mẹ",
                    "properties": {"ho_ten": {"type": "string", "title": "Họ tên người mẹ"}},
                },
            },
            "required": ["ho_ten"],
        },
        "layout": {
            "sections": [
                {"title": "Người yêu cầu", "fields": ["ho_ten", "gioi_tinh"]},
                {"title": "Mẹ", "fields": ["me.ho_ten"]},
            ],
            "help": {
                "ho_ten": "Viết chữ in hoa có dấu.",
                "gioi_tinh": "Đánh dấu X vào một ô.",
                "me.ho_ten": "Họ tên mẹ đẻ.",
            },
        },
    }


def builtin_file(code: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEFINITIONS_DIR / f"{code}.json").read_text(encoding="utf-8"))
    return data


def builtin_form(code: str = "to-khai-dang-ky-khai-sinh") -> FormDefinition:
    """An unsaved FormDefinition from a built-in file (rendering needs no database)."""
    data = builtin_file(code)
    return FormDefinition(
        code=data["code"],
        title=data["title"],
        title_en=data["title_en"],
        legal_reference=data["legal_reference"],
        schema=copy.deepcopy(data["schema"]),
        layout=copy.deepcopy(data["layout"]),
    )
