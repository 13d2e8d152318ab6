import datetime as dt
from decimal import Decimal

import pytest

from motcua.core.text import duration_in_words, fee_in_words, fold, format_vnd, words


@pytest.mark.parametrize(
    "text", ["Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "dang ky khai sinh", "  Đăng  ký khai sinh "]
)
def test_fold_makes_accents_and_case_irrelevant(text: str) -> None:
    assert fold(text) == "dang ky khai sinh"


def test_fold_handles_d_with_stroke_which_nfd_does_not_decompose() -> None:
    assert fold("Đ đ") == "d d"
    assert fold("Ủy ban nhân dân phường Đa Kao") == "uy ban nhan dan phuong da kao"


def test_words_keep_procedure_codes_whole() -> None:
    assert words("Mã 1.001193: Đăng ký") == ["ma", "1.001193", "dang", "ky"]


def test_format_vnd() -> None:
    assert format_vnd(1_500_000) == "1.500.000 đồng"
    assert format_vnd(0) == "0 đồng"
    assert format_vnd(None) == ""


def test_duration_in_words() -> None:
    assert duration_in_words(Decimal("3.0"), "working_days") == "3 ngày làm việc"
    assert duration_in_words(Decimal("1.5"), "working_days") == "1,5 ngày làm việc"
    assert duration_in_words(Decimal(8), "working_hours") == "8 giờ làm việc"
    assert duration_in_words(Decimal(15), "calendar_days") == "15 ngày"
    assert duration_in_words(None, "working_days") == "Chưa công bố"
    assert duration_in_words(0, "working_days", dt.time(15)).startswith("Trong ngày (nhận sau 15:00")
    assert duration_in_words(Decimal(10), "calendar_days", en=True) == "10 days"


def test_fee_in_words() -> None:
    assert fee_in_words(None) == "Theo mức HĐND tỉnh quy định"
    assert fee_in_words(0) == "Miễn phí"
    assert fee_in_words(20_000) == "20.000 đồng"
    assert fee_in_words(20_000, en=True) == "20,000 VND"
    assert fee_in_words(0, en=True) == "Free of charge"


def test_strip_accents_keeps_case() -> None:
    from motcua.core.text import strip_accents

    assert strip_accents("Hồ sơ ĐÃ được tiếp nhận") == "Ho so DA duoc tiep nhan"
