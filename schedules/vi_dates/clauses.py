"""Reading a whole message: the time first, then every rule in priority order, each consuming
what it matches; then the phrases found are put together into one answer: a day and its weekday
checked against each other, a day and its month merged, "trước ngày X" turned into its last day,
a date said not to be meant dropped, two different dates refused."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from schedules import spans, vi_format

# The rules register themselves in grammar.RULES when their modules are imported.
from schedules.vi_dates import days, periods, relative  # noqa: F401
from schedules.vi_dates.clock import extract_time
from schedules.vi_dates.grammar import RULES
from schedules.vi_dates.nearest import make_day
from schedules.vi_dates.results import DateError, NotUnderstood, When, day
from schedules.vi_dates.words import Ctx, V, alt, blank, prepare

REACH_YEARS = 200  # far enough for any history a plan cites (Bác Hồ born 1890, the Party 1930)


@dataclass(frozen=True)
class Found:
    when: When
    start: int
    end: int
    rule: str


def _scan(ctx: Ctx) -> tuple[list[Found], str]:
    """Apply the rules in order, consuming what each matches. Returns matches and leftover text."""
    text = ctx.folded
    found: list[Found] = []
    for name, rx, fn, _ in RULES:
        pos = 0
        while True:
            m = rx.search(text, pos)
            if not m or not m.group(0).strip():
                break
            when: When | None
            if name in ("before", "now"):
                when = When("day", ctx.today, ctx.today, label=name)
            else:
                when = fn(m, Ctx(ctx.orig, text, ctx.today))
            if when is None:
                pos = m.start() + 1
                continue
            _within_reach(when, ctx.today)
            found.append(Found(when, m.start(), m.end(), name))
            text = blank(text, m.start(), m.end())
            pos = m.end()
    return sorted(found, key=lambda f: f.start), text


def _within_reach(when: When, today: date) -> None:
    """Refuse a date more than REACH_YEARS from today: no plan is about year 9999, and every
    answer reckons a little beyond the date asked (the day after, the next year's period), which
    near the ends of the calendar (years 1 and 9999) does not exist."""
    for d in (when.start, when.end):
        if abs(d.year - today.year) > REACH_YEARS:
            raise DateError(
                f"năm {d.year} quá xa, tôi chỉ tra trong vòng {REACH_YEARS} năm quanh hôm nay"
            )


def _combine(found: list[Found], at: time | None, now: datetime) -> When | NotUnderstood:
    before = any(f.rule == "before" for f in found)
    if any(f.rule == "now" for f in found):
        return When("moment", now.date(), now.date(), at=time(now.hour, now.minute))
    dates = [f.when for f in found if f.rule not in ("before", "now")]
    if not dates:
        if at is None:
            return NotUnderstood("không thấy mốc thời gian nào")
        dates = [day(now.date())]
    explicit = [d for d in dates if d.weekday is None]
    weekdays = [d for d in dates if d.weekday is not None]
    if len(explicit) > 1 and len({(d.start, d.end) for d in explicit}) > 1:
        return NotUnderstood("có hai mốc thời gian khác nhau, xin nói một mốc thôi")
    when = explicit[0] if explicit else weekdays[0]
    for w in weekdays:
        wd = w.weekday
        if wd is not None and explicit and when.kind == "day" and when.start.weekday() != wd:
            return NotUnderstood(
                f"{vi_format.day(when.start)} là {vi_format.weekday(when.start)}, "
                f"không phải {vi_format.WEEKDAYS[wd]}"
            )
    when = replace(when, weekday=None)
    if before:
        if when.kind != "day" and when.kind != "span":
            return NotUnderstood("“trước ngày …” cần một ngày cụ thể")
        last = when.start - timedelta(days=1)
        return When("day", last, last, label=f"trước ngày {vi_format.day(when.start)}")
    if at is not None:
        if when.kind != "day":
            return NotUnderstood("giờ cần đi với một ngày cụ thể")
        return When("moment", when.start, when.start, at=at)
    return when


def _analyse(text: str, now: datetime) -> tuple[str, str, list[Found], time | None]:
    """Time first, then the date rules. Returns (original text, what no rule used, matches, time);
    raises DateError for an impossible date."""
    orig, folded = prepare(text)
    ctx = Ctx(orig, folded, now.date())
    at, cut = extract_time(ctx)
    if cut:
        ctx.folded = blank(ctx.folded, *cut)
    found, rest = _scan(ctx)
    return orig, rest, _day_in_month(_meant(found, ctx.folded)), at


NEGATED = re.compile(rf"\b(?:{alt(V.negations)}) *$")


def _meant(found: list[Found], folded: str) -> list[Found]:
    """Without the dates said not to be meant ("họp ngày 8, không phải ngày 5"), if one is left."""
    kept = [f for f in found if not NEGATED.search(folded[: f.start])]
    return kept if any(f.rule not in ("before", "now") for f in kept) else found


def _day_in_month(found: list[Found]) -> list[Found]:
    """A day and the month named apart are one day: "tháng này họp ngày 8" is the 8th of this
    month (the day alone would be the next 8th); "tháng 10 họp ngày 11/10" is 11/10."""
    said_days = [f for f in found if f.when.kind == "day" and f.when.weekday is None] or [
        f
        for f in found
        if f.when.kind == "day"  # "tháng 6 họp thứ 6 tuần sau"
    ]
    months = [
        f
        for f in found
        if f.rule == "month"
        and f.when.start.day == 1
        and f.when.end == spans.month_span(f.when.start.year, f.when.start.month).end
    ]
    if len(said_days) != 1 or len(months) != 1:
        return found
    (one_day,), (month,) = said_days, months
    first = month.when.start
    if one_day.rule == "day_of_month":
        when = day(make_day(first.year, first.month, one_day.when.start.day))
    elif first <= one_day.when.start <= month.when.end:
        when = one_day.when
    else:
        return found  # "tháng 7 … 3/8": two times indeed
    merged = Found(when, min(one_day.start, month.start), max(one_day.end, month.end), "dmy")
    rest = [f for f in found if f is not one_day and f is not month]
    return sorted([*rest, merged], key=lambda f: f.start)


# Part-of-day words without an hour ("sáng mai") keep the day only, so they may be left over.
FILLER_PHRASE_WORDS = {w for f in V.fillers for w in f.split()} | set(V.parts_of_day)


def parse(text: str, now: datetime) -> When | NotUnderstood:
    """The whole text as one date phrase. Words left over that are not fillers → NotUnderstood."""
    try:
        orig, rest, found, at = _analyse(text, now)
    except DateError as e:
        return NotUnderstood(str(e))
    leftover = [w for w in rest.split() if w not in V.fillers and w not in FILLER_PHRASE_WORDS]
    if leftover:
        words = " ".join(
            orig[m.start() : m.end()] for m in re.finditer(r"\S+", rest) if m[0] in leftover
        )
        return NotUnderstood(f"không hiểu “{words or ' '.join(leftover)}”")
    return _combine(found, at, now)


def find(text: str, now: datetime) -> When | NotUnderstood | None:
    """The date phrase inside a longer message (a question). None when it names no time."""
    try:
        _, _, found, at = _analyse(text, now)
    except DateError as e:
        return NotUnderstood(str(e))
    if not found and at is None:
        return None
    return _combine(found, at, now)


def find_all(text: str, now: datetime) -> list[tuple[str, When]]:
    """Every date phrase in the message with the rule that read it, for a caller that combines
    them ("19/5 năm nay", "tháng 5 với tháng 6"); [] for an impossible date."""
    try:
        _, _, found, _ = _analyse(text, now)
    except DateError:
        return []
    return [(f.rule, f.when) for f in found if f.rule not in ("before", "now")]
