"""Answers about days: the cell's next meeting from its rule, its own event's day, what a date
is, a bare date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from handlers import lexicon, router
from handlers.answers import named
from handlers.intents import IntentName
from handlers.router import Intent
from schedules import meetings, plan_calendar, spans, vi_format
from schedules.meetings import MeetingRule, MovedMeeting
from schedules.model import Plan
from schedules.plan_calendar import Cell
from schedules.spans import Span

MovedDays = dict[tuple[int, int], MovedMeeting]


def _months(span: Span) -> list[tuple[int, int]]:
    return list(spans.months_in(span))


def _hour(rule: MeetingRule, moved: MovedDays, d: date) -> str:
    """ " lúc 19:00": the hour the cell gave for that meeting, else its rule's; "" if neither."""
    found = moved.get((d.year, d.month))
    at = found.at if found and found.day == d and found.at else rule.at
    return f" lúc {vi_format.hour(at)}" if at else ""


def _meeting(rule: MeetingRule, moved: MovedDays, y: int, m: int) -> date:
    found = moved.get((y, m))
    return found.day if found else meetings.meeting_in(rule, y, m)


def _planned(rule: MeetingRule, y: int, m: int) -> date:
    """The rule's own day that month, before a weekend or holiday moves it."""
    return meetings.meeting_in(MeetingRule(rule.day, rule.weekday, rule.nth, False), y, m)


def _month_line(rule: MeetingRule, moved: MovedDays, y: int, m: int, today: date) -> str:
    d = _meeting(rule, moved, y, m)
    return (
        f"🗓 Kỳ họp chi bộ tháng {m}/{y}: {vi_format.full(d)}{_hour(rule, moved, d)}"
        f" ({vi_format.days_until(today, d)}{_why_moved(rule, moved, y, m, d)})."
    )


def _why_moved(rule: MeetingRule, moved: MovedDays, y: int, m: int, d: date) -> str:
    if (y, m) in moved or rule.day is None and not rule.shift_off_days:
        return ""
    planned = _planned(rule, y, m)
    if planned == d:
        return ""
    why = "ngày nghỉ lễ" if planned.weekday() < 5 else vi_format.weekday(planned).lower()
    return f"; ngày {vi_format.day(planned)} là {why}, nên lùi sang ngày làm việc kế tiếp"


def meeting_reply(
    intent: Intent,
    rule: MeetingRule | None,
    moved: MovedDays,
    plans: list[Plan],
    today: date,
    told: bool = False,  # the rule is the one the message states, maybe not the one saved
) -> str:
    ahead = sorted(m.day for m in moved.values() if m.day >= today)
    if rule is None and ahead:  # no rule: only the days the cell gave are known, never invented
        return "\n".join(
            [
                f"🗓 Kỳ họp chi bộ đã hẹn: {vi_format.full(d)}{_hour(MeetingRule(), moved, d)}"
                f" ({vi_format.days_until(today, d)})."
                for d in ahead[:3]
            ]
            + ["Chi bộ chưa đặt lịch họp hằng tháng; đặt trong /caidat."]
        )
    if rule is None:
        plan_words = "; ".join(
            f"{p.short_name}: {p.monthly_meeting.title}" for p in plans if p.monthly_meeting
        )
        return (
            "🗓 Chi bộ chưa đặt ngày họp hằng tháng, nên tôi chưa tính được kỳ họp. Đặt trong "
            "/caidat (ví dụ “ngày 3 hằng tháng”, “thứ 6 đầu tiên hằng tháng lúc 19:30”)."
            + (f"\nKế hoạch không quy định ngày họp cụ thể — {plan_words}" if plan_words else "")
        )
    when = intent.when
    lines = []
    if when and when.kind in ("day", "moment") and _moved_off(rule, moved, when.start):
        # "mùng 3 trùng nghỉ lễ phải không": the rule's own day, moved: the month's meeting and why
        lines.append(_month_line(rule, moved, when.start.year, when.start.month, today))
    elif when and when.kind in ("day", "moment"):
        d = _meeting(rule, moved, when.start.year, when.start.month)
        same = d == when.start
        head = (
            f"Có: {vi_format.full(d)}{_hour(rule, moved, d)} là ngày họp chi bộ."
            if same
            else f"{vi_format.full(when.start)} không phải ngày họp chi bộ."
        )
        lines.append(f"🗓 {head}")
        if not same:
            d = d if d >= today else _next(rule, moved, today)
            lines.append(
                f"Kỳ họp gần nhất: {vi_format.full(d)}{_hour(rule, moved, d)} ({vi_format.days_until(today, d)})."
            )
    elif when and not _after_the_one_asked(intent, rule, moved, today):
        # "3 tháng tới" (10/6–10/9): the meetings inside the period, not June's, already past
        months = _months(when.span)
        inside = [ym for ym in months if when.start <= _meeting(rule, moved, *ym) <= when.end]
        lines += [_month_line(rule, moved, y, m, today) for y, m in (inside or months)[:3]]
    else:  # none asked, or "họp tháng 8 xong rồi, lần sau ngày mấy": the next one
        d = _next(rule, moved, today)
        lines.append(
            f"🗓 Kỳ họp chi bộ tới: {vi_format.full(d)}{_hour(rule, moved, d)} ({vi_format.days_until(today, d)}"
            f"{_why_moved(rule, moved, d.year, d.month, d)})."
        )
    if told:
        lines.append(
            f"Tính theo lịch đồng chí nêu: {rule.describe()} — lịch này chưa lưu; muốn lưu, "
            f"gõ “ngày họp: {replace(rule, shift_off_days=False).describe()}”."
        )
    elif rule.day is not None or rule.weekday is not None:
        lines.append(f"Lịch họp của chi bộ: {rule.describe()}. Đổi trong /caidat.")
    return "\n".join(lines)


