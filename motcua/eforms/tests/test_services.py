from __future__ import annotations

import json
from pathlib import Path

import pytest

from motcua.core.errors import InvalidInput
from motcua.eforms.models import FormDefinition
from motcua.eforms.services import (
    builtin_attachments,
    builtin_definitions,
    form_definition_upsert,
    form_definitions_load_builtin,
)
from motcua.eforms.tests.helpers import minimal_definition


@pytest.mark.django_db
def test_loading_builtin_forms_is_idempotent() -> None:
    first = form_definitions_load_builtin()
    assert len(first) >= 10
    stamps = {code: (form.version, form.updated_at) for code, form in first.items()}
    second = form_definitions_load_builtin()
    assert {code: (form.version, form.updated_at) for code, form in second.items()} == stamps
    assert FormDefinition.objects.count() == len(first)
    assert all(version == 1 for version, _ in stamps.values())


@pytest.mark.django_db
def test_changed_content_bumps_the_version() -> None:
    definition = minimal_definition()
    kwargs = {"code": "to-khai-thu", "title": "Tờ khai thử", "title_en": "", "legal_reference": "Mẫu thử"}
    form = form_definition_upsert(**kwargs, schema=definition["schema"], layout=definition["layout"])
    assert form.version == 1
    definition["layout"]["help"]["ho_ten"] = "Hướng dẫn mới."
    form = form_definition_upsert(**kwargs, schema=definition["schema"], layout=definition["layout"])
    assert form.version == 2
    assert FormDefinition.objects.get(code="to-khai-thu").layout["help"]["ho_ten"] == "Hướng dẫn mới."


@pytest.mark.django_db
def test_invalid_definition_is_not_saved() -> None:
    definition = minimal_definition()
    del definition["layout"]["help"]["ho_ten"]
    with pytest.raises(InvalidInput) as info:
        form_definition_upsert(code="to-khai-hong", title="Hỏng", title_en="", legal_reference="x", **definition)
    assert any("'ho_ten' thiếu hướng dẫn" in p for p in info.value.problems)
    assert not FormDefinition.objects.exists()


def test_bad_file_stops_the_load_with_every_problem(tmp_path: Path) -> None:
    good = {"code": "tot", "title": "Tốt", "legal_reference": "x", "attach_to": []} | minimal_definition()
    bad = json.loads(json.dumps(good)) | {"code": "hong"}
    bad["layout"]["help"] = {}
    (tmp_path / "tot.json").write_text(json.dumps(good), encoding="utf-8")
    (tmp_path / "hong.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "vo.json").write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        builtin_definitions(tmp_path)
    problems = info.value.problems
    assert sum(p.startswith("hong.json: ") for p in problems) == 3
    assert any(p.startswith("vo.json: ") for p in problems)
    assert not any(p.startswith("tot.json") for p in problems)


def test_builtin_attachments() -> None:
    attachments = builtin_attachments()
    assert attachments[("1.001193", 1)] == "to-khai-dang-ky-khai-sinh"
    assert attachments[("1.004222", 1)] == attachments[("1.004194", 1)] == "ct01-to-khai-thay-doi-thong-tin-cu-tru"
    assert attachments[("Đăng ký thành lập hộ kinh doanh", 1)] == "giay-de-nghi-dang-ky-ho-kinh-doanh"
    assert attachments[("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", 1)] == "don-de-nghi-cap-giay-phep-xay-dung"
    assert len(set(attachments.values())) == len(builtin_definitions())
