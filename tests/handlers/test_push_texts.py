"""Push texts come from what the push carries: rendering never searches the plan again."""

from datetime import date, datetime, time

from bot.clock import TZ
from handlers import pushes
from handlers.state import Subscription
from schedules.meetings import MeetingRule
from schedules.pushes import Planner, PushKind


def test_rendering_uses_the_item_the_planner_found(cat, monkeypatch):
    sub = Subscription("t", "1", ("kim-bang-35-2022",), meeting_rule=MeetingRule(day=3, at="19:30"))
    start, end = datetime(2022, 5, 1, tzinfo=TZ), datetime(2022, 6, 30, 23, 59, tzinfo=TZ)
    due = Planner(cat.plans, TZ).between([pushes.recipient_of(sub)], start, end)
    assert {p.kind for p in due} >= {PushKind.DEADLINE, PushKind.MEETING, PushKind.OCCASION}

    def no_lookups(*a, **k):
        raise AssertionError("rendering looked the plan up again")

    monkeypatch.setattr("schedules.plan_calendar.dues", no_lookups)
    monkeypatch.setattr("schedules.plan_calendar.topics", no_lookups)
    texts = {p.kind: pushes.render(p, sub).text for p in due}
    assert "Báo cáo kết quả đợt sinh hoạt" in texts[PushKind.DEADLINE]
    assert texts[PushKind.MEETING].startswith("🗓 ")
    assert "lúc 19:30" in texts[PushKind.MEETING]
    assert all(p.at.time() == time(7, 30) and p.at.date() >= date(2022, 5, 1) for p in due)
