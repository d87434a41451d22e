"""What the bot says unasked, computed as a pure function of plans, chats, acknowledgements and a
time window. Each push has a deterministic key (chat, plan, item, lead), so the scheduler needs to
remember only how far each chat has been served — never a row per push.

Every push fires at the chat's reminder time on its day. That makes a tick cheap: chats are kept
bucketed by reminder minute (schedules/roster.py), so a tick looks only at the chats whose minute
falls in its window, and each chat looks its day up in indexes shared as widely as they can be:
what a plan gives every cell alike is indexed once per plan (and lead days); what depends on the
cell (a deadline for named cells, a day counted from the cell's own date) once per distinct
answer to what it depends on — not per cell name, since every real cell has its own; the meeting
days once per rule and plans, with a meeting the cell moved itself on top. A chat's indexes are
looked up once (`Planner.prepare`), again only when its settings change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from schedules import plan_calendar, spans
from schedules.meetings import MeetingRule, meeting_in
from schedules.model import MonthTopics, Occasion, Plan
from schedules.plan_calendar import Cell, Due
from schedules.roster import Roster
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


Index = Mapping[date, Sequence[Entry]]  # day → what falls due that day
NOTHING: Index = {}


class CellPart(NamedTuple):
    """What a plan's cell-specific deadlines see of a cell: its name only if the plan names it,
    and the dates it fixed only for the events the plan counts from. Cells with the same part get
    the same deadlines, whatever else differs."""

    name_key: str | None
    dates: tuple[tuple[str, date], ...]


class CellTerms(NamedTuple):
    """What in a plan differs from cell to cell."""

    items: frozenset[str]  # deadline ids: for named cells only, for all but them, or relative
    names: frozenset[str]  # cell keys the plan names
    events: frozenset[str]  # cell events its deadlines count from


@dataclass(frozen=True, eq=False, slots=True)
class Chat:
    """A recipient with its indexes looked up once (`Planner.prepare`): on each day a tick costs
    a chat a few dictionary lookups. Rebuild it when the chat's settings change."""

    recipient: Recipient
    plans: tuple[tuple[str, Plan, Index, Index], ...]  # id, plan, shared part, the cell's part
    meetings: Index = field(default_factory=dict)  # by the cell's rule
    moved: Index = field(default_factory=dict)  # meetings the cell moved to a day of its own
    moved_items: frozenset[str] = frozenset()  # the months whose meeting by rule they replace


_meeting_in = lru_cache(maxsize=65536)(meeting_in)  # many cells share a rule


