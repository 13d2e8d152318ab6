"""Template filters of the back office: office time in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from motcua.core.templatetags.office_time import office_time

register = template.Library()


# The countdown filter is shared with the public tracking page.
register.filter("office_time", office_time)


@register.filter
def human_size(size: int | None) -> str:
    size = size or 0
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


@register.filter
def item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """`mapping[key]`, or None: a dict read by a key the template holds (event ids)."""
    return mapping.get(key) if mapping else None
