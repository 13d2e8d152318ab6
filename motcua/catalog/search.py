"""Catalogue search: accent-insensitive, typo-tolerant, identical on SQLite and PostgreSQL.

Why in-process and not the database: SQLite has no accent folding or trigram index, and the
catalogue is small (a province publishes ~2,000 procedures, the national list ~6,700), so an
inverted index in memory answers in a few milliseconds on any database and ranks the same way
everywhere. The index is built from the folded `ProcedureVersion.search_text` that services
keep, cached per process, and rebuilt when the catalogue's "generation" changes.

Layout:
- pure core (no database): `normalise_token`, `tokens`, `SearchIndex` (build, search, facets,
  suggest), tested in milliseconds;
- thin loading: `_load_documents` reads the public catalogue, `current_index` caches it;
- the entry point every interface calls: `search_procedures` (and `search_procedure_ids`).

Ranking, in order of weight: the national code; a query that is the procedure's name or a
phrase of it; words found in the name; words found elsewhere (summary, field, agency). Each
query word is matched exactly (after folding: "ĐĂNG KÝ" = "dang ky"), then, only if that word
is unknown to the catalogue, as a prefix ("1.0011", "khai s") or with one typo ("khai snh").
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
import math
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.db.models import Count, Max

from motcua.catalog import selectors
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.text import fold, words

# How much a word found in each part of a procedure counts.
CODE_WEIGHT: Final = 8.0
NAME_WEIGHT: Final = 3.0
BODY_WEIGHT: Final = 1.0
# How much a non-exact match of a query word counts, relative to an exact one.
PREFIX_QUALITY: Final = 0.6
TYPO_QUALITY: Final = 0.55
# Phrase bonuses (added once per procedure, in units of a well-matched word).
NAME_EQUALS_BONUS: Final = 12.0
NAME_STARTS_BONUS: Final = 8.0
NAME_PHRASE_BONUS: Final = 6.0
BODY_PHRASE_BONUS: Final = 2.0
# Only the best candidates by word score get the (costlier) phrase checks.
PHRASE_RERANK_DEPTH: Final = 400
MAX_EXPANSIONS: Final = 40
MAX_QUERY_WORDS: Final = 40

# Vietnamese writes some syllables with i or y interchangeably (ký/kí, lý/lí, quy/qui, mỹ/mĩ):
# a lone consonant cluster before a final y is read as i. "uy" (thủy, tuy) is a different
# vowel and is left alone because the cluster must have no vowel.
_FINAL_Y = re.compile(r"^([bcdghklmnpqrstvx]*|qu)y$")


def normalise_token(token: str) -> str:
    """The indexing form of one folded word: "ky" -> "ki", "quy" -> "qui", others unchanged."""
    return _FINAL_Y.sub(r"\1i", token)


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order: "ĐĂNG KÝ khai sinh" -> ["dang", "ki", "khai", "sinh"]."""
    return [normalise_token(word) for word in words(text)]


def _deletes(token: str) -> set[str]:
    """Every string one deletion away from `token` (SymSpell candidate keys)."""
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment distance <= 1: one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]  # swap
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True, kw_only=True)
class Document:
    """What search knows about one public procedure (its current version)."""

    procedure_id: int
    name: str
    search_text: str
    national_code: str = ""
    for_citizens: bool = False
    for_businesses: bool = False
    for_organisations: bool = False
    field_slug: str = ""
    topic_slugs: frozenset[str] = frozenset()
    agency_codes: frozenset[str] = frozenset()
    online_level: str = ""
    legacy_level: int | None = None


@dataclass(frozen=True, kw_only=True)
class Filters:
    """Filters that combine with the query; None means "any".

    subject: "citizen" | "business" | "organisation"; field/topic: slugs; agency: agency code
    (competent or receiving); level: "full" | "partial" | "none" (Decree 42) or "1".."4" (legacy).
    """

    subject: str | None = None
    field: str | None = None
    topic: str | None = None
    agency: str | None = None
    level: str | None = None

    def as_pairs(self) -> list[tuple[str, str]]:
        return [(facet, value) for facet, value in vars(self).items() if value]


