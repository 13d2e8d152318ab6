"""Template filters for the citizen pages: money, durations and names in plain words.

The formatting functions are pure (no database) and tested without one; the filters are thin.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from motcua.catalog.models import Fee, ProcedureVersion, ProcessingTimeByChannel
from motcua.core.text import duration_in_words, fee_in_words

register = template.Library()


def _english() -> bool:
    return get_language() == "en"


def fee_words(amount_vnd: int | None) -> str:
    return fee_in_words(amount_vnd, en=_english())


@register.filter
def vnd(amount: int | None) -> str:
    return fee_words(amount)


@register.filter
def fee_amount(fee: Fee) -> str:
    return fee_words(fee.amount_vnd)


@register.filter
def processing_time(version: ProcedureVersion) -> str:
    """ "3 ngày làm việc", "Trong ngày (nhận sau 15:00 ...)", "Chưa công bố" (core.text)."""
    return duration_in_words(
        version.processing_time_value, version.processing_time_unit, version.same_day_cutoff, en=_english()
    )


@register.filter
def channel_time(time: ProcessingTimeByChannel) -> str:
    return duration_in_words(time.value, time.unit, en=_english())


@register.filter
def localized(obj: Any, attribute: str = "name") -> str:
    """`obj.<attribute>_en` in English when it is filled, else the Vietnamese `obj.<attribute>`."""
    if _english():
        english = getattr(obj, f"{attribute}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, attribute, ""))


@register.simple_tag
def query_with(params: QueryDict, **changes: Any) -> str:
    """The query string `params` with some keys replaced or (None/"") removed: `?q=x&page=2`."""
    query = params.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
