"""Catalogue search on a national-size catalogue (6,700 procedures), against a plain LIKE.

Run: `DJANGO_SETTINGS_MODULE=config.settings_test .venv/bin/python benchmarks/catalog_search.py`
(or `make bench`). Uses a throw-away SQLite database in a temporary directory, whatever
DATABASE_URL says. Prints p50/p95/max latency of our search and of `name LIKE '%q%'`
(icontains) measured in the same run, how often each finds the intended procedure, and the
target: p95 < 30 ms.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="motcua-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ["MOTCUA_VAR_DIR"] = TMP
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from motcua.catalog import search, selectors, services  # noqa: E402
from motcua.catalog.models import (  # noqa: E402
    AdministrativeLevel,
    Agency,
    AgencyKind,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    VersionState,
)
from motcua.core.text import fold  # noqa: E402

TARGET = 6_700
TARGET_P95_MS = 30.0
CODES = Path("/work/shared/domain/procedure_codes.json")
if not CODES.exists():
    CODES = ROOT / "shared" / "domain" / "procedure_codes.json"

# Real procedures come in families: the same act re-issued, extended, amended, at other levels.
VARIATIONS = [
    "{name}",
    "Cấp lại {lower}",
    "Điều chỉnh nội dung {lower}",
    "Gia hạn {lower}",
    "{name} (cấp tỉnh)",
    "{name} tại cấp xã",
    "{name} có yếu tố nước ngoài",
    "Thu hồi {lower}",
    "{name} đối với doanh nghiệp có vốn đầu tư nước ngoài",
    "Đính chính thông tin {lower}",
]
FIELDS = [
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Kinh doanh",
    "Hóa chất",
    "Lao động",
    "Giáo dục",
    "Y tế",
    "Giao thông",
    "Tài nguyên môi trường",
    "Văn hóa",
]
SUMMARIES = [
    "Người dân hoặc doanh nghiệp nộp hồ sơ để được {lower}. Mang theo giấy tờ tùy thân và tờ khai.",
    "Thủ tục giúp bạn {lower}; thời gian giải quyết tính theo ngày làm việc kể từ khi nhận đủ hồ sơ.",
    "Dành cho tổ chức, cá nhân có nhu cầu {lower}. Có thể nộp trực tuyến trên Cổng dịch vụ công.",
]


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def build_catalogue(rng: random.Random) -> list[tuple[str, str]]:
    """Create 6,700 published procedures; returns (national code, name) of each."""
    real: dict[str, str] = json.loads(CODES.read_text(encoding="utf-8"))
    province = Agency.objects.create(
        code="000.00.00.H29", name="UBND Thành phố Hồ Chí Minh", kind=AgencyKind.PROVINCE_COMMITTEE, province_code=79
    )
    agencies = [province] + [
        Agency.objects.create(
            code=f"000.00.{n:02d}.H29", name=name, kind=AgencyKind.DEPARTMENT, province_code=79, parent=province
        )
        for n, name in enumerate(["Sở Tư pháp", "Sở Xây dựng", "Sở Công Thương", "Sở Y tế", "Sở Nông nghiệp"], 1)
    ]
    fields = [services.field_get_or_create(name=name) for name in FIELDS]
    rows: list[tuple[str, str]] = []
    serial = 0
    for variation in VARIATIONS:
        for code, name in real.items():
            if len(rows) >= TARGET:
                break
            text = variation.format(name=name, lower=lower_first(name))
            if variation != "{name}":
                serial += 1
                code = f"9.{serial:06d}"
            rows.append((code, text))
    procedures = Procedure.objects.bulk_create(
        Procedure(national_code=code, slug=f"tt-{i}", field=fields[i % len(fields)])
        for i, (code, _n) in enumerate(rows)
    )
    versions = []
    now = dt.datetime.now(dt.UTC)
    for i, (procedure, (_code, name)) in enumerate(zip(procedures, rows, strict=True)):
        version = ProcedureVersion(
            procedure=procedure,
            number=1,
            state=VersionState.PUBLISHED,
            published_at=now,
            effective_from=dt.date(2025, 7, 1),
            name=name,
            summary=rng.choice(SUMMARIES).format(lower=lower_first(name)),
            administrative_level=AdministrativeLevel.PROVINCE,
            competent_agency=agencies[i % len(agencies)],
            processing_time_value=Decimal(rng.choice([1, 3, 5, 10, 15])),
            result_name="Giấy phép",
            for_businesses=i % 3 == 0,
            online_level=rng.choice([OnlineLevel.FULL, OnlineLevel.PARTIAL, ""]),
        )
        version.search_text = services.version_search_text(version)  # exactly as services fill it
        versions.append(version)
    versions = ProcedureVersion.objects.bulk_create(versions, batch_size=500)
    for procedure, version in zip(procedures, versions, strict=True):
        procedure.current_version = version
    Procedure.objects.bulk_update(procedures, ["current_version"], batch_size=500)
    return rows


def strip_accents(text: str) -> str:
    return fold(text)


def typo(text: str, rng: random.Random) -> str:
    """One slip in one longer word: a dropped, doubled or swapped letter (on unaccented text)."""
    words = fold(text).split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and not w[0].isdigit()]
    if not candidates:
        return " ".join(words)
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.choice(["drop", "swap", "double"])
    if kind == "drop":
        w = w[:j] + w[j + 1 :]
    elif kind == "swap":
        w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def make_queries(rows: list[tuple[str, str]], rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, query, intended national code)."""
    sample = rng.sample(rows, 80)
    queries: list[tuple[str, str, str]] = []
    for code, name in sample[:20]:
        queries.append(("accented", name, code))
    for code, name in sample[20:40]:
        queries.append(("unaccented", strip_accents(name), code))
    for code, name in sample[40:50]:
        queries.append(("upper", name.upper(), code))
    for code, name in sample[:60]:
        queries.append(("typo", typo(name, rng), code))
    for code, name in sample[50:80]:
        words = name.split()
        start = rng.randrange(0, max(1, len(words) - 3))
        queries.append(("partial", " ".join(words[start : start + 3]), code))
    for code, _name in rng.sample(rows, 40):
        queries.append(("code", code, code))
    for text in [
        "khai sinh",
        "dang ky ket hon",
        "giấy phép xây dựng",
        "hoa chat",
        "chứng thực bản sao",
        "ho kinh doanh",
    ]:
        queries += [("common", text, "")] * 5
    # Unicode as phones send it: some keyboards produce decomposed (NFD) Vietnamese.
    for code, name in sample[60:80]:
        queries.append(("nfd", unicodedata.normalize("NFD", name), code))
    return queries


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    rng = random.Random(20250701)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    rows = build_catalogue(rng)
    print(f"catalogue: {len(rows)} procedures created in {time.perf_counter() - start:.1f} s ({connection.vendor})")
    # Production setting: the generation check runs at most every few seconds.
    settings.MOTCUA_SEARCH_RECHECK_SECONDS = 5.0
    search.search_index_reset()
    build_ms, _ = timed(search.current_index)
    generation_ms, _ = timed(search.catalogue_generation)
    print(f"index build: {build_ms:.0f} ms (once per catalogue change); generation check: {generation_ms:.1f} ms")

    queries = make_queries(rows, rng)

    def ours(q: str) -> list[str]:
        _total, procedures = search.search_procedures(q, limit=10)
        return [p.national_code or "" for p in procedures]

    def like(q: str) -> list[str]:
        queryset = selectors.procedures_public().filter(current_version__name__icontains=q)
        queryset.count()
        return [p.national_code or "" for p in queryset.order_by("current_version__name")[:10]]

    for q in ("warm up", "khai sinh"):
        ours(q)
        like(q)
    results: dict[str, dict[str, list[float]]] = {"search": {}, "like": {}}
    found = {"search": 0, "like": 0}
    found_by_kind: dict[str, dict[str, list[int]]] = {"search": {}, "like": {}}
    wanted_total = 0
    for kind, q, code in queries:
        for engine, fn in (("search", ours), ("like", like)):
            ms, codes = timed(lambda fn=fn, q=q: fn(q))
            results[engine].setdefault(kind, []).append(ms)
            if code:
                hit = int(code in codes)  # type: ignore[operator]
                found[engine] += hit
                found_by_kind[engine].setdefault(kind, []).append(hit)
        wanted_total += bool(code)

    print(f"\n{len(queries)} queries, top-10 page + total count each")
    print(f"{'engine':<26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'found':>9}")
    for engine, label in (("search", "catalog.search"), ("like", "LIKE '%q%' on name")):
        times = [t for kind_times in results[engine].values() for t in kind_times]
        print(
            f"{label:<26}{statistics.median(times):>9.2f}{percentile(times, 0.95):>9.2f}{max(times):>9.2f}"
            f"{found[engine] / wanted_total:>9.0%}"
        )
    print("\nintended procedure in the top 10, by kind of query:")
    for kind in found_by_kind["search"]:
        s = found_by_kind["search"][kind]
        b = found_by_kind["like"][kind]
        print(f"  {kind:<12} search {sum(s) / len(s):>5.0%}   like {sum(b) / len(b):>5.0%}   ({len(s)} queries)")
    p95 = percentile([t for ts in results["search"].values() for t in ts], 0.95)
    verdict = "OK" if p95 < TARGET_P95_MS else "TOO SLOW"
    print(f"\ntarget: search p95 < {TARGET_P95_MS:.0f} ms -> {p95:.2f} ms {verdict}")
    if p95 >= TARGET_P95_MS:
        sys.exit(1)


if __name__ == "__main__":
    main()
