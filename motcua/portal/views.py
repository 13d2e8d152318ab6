"""Citizen-facing catalogue pages (level 1 of Circular 32/2017). Views only translate HTTP
into calls to catalog.search and catalog.selectors and pick a template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from motcua.catalog import search, selectors
from motcua.catalog.models import Agency, OnlineLevel
from motcua.portal.templatetags.catalog_format import localized, query_with

PAGE_SIZE = 20
FILTER_NAMES = ("subject", "field", "topic", "agency", "level")

SUBJECT_LABELS = {
    "citizen": _("Công dân"),
    "business": _("Doanh nghiệp"),
    "organisation": _("Tổ chức"),
}
LEVEL_LABELS = {
    OnlineLevel.FULL.value: _("Toàn trình"),
    OnlineLevel.PARTIAL.value: _("Một phần"),
    OnlineLevel.NONE.value: _("Chưa cung cấp trực tuyến"),
    "1": _("Mức độ 1"),
    "2": _("Mức độ 2"),
    "3": _("Mức độ 3"),
    "4": _("Mức độ 4"),
}


@dataclass(frozen=True)
class Option:
    """One value of a filter, with its label and how many procedures it has."""

    value: str
    label: str
    count: int


def _options(counts: dict[str, int], labels: dict[str, Any]) -> list[Option]:
    return [Option(value, str(label), counts[value]) for value, label in labels.items() if counts.get(value)]


def _browse_options(index: search.SearchIndex) -> dict[str, list[Option]]:
    """Every way to browse the catalogue, with counts, from the search index (no extra query per row)."""
    topic_counts = index.facet_counts("topic")
    field_counts = index.facet_counts("field")
    agency_counts = index.facet_counts("agency")
    agencies = [a for a in selectors.agencies_public() if agency_counts.get(a.code)]
    return {
        "subject": _options(index.facet_counts("subject"), SUBJECT_LABELS),
        "level": _options(index.facet_counts("level"), LEVEL_LABELS),
        "topic": [
            Option(t.slug, localized(t), topic_counts[t.slug])
            for t in selectors.topics_all()
            if topic_counts.get(t.slug)
        ],
        "field": [
            Option(f.slug, localized(f), field_counts[f.slug])
            for f in selectors.fields_all()
            if field_counts.get(f.slug)
        ],
        "agency": sorted(
            (Option(a.code, localized(a), agency_counts[a.code]) for a in agencies), key=lambda o: o.label
        ),
    }


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _pagination(total: int, page: int) -> dict[str, Any]:
    pages = max(1, -(-total // PAGE_SIZE))
    return {
        "page": page,
        "pages": pages,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "first_shown": (page - 1) * PAGE_SIZE + 1 if total else 0,
        "last_shown": min(total, page * PAGE_SIZE),
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    index = search.current_index()
    return render(
        request,
        "portal/home.html",
        {"browse": _browse_options(index), "total": len(index.documents)},
    )


@require_safe
def procedure_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    wanted = {
        name: request.GET.get(name, "").strip() or None for name in ("subject", "field", "topic", "agency", "level")
    }
    if wanted["subject"] not in (None, *search.SUBJECTS):
        wanted["subject"] = None
    if wanted["level"] not in (None, *search.LEVELS):
        wanted["level"] = None
    page = _page_number(request)
    index = search.current_index()
    total, procedures = search.search_procedures(q, **wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if procedures == [] and total and page > 1:
        return not_found(request)
    browse = _browse_options(index)
    labels = {facet: {o.value: o.label for o in options} for facet, options in browse.items()}
    active = [
        {
            "facet": facet,
            "value": value,
            "label": labels[facet].get(value, value),
            "remove_url": query_with(request.GET, **{facet: None, "page": None}),
        }
        for facet, value in wanted.items()
        if value
    ]
    return render(
        request,
        "portal/procedure_list.html",
        {
            "q": q,
            "wanted": wanted,
            "active": active,
            "browse": browse,
            "total": total,
            "procedures": procedures,
            "suggestion": index.suggest(q) if q else None,
            **_pagination(total, page),
        },
    )


@require_safe
def procedure_detail(request: HttpRequest, key: str) -> HttpResponse:
    procedure = selectors.procedure_get_by_key(key)
    if procedure is None or procedure.current_version_id is None:
        return not_found(request)
    version = selectors.version_detail(procedure.current_version_id)
    return render(request, "portal/procedure_detail.html", {"procedure": procedure, "version": version})


@dataclass
class AgencyNode:
    agency: Agency
    count: int
    children: list[AgencyNode]


def _agency_tree(agencies: list[Agency], counts: dict[str, int]) -> list[AgencyNode]:
    nodes = {a.pk: AgencyNode(a, counts.get(a.code, 0), []) for a in agencies}
    roots: list[AgencyNode] = []
    for agency in agencies:
        parent = nodes.get(agency.parent_id) if agency.parent_id else None
        (parent.children if parent else roots).append(nodes[agency.pk])
    return roots


@require_safe
def agency_list(request: HttpRequest) -> HttpResponse:
    counts = search.current_index().facet_counts("agency")
    tree = _agency_tree(list(selectors.agencies_public()), counts)
    return render(request, "portal/agency_list.html", {"tree": tree})


@require_safe
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = selectors.agency_get_by_code(code)
    if agency is None:
        return not_found(request)
    page = _page_number(request)
    total, procedures = search.search_procedures(agency=agency.code, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    children = [a for a in selectors.agencies_public() if a.parent_id == agency.pk]
    return render(
        request,
        "portal/agency_detail.html",
        {"agency": agency, "children": children, "total": total, "procedures": procedures, **_pagination(total, page)},
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: a page that helps (a search box), in the visitor's language.

    Views return it directly for an unknown procedure or agency, so the citizen sees it even
    where DEBUG would show Django's technical page for a raised Http404.
    """
    return render(request, "404.html", {}, status=404)