class Planner:
    """Pushes due for many chats. Holds the shared indexes; build one per catalog."""

    def __init__(self, plans: Mapping[str, Plan], tz: tzinfo) -> None:
        self.plans = plans
        self.tz = tz
        # Keys never include a cell's name as such (see CellPart), so these stay small and hit.
        self._plan_index = lru_cache(maxsize=4096)(self._build_plan_index)
        self._meeting_index = lru_cache(maxsize=4096)(self._build_meeting_index)
        self._meeting_months = lru_cache(maxsize=1024)(self._months_of_meetings)
        # one month's meeting on one day: shared by every rule that lands on that day
        self._month_meeting = lru_cache(maxsize=65536)(self._meeting_entries)
        self._terms = lru_cache(maxsize=1024)(self._cell_terms)

    # -- indexes: day → what falls due that day --------------------------------------------

    def _build_plan_index(
        self, plan_id: str, part: CellPart | None, leads: tuple[int, ...]
    ) -> dict[date, list[Entry]]:
        """part=None: what the plan gives every cell alike; a CellPart: only what depends on it."""
        plan = self.plans[plan_id]
        cell = Cell(part.name_key, dict(part.dates)) if part else Cell()
        own = self._terms(plan_id).items
        index: dict[date, list[Entry]] = defaultdict(list)
        for due in plan_calendar.dues(plan, cell):
            if (due.item_id in own) != (part is not None):
                continue  # in the other part
            if due.last_day is not None:
                for lead in leads:
                    index[due.last_day - timedelta(days=lead)].append(
                        Entry(PushKind.DEADLINE, due.item_id, lead, due.last_day, due)
                    )
            else:
                announce = max(due.span.start, plan.period.span.start)  # type: ignore[union-attr]
                if announce <= due.span.end:  # type: ignore[union-attr]
                    index[announce].append(Entry(PushKind.MILESTONE, due.item_id, 0, announce, due))
        if part is not None:
            return dict(index)
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
        self, rule: MeetingRule, plan_ids: tuple[str, ...]
    ) -> dict[date, list[Entry]]:
        index: dict[date, list[Entry]] = defaultdict(list)
        for y, m in self._meeting_months(plan_ids):
            for e in self._month_meeting(rule.at, plan_ids, y, m, _meeting_in(rule, y, m)):
                index[e.day - timedelta(days=e.lead)].append(e)
        return dict(index)

    def _meeting_entries(
        self, at: str | None, plan_ids: tuple[str, ...], y: int, m: int, day: date
    ) -> tuple[Entry, ...]:
        """The pushes of month (y, m)'s meeting, held on `day`."""
        plans = [self.plans[pid] for pid in plan_ids if pid in self.plans]
        studied = tuple(
            (p, t) for p in plans if (t := plan_calendar.topics(p, day.year, day.month)) is not None
        )
        about = MeetingDay(day, at, studied)
        return tuple(
            Entry(PushKind.MEETING, f"meeting@{y}-{m:02d}", lead, day, about)
            for lead in MEETING_LEADS
        )

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

    def _cell_terms(self, plan_id: str) -> CellTerms:
        plan = self.plans[plan_id]
        own = [d for d in plan.deadlines if d.only_cells or d.except_cells or d.relative]
        return CellTerms(
            frozenset(d.id for d in own),
            frozenset(cell_key(c) for d in own for c in [*d.only_cells, *d.except_cells]),
            frozenset(d.relative.event for d in own if d.relative),
        )

    def _cell_part(self, plan_id: str, cell: Cell) -> CellPart | None:
        terms = self._terms(plan_id)
        if not terms.items:
            return None  # the plan gives every cell the same
        # A name the plan does not list and no name at all get the same deadlines (applies()).
        name = cell_key(cell.name) if cell.name and terms.names else None
        return CellPart(
            name if name in terms.names else None,
            tuple(sorted((k, v) for k, v in cell.dates.items() if k in terms.events)),
        )

    def prepare(self, r: Recipient) -> Chat:
        """The chat's indexes, looked up (and built, the first time any chat needs them) now."""
        plans = []
        for pid in r.plan_ids:
            if pid not in self.plans:
                continue  # a plan file removed or broken: its chats keep their other plans
            part = self._cell_part(pid, r.cell)
            own = self._plan_index(pid, part, r.lead_days) if part else NOTHING
            plans.append((pid, self.plans[pid], self._plan_index(pid, None, r.lead_days), own))
        if r.meeting_rule is None:
            return Chat(r, tuple(plans))
        meetings = self._meeting_index(r.meeting_rule, r.plan_ids)
        if not r.meeting_overrides:
            return Chat(r, tuple(plans), meetings)
        months = self._meeting_months(r.plan_ids)
        moved: dict[date, list[Entry]] = defaultdict(list)
        for (y, m), day in sorted(r.meeting_overrides.items()):
            if (y, m) in months:
                for e in self._month_meeting(r.meeting_rule.at, r.plan_ids, y, m, day):
                    moved[e.day - timedelta(days=e.lead)].append(e)
        replaced = frozenset(f"meeting@{y}-{m:02d}" for y, m in r.meeting_overrides)
        return Chat(r, tuple(plans), meetings, dict(moved), replaced)

    # -- queries ------------------------------------------------------------------------------

    def on_day(self, r: Recipient | Chat, day: date) -> list[Push]:
        chat = r if isinstance(r, Chat) else self.prepare(r)
        out: list[Push] = []
        self._add_day(out, chat, day, datetime.combine(day, chat.recipient.reminder_time, self.tz))
        return out

    def _add_day(self, out: list[Push], chat: Chat, day: date, at: datetime) -> None:
        r = chat.recipient
        for pid, plan, shared, own in chat.plans:
            for entries in (shared.get(day), own.get(day)):
                for e in entries or ():
                    if (pid, e.item_id) not in r.done:
                        out.append(
                            Push(at, r.key, e.kind, pid, e.item_id, e.lead, e.day, e.about, plan)
                        )
        if r.meeting_rule is not None:
            meetings = [e for e in chat.meetings.get(day, ()) if e.item_id not in chat.moved_items]
            for e in [*meetings, *chat.moved.get(day, ())]:
                out.append(Push(at, r.key, e.kind, MEETING_PLAN, e.item_id, e.lead, e.day, e.about))

    def due(self, roster: Roster[Chat], start: datetime, end: datetime) -> list[Push]:
        """Pushes with start < at <= end for the chats in the roster, in time order (then by key,
        so the order is stable). Only the chats whose reminder minute falls in the window are
        looked at."""
        out: list[Push] = []
        first, last = start.astimezone(self.tz).date(), end.astimezone(self.tz).date()
        day = first
        while day <= last:
            for reminder in roster.minutes():
                at = datetime.combine(day, reminder, self.tz)
                if not start < at <= end:
                    continue
                for chat in roster.at(reminder):
                    since = chat.recipient.since
                    if since is None or at > since:
                        self._add_day(out, chat, day, at)
            day += timedelta(days=1)
        return sorted(out, key=lambda p: (p.at, p.key))

    def between(
        self, recipients: Iterable[Recipient], start: datetime, end: datetime
    ) -> list[Push]:
        """Pushes with start < at <= end, in time order, for chats not kept in a roster."""
        roster: Roster[Chat] = Roster()
        for r in recipients:
            roster.put(r.key, r.reminder_time, self.prepare(r))
        return self.due(roster, start, end)
