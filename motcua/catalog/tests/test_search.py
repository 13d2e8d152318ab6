"""Catalogue search: the pure core without a database, then search_procedures on one."""

from __future__ import annotations

import pytest

from motcua.catalog import search
from motcua.catalog.models import Topic
from motcua.catalog.search import Document, Filters, SearchIndex, normalise_token, tokens
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.core.text import fold

# -- pure: folding, tokens, edits -----------------------------------------------------------


def test_tokens_fold_case_accents_and_d_bar() -> None:
    expected = ["dang", "ki", "khai", "sinh"]
    assert tokens("Đăng ký khai sinh") == expected
    assert tokens("ĐĂNG KÝ KHAI SINH") == expected
    assert tokens("dang ky khai sinh") == expected
    assert tokens("dang ki khai sinh") == expected


def test_national_code_stays_one_token() -> None:
    assert tokens("Mã 1.001193") == ["ma", "1.001193"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("ky", "ki"), ("ly", "li"), ("my", "mi"), ("quy", "qui"), ("thuy", "thuy"), ("tuy", "tuy"), ("y", "i")],
)
def test_final_y_reads_as_i_only_after_a_bare_consonant(word: str, expected: str) -> None:
    assert normalise_token(word) == expected


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("sinh", "snh", True),
        ("sinh", "sinhh", True),
        ("khai", "kahi", True),
        ("khai", "khoi", True),
        ("khai", "kha", True),
        ("khai", "kh", False),
        ("sinh", "tinh", True),
        ("sinh", "thinh", False),
    ],
)
def test_within_one_edit(a: str, b: str, close: bool) -> None:
    assert search._within_one_edit(a, b) is close
    assert search._within_one_edit(b, a) is close


# -- pure: ranking ----------------------------------------------------------------------------


def _doc(pk: int, code: str, name: str, summary: str = "", **extra: object) -> Document:
    return Document(
        procedure_id=pk,
        national_code=code,
        name=name,
        search_text=fold(f"{code} {name} Hộ tịch UBND cấp xã {summary}"),
        **extra,  # type: ignore[arg-type]
    )


BIRTH = 1
MARRIAGE = 2
BIRTH_AGAIN = 3
COPY = 4
DEATH = 5
BIRTH_FOREIGN = 6


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex.build(
        [
            _doc(BIRTH, "1.001193", "Đăng ký khai sinh", "Cha mẹ đăng ký cho con trong 60 ngày.", for_citizens=True),
            _doc(MARRIAGE, "1.000894", "Đăng ký kết hôn", "Hai bên nam nữ cùng có mặt.", for_citizens=True),
            _doc(BIRTH_AGAIN, "1.004884", "Đăng ký lại khai sinh", "Khi sổ hộ tịch và bản chính đã mất."),
            _doc(COPY, "2.000635", "Cấp bản sao trích lục hộ tịch", "Bản sao giấy khai sinh, trích lục kết hôn."),
            _doc(
                DEATH, "1.000656", "Đăng ký khai tử", "Người thân đăng ký khai tử trong 15 ngày.", field_slug="ho-tich"
            ),
            _doc(
                BIRTH_FOREIGN, "1.001695", "Đăng ký khai sinh có yếu tố nước ngoài", "Cha hoặc mẹ là người nước ngoài."
            ),
        ]
    )


@pytest.mark.parametrize(
    "query",
    ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "đăng ký khai sinh", "Đăng Ký Khai Sinh", "dang ki khai sinh"],
)
def test_any_spelling_of_the_name_finds_it_first(index: SearchIndex, query: str) -> None:
    assert index.search(query)[0] == BIRTH


@pytest.mark.parametrize("query", ["khai snh", "kahi sinh", "dang ky khia sinh", "dang ki khai sinhh"])
def test_typos_still_find_it(index: SearchIndex, query: str) -> None:
    assert index.search(query)[0] == BIRTH


def test_exact_phrase_in_name_ranks_above_words_found_only_in_summary(index: SearchIndex) -> None:
    # "giay khai sinh" is in COPY's summary; BIRTH and BIRTH_AGAIN have "khai sinh" in the name.
    ranked = index.search("khai sinh")
    assert ranked.index(BIRTH) < ranked.index(COPY)
    assert ranked.index(BIRTH_AGAIN) < ranked.index(COPY)
    # The name that is the query beats the longer names that contain it.
    assert ranked[0] == BIRTH


def test_name_that_starts_with_the_phrase_beats_name_that_scatters_it(index: SearchIndex) -> None:
    ranked = index.search("dang ky khai sinh")
    assert ranked.index(BIRTH_FOREIGN) < ranked.index(BIRTH_AGAIN)


