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
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from schedules import plan_calendar, spans
from schedules.meetings import MeetingRule, MovedMeeting, meeting_in
from schedules.model import CellEvent, MonthTopics, Occasion, Plan
from schedules.plan_calendar import Cell, Due, ItemRef
from schedules.roster import Roster
from schedules.vi_text import cell_key

MEETING_LEADS = (3, 1, 0)  # chi ủy agrees the content; documents reach members a day ahead; the day
EVENT_LEADS = (
    3,
    1,
    0,
)  # a day the cell fixed itself (its thematic session), reminded like a meeting
OCCASION_LEAD = 3
MEETING_PLAN = "*"  # a cell has one meeting, whatever plans it follows


@dataclass(frozen=True, slots=True)
class Pause:
    """Reminders held from `start` through `end` (inclusive); `end` None: until turned back on.

    Nothing is pushed on a held day. What fell due while held is not lost: on the day after `end`
    one catch-up push lists it (what is still ahead, and what passed meanwhile)."""

    start: date
    end: date | None = None

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def resume(self) -> date | None:
        return self.end + timedelta(days=1) if self.end is not None else None


@dataclass(frozen=True, slots=True)
class Snooze:
    """A reminder the chat asked to see again: what was pushed at `of` is pushed once more at `at`."""

    of: datetime
    at: datetime


@dataclass(frozen=True, slots=True)
class Recipient:
    key: str  # "platform:chat_id"
    plan_ids: tuple[str, ...]
    cell: Cell = field(default_factory=Cell)
    meeting_rule: MeetingRule | None = None
    meeting_overrides: Mapping[tuple[int, int], MovedMeeting] = field(default_factory=dict)
    reminder_time: time = time(7, 30)
    lead_days: tuple[int, ...] = (7, 3, 1, 0)
    done: frozenset[ItemRef] = frozenset()  # items marked “Đã hoàn thành”
    since: datetime | None = None  # nothing is due before the chat subscribed
    pause: Pause | None = None
    snoozes: tuple[Snooze, ...] = ()


class PushKind(StrEnum):
    TOPICS = "topics"  # the month's documents, on the first of the month
    MEETING = "meeting"  # the cell's monthly meeting, before and on the day
    DEADLINE = "deadline"  # a dated duty, before and on its last day
    MILESTONE = "milestone"  # a duty with a period but no day, at the start of its period
    PERIOD_END = "period_end"  # the same duty, before its period ends (the end is a fact, no hạn)
    OCCASION = "occasion"  # an anniversary in the plan
    EVENT = "event"  # a day the cell fixed itself for its plan (its thematic session)
    CATCHUP = "catchup"  # the day after a pause: what fell due while reminders were held


# Pushes due to a chat at the same minute go out as one message, led by the month's topics.
KIND_ORDER = {kind: i for i, kind in enumerate(PushKind)}


@dataclass(frozen=True)
class EventDay:
    """The day a cell fixed for one of its plan's events."""

    event: CellEvent
    day: date


@dataclass(frozen=True)
class Missed:
    """What a pause held back, for the catch-up push on the day it ends."""

    pause: Pause
    pushes: tuple[Push, ...]


@dataclass(frozen=True)
class MeetingDay:
    """One monthly meeting of a cell, and what its plans give it to study that month."""

    day: date
    at: str | None  # "19:30" when the cell gave a time
    topics: tuple[tuple[Plan, MonthTopics], ...]


About = Due | MonthTopics | Occasion | MeetingDay | EventDay | Missed


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
    # a Due (deadline, milestone), MonthTopics, an Occasion, a MeetingDay, an EventDay, Missed.
    about: About | None = field(default=None, compare=False, repr=False)
    plan: Plan | None = field(default=None, compare=False, repr=False)  # None for a meeting
    again: datetime | None = field(default=None, compare=False)  # snoozed: first pushed then

    @property
    def key(self) -> str:
        lead = f"end-{self.lead}" if self.kind is PushKind.PERIOD_END else str(self.lead)
        key = f"{self.recipient}|{self.plan_id}|{self.item_id}|{lead}"
        return f"{key}|again@{self.at:%Y%m%d%H%M}" if self.again else key

    @property
    def first_at(self) -> datetime:
        """When the chat first got it (a snoozed push's original minute)."""
        return self.again or self.at


