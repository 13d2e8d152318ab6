"""Vietnamese text helpers: accent folding for search, money and durations in words.

Pure functions, no database: tested in milliseconds.
"""

from __future__ import annotations

import re
import unicodedata

# `đ`/`Đ` are letters of their own, not `d` + a combining mark: NFD leaves them alone,
# so they are mapped by hand before the marks are stripped.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_WORD = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower-case, accent-free form: "ĐĂNG KÝ Khai sinh" -> "dang ky khai sinh"."""
    text = unicodedata.normalize("NFD", text.translate(_SPECIAL).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The folded words of a text (procedure codes such as 1.001193 stay one word)."""
    return _WORD.findall(fold(text))


def format_vnd(amount: int | None) -> str:
    """Vietnamese đồng with a dot as thousands separator: 1500000 -> "1.500.000 đồng"."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"


def normalise_spaces(text: str) -> str:
    return " ".join(text.split())
