"""Push texts come from what the push carries: rendering never searches the plan again."""

from datetime import date, datetime, time

from bot.clock import TZ
from handlers import guidance, push_messages, recipients
from handlers.state import Subscription
from schedules.meetings import MeetingRule
from schedules.pushes import Planner, PushKind


def test_rendering_uses_the_item_the_planner_found(cat, monkeypatch):
    sub = Subscription("t", "1", ("kim-bang-35-2022",), meeting_rule=MeetingRule(day=3, at="19:30"))
    start, end = datetime(2022, 5, 1, tzinfo=TZ), datetime(2022, 6, 30, 23, 59, tzinfo=TZ)
    due = Planner(cat.plans, TZ).between([recipients.recipient_of(sub)], start, end)
    assert {p.kind for p in due} >= {PushKind.DEADLINE, PushKind.MEETING, PushKind.OCCASION}

    def no_lookups(*a, **k):
        raise AssertionError("rendering looked the plan up again")

    monkeypatch.setattr("schedules.plan_calendar.dues", no_lookups)
    monkeypatch.setattr("schedules.plan_calendar.topics", no_lookups)
    texts = {p.kind: push_messages.render(p, sub).text for p in due}
    assert "Báo cáo kết quả đợt sinh hoạt" in texts[PushKind.DEADLINE]
    assert texts[PushKind.MEETING].startswith("🗓 ")
    assert "lúc 19:30" in texts[PushKind.MEETING]
    assert all(p.at.time() == time(7, 30) and p.at.date() >= date(2022, 5, 1) for p in due)


def _meeting_push(day: date, lead: int):
    from datetime import timedelta

    from schedules.pushes import MEETING_PLAN, MeetingDay, Push

    at = datetime.combine(day - timedelta(days=lead), time(7, 30), TZ)
    about = MeetingDay(day, None, ())
    return Push(at, "t:1", PushKind.MEETING, MEETING_PLAN, "meeting@x", lead, day, about)


def test_a_rule_is_cited_only_on_days_it_is_in_force(cat):
    """Hướng dẫn 42-HD/BTCTW (28/10/2025) is not cited for a 2022 meeting, and is from its day."""
    sub = Subscription("t", "1", ("tra-vinh-60-2022",), meeting_rule=MeetingRule(day=3))
    start, end = datetime(2022, 4, 1, tzinfo=TZ), datetime(2022, 11, 30, 23, 59, tzinfo=TZ)
    due = Planner(cat.plans, TZ).between([recipients.recipient_of(sub)], start, end)
    eves = [p for p in due if p.kind is PushKind.MEETING and p.lead == 1]
    assert len(eves) == 7
    for p in eves:
        text = push_messages.render(p, sub).text
        assert text.startswith("🗓 Ngày mai (") and "42-HD/BTCTW" not in text
    before = push_messages.render(_meeting_push(date(2025, 10, 28), 1), sub).text
    assert "42-HD/BTCTW" not in before  # pushed on 27/10/2025, the day before it was signed
    on = push_messages.render(_meeting_push(date(2025, 10, 29), 1), sub).text
    assert on.endswith(
        "Tài liệu sinh hoạt phải đến đảng viên trước ít nhất một ngày "
        "(Hướng dẫn 42-HD/BTCTW ngày 28/10/2025)."
    )
    # a custom with no date of its own is always said
    assert (
        "Chi ủy thống nhất nội dung"
        in push_messages.render(_meeting_push(date(2022, 8, 3), 3), sub).text
    )


def test_every_cited_rule_says_when_it_is_in_force():
    for name, rule in guidance.guidance().items():
        assert "in_force" in rule, name
        assert rule["in_force"] is None or len(rule["in_force"].split("/")) == 3


def test_the_end_of_a_period_is_said_as_a_fact_not_a_deadline(cat):
    sub = Subscription("t", "1", ("tra-vinh-60-2022",))
    start, end = datetime(2022, 6, 1, tzinfo=TZ), datetime(2022, 6, 30, 23, 59, tzinfo=TZ)
    due = Planner(cat.plans, TZ).between([recipients.recipient_of(sub)], start, end)
    texts = [push_messages.render(p, sub).text for p in due if p.kind is PushKind.PERIOD_END]
    assert texts[0].startswith("📌 Còn 7 ngày là hết quý II/2022: Báo cáo kết quả tổ chức đợt")
    assert "Kế hoạch ghi “trong quý II/2022”, không ghi ngày cụ thể." in texts[0]
    assert texts[-1].startswith("📌 Hôm nay là ngày cuối quý II/2022: ")
    assert all("30/6/2022" not in t and "hạn" not in t.lower() for t in texts)


def test_the_cells_own_session_is_reminded_by_name(cat):
    sub = Subscription(
        "t",
        "1",
        ("ky-loi-2022",),
        cell_name="Chi bộ Tân Phúc Thành 3",
        cell_dates={"hoi-nghi-chuyen-de": "2022-09-08"},
    )
    start, end = datetime(2022, 9, 4, tzinfo=TZ), datetime(2022, 9, 8, 23, 59, tzinfo=TZ)
    due = Planner(cat.plans, TZ).between([recipients.recipient_of(sub)], start, end)
    texts = [push_messages.render(p, sub).text for p in due if p.kind is PushKind.EVENT]
    assert [t.split("\n")[0] for t in texts] == [
        "📌 Còn 3 ngày đến hội nghị sinh hoạt chuyên đề “Tự soi, tự sửa” của chi bộ "
        "(Thứ Năm, 8/9/2022).",
        "📌 Ngày mai (Thứ Năm, 8/9/2022): Hội nghị sinh hoạt chuyên đề “Tự soi, tự sửa” của chi bộ.",
        "📌 Hôm nay (Thứ Năm, 8/9/2022): Hội nghị sinh hoạt chuyên đề “Tự soi, tự sửa” của chi bộ.",
    ]


def test_the_rehearsal_folds_same_minute_pushes_as_the_scheduler_sends_them():
    """`chibo demo` and `chibo due` show what chats will receive: three pushes due at 7:30 on
    1/7/2022 to one chat are one message, as the scheduler sends them."""
    from datetime import datetime

    from bot.clock import TZ
    from handlers import push_messages as render
    from handlers.recipients import recipient_of
    from handlers.state import Subscription
    from schedules import catalog
    from schedules.meetings import parse_rule
    from schedules.pushes import Planner

    cat = catalog.load()
    sub = Subscription("cli", "0", ("tra-vinh-60-2022",), None, parse_rule("ngày 3 hằng tháng"))
    planner = Planner(cat.plans, TZ)
    start, end = datetime(2022, 6, 30, tzinfo=TZ), datetime(2022, 7, 2, tzinfo=TZ)
    raw = planner.between([recipient_of(sub)], start, end)
    assert len([p for p in raw if p.at == datetime(2022, 7, 1, 7, 30, tzinfo=TZ)]) == 3
    shown = render.rendered(planner, [sub], start, end)
    at_730 = [
        reply for push, _, reply in shown if push.at == datetime(2022, 7, 1, 7, 30, tzinfo=TZ)
    ]
    assert len(at_730) == 1
    assert at_730[0].text.count("\n\n") >= 2  # the three parts, one message