def order(push: Push) -> tuple[datetime, int, str]:
    """Time order; within a minute the month's topics first, then by kind, then by key."""
    return (push.at, KIND_ORDER[push.kind], push.key)


@dataclass(frozen=True)
class Entry:
    kind: PushKind
    item_id: str
    lead: int
    day: date
    about: About


# -- reminder rules, used by the Planner's index builders ----------------------------


def not_before(plan: Plan) -> date:
    """Nothing is pushed for a plan before it was issued (or, with no issue date, began)."""
    return plan.issued or plan.period.span.start


def held_until(plan: Plan, cell: Cell) -> dict[str, date]:
    """Deadlines the cell meets by holding its own event, with the event's day: once that day
    comes, the event is what is reminded, not the deadline it satisfies."""
    return {
        deadline_id: day
        for event in plan.cell_events
        if (day := cell.dates.get(event.id)) is not None
        for deadline_id in event.held_by
    }


def event_entries(plan: Plan, cell: Cell) -> list[tuple[date, Entry]]:
    """Each day the cell fixed for its plan's events: 3 days, 1 day before, and the morning."""
    out = []
    for event in plan.cell_events:
        day = cell.dates.get(event.id)
        if day is None:
            continue
        about = EventDay(event, day)
        for lead in EVENT_LEADS:
            entry = Entry(PushKind.EVENT, f"{event.id}@{day.isoformat()}", lead, day, about)
            out.append((day - timedelta(days=lead), entry))
    return out


def period_end_entries(
    due: Due, announced: date, leads: tuple[int, ...]
) -> list[tuple[date, Entry]]:
    """A duty with a period but no day, reminded the chat's lead days before its period ends
    (only after it was announced): the end of a quarter is a fact, never an invented hạn."""
    end = due.span.end  # type: ignore[union-attr]
    return [
        (end - timedelta(days=lead), Entry(PushKind.PERIOD_END, due.item_id, lead, end, due))
        for lead in leads
        if end - timedelta(days=lead) > announced
    ]


