"""Every built-in definition works as an e-form: all sections render, a filled sample validates."""

from __future__ import annotations

import re
from typing import Any

import pytest

from motcua.eforms.engine import render_review, render_section, sections, validate_all
from motcua.eforms.engine.fields import Field, set_value
from motcua.eforms.services import builtin_definitions
from motcua.eforms.tests.helpers import builtin_form
from motcua.eforms.validation import iter_leaves

CODES = sorted(d["code"] for d in builtin_definitions())


def _sample(fld: Field, prop: dict[str, Any]) -> Any:
    kind = fld.kind
    match = re.fullmatch(r"\^\[0-9\]\{(\d+)\}\$", str(prop.get("pattern", "")))
    if match and kind != "cccd":
        return "0123456789012"[: int(match[1])]
    if kind in ("radio", "select"):
        return fld.choices[0][0]
    if kind == "checkboxes":
        return [fld.choices[0][0]]
    if kind in ("check", "yesno"):
        return True
    if kind == "date":
        return "1990-05-01"
    if kind == "cccd":
        return "079090000001"  # Hồ Chí Minh City, male, 1990: matches the sample's birth date
    if kind in ("phone", "mobile"):
        return "0912345678"
    if kind == "email":
        return "an@example.vn"
    if kind == "money":
        return 1500000
    if kind == "number":
        return max(int(prop.get("minimum", 0)), min(1990, int(prop.get("maximum", 2)))) if prop else 2
    if kind == "repeat":
        columns = prop["items"]["properties"]
        return [{c.path: _sample(c, columns[c.path]) for c in fld.columns}]
    return "Nguyễn Văn Ấn"[: fld.max_length or 100]


def filled_sample(code: str) -> dict[str, Any]:
    form = builtin_form(code)
    leaves = dict(iter_leaves(form.schema))
    answers: dict[str, Any] = {}
    for section in sections(form):
        for fld in section.fields:
            set_value(answers, fld.path, _sample(fld, leaves[fld.path]))
    return answers


@pytest.mark.parametrize("code", CODES)
def test_every_section_renders_and_a_filled_sample_validates(code: str) -> None:
    form = builtin_form(code)
    answers = filled_sample(code)
    assert validate_all(form, answers) == {}
    for section in sections(form):
        html = render_section(None, form, section.index, answers)
        for fld in section.fields:
            assert f'id="{fld.html_id}' in html, (code, fld.path)
    review = render_review(None, form, answers)
    assert "Nguyễn Văn Ấn" in review
    if form.schema.get("required"):
        assert validate_all(form, {})  # an empty form is not complete


def test_eleven_builtins() -> None:
    assert len(CODES) == 11


def test_builtin_condition_and_cccd_check() -> None:
    form = builtin_form("to-khai-cap-ban-sao-trich-luc-ho-tich")
    answers = filled_sample("to-khai-cap-ban-sao-trich-luc-ho-tich")
    answers["loai_giay_to"] = "khai_sinh"
    assert validate_all(form, {**answers, "loai_khac": 12}) == {}  # hidden: not checked
    ct01 = builtin_form("ct01-to-khai-thay-doi-thong-tin-cu-tru")
    sample = filled_sample("ct01-to-khai-thay-doi-thong-tin-cu-tru")
    sample["ngay_sinh"] = "1991-05-01"
    assert list(validate_all(ct01, sample)) == ["so_dinh_danh"]
