"""Office time in words, for every page that shows a countdown."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.core.workcalendar import HOURS_PER_WORKING_DAY

register = template.Library()


def office_time_words(value: dt.timedelta) -> str:
    """Office time as working days (of 8 hours), hours and minutes: "1 ngày 2 giờ 30 phút".

    The sign is dropped: the caller says whether it is time left or time overdue.
    """
    minutes = abs(int(value.total_seconds())) // 60
    days, minutes = divmod(minutes, HOURS_PER_WORKING_DAY * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours})
    if minutes or not parts:
        parts.append(ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes})
    return " ".join(parts)


@register.filter
def office_time(value: dt.timedelta | None) -> str:
    """ "còn 1 ngày 2 giờ làm việc" / "quá 3 giờ làm việc" / "" (no appointment)."""
    if value is None:
        return ""
    if value < dt.timedelta(0):
        return _("quá %(time)s làm việc") % {"time": office_time_words(value)}
    return _("còn %(time)s làm việc") % {"time": office_time_words(value)}
