"""The pure rules: every built-in definition is valid; broken ones are refused, all problems listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from motcua.eforms.services import DEFINITIONS_DIR
from motcua.eforms.tests.helpers import minimal_definition
from motcua.eforms.validation import definition_file_problems, form_definition_problems

BUILTIN_FILES = sorted(DEFINITIONS_DIR.glob("*.json"))
PROCEDURES_FILE = Path(__file__).resolve().parents[2] / "core" / "demo" / "procedures.json"


def test_there_are_at_least_ten_builtin_definitions() -> None:
    assert len(BUILTIN_FILES) >= 10


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.stem)
def test_builtin_definition_is_valid(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert definition_file_problems(data) == []
    assert data["code"] == path.stem, "the file is named after its code"


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.stem)
def test_builtin_attachments_point_at_a_form_component(path: Path) -> None:
    procedures = json.loads(PROCEDURES_FILE.read_text(encoding="utf-8"))
    by_key = {p["code"] or p["name_vi"]: p for p in procedures}
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["attach_to"]
    for target in data["attach_to"]:
        procedure = by_key[target["procedure"]]
        component = procedure["components"][target["component"] - 1]["name_vi"]
        assert any(word in component for word in ("Tờ khai", "Đơn", "Giấy đề nghị", "Đề nghị", "Mẫu")), component


def test_minimal_definition_is_valid() -> None:
    definition = minimal_definition()
    assert form_definition_problems(definition["schema"], definition["layout"]) == []


def test_schema_that_breaks_the_metaschema_is_refused() -> None:
    definition = minimal_definition()
    definition["schema"]["properties"]["ho_ten"]["type"] = "strin"
    definition["schema"]["properties"]["ho_ten"]["maxLength"] = -1
    problems = form_definition_problems(definition["schema"], definition["layout"])
    assert len(problems) >= 2
    assert all("JSON Schema 2020-12" in p for p in problems)


def test_every_layout_and_help_problem_is_listed_at_once() -> None:
    definition = minimal_definition()
    layout = definition["layout"]
    layout["sections"][0]["fields"] = ["ho_ten", "khong_co"]  # gioi_tinh left out, khong_co unknown
    del layout["help"]["me.ho_ten"]
    layout["lines"] = {"ho_ten": 0}
    problems = form_definition_problems(definition["schema"], layout)
    text = "\n".join(problems)
    assert "'khong_co' không tồn tại trong lược đồ" in text
    assert "'gioi_tinh' có trong lược đồ nhưng không có trong bố cục" in text
    assert "'me.ho_ten' thiếu hướng dẫn" in text
    assert "Số dòng của 'ho_ten'" in text
    assert len(problems) == 4
    assert all(" / " in p for p in problems), "each problem in Vietnamese / English"


def test_field_without_title_and_unprintable_type_are_refused() -> None:
    definition = minimal_definition()
    definition["schema"]["properties"]["ho_ten"] = {"type": "null"}
    problems = form_definition_problems(definition["schema"], definition["layout"])
    assert any("thiếu nhãn" in p for p in problems)
    assert any("chưa hỗ trợ để in" in p for p in problems)


def test_duplicate_field_and_non_object_schema() -> None:
    definition = minimal_definition()
    definition["layout"]["sections"][1]["fields"].append("ho_ten")
    assert any("xuất hiện hai lần" in p for p in form_definition_problems(definition["schema"], definition["layout"]))
    assert form_definition_problems([], {})[0].startswith("Lược đồ phải là một đối tượng JSON")


def test_file_level_keys_are_checked() -> None:
    data = {"code": "Có dấu", "title": "", "attach_to": [{"procedure": "1.001193", "component": 0}], "extra": 1}
    data |= minimal_definition()
    problems = "\n".join(definition_file_problems(data))
    assert '"code"' in problems
    assert 'Thiếu "title"' in problems
    assert '"attach_to"' in problems
    assert "extra" in problems
