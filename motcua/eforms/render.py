"""Printed forms: one definition -> PDF (WeasyPrint) and DOCX (python-docx).

Both read the same `PrintedForm` (printable.py), so paper and e-form never drift. WeasyPrint and
python-docx are heavy: they are imported inside the functions that need them, never at module
level, so importing the app (every request, every test) does not pay for them.
"""

from __future__ import annotations

import io
from typing import Any, Literal

from django.core.cache import cache
from django.template.loader import render_to_string

from motcua.eforms.models import FormDefinition
from motcua.eforms.printable import (
    CHECKBOX,
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    PrintedField,
    PrintedForm,
    printed_form,
    roman,
    signature_rows,
)

FileFormat = Literal["pdf", "docx"]
CONTENT_TYPES: dict[FileFormat, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Bump when the template or the DOCX layout changes, so cached files of unchanged forms expire.
RENDER_REVISION = 1
CACHE_SECONDS = 60 * 60 * 24
DATE_BLANKS = "ngày ……… tháng ……… năm …………"
DOCX_FONT = "Times New Roman"  # the font of Vietnamese administrative documents (Decree 30/2020)


def form_printed(form: FormDefinition) -> PrintedForm:
    return printed_form(
        title=form.title,
        title_en=form.title_en,
        legal_reference=form.legal_reference,
        schema=form.schema,
        layout=form.layout,
    )


def _field_context(field: PrintedField) -> dict[str, Any]:
    return {
        "number": field.number,
        "label": field.label,
        "kind": field.kind,
        "help": field.help,
        "required": field.required,
        "choices": field.choices,
        "columns": field.columns,
        "rows": range(field.lines),
        "extra_lines": range(field.lines - 1),
    }


def render_html(form: FormDefinition) -> str:
    printed = form_printed(form)
    rows = signature_rows(printed.signatures)
    return render_to_string(
        "eforms/printed_form.html",
        {
            "form": printed,
            "sections": [
                {
                    "number": roman(index),
                    "title": section.title,
                    "fields": [_field_context(f) for f in section.fields],
                }
                for index, section in enumerate(printed.sections, start=1)
            ],
            "national_name": NATIONAL_NAME,
            "national_motto": NATIONAL_MOTTO,
            "checkbox": CHECKBOX,
            "signature_rows": rows,
            "signature_width": 100 // len(rows[0]) if rows else 100,
        },
    )


def render_pdf(form: FormDefinition) -> bytes:
    """A4 PDF with the DejaVu fonts embedded (they cover every Vietnamese letter)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(form)).write_pdf()
    return pdf


def render_docx(form: FormDefinition) -> bytes:
    """The same printed form as an editable Word document."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    printed = form_printed(form)
    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin, page.right_margin = Mm(28), Mm(18)
    page.top_margin, page.bottom_margin = Mm(18), Mm(18)
    text_width = Mm(210 - 28 - 18)

    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(12)
    # Word picks the East Asian font slot for some Vietnamese letters unless it is set too.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.space_before = Pt(0)

    def paragraph(
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        align: Any = None,
        indent_mm: float = 0,
    ) -> Any:
        para = document.add_paragraph()
        if text:
            run = para.add_run(text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
        if align is not None:
            para.alignment = align
        if indent_mm:
            para.paragraph_format.left_indent = Mm(indent_mm)
        return para

    def dotted_to_margin(para: Any) -> None:
        para.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        para.add_run("\t")

    if printed.form_number:
        paragraph(printed.form_number, italic=True, size=10, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(NATIONAL_NAME, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    motto = paragraph(NATIONAL_MOTTO, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    # The short rule under the motto: a bottom border on a paragraph narrowed by indents.
    motto.paragraph_format.left_indent = motto.paragraph_format.right_indent = Mm(48)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    motto._p.get_or_add_pPr().append(borders)
    motto.paragraph_format.space_after = Pt(12)

    paragraph(printed.title.upper(), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    if printed.legal_reference:
        paragraph(f"({printed.legal_reference})", italic=True, size=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    if printed.addressee:
        paragraph(printed.addressee, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_before = Pt(6)
    if printed.intro:
        paragraph(printed.intro)

    for index, section in enumerate(printed.sections, start=1):
        heading = paragraph(f"{roman(index)}. {section.title}", bold=True)
        heading.paragraph_format.space_before = Pt(8)
        heading.paragraph_format.keep_with_next = True
        for field in section.fields:
            label = f"{field.number}. {field.label}{' (*)' if field.required else ''}"
            if field.kind == "check":
                paragraph(f"{CHECKBOX} {field.number}. {field.label}")
            elif field.kind in ("choice", "multichoice"):
                paragraph(label + ":" + (" (có thể chọn nhiều)" if field.kind == "multichoice" else ""))
                paragraph("     ".join(f"{CHECKBOX} {choice}" for choice in field.choices), indent_mm=6)
            elif field.kind == "date":
                paragraph(f"{label}: {DATE_BLANKS}")
            elif field.kind == "table":
                paragraph(label + ":").paragraph_format.keep_with_next = True
                table = document.add_table(rows=1 + field.lines, cols=1 + len(field.columns))
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                for column, title in enumerate(("TT", *field.columns)):
                    cell = table.rows[0].cells[column]
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(title)
                    run.bold = True
                    run.font.size = Pt(10)
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                for row in range(1, 1 + field.lines):
                    table.rows[row].cells[0].text = str(row)
                    table.rows[row].height = Mm(7)
            else:
                dotted_to_margin(paragraph(label + ": "))
                for _ in range(field.lines - 1):
                    dotted_to_margin(paragraph())
            if field.help:
                help_paragraph = paragraph(field.help, italic=True, size=8.5, indent_mm=6)
                help_paragraph.runs[0].font.color.rgb = RGBColor(0x44, 0x44, 0x44)

    if printed.declaration:
        declaration = paragraph(printed.declaration, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        declaration.paragraph_format.space_before = Pt(8)
    place_date = paragraph(printed.place_date, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    place_date.paragraph_format.space_before = Pt(8)
    for signature_row in signature_rows(printed.signatures):
        table = document.add_table(rows=1, cols=len(signature_row))
        for cell, signature in zip(table.rows[0].cells, signature_row, strict=True):
            cell.text = ""
            title = cell.paragraphs[0]
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
            title.add_run(signature.title).bold = True
            note = cell.add_paragraph()
            note.alignment = WD_ALIGN_PARAGRAPH.CENTER
            note_run = note.add_run(signature.note)
            note_run.italic = True
            note_run.font.size = Pt(10)
            for _ in range(4):  # room to sign
                cell.add_paragraph()
    if printed.has_required:
        paragraph("Mục có dấu (*) là bắt buộc phải ghi.", italic=True, size=9)
    for text in printed.notes:
        paragraph(text, size=9)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def form_file_bytes(form: FormDefinition, *, file_format: FileFormat) -> bytes:
    """The printed form, from the cache when this exact version was already generated.

    The key holds version and updated_at: an admin edit (which may not bump the version) still
    yields a new key, so a stale file is never served; old keys simply expire.
    """
    key = (
        f"eforms:{file_format}:{RENDER_REVISION}:{form.code}:{form.version}:"
        f"{form.updated_at.timestamp() if form.updated_at else 0}"
    )
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return cached
    content = render_pdf(form) if file_format == "pdf" else render_docx(form)
    cache.set(key, content, CACHE_SECONDS)
    return content
