"""A question that carries the cell's own day ("chi bộ họp chuyên đề ngày 15/9 thì nộp báo cáo
trước ngày nào"): answered with that day, as if the chat had set it, and said so — it is not saved,
and the chat is not sent to /caidat to get an answer it has already given."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache

from handlers.answers import named
from handlers.intents import IntentName
from handlers.lexicon import says_exactly, section, words_of
from handlers.router import Intent
from schedules import plan_calendar, vi_dates, vi_format
from schedules.model import CellEvent, Plan
from schedules.plan_calendar import Cell
from schedules.vi_dates import When

# What such a question may have been routed to: the day read as a period asked, a deadline, a
# word of it read as an unstated topic ("gửi qua mail"); it asks the deadlines that day sets.
_AS_DEADLINES = frozenset(
    {
        IntentName.PERIOD,
        IntentName.DEADLINES,
        IntentName.NOT_STATED,
        IntentName.DAY_INFO,
        IntentName.UNKNOWN,
        IntentName.PILOT,
        IntentName.TOPICS,
    }
)


_TYPED = ("dmy", "dmy_words")
# Words too common in recipients to tell one step from another.
_COMMON = frozenset({"ban", "qua", "gui", "cua", "va"})


@cache
def _event_words() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in section("stated_days")["event"])


@dataclass(frozen=True)
class Given:
    plan: Plan
    event: CellEvent
    when: When
    itself: bool  # the question names the session, not a deadline counted from it

    @property
    def day(self) -> date:
        return self.when.start


def given(text: str, intent: Intent, plans: list[Plan], cell: Cell, now: datetime) -> Given | None:
    """The cell event's day the question gives (one day, as typed: "ngày 15/9 … trước ngày nào"
    gives 15/9, not the day before it), in a chat whose plan has such an event."""
    if intent.name not in _AS_DEADLINES or not says_exactly(words_of(text), _event_words()):
        return None
    # a day typed as a date ("15/9", "ngày 19/9/2022"), not "hôm nay" or a weekday
    days = [w for rule, w in vi_dates.find_all(text, now) if w.kind == "day" and rule in _TYPED]
    found = [(p, e) for p in plans for e in p.cell_events]
    if len(days) != 1 or not found:
        return None
    plan, event = found[0]
    hits = named.dues_named(plan, intent.words, cell, None)
    # the session itself asked about ("… thì có kịp hạn không"): named.event_reply says what
    # holding it that day means
    itself = any(isinstance(f.ref, CellEvent) for f in hits)
    return Given(plan, event, days[0], itself)


def asked(intent: Intent, cell: Cell, g: Given) -> tuple[Intent, Cell, bool]:
    """The question as the deadlines it asks, and the cell to answer for. The session named: its
    day asked what-if (named.event_reply); else the deadlines counted from that day, for a cell
    that has it (said first by `preface`)."""
    if g.itself:
        return replace(intent, name=IntentName.DEADLINES, when=g.when), cell, False
    dates = {**cell.dates, g.event.id: g.day}
    return replace(intent, name=IntentName.DEADLINES, when=None), Cell(cell.name, dates), True


def preface(g: Given, cell: Cell, today: date) -> str:
    """The day the answer is reckoned from, said as not saved; whether it keeps the deadline by
    which the cell must hold the event."""
    day = vi_format.full(g.day)
    lines = [
        f"📅 Tính theo ngày {g.event.name[:1].lower()}{g.event.name[1:]} đồng chí nêu: {day} "
        f"(chưa lưu; muốn tôi ghi, nhắn “chi bộ sinh hoạt chuyên đề ngày {g.day.day}/{g.day.month}”)."
    ]
    held_by = [
        d
        for d in plan_calendar.dues(g.plan, cell)
        if d.entry in g.event.held_by and d.last_day is not None
    ]
    for d in held_by:
        assert d.last_day is not None
        last = vi_format.full(d.last_day)
        if g.day <= d.last_day:
            lines.append(f"⏰ Hạn tổ chức: chậm nhất {last}: ngày {vi_format.day(g.day)} kịp hạn.")
        else:
            late = (g.day - d.last_day).days
            lines.append(
                f"⏰ Hạn tổ chức: chậm nhất {last}: ngày {vi_format.day(g.day)} trễ hạn {late} ngày."
            )
    return "\n".join(lines)


def counted_from(g: Given, cell: Cell, today: date, words: tuple[str, ...]) -> str:
    """The deadlines counted from the day given (the cell's report, the committee's), each with
    its day: what a question giving the day asks."""
    counted = [
        d
        for d in g.plan.deadlines
        if d.relative and d.relative.event == g.event.id and plan_calendar.applies(d, cell)
    ]
    # the cell's own step; the committee's only when the question names where that one goes
    # ("Đảng ủy phải gửi BTG Thị ủy trước ngày nào")
    own_to = {w for d in counted if d.audience == "cells" for w in words_of(d.to or "")}
    asked = set(words)
    shown = [
        d
        for d in counted
        if d.audience == "cells" or asked & (set(words_of(d.to or "")) - own_to - _COMMON)
    ]
    blocks = ["\n".join(named.deadline_lines(g.plan, d, cell, today)) for d in shown]
    return f"{g.plan.short_name}:\n" + "\n\n".join(blocks)
