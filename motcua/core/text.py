"""Vietnamese text helpers: accent folding for search, money and durations in words.

Pure functions, no database: tested in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

# `đ`/`Đ` are letters of their own, not `d` + a combining mark: NFD leaves them alone,
# so they are mapped by hand before the marks are stripped.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_SPECIAL_CASED = str.maketrans({"đ": "d", "Đ": "D"})
_WORD = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower-case, accent-free form: "ĐĂNG KÝ Khai sinh" -> "dang ky khai sinh"."""
    text = unicodedata.normalize("NFD", text.translate(_SPECIAL).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


def strip_accents(text: str) -> str:
    """Vietnamese without diacritics, case kept: for SMS (GSM-7) and payment order info."""
    text = unicodedata.normalize("NFD", text.translate(_SPECIAL_CASED))
    return unicodedata.normalize("NFC", "".join(ch for ch in text if not unicodedata.combining(ch)))


def words(text: str) -> list[str]:
    """The folded words of a text (procedure codes such as 1.001193 stay one word)."""
    return _WORD.findall(fold(text))


def format_vnd(amount: int | None) -> str:
    """Vietnamese đồng with a dot as thousands separator: 1500000 -> "1.500.000 đồng"."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"


def fee_in_words(amount: int | None, *, en: bool = False) -> str:
    """A fee: None -> set by the provincial People's Council; 0 -> free; else "1.500.000 đồng"."""
    if amount is None:
        return "As set by the provincial People's Council" if en else "Theo mức HĐND tỉnh quy định"
    if amount == 0:
        return "Free of charge" if en else "Miễn phí"
    return f"{amount:,} VND" if en else format_vnd(amount)


def normalise_spaces(text: str) -> str:
    return " ".join(text.split())


_UNIT_WORDS = {
    "working_hours": ("giờ làm việc", "working hours"),
    "working_days": ("ngày làm việc", "working days"),
    "calendar_days": ("ngày", "days"),
}


def duration_in_words(
    value: Decimal | int | None, unit: str, cutoff: dt.time | None = None, *, en: bool = False
) -> str:
    """A processing time as people say it: "3 ngày làm việc", "Trong ngày (nhận sau 15:00 ...)"."""
    if value is None:
        return "Not published" if en else "Chưa công bố"
    if value == 0:
        if cutoff is None:
            return "Same day" if en else "Trong ngày"
        hhmm = cutoff.strftime("%H:%M")
        if en:
            return f"Same day (received after {hhmm}: next working day)"
        return f"Trong ngày (nhận sau {hhmm} thì trả vào ngày làm việc tiếp theo)"
    number = Decimal(value).normalize()
    amount = f"{number:f}".replace(".", ",") if not en else f"{number:f}"
    vi, english = _UNIT_WORDS.get(unit, (unit, unit))
    return f"{amount} {english if en else vi}"
