"""Display names: readable Vietnamese, nothing dangerous (pure)."""

from __future__ import annotations

import unicodedata

import pytest

from motcua.uploads.filenames import MAX_DISPLAY_NAME, display_name
from motcua.uploads.inspection import KNOWN_EXTENSIONS


def name(original: str | None, extension: str = ".pdf") -> str:
    return display_name(original, extension, KNOWN_EXTENSIONS)


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Giấy khai sinh bản sao.pdf", "Giấy khai sinh bản sao.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\An\\Desktop\\đơn.PDF", "đơn.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1", "_lpt1.pdf"),
        ("nul.tar.pdf", "_nul.tar.pdf"),
        ("bao\x00cao\r\n.pdf", "baocao.pdf"),
        ("hoso\u202efdp.exe", "hosofdp.exe.pdf"),  # the right-to-left override is dropped
        ('a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("   .hidden.pdf  ", "hidden.pdf"),
        ("...", "tep.pdf"),
        ("", "tep.pdf"),
        (None, "tep.pdf"),
        ("ảnh.HEIC", "ảnh.pdf"),
        ("hop-dong.v2", "hop-dong.v2.pdf"),
    ],
)
def test_display_names(original: str | None, expected: str) -> None:
    assert name(original) == expected


def test_decomposed_vietnamese_from_macos_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Đơn đề nghị.pdf")
    assert name(decomposed) == "Đơn đề nghị.pdf"


def test_very_long_names_are_cut_keeping_the_extension() -> None:
    result = name("Ả" * 1000 + ".pdf")
    assert len(result) == MAX_DISPLAY_NAME and result.endswith("Ả.pdf")


def test_a_refused_file_keeps_its_own_extension_in_messages() -> None:
    assert display_name("virus.exe", "") == "virus.exe"