def from_issue_day(plan: Plan, index: dict[date, list[Entry]]) -> None:
    """Drop what would be pushed before the plan was issued; an announcement whose month or
    period is still running on the issue day (the month's topics, a quarter's report) is made on
    the issue day instead."""
    first = not_before(plan)
    for day in sorted(d for d in index if d < first):
        for e in index.pop(day):
            if e.kind is PushKind.TOPICS:
                running = spans.month_span(*e.about.month).end >= first  # type: ignore[union-attr]
            elif e.kind is PushKind.MILESTONE:
                running = e.about.span.end >= first  # type: ignore[union-attr]
            else:
                running = False
            if running:
                index.setdefault(first, []).append(replace(e, day=first))


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
        self._snoozing: dict[str, Chat] = {}  # chat key → its prepared Chat, while it has snoozes

    # -- indexes: day → what falls due that day --------------------------------------------

    def _build_plan_index(
        self, plan_id: str, part: CellPart | None, leads: tuple[int, ...]
    ) -> dict[date, list[Entry]]:
        """part=None: what the plan gives every cell alike; a CellPart: only what depends on it."""
        plan = self.plans[plan_id]
        cell = Cell(part.name_key, dict(part.dates)) if part else Cell()
        own = self._terms(plan_id).items
        index: dict[date, list[Entry]] = defaultdict(list)
        held = held_until(plan, cell)
        for due in plan_calendar.dues(plan, cell):
            if (due.item_id in own) != (part is not None):
                continue  # in the other part
            if due.last_day is not None:
                for lead in leads:
                    day = due.last_day - timedelta(days=lead)
                    if due.item_id in held and day >= held[due.item_id]:
                        continue  # the cell's own event, reminded itself, holds this duty
                    index[day].append(
                        Entry(PushKind.DEADLINE, due.item_id, lead, due.last_day, due)
                    )
            else:
                announce = max(due.span.start, plan.period.span.start)  # type: ignore[union-attr]
                if announce <= due.span.end:  # type: ignore[union-attr]
                    index[announce].append(Entry(PushKind.MILESTONE, due.item_id, 0, announce, due))
                    for day, entry in period_end_entries(
                        due, max(announce, not_before(plan)), leads
                    ):
                        index[day].append(entry)
        if part is not None:
            for day, entry in event_entries(plan, cell):
                index[day].append(entry)
            from_issue_day(plan, index)
            return dict(index)
        for t in plan.topics:
            first = spans.month_span(*t.month).start
            item = f"topics@{t.month[0]}-{t.month[1]:02d}"
            index[first].append(Entry(PushKind.TOPICS, item, 0, first, t))
        for day, occasion in plan_calendar.occasions_between(plan, plan.period.span):
            index[day - timedelta(days=OCCASION_LEAD)].append(
                Entry(PushKind.OCCASION, f"{occasion.id}@{day.year}", OCCASION_LEAD, day, occasion)
            )
        from_issue_day(plan, index)
        return dict(index)

    def _build_meeting_index(
        self, rule: MeetingRule, plan_ids: tuple[str, ...]
    ) -> dict[date, list[Entry]]:
        index: dict[date, list[Entry]] = defaultdict(list)
        first = self._meetings_from(plan_ids)
        for y, m in self._meeting_months(plan_ids):
            for e in self._month_meeting(rule.at, plan_ids, y, m, _meeting_in(rule, y, m)):
                if e.day - timedelta(days=e.lead) >= first:
                    index[e.day - timedelta(days=e.lead)].append(e)
        return dict(index)

    def _meetings_from(self, plan_ids: tuple[str, ...]) -> date:
        """No meeting reminder before the first plan asking for monthly meetings was issued."""
        plans = [self.plans[pid] for pid in plan_ids if pid in self.plans]
        return min((not_before(p) for p in plans if p.monthly_meeting), default=date.min)

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
        held = {d for e in plan.cell_events for d in e.held_by}  # stop on the cell's own day
        own = [
            d
            for d in plan.deadlines
            if d.only_cells or d.except_cells or d.relative or d.id in held
        ]
        return CellTerms(
            frozenset(d.id for d in own),
            frozenset(cell_key(c) for d in own for c in [*d.only_cells, *d.except_cells]),
            frozenset(e.id for e in plan.cell_events),  # each is reminded on its day
        )

    def _cell_part(self, plan_id: str, cell: Cell) -> CellPart | None:
        terms = self._terms(plan_id)
        if not terms.items and not terms.events:
            return None  # the plan gives every cell the same
        # A name the plan does not list and no name at all get the same deadlines (applies()).
        name = cell_key(cell.name) if cell.name and terms.names else None
        return CellPart(
            name if name in terms.names else None,
            tuple(sorted((k, v) for k, v in cell.dates.items() if k in terms.events)),
        )

    def prepare(self, r: Recipient) -> Chat:
        """The chat's indexes, looked up (and built, the first time any chat needs them) now."""
        chat = self._prepare(r)
        if r.snoozes:  # a few chats at a time: due() looks at them without walking every chat
            self._snoozing[r.key] = chat
        else:
            self._snoozing.pop(r.key, None)
        return chat

    def _prepare(self, r: Recipient) -> Chat:
        plans = []
        for pid in r.plan_ids:
            if pid not in self.plans:
                continue  # a plan file removed or broken: its chats keep their other plans
            part = self._cell_part(pid, r.cell)
            own = self._plan_index(pid, part, r.lead_days) if part else NOTHING
            plans.append((pid, self.plans[pid], self._plan_index(pid, None, r.lead_days), own))
        rule = r.meeting_rule
        meetings = self._meeting_index(rule, r.plan_ids) if rule else {}
        if not r.meeting_overrides:
            return Chat(r, tuple(plans), meetings)
        # A day the cell gave itself is reminded even without a rule, or in a month no plan's
        # meeting period covers: the cell said it meets then.
        moved: dict[date, list[Entry]] = defaultdict(list)
        for (y, m), day in sorted(r.meeting_overrides.items(), key=lambda kv: kv[0]):
            at = day.at or (rule.at if rule else None)
            for e in self._month_meeting(at, r.plan_ids, y, m, day.day):
                if e.day - timedelta(days=e.lead) >= self._meetings_from(r.plan_ids):
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
        """What is pushed to the chat on that day: nothing while paused, and on the day a pause
        ends, one catch-up push for what it held back."""
        pause = chat.recipient.pause
        if pause is None:
            self._add_due(out, chat, day, at)
            return
        if pause.holds(day):
            return
        self._add_due(out, chat, day, at)
        if pause.resume == day and (missed := self._held_back(chat, pause)):
            about = Missed(pause, tuple(missed))
            key = chat.recipient.key
            out.append(
                Push(at, key, PushKind.CATCHUP, MEETING_PLAN, f"resume@{day}", 0, day, about)
            )

    def _held_back(self, chat: Chat, pause: Pause) -> list[Push]:
        r, out = chat.recipient, list[Push]()
        day = pause.start
        while pause.end is not None and day <= pause.end:
            at = datetime.combine(day, r.reminder_time, self.tz)
            if r.since is None or at > r.since:
                self._add_due(out, chat, day, at)
            day += timedelta(days=1)
        return sorted(out, key=order)

    def _add_due(self, out: list[Push], chat: Chat, day: date, at: datetime) -> None:
        r = chat.recipient
        for pid, plan, shared, own in chat.plans:
            for entries in (shared.get(day), own.get(day)):
                for e in entries or ():
                    if ItemRef(pid, e.item_id) not in r.done:
                        out.append(
                            Push(at, r.key, e.kind, pid, e.item_id, e.lead, e.day, e.about, plan)
                        )
        if chat.meetings or chat.moved:
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
        for key, chat in list(self._snoozing.items()):
            if roster.get(key) is chat:
                out += self.snoozed(chat, start, end)
        return sorted(out, key=order)

    def snoozed(self, chat: Chat, start: datetime, end: datetime) -> list[Push]:
        """Reminders the chat snoozed, sent again once at the time it chose (not while paused)."""
        r, out = chat.recipient, []
        for s in r.snoozes:
            day = s.at.astimezone(self.tz).date()
            if start < s.at <= end and not (r.pause and r.pause.holds(day)):
                first = s.of.astimezone(self.tz)
                regular = {(p.plan_id, p.item_id) for p in self.on_day(chat, day) if p.at == s.at}
                out += [
                    replace(p, at=s.at, again=first)
                    for p in self.on_day(chat, first.date())
                    # not what that minute reminds anyway, nor a day already past
                    if (p.plan_id, p.item_id) not in regular
                    and (p.day >= day or p.kind in (PushKind.TOPICS, PushKind.MILESTONE))
                ]
        return out

    def between(
        self, recipients: Iterable[Recipient], start: datetime, end: datetime
    ) -> list[Push]:
        """Pushes with start < at <= end, in time order, for chats not kept in a roster."""
        roster: Roster[Chat] = Roster()
        for r in recipients:
            roster.put(r.key, r.reminder_time, self.prepare(r))
        return self.due(roster, start, end)
