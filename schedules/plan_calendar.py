"""Calendar answers: pure functions of a plan, a cell and a date. No clock is read here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple

from schedules import spans, vi_format
from schedules.model import Deadline, MonthTopics, Occasion, Plan
from schedules.spans import Span
from schedules.vi_text import cell_key


@dataclass(frozen=True, slots=True)
class Cell:
    """What the calendar needs to know of a cell: its name and the dates it fixed itself.
    `every`: every cell at once (a committee's group asking about the plan): each cell's
    deadlines, the ones the plan sets for named cells too."""

    name: str | None = None
    dates: Mapping[str, date] = field(default_factory=dict)
    every: bool = False


class ItemRef(NamedTuple):
    """One item of one plan, as a chat's mark “Đã hoàn thành” names it."""

    plan_id: str
    item_id: str


@dataclass(frozen=True)
class Due:
    """One concrete thing to do: a dated deadline, or a duty that has a period but no day."""

    plan_id: str
    item_id: str  # unique within the plan, occurrence included ("bao-cao-quy@2022-07-01")
    title: str
    who: str
    to: str | None
    wording: str  # how the plan words the time: "trước ngày 20/6/2022", "cuối quý II/2022"
    last_day: date | None  # the last day to act, for dated deadlines
    before: date | None  # for "trước ngày X" deadlines: X itself
    span: Span | None  # for duties without a day
    audience: str
    quote: str
    every: str | None = None  # a recurring duty: how often ("month", "quarter", "year") …
    recurring_id: str = ""  # … and the plan entry it repeats, one id for all its occurrences

    @property
    def entry(self) -> str:
        """The plan entry this is of: every occurrence of a recurring duty shares one."""
        return self.recurring_id or self.item_id

    @property
    def ref(self) -> ItemRef:
        return ItemRef(self.plan_id, self.item_id)

    @property
    def sort_key(self) -> date:
        return self.last_day if self.last_day else self.span.end  # type: ignore[union-attr]


class Status(Enum):
    NOT_STARTED = "chưa bắt đầu"
    RUNNING = "đang thực hiện"
    ENDED = "đã kết thúc"


def status(plan: Plan, today: date) -> Status:
    span = plan.period.span
    if today < span.start:
        return Status.NOT_STARTED
    return Status.RUNNING if today <= span.end else Status.ENDED


def applies(deadline: Deadline, cell: Cell) -> bool:
    if cell.every:
        return True
    name = cell_key(cell.name) if cell.name else None
    if deadline.only_cells:
        return name is not None and name in {cell_key(c) for c in deadline.only_cells}
    if deadline.except_cells:
        return name is None or name not in {cell_key(c) for c in deadline.except_cells}
    return True


def cell_specific_unknown(plan: Plan, cell: Cell) -> bool:
    """True when the plan has cell-specific deadlines and the cell has not said which it is."""
    if cell.every:
        return False
    return not cell.name and any(d.only_cells or d.except_cells for d in plan.deadlines)


def _deadline_due(plan: Plan, d: Deadline, cell: Cell) -> Due | None:
    if d.before is not None:
        last = d.before - timedelta(days=1)
        wording = f"trước ngày {vi_format.day(d.before)}"
    else:
        assert d.relative is not None
        event_day = cell.dates.get(d.relative.event)
        if event_day is None:
            return None
        last = event_day - timedelta(days=d.relative.days_before)
        event = next(e for e in plan.cell_events if e.id == d.relative.event)
        wording = (
            f"trước {d.relative.days_before} ngày tổ chức {event.name[0].lower()}{event.name[1:]}"
            f" ({vi_format.full(event_day)})"
        )
    return Due(
        plan.id, d.id, d.title, d.who, d.to, wording, last, d.before, None, d.audience, d.quote
    )


def _recurring_spans(plan: Plan, every: str) -> list[Span]:
    period = plan.period.span
    if every == "month":
        out = [spans.month_span(y, m) for y, m in spans.months_in(period)]
    elif every == "quarter":
        quarters = sorted({(y, (m - 1) // 3 + 1) for y, m in spans.months_in(period)})
        out = [spans.quarter_span(y, q) for y, q in quarters]
    else:
        out = [spans.year_span(y) for y in range(period.start.year, period.end.year + 1)]
    return out


def dues(plan: Plan, cell: Cell, audience: str | None = "cells") -> list[Due]:
    """Everything this cell must do under the plan, in date order. audience=None: all of it."""
    out: list[Due] = []
    for d in plan.deadlines:
        if (audience and d.audience != audience) or not applies(d, cell):
            continue
        due = _deadline_due(plan, d, cell)
        if due:
            out.append(due)
    for m in plan.milestones:
        if audience and m.audience != audience:
            continue
        out.append(
            Due(
                plan.id,
                m.id,
                m.title,
                m.who,
                m.to,
                m.wording,
                None,
                None,
                m.period,
                m.audience,
                m.quote,
            )
        )
    for r in plan.recurring:
        if audience and r.audience != audience:
            continue
        for s in _recurring_spans(plan, r.every):
            out.append(
                Due(
                    plan.id,
                    f"{r.id}@{s.start.isoformat()}",
                    r.title,
                    r.who,
                    r.to,
                    f"trong {s.label}",
                    None,
                    None,
                    s,
                    r.audience,
                    r.quote,
                    r.every,
                    r.id,
                )
            )
    return sorted(out, key=lambda x: (x.sort_key, x.item_id))


def missing_cell_dates(plan: Plan, cell: Cell) -> list[tuple[Deadline, str]]:
    """Relative deadlines the cell cannot see yet because it has not fixed the event's date."""
    names = {e.id: e.name for e in plan.cell_events}
    return [
        (d, names[d.relative.event])
        for d in plan.deadlines
        if d.relative and d.audience == "cells" and d.relative.event not in cell.dates
    ]


def upcoming(plan: Plan, cell: Cell, today: date, limit: int = 5) -> list[Due]:
    """The next things due from today on, skipping what is past; day-less duties still open count."""
    return [d for d in dues(plan, cell) if d.sort_key >= today][:limit]


def soonest_first(plans: list[Plan], cell: Cell, today: date) -> list[Plan]:
    """Several plans followed: the one with the nearest thing due leads; plans with nothing left
    keep their order after them."""

    def key(plan: Plan) -> date:
        nxt = upcoming(plan, cell, today, limit=1)
        return nxt[0].sort_key if nxt else date.max

    return sorted(plans, key=key)


def due_between(plan: Plan, cell: Cell, window: Span, audience: str | None = "cells") -> list[Due]:
    out = []
    for d in dues(plan, cell, audience):
        if (
            d.last_day is not None
            and d.last_day in window
            or d.span is not None
            and d.span.overlaps(window)
        ):
            out.append(d)
    return out


def topics(plan: Plan, year: int, month: int) -> MonthTopics | None:
    return next((t for t in plan.topics if t.month == (year, month)), None)


def occasions_between(plan: Plan, window: Span) -> list[tuple[date, Occasion]]:
    """Occasions that fall in the window and inside the plan's period."""
    period = plan.period.span
    out = []
    for o in plan.occasions:
        month, day_ = o.day
        for y in range(window.start.year, window.end.year + 1):
            try:
                d = date(y, month, day_)
            except ValueError:  # 29/2 in a common year
                continue
            if d in window and d in period:
                out.append((d, o))
    return sorted(out, key=lambda x: x[0])


def next_occasions(plan: Plan, today: date, limit: int = 3) -> list[tuple[date, Occasion]]:
    window = Span(today, max(today, plan.period.span.end))
    return occasions_between(plan, window)[:limit]