SUBJECTS: Final = ("citizen", "business", "organisation")
LEVELS: Final = ("full", "partial", "none", "1", "2", "3", "4")


@dataclass(frozen=True)
class _Expansion:
    token: str
    quality: float


@dataclass
class SearchIndex:
    """An inverted index over the documents. Build with `SearchIndex.build(documents)`."""

    documents: list[Document]
    # token -> document positions where it is in the name / only in the rest / is the code
    name_postings: dict[str, list[int]]
    body_postings: dict[str, list[int]]
    code_postings: dict[str, list[int]]
    idf: dict[str, float]
    vocabulary: list[str]  # sorted, for prefix lookups
    delete_keys: dict[str, list[str]]  # one-deletion key -> vocabulary words (typo lookups)
    facets: dict[str, dict[str, frozenset[int]]]
    name_phrases: list[str]  # " ki hieu ... " padded token strings, for phrase checks
    body_phrases: list[str]
    built_at: float = dataclasses.field(default_factory=time.monotonic)

    @classmethod
    def build(cls, documents: Iterable[Document]) -> SearchIndex:
        # Default order (empty query, ties): by folded name, so listings read alphabetically.
        docs = sorted(documents, key=lambda d: (fold(d.name), d.national_code, d.procedure_id))
        name_postings: dict[str, list[int]] = {}
        body_postings: dict[str, list[int]] = {}
        code_postings: dict[str, list[int]] = {}
        doc_frequency: dict[str, int] = {}
        facets: dict[str, dict[str, set[int]]] = {
            "subject": {},
            "field": {},
            "topic": {},
            "agency": {},
            "level": {},
        }
        name_phrases: list[str] = []
        body_phrases: list[str] = []
        for position, doc in enumerate(docs):
            name_tokens = tokens(doc.name)
            body_tokens = tokens(doc.search_text)
            # Each word of a document goes in exactly one of code / name / body postings.
            code = normalise_token(fold(doc.national_code)) if doc.national_code else ""
            if code:
                code_postings.setdefault(code, []).append(position)
            name_set = set(name_tokens) - {code}
            for token in name_set:
                name_postings.setdefault(token, []).append(position)
            body_set = set(body_tokens) - name_set - {code}
            for token in body_set:
                body_postings.setdefault(token, []).append(position)
            for token in name_set | body_set | ({code} if code else set()):
                doc_frequency[token] = doc_frequency.get(token, 0) + 1
            name_phrases.append(f" {' '.join(name_tokens)} ")
            body_phrases.append(f" {' '.join(body_tokens)} ")
            for subject, flag in zip(
                SUBJECTS, (doc.for_citizens, doc.for_businesses, doc.for_organisations), strict=True
            ):
                if flag:
                    facets["subject"].setdefault(subject, set()).add(position)
            if doc.field_slug:
                facets["field"].setdefault(doc.field_slug, set()).add(position)
            for topic in doc.topic_slugs:
                facets["topic"].setdefault(topic, set()).add(position)
            for agency in doc.agency_codes:
                facets["agency"].setdefault(agency, set()).add(position)
            if doc.online_level:
                facets["level"].setdefault(doc.online_level, set()).add(position)
            if doc.legacy_level:
                facets["level"].setdefault(str(doc.legacy_level), set()).add(position)
        total = len(docs)
        # BM25's idf: rare words ("khai", "sinh") outweigh everywhere words ("cap", "giay").
        idf = {token: math.log(1 + (total - df + 0.5) / (df + 0.5)) for token, df in doc_frequency.items()}
        vocabulary = sorted(doc_frequency)
        delete_keys: dict[str, list[str]] = {}
        for token in vocabulary:
            if len(token) >= 3 and not token[0].isdigit():
                for key in _deletes(token) | {token}:
                    delete_keys.setdefault(key, []).append(token)
        return cls(
            documents=docs,
            name_postings=name_postings,
            body_postings=body_postings,
            code_postings=code_postings,
            idf=idf,
            vocabulary=vocabulary,
            delete_keys=delete_keys,
            facets={
                facet: {value: frozenset(ids) for value, ids in by_value.items()} for facet, by_value in facets.items()
            },
            name_phrases=name_phrases,
            body_phrases=body_phrases,
        )

    # -- matching words ---------------------------------------------------------------------

    def _typo_matches(self, token: str) -> list[str]:
        if len(token) < 3 or token[0].isdigit():
            return []
        found: set[str] = set()
        for key in _deletes(token) | {token}:
            for candidate in self.delete_keys.get(key, ()):
                if candidate != token and _within_one_edit(token, candidate):
                    found.add(candidate)
        return sorted(found, key=lambda t: -self.idf[t] if t in self.idf else 0)[:MAX_EXPANSIONS]

    def _prefix_matches(self, token: str) -> list[str]:
        if len(token) < 2:
            return []
        start = bisect.bisect_left(self.vocabulary, token)
        found: list[str] = []
        for candidate in self.vocabulary[start : start + MAX_EXPANSIONS + 1]:
            if not candidate.startswith(token):
                break
            if candidate != token:
                found.append(candidate)
        return found[:MAX_EXPANSIONS]

    def expand(self, token: str) -> list[_Expansion]:
        """The catalogue words a query word stands for, with how well each matches."""
        if token in self.idf:
            return [_Expansion(token, 1.0)]
        expansions = [_Expansion(t, PREFIX_QUALITY) for t in self._prefix_matches(token)]
        seen = {e.token for e in expansions}
        expansions += [_Expansion(t, TYPO_QUALITY) for t in self._typo_matches(token) if t not in seen]
        return expansions

    # -- filters ------------------------------------------------------------------------------

    def allowed(self, filters: Filters) -> frozenset[int] | None:
        """Positions passing the filters, or None when there is no filter."""
        result: frozenset[int] | None = None
        for facet, value in filters.as_pairs():
            ids = self.facets.get(facet, {}).get(value, frozenset())
            result = ids if result is None else result & ids
        return result

    def facet_counts(self, facet: str) -> dict[str, int]:
        """How many procedures each value of a facet has ("field" -> {"ho-tich": 12, ...})."""
        return {value: len(ids) for value, ids in self.facets.get(facet, {}).items()}

    # -- search -------------------------------------------------------------------------------

    def search(self, query: str, filters: Filters | None = None) -> list[int]:
        """Procedure ids matching `query` and `filters`, best first (all of them, not a page)."""
        allowed = self.allowed(filters or Filters())
        query_sequence = tokens(query)[:MAX_QUERY_WORDS]
        query_tokens = list(dict.fromkeys(query_sequence))  # a repeated word scores once
        if not query_tokens:
            positions: Iterable[int] = sorted(allowed) if allowed is not None else range(len(self.documents))
            return [self.documents[p].procedure_id for p in positions]

        scores: dict[int, float] = {}
        matched: dict[int, int] = {}
        # per query word, the catalogue word it matched: one word for all documents (exact match,
        # the common case, kept cheap) or one per document (prefix and typo matches)
        resolved: dict[str, str | dict[int, str]] = {}
        for token in query_tokens:
            expansions = self.expand(token)
            if len(expansions) == 1:
                # Name, body and code postings are disjoint per word (see build): add directly.
                weight = max(self.idf.get(token, 0.0), 0.1)
                for postings, part_weight in (
                    (self.code_postings, CODE_WEIGHT),
                    (self.name_postings, NAME_WEIGHT),
                    (self.body_postings, BODY_WEIGHT),
                ):
                    score = weight * part_weight * expansions[0].quality
                    for position in postings.get(expansions[0].token, ()):
                        scores[position] = scores.get(position, 0.0) + score
                        matched[position] = matched.get(position, 0) + 1
                resolved[token] = expansions[0].token
                continue
            best: dict[int, tuple[float, str]] = {}
            for expansion in expansions:
                weight = expansion.quality * max(self.idf.get(expansion.token, 0.0), 0.1)
                for postings, part_weight in (
                    (self.code_postings, CODE_WEIGHT),
                    (self.name_postings, NAME_WEIGHT),
                    (self.body_postings, BODY_WEIGHT),
                ):
                    score = weight * part_weight
                    for position in postings.get(expansion.token, ()):
                        if position not in best or best[position][0] < score:
                            best[position] = (score, expansion.token)
            for position, (score, _token) in best.items():
                scores[position] = scores.get(position, 0.0) + score
                matched[position] = matched.get(position, 0) + 1
            resolved[token] = {position: matched_token for position, (_score, matched_token) in best.items()}

        # Short queries need every word; longer ones tolerate a stray word or two.
        words_needed = len(query_tokens) if len(query_tokens) <= 2 else max(2, math.ceil(len(query_tokens) * 0.6))
        candidates = [p for p, count in matched.items() if count >= words_needed and (allowed is None or p in allowed)]
        top = heapq.nlargest(PHRASE_RERANK_DEPTH, candidates, key=lambda p: (scores[p], -p))
        unit = max((self.idf.get(t, 0.0) for t in query_tokens), default=1.0) or 1.0
        for position in top:
            phrase = " ".join(
                r if isinstance(r, str) else r.get(position, "\x00") for r in (resolved[t] for t in query_sequence)
            )
            name = self.name_phrases[position]
            bonus = 0.0
            if name == f" {phrase} ":
                bonus = NAME_EQUALS_BONUS
            elif name.startswith(f" {phrase} "):
                bonus = NAME_STARTS_BONUS
            elif f" {phrase} " in name:
                bonus = NAME_PHRASE_BONUS
            elif f" {phrase} " in self.body_phrases[position]:
                bonus = BODY_PHRASE_BONUS
            # A name mostly made of the query beats a long name that merely contains it.
            name_length = max(1, name.count(" ") - 1)
            scores[position] += unit * (bonus + matched[position] / name_length)
        ordered = sorted(candidates, key=lambda p: (-scores[p], p))
        return [self.documents[p].procedure_id for p in ordered]

    def suggest(self, query: str) -> str | None:
        """A corrected query when some word is unknown ("dang ki khai snh" -> "dang ky khai sinh")."""
        query_words = words(query)
        changed = False
        corrected = []
        for word in query_words:
            token = normalise_token(word)
            if token in self.idf:
                corrected.append(word)
                continue
            options = self._typo_matches(token)
            if not options and len(token) >= 3 and not token[0].isdigit():
                options = self._prefix_matches(token)
            if options:
                # the commonest plausible word: a typo is likelier to miss a common word
                best = max(options, key=lambda t: (-self.idf[t], t))
                corrected.append(best)
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else None