def _moved_off(rule: MeetingRule, moved: MovedDays, d: date) -> bool:
    """The rule's own day that month, which a weekend or holiday moved (not the cell)."""
    y, m = d.year, d.month
    return (y, m) not in moved and _planned(rule, y, m) == d != _meeting(rule, moved, y, m)


def _after_the_one_asked(intent: Intent, rule: MeetingRule, moved: MovedDays, today: date) -> bool:
    """The month asked had its meeting already and the words ask for the one after it."""
    asked = _months(intent.when.span) if intent.when else []
    return (
        len(asked) == 1
        and _meeting(rule, moved, *asked[0]) < today
        and router.asks_next(intent.words)
    )


def _next(rule: MeetingRule, moved: MovedDays, today: date) -> date:
    y, m = today.year, today.month
    for _ in range(14):
        d = _meeting(rule, moved, y, m)
        if d >= today:
            return d
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return d


def asked_day(intent: Intent) -> date | None:
    """The one day a question gives ("ngày 22/9 thì có trễ hạn không"), if it gives one."""
    when = intent.when
    return when.start if when and when.kind in ("day", "moment") else None


def asks_back(intent: Intent, plans: list[Plan]) -> bool:
    """A message that is nothing but a time says nothing about deadlines: a day ("19/9") is asked
    back; so is a period ("cuối năm") unless a plan lists documents to study in it, which a bare
    month has always shown ("tháng 7": the month's topics). A part of a month ("cuối tháng",
    "đầu tháng 10") is no month of study: asked back too."""
    when = intent.when
    assert when is not None
    if when.kind in ("day", "moment"):
        return True
    if when.start.day != 1 or (when.end + timedelta(days=1)).day != 1:
        return True
    months = set(_months(when.span))
    return not any(t.month in months for p in plans for t in p.topics)


def clarify(intent: Intent) -> str:
    when = intent.when
    assert when is not None
    if when.kind not in ("day", "moment"):
        said = when.text().split(" (")[0]  # "tuần sau (7/3/2022–13/3/2022)": its days once
        return (
            f"📅 {vi_format.cap(said)} ({vi_format.day(when.start)}–{vi_format.day(when.end)}). "
            f"Đồng chí muốn hỏi gì về khoảng này? Ví dụ: “{said} có hạn gì?”, "
            f"“{said} học gì?”."
        )
    short = f"{when.start.day}/{when.start.month}"
    return (
        f"📅 {when.text()}. Đồng chí muốn hỏi gì về ngày này? Ví dụ: “{short} có hạn gì?”, "
        f"“{short} học gì?”, hoặc đặt ngày họp: “ngày họp: {short}”."
    )


def on_day(plans: list[Plan], cell: Cell, d: date) -> list[str]:
    """What the plans put on that day: a deadline's last day or its "trước ngày", an occasion."""
    out = []
    for plan in plans:
        for due in plan_calendar.dues(plan, cell):
            if due.last_day == d or due.before == d:
                out.append(f"⏰ {due.title}: {due.wording} — {plan.short_name}")
        for o in plan.occasions:
            if (d.month, d.day) == o.day:
                out.append(f"🎉 {o.name} — {plan.short_name}")
    return out


def _day_asked(intent: Intent, today: date) -> date | str:
    """The one day a date phrase names, or the days of a longer period it names: "cuối tháng
    này là ngày mấy" asks the month's last day, "đầu tuần sau" its first; "tuần sau" is a range."""
    when = intent.when
    if when is None:
        return today
    if when.kind in ("day", "moment") or when.start == when.end:
        return when.start
    if "cuoi" in intent.words:
        return when.end
    if "dau" in intent.words:
        return when.start
    said = vi_format.cap(when.text().split(" (")[0])
    return f"📅 {said}: từ {vi_format.full(when.start)} đến hết {vi_format.full(when.end)}."


def day_info(intent: Intent, plans: list[Plan], cell: Cell, today: date) -> str:
    d = _day_asked(intent, today)
    if isinstance(d, str):
        return d
    if d == today:
        head = f"📅 Hôm nay là {vi_format.full(d)}."
    else:
        head = f"📅 {vi_format.full(d)} ({vi_format.days_until(today, d)})."
    return "\n".join([head, *on_day(plans, cell, d)])


@cache
def _own_event_words() -> dict[str, tuple[tuple[str, ...], ...]]:
    return {k: tuple(tuple(p.split()) for p in v) for k, v in lexicon.section("own_event").items()}


def own_event_reply(intent: Intent, plans: list[Plan], cell: Cell, today: date) -> list[str]:
    """The cell's own event asked about ("buổi chuyên đề của chi bộ còn mấy ngày", "chi bộ đã chốt
    ngày hội nghị chuyên đề chưa", "hội nghị chuyên đề chi bộ đăng ký ngày nào"): its day as the
    cell set it, or that the cell has not set it — never the deadline for registering it. Empty
    when the words do not ask it, or name a deadline, or the pilot cell's own day."""
    words, found = intent.words, _own_event_words()
    if intent.name is IntentName.PILOT or not lexicon.says_exactly(words, found["event"]):
        return []
    deadline = lexicon.says_exactly(words, found["deadline"]) and not lexicon.says_exactly(
        words, found["registered"]
    )
    if deadline or not lexicon.says_exactly(words, found["day"]):
        return []
    on = asked_day(intent)
    return [
        f"{p.short_name}:\n"
        + "\n\n".join("\n".join(named.event_reply(p, e, cell, today, on)) for e in p.cell_events)
        for p in plans
        if p.cell_events
    ]
