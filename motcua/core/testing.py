"""Assertions shared by the test suites (imported only from tests)."""

from __future__ import annotations

from typing import Any


def assert_fonts_embedded(reader: Any) -> None:
    """Every font of a PDF (a pypdf PdfReader) is embedded, and DejaVu (Vietnamese) is among them."""
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert any("DejaVu" in name for name in fonts)
    for name, font in fonts.items():
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)[
            "/FontDescriptor"
        ]
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