def _paginate(ids: Sequence[int], limit: int, offset: int) -> list[int]:
    offset = max(offset, 0)
    return list(ids[offset : offset + max(limit, 0)])


# -- database loading and the per-process cache (thin) -----------------------------------------

# How often (seconds) a process asks the database whether the catalogue changed. The check is
# cheap (two aggregates) but not free; tests set it to 0 so a new procedure is found at once.
DEFAULT_RECHECK_SECONDS: Final = 5.0


@dataclass
class _Cache:
    index: SearchIndex | None = None
    generation: tuple[object, ...] | None = None
    checked_at: float = 0.0
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


_cache = _Cache()


def catalogue_generation() -> tuple[object, ...]:
    """A value that changes whenever anything search reads changes (publish, status, topics)."""
    procedures = Procedure.objects.aggregate(count=Count("id"), changed=Max("updated_at"))
    versions = ProcedureVersion.objects.aggregate(count=Count("id"), changed=Max("updated_at"))
    # Topic links are m2m rows that do not touch Procedure.updated_at.
    topic_links = Procedure.topics.through.objects.count()
    return (
        procedures["count"],
        procedures["changed"],
        versions["count"],
        versions["changed"],
        topic_links,
    )


def _load_documents() -> list[Document]:
    rows = selectors.procedures_public().values_list(
        "id",
        "national_code",
        "field__slug",
        "current_version_id",
        "current_version__name",
        "current_version__search_text",
        "current_version__for_citizens",
        "current_version__for_businesses",
        "current_version__for_organisations",
        "current_version__competent_agency__code",
        "current_version__online_level",
        "current_version__legacy_level",
    )
    topics: dict[int, set[str]] = {}
    for procedure_id, slug in Procedure.topics.through.objects.values_list("procedure_id", "topic__slug"):
        topics.setdefault(procedure_id, set()).add(slug)
    receiving: dict[int, set[str]] = {}
    through = ProcedureVersion.receiving_agencies.through
    for version_id, code in through.objects.values_list("procedureversion_id", "agency__code"):
        receiving.setdefault(version_id, set()).add(code)
    return [
        Document(
            procedure_id=pk,
            national_code=code or "",
            field_slug=field_slug,
            name=name,
            search_text=search_text,
            for_citizens=citizens,
            for_businesses=businesses,
            for_organisations=organisations,
            agency_codes=frozenset({agency_code} | receiving.get(version_id, set())),
            online_level=online_level,
            legacy_level=legacy_level,
            topic_slugs=frozenset(topics.get(pk, ())),
        )
        for (
            pk,
            code,
            field_slug,
            version_id,
            name,
            search_text,
            citizens,
            businesses,
            organisations,
            agency_code,
            online_level,
            legacy_level,
        ) in rows
    ]


