"""The interactive e-form (level 3): one definition -> pages that work without JavaScript.

Public API (everything else in this package is an implementation detail):

    sections(form) -> list[Section]
        Every layout section (one page each); `Section.index` is 0-based, pages show index + 1.
    visible_sections(form, answers) -> list[Section]
        The sections whose layout "when" holds: the pages to walk through.
    render_section(request, form, index, answers, errors=None, *, prefill=None,
                   choices_from_earlier=None, action_url="", back_url="") -> str
        HTML fragment of one page: labels tied to inputs, help under each label, errors listed
        at the top (linked to the fields) and beside each field. `prefill` {path: value} fills
        empty fields from what the system holds (the citizen's profile) with a note;
        `choices_from_earlier` {path: [values]} offers earlier answers in a
        "Dùng thông tin đã có" list (a value picked there wins over the box).
    parse_section(form, index, post, files=None, *, answers=None) -> SectionResult
        Reads one POST: `answers_patch` {path: value, None removes} (apply with `apply_patch`),
        `errors` {path: [messages]}, `action` next/back/stay/add_row/remove_row/choose_province,
        `target`, `row`, and `files` {path: UploadedFile} for the caller to store (the answer
        keeps the file name). Pass the stored `answers` so conditions, CCCD checks and computed
        values can see other sections. Values that cannot be read stay as typed, with a message.
    apply_patch(answers, patch) -> dict
    validate_all(form, answers) -> dict[path, list[str]]
        Vietnamese validators + JSON Schema 2020-12 (with formats) + layout "checks", messages
        in the active language; hidden fields are ignored; {} means the answers are complete.
    render_review(request, form, answers, *, edit_url=None, pdf_url="") -> str
        The "check your answers" fragment; `edit_url(index)` gives each section's change link.
    answers_pdf(form, answers) -> bytes
        A4 PDF of the answers (national heading, form title, answers filled in, signatures).
    wards_of(province_code) -> list[(code, name)]

Answers are a JSON object shaped like the schema: dates ISO "YYYY-MM-DD", money whole đồng as
an integer, phone "0912345678", CCCD 12 digits, tax code "0314409058" or "0314409058-002",
province/ward the 2025 codes of `vietnam-provinces` as integers, repeats lists of objects, files
their names. Paths are dotted ("me.ho_ten"); a repeat's cells are "thanh_vien.0.ho_ten".
The definition keys this engine reads are documented in definitions/README.md ("E-form keys").
"""

from motcua.eforms.engine.checking import validate_all
from motcua.eforms.engine.fields import Field, Section, apply_patch
from motcua.eforms.engine.pages import (
    SectionResult,
    answers_pdf,
    parse_section,
    render_review,
    render_section,
    sections,
    visible_sections,
    wards_of,
)

__all__ = [
    "Field",
    "Section",
    "SectionResult",
    "answers_pdf",
    "apply_patch",
    "parse_section",
    "render_review",
    "render_section",
    "sections",
    "validate_all",
    "visible_sections",
    "wards_of",
]
