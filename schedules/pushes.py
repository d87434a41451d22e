"""What the bot says unasked, computed as a pure function of plans, chats, acknowledgements and a
time window. Each push has a deterministic key (chat, plan, item, lead), so the scheduler needs to
remember only how far each chat has been served — never a row per push.

Every push fires at the chat's reminder time on its day. That makes a tick cheap: only chats whose
reminder minute falls in the window are looked at, and each looks its day up in a cached index
shared by every chat with the same settings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache

from schedules import plan_calendar, spans
from schedules.meetings import MeetingRule, meeting_in
from schedules.model import MonthTopics, Occasion, Plan
from schedules.plan_calendar import Cell, Due
from schedules.vi_text import cell_key

MEETING_LEADS = (3, 1, 0)  # chi ủy agrees the content; documents reach members a day ahead; the day
OCCASION_LEAD = 3
MEETING_PLAN = "*"  # a cell has one meeting, whatever plans it follows


@dataclass(frozen=True)
class Recipient:
    key: str  # "platform:chat_id"
    plan_ids: tuple[str, ...]
    cell: Cell = field(default_factory=Cell)
    meeting_rule: MeetingRule | None = None
    meeting_overrides: Mapping[tuple[int, int], date] = field(default_factory=dict)
    reminder_time: time = time(7, 30)
    lead_days: tuple[int, ...] = (7, 3, 1, 0)
    done: frozenset[tuple[str, str]] = frozenset()  # (plan_id, item_id) marked “Đã hoàn thành”
    since: datetime | None = None  # nothing is due before the chat subscribed


class PushKind(StrEnum):
    TOPICS = "topics"  # the month's documents, on the first of the month
    MEETING = "meeting"  # the cell's monthly meeting, before and on the day
    DEADLINE = "deadline"  # a dated duty, before and on its last day
    MILESTONE = "milestone"  # a duty with a period but no day, at the start of its period
    OCCASION = "occasion"  # an anniversary in the plan


@dataclass(frozen=True)
class MeetingDay:
    """One monthly meeting of a cell, and what its plans give it to study that month."""

    day: date
    at: str | None  # "19:30" when the cell gave a time
    topics: tuple[tuple[Plan, MonthTopics], ...]


About = Due | MonthTopics | Occasion | MeetingDay


@dataclass(frozen=True, order=True)
class Push:
    at: datetime
    recipient: str
    kind: PushKind
    plan_id: str
    item_id: str
    lead: int  # days before the day it is about; 0 = on the day
    day: date  # the day it is about: meeting, last day to act, occasion, start of a period
    # What the push is about, found once by the planner so rendering never looks it up again:
    # a Due (deadline, milestone), MonthTopics, an Occasion, or a MeetingDay.
    about: About | None = field(default=None, compare=False, repr=False)
    plan: Plan | None = field(default=None, compare=False, repr=False)  # None for a meeting

    @property
    def key(self) -> str:
        return f"{self.recipient}|{self.plan_id}|{self.item_id}|{self.lead}"


@dataclass(frozen=True)
class Entry:
    kind: PushKind
    item_id: str
    lead: int
    day: date
    about: About


class Planner:
    """Pushes due for many chats. Holds per-plan indexes; build one per catalog."""

    def __init__(self, plans: Mapping[str, Plan], tz: tzinfo) -> None:
        self.plans = plans
        self.tz = tz
        self._plan_index = lru_cache(maxsize=4096)(self._build_plan_index)
        self._meeting_index = lru_cache(maxsize=4096)(self._build_meeting_index)
        self._meeting_months = lru_cache(maxsize=1024)(self._months_of_meetings)

    # -- indexes: day → what falls due that day --------------------------------------------

    def _build_plan_index(
        self,
        plan_id: str,
        name_key: str | None,
        dates: tuple[tuple[str, date], ...],
        leads: tuple[int, ...],
    ) -> dict[date, list[Entry]]:
        plan = self.plans[plan_id]
        cell = Cell(name_key, dict(dates))
        index: dict[date, list[Entry]] = defaultdict(list)
        for due in plan_calendar.dues(plan, cell):
            if due.last_day is not None:
                for lead in leads:
                    index[due.last_day - timedelta(days=lead)].append(
                        Entry(PushKind.DEADLINE, due.item_id, lead, due.last_day, due)
                    )
            else:
                announce = max(due.span.start, plan.period.span.start)  # type: ignore[union-attr]
                if announce <= due.span.end:  # type: ignore[union-attr]
                    index[announce].append(Entry(PushKind.MILESTONE, due.item_id, 0, announce, due))
        for t in plan.topics:
            first = spans.month_span(*t.month).start
            item = f"topics@{t.month[0]}-{t.month[1]:02d}"
            index[first].append(Entry(PushKind.TOPICS, item, 0, first, t))
        for day, occasion in plan_calendar.occasions_between(plan, plan.period.span):
            index[day - timedelta(days=OCCASION_LEAD)].append(
                Entry(PushKind.OCCASION, f"{occasion.id}@{day.year}", OCCASION_LEAD, day, occasion)
            )
        return dict(index)

    def _build_meeting_index(
        self,
        rule: MeetingRule,
        plan_ids: tuple[str, ...],
        overrides: tuple[tuple[tuple[int, int], date], ...],
    ) -> dict[date, list[Entry]]:
        moved = dict(overrides)
        plans = [self.plans[pid] for pid in plan_ids if pid in self.plans]
        index: dict[date, list[Entry]] = defaultdict(list)
        for y, m in self._meeting_months(plan_ids):
            day = moved.get((y, m)) or meeting_in(rule, y, m)
            studied = tuple(
                (p, t)
                for p in plans
                if (t := plan_calendar.topics(p, day.year, day.month)) is not None
            )
            about = MeetingDay(day, rule.at, studied)
            for lead in MEETING_LEADS:
                index[day - timedelta(days=lead)].append(
                    Entry(PushKind.MEETING, f"meeting@{y}-{m:02d}", lead, day, about)
                )
        return dict(index)

    def _months_of_meetings(self, plan_ids: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
        months: set[tuple[int, int]] = set()
        for pid in plan_ids:
            mm = self.plans[pid].monthly_meeting if pid in self.plans else None
            if mm:
                months.update(
                    spans.months_in(
                        spans.Span(spans.month_span(*mm.start).start, spans.month_span(*mm.end).end)
                    )
                )
        return tuple(sorted(months))

    # -- queries ------------------------------------------------------------------------------

    def on_day(self, r: Recipient, day: date) -> list[Push]:
        at = datetime.combine(day, r.reminder_time, self.tz)
        out: list[Push] = []
        name = cell_key(r.cell.name) if r.cell.name else None
        dates = tuple(sorted(r.cell.dates.items()))
        for pid in r.plan_ids:
            if pid not in self.plans:
                continue  # a plan file removed or broken: its chats keep their other plans
            plan = self.plans[pid]
            for e in self._plan_index(pid, name, dates, r.lead_days).get(day, ()):
                if (pid, e.item_id) not in r.done:
                    out.append(
                        Push(at, r.key, e.kind, pid, e.item_id, e.lead, e.day, e.about, plan)
                    )
        if r.meeting_rule is not None:
            overrides = tuple(sorted(r.meeting_overrides.items()))
            for e in self._meeting_index(r.meeting_rule, r.plan_ids, overrides).get(day, ()):
                out.append(Push(at, r.key, e.kind, MEETING_PLAN, e.item_id, e.lead, e.day, e.about))
        return out

    def between(
        self, recipients: Iterable[Recipient], start: datetime, end: datetime
    ) -> list[Push]:
        """Pushes with start < at <= end, in time order (then by key, so the order is stable).

        Chats are bucketed by reminder time, so a one-minute tick touches only the chats whose
        reminder minute falls in it."""
        by_time: dict[time, list[Recipient]] = defaultdict(list)
        for r in recipients:
            by_time[r.reminder_time].append(r)
        out: list[Push] = []
        first, last = start.astimezone(self.tz).date(), end.astimezone(self.tz).date()
        day = first
        while day <= last:
            for reminder, group in by_time.items():
                at = datetime.combine(day, reminder, self.tz)
                if not start < at <= end:
                    continue
                for r in group:
                    if r.since is None or at > r.since:
                        out.extend(self.on_day(r, day))
            day += timedelta(days=1)
        return sorted(out, key=lambda p: (p.at, p.key))