def current_index() -> SearchIndex:
    """The process's index, rebuilt when the catalogue has changed since it was built."""
    recheck = float(getattr(settings, "MOTCUA_SEARCH_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))
    now = time.monotonic()
    index = _cache.index
    if index is not None and now - _cache.checked_at < recheck:
        return index
    # One builder at a time; other threads wait rather than build the same index twice.
    with _cache.lock:
        if _cache.index is not None and time.monotonic() - _cache.checked_at < recheck:
            return _cache.index
        generation = catalogue_generation()
        if _cache.index is None or generation != _cache.generation:
            _cache.index = SearchIndex.build(_load_documents())
            _cache.generation = generation
        _cache.checked_at = time.monotonic()
        return _cache.index


def search_index_reset() -> None:
    """Forget the cached index (the next search rebuilds it)."""
    with _cache.lock:
        _cache.index = None
        _cache.generation = None
        _cache.checked_at = 0.0


def search_procedure_ids(
    q: str = "",
    *,
    subject: str | None = None,
    field: str | None = None,
    topic: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[int, list[int]]:
    """(total, procedure ids of the page in rank order). See `search_procedures`."""
    filters = Filters(subject=subject, field=field, topic=topic, agency=agency, level=level)
    ids = current_index().search(q, filters)
    return len(ids), _paginate(ids, limit, offset)


def search_procedures(
    q: str = "",
    *,
    subject: str | None = None,
    field: str | None = None,
    topic: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[int, list[Procedure]]:
    """Search the public catalogue: (total matches, the page of procedures in rank order).

    q: free text, any accents/case, typos tolerated, or a national code ("1.001193");
       empty = every procedure passing the filters, alphabetically.
    subject: "citizen" | "business" | "organisation"; field, topic: slugs; agency: agency code
    (competent or receiving agency); level: "full" | "partial" | "none" or legacy "1".."4".
    Unknown filter values match nothing. Procedures come with field, current version and its
    competent agency loaded (selectors.procedures_public).
    """
    total, ids = search_procedure_ids(
        q, subject=subject, field=field, topic=topic, agency=agency, level=level, limit=limit, offset=offset
    )
    by_id = selectors.procedures_public().in_bulk(ids)
    # A procedure withdrawn since the index was built is simply skipped.
    return total, [by_id[pk] for pk in ids if pk in by_id]