def test_national_code_finds_exactly_that_procedure(index: SearchIndex) -> None:
    assert index.search("1.001193") == [BIRTH]
    assert index.search("1.0011")[0] == BIRTH  # a code being typed


def test_unrelated_words_find_nothing(index: SearchIndex) -> None:
    assert index.search("giấy phép xây dựng") == []


def test_short_query_needs_every_word(index: SearchIndex) -> None:
    assert index.search("khai tu") == [DEATH]


def test_empty_query_lists_everything_alphabetically(index: SearchIndex) -> None:
    names = [d.name for d in index.documents]
    assert names == sorted(names, key=fold)
    assert index.search("") == [d.procedure_id for d in index.documents]


def test_filters_combine_with_the_query(index: SearchIndex) -> None:
    assert index.search("khai sinh", Filters(subject="citizen")) == [BIRTH]
    assert index.search("", Filters(field="ho-tich")) == [DEATH]
    assert index.search("khai sinh", Filters(field="ho-tich")) == []
    assert index.search("", Filters(topic="unknown")) == []


def test_suggest_corrects_unknown_words(index: SearchIndex) -> None:
    assert index.suggest("dang ky khai snh") == "dang ky khai sinh"
    assert index.suggest("dang ky khai sinh") is None


# -- with the database --------------------------------------------------------------------

pytest_db = pytest.mark.django_db


@pytest_db
def test_search_procedures_returns_loaded_procedures_in_rank_order() -> None:
    birth = make_procedure(name="Đăng ký khai sinh", national_code="1.001193")
    again = make_procedure(name="Đăng ký lại khai sinh", national_code="1.004884")
    make_procedure(name="Đăng ký kết hôn", national_code="1.000894")
    total, procedures = search.search_procedures("dang ki khai snh")
    assert total == 2
    assert procedures == [birth, again]
    total, procedures = search.search_procedures("1.004884")
    assert (total, procedures) == (1, [again])


@pytest_db
def test_filters_subject_field_topic_agency_level() -> None:
    ward = make_agency(name="UBND Phường Bến Thành")
    department = make_agency(name="Sở Kế hoạch và Đầu tư")
    birth = make_procedure(name="Đăng ký khai sinh", agency=ward, online_level="full", legacy_level=4)
    company = make_procedure(
        name="Đăng ký thành lập doanh nghiệp",
        field_name="Thành lập doanh nghiệp",
        agency=department,
        for_citizens=False,
        for_businesses=True,
        online_level="partial",
    )
    topic = Topic.objects.create(slug="sinh-con", name="Sinh con")
    birth.topics.add(topic)

    assert search.search_procedures(subject="business")[1] == [company]
    assert search.search_procedures(subject="citizen")[1] == [birth]
    assert search.search_procedures(field=company.field.slug)[1] == [company]
    assert search.search_procedures(topic="sinh-con")[1] == [birth]
    assert search.search_procedures(agency=department.code)[1] == [company]
    assert search.search_procedures(level="full")[1] == [birth]
    assert search.search_procedures(level="4")[1] == [birth]
    assert search.search_procedures(level="partial")[1] == [company]
    assert search.search_procedures("dang ky", subject="business")[1] == [company]
    assert search.search_procedures("khai sinh", subject="business") == (0, [])


@pytest_db
def test_limit_and_offset_page_through_results() -> None:
    for n in range(5):
        make_procedure(name=f"Cấp giấy phép loại {n}")
    total, first = search.search_procedures("giay phep", limit=2)
    _total, rest = search.search_procedures("giay phep", limit=10, offset=2)
    assert total == 5
    assert len(first) == 2 and len(rest) == 3
    assert not set(first) & set(rest)


@pytest_db
def test_index_follows_the_catalogue() -> None:
    assert search.search_procedures("khai tu") == (0, [])
    death = make_procedure(name="Đăng ký khai tử")
    assert search.search_procedures("khai tu") == (1, [death])
    draft = make_procedure(name="Đăng ký giám hộ", publish=False)
    assert search.search_procedures("giam ho") == (0, [])
    assert draft.current_version is None


@pytest_db
def test_generation_is_rechecked_only_after_the_interval(settings: object) -> None:
    settings.MOTCUA_SEARCH_RECHECK_SECONDS = 3600  # type: ignore[attr-defined]
    search.search_index_reset()
    assert search.search_procedures("khai tu") == (0, [])
    make_procedure(name="Đăng ký khai tử")
    assert search.search_procedures("khai tu") == (0, [])  # cached: the check waits for the interval
    search.search_index_reset()
    assert search.search_procedures("khai tu")[0] == 1
