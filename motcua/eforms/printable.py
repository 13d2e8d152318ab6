"""The printed form, worked out once from a definition: what the PDF and the DOCX both draw.

Pure: both renderers read this one structure, so the two downloads carry the same numbered
fields, choices, tables, help text and signature blocks, and neither can drift from the e-form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from motcua.eforms.validation import choices_of, field_kind, iter_leaves

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
DEFAULT_PLACE_DATE = "…………, ngày …… tháng …… năm ……"
DEFAULT_SIGNATURE_NOTE = "(Ký, ghi rõ họ, tên)"
DEFAULT_TABLE_ROWS = 3
CHECKBOX = "☐"  # U+2610 BALLOT BOX: DejaVu Sans has it, Times New Roman falls back cleanly in Word


@dataclass(frozen=True)
class PrintedField:
    number: int
    path: str
    label: str
    kind: str  # text, date, choice, multichoice, check, table
    help: str
    lines: int = 1
    choices: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class PrintedSection:
    title: str
    title_en: str
    fields: tuple[PrintedField, ...]


@dataclass(frozen=True)
class Signature:
    title: str
    note: str = DEFAULT_SIGNATURE_NOTE


@dataclass(frozen=True)
class PrintedForm:
    title: str
    title_en: str
    legal_reference: str
    form_number: str
    addressee: str
    intro: str
    sections: tuple[PrintedSection, ...]
    declaration: str
    place_date: str
    signatures: tuple[Signature, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def has_required(self) -> bool:
        return any(f.required for s in self.sections for f in s.fields)


def _required_paths(schema: dict[str, Any], prefix: str = "") -> set[str]:
    paths = {f"{prefix}{name}" for name in schema.get("required", [])}
    for name, prop in schema.get("properties", {}).items():
        if isinstance(prop, dict) and prop.get("type") == "object":
            paths |= _required_paths(prop, prefix=f"{prefix}{name}.")
    return paths


def _printed_field(
    number: int, path: str, prop: dict[str, Any], layout: dict[str, Any], required: bool
) -> PrintedField:
    kind = field_kind(prop) or "text"
    lines = int(layout.get("lines", {}).get(path, DEFAULT_TABLE_ROWS if kind == "table" else 1))
    choices: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    if kind == "choice":
        choices = tuple(label for _, label in choices_of(prop) or [])
    elif kind == "multichoice":
        choices = tuple(label for _, label in choices_of(prop["items"]) or [])
    elif kind == "table":
        columns = tuple(str(c.get("title", name)) for name, c in prop["items"]["properties"].items())
    return PrintedField(
        number=number,
        path=path,
        label=str(prop.get("title", path)),
        kind=kind,
        help=str(layout.get("help", {}).get(path, "")),
        lines=lines,
        choices=choices,
        columns=columns,
        required=required,
    )


def printed_form(
    *, title: str, title_en: str = "", legal_reference: str = "", schema: dict[str, Any], layout: dict[str, Any]
) -> PrintedForm:
    """The printable structure of a definition (assumed valid: see validation.py)."""
    leaves = dict(iter_leaves(schema))
    required = _required_paths(schema)
    number = 0
    sections: list[PrintedSection] = []
    for section in layout.get("sections", []):
        fields: list[PrintedField] = []
        for path in section.get("fields", []):
            if path not in leaves:
                continue
            number += 1
            fields.append(_printed_field(number, path, leaves[path], layout, path in required))
        sections.append(
            PrintedSection(title=section.get("title", ""), title_en=section.get("title_en", ""), fields=tuple(fields))
        )
    footer: dict[str, Any] = layout.get("footer", {})
    signatures = tuple(
        Signature(title=s["title"], note=s.get("note", DEFAULT_SIGNATURE_NOTE)) for s in footer.get("signatures", [])
    ) or (Signature(title="Người làm đơn"),)
    return PrintedForm(
        title=title,
        title_en=title_en,
        legal_reference=legal_reference,
        form_number=str(layout.get("form_number", "")),
        addressee=str(layout.get("addressee", "")),
        intro=str(layout.get("intro", "")),
        sections=tuple(sections),
        declaration=str(footer.get("declaration", "")),
        place_date=str(footer.get("place_date", DEFAULT_PLACE_DATE)),
        signatures=signatures,
        notes=tuple(str(n) for n in footer.get("notes", [])),
    )


_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """Section numbers as Vietnamese forms print them: I, II, III... (enough up to 39)."""
    text = ""
    for value, letters in _ROMAN:
        while number >= value:
            text += letters
            number -= value
    return text


def signature_rows(signatures: tuple[Signature, ...]) -> list[tuple[Signature, ...]]:
    """Signature blocks side by side, at most three a row; four go two by two (CT01)."""
    per_row = 2 if len(signatures) == 4 else min(max(len(signatures), 1), 3)
    return [signatures[i : i + per_row] for i in range(0, len(signatures), per_row)]
