"""Demo dossiers at the demo ward, in the states an official meets on a working day, made
through the real services (codes, appointments, documents, events) at times in the recent past."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.core import demo
from motcua.dossiers import deadlines
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, Transition, dossier_submit, dossier_transition

# (procedure national code, channel, applicant, the moves after submission as (action, who, note))
_STORIES: list[tuple[str, str, Applicant, list[tuple[Action, str, str]]]] = [
    ("1.004873", Channel.ONLINE, Applicant(name="Lê Thị Hoa", id_number="079190000123", phone="0912345001"), []),
    (
        "1.001193",
        Channel.COUNTER,
        Applicant(name="Trần Văn Bình", id_number="079089000456", phone="0912345002"),
        [(Action.RECEIVE, "tiepnhan", ""), (Action.START, "tiepnhan", "")],
    ),
    (
        "1.004873",
        Channel.COUNTER,
        Applicant(name="Phạm Minh Châu", id_number="079195000789", phone="0912345003"),
        [
            (Action.RECEIVE, "tiepnhan", ""),
            (Action.START, "tiepnhan", ""),
            (Action.FORWARD, "tiepnhan", ""),
            (Action.REQUEST_SUPPLEMENT, "chuyenvien", "Giấy tờ chứng minh nơi cư trú: chưa có trong hồ sơ"),
        ],
    ),
    (
        "2.001019",
        Channel.COUNTER,
        Applicant(name="Nguyễn Thị Dung", id_number="079160000321", phone="0912345004"),
        [
            (Action.RECEIVE, "tiepnhan", ""),
            (Action.START, "tiepnhan", ""),
            (Action.FORWARD, "tiepnhan", ""),
            (Action.SUBMIT_FOR_APPROVAL, "chuyenvien", ""),
            (Action.APPROVE, "truongphong", ""),
        ],
    ),
    (
        "1.000894",
        Channel.COUNTER,
        Applicant(name="Võ Quốc Anh", id_number="079098000654", phone="0912345005"),
        [
            (Action.RECEIVE, "tiepnhan", ""),
            (Action.START, "tiepnhan", ""),
            (Action.FORWARD, "tiepnhan", ""),
            (Action.SUBMIT_FOR_APPROVAL, "chuyenvien", ""),
            (Action.APPROVE, "truongphong", ""),
            (Action.SIGN, "lanhdao", ""),
            (Action.RETURN_RESULT, "tiepnhan", ""),
        ],
    ),
]


def seed_dossiers(agencies: dict[str, Agency], now: dt.datetime) -> int:
    """A handful of dossiers at the demo ward (only when it has none). Returns how many."""
    ward = agencies[demo.DEMO_WARD]
    if Dossier.objects.filter(agency=ward).exists():
        return 0
    calendar = deadlines.calendar_for_agency(ward)
    # Start two working days back at 08:00, each later move half an office hour after the last.
    day = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    back = 0
    while back < 2:
        day -= dt.timedelta(days=1)
        back += calendar.is_working_day(day)
    start = dt.datetime.combine(day, dt.time(8, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    users = {
        u.username: u for u in User.objects.filter(username__in=["tiepnhan", "chuyenvien", "truongphong", "lanhdao"])
    }
    created = 0
    for index, (code, channel, applicant, moves) in enumerate(_STORIES):
        procedure = Procedure.objects.get(national_code=code)
        moment = calendar.next_period_start(start + dt.timedelta(minutes=20 * index))
        dossier = dossier_submit(
            procedure=procedure,
            agency=ward,
            channel=channel,
            applicant=applicant,
            actor=None if channel == Channel.ONLINE else users["tiepnhan"],
            now=moment,
        )
        for action, username, note in moves:
            moment = calendar.next_period_start(moment + dt.timedelta(minutes=30))
            dossier = dossier_transition(
                dossier=dossier, actor=users[username], transition=Transition(action=action, note=note), now=moment
            )
        created += 1
    return created
