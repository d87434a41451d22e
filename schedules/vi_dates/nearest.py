"""Calendar arithmetic for what is left unsaid: the year of a day or month named without one (the
nearest, within six months), months added, and the thirds (đầu/giữa/cuối) of a period."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from schedules import spans
from schedules.spans import Span
from schedules.vi_dates.results import DateError

T = TypeVar("T")


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def month_shift(ym: tuple[int, int], n: int) -> tuple[int, int]:
    d = add_months(date(ym[0], ym[1], 1), n)
    return d.year, d.month


def _nearest(candidates: Sequence[tuple[int, T]], key_today: int) -> T:
    """Pick the candidate nearest today; ties go to the current year (listed in the middle)."""
    return min(candidates, key=lambda c: (abs(c[0] - key_today), c is not candidates[1]))[1]


def make_day(y: int, m: int, d: int) -> date:
    if not 1 <= m <= 12:
        raise DateError(f"không có tháng {m}")
    try:
        return date(y, m, d)
    except ValueError:
        raise DateError(f"ngày {d}/{m}/{y} không tồn tại") from None


def day_near(today: date, d: int, m: int) -> date:
    if not 1 <= m <= 12:
        raise DateError(f"không có tháng {m}")
    if not 1 <= d <= 31 or d > calendar.monthrange(2024, m)[1]:
        raise DateError(f"ngày {d}/{m} không tồn tại")
    if (d, m) == (29, 2):
        # Choose the year as for the day after 28/2, then move on to a leap year: a past 29/2 is
        # named only within the usual six months, never years back (asked in 2025 → 2028).
        year = day_near(today, 28, 2).year
        while not calendar.isleap(year):
            year += 1
        return date(year, 2, 29)
    cands = [
        ((date(y, m, d) - today).days, date(y, m, d)) for y in range(today.year - 1, today.year + 2)
    ]
    return _nearest(cands, 0)


def month_near(today: date, m: int) -> tuple[int, int]:
    if not 1 <= m <= 12:
        raise DateError(f"không có tháng {m}")
    now = today.year * 12 + today.month
    cands = [(y * 12 + m, (y, m)) for y in (today.year - 1, today.year, today.year + 1)]
    return _nearest(cands, now)


def quarter_near(today: date, q: int) -> tuple[int, int]:
    now = today.year * 4 + (today.month - 1) // 3
    cands = [(y * 4 + q - 1, (y, q)) for y in (today.year - 1, today.year, today.year + 1)]
    return _nearest(cands, now)


def third_of(span: Span, unit: str, third: int) -> Span:
    word = ("đầu", "giữa", "cuối")[third]
    if unit == "thang":
        last = span.end.day
        bounds = ((1, 10), (11, 20), (21, last))[third]
        s = span.start.replace(day=bounds[0])
        e = span.start.replace(day=bounds[1])
    elif unit == "quy":
        m = spans.month_span(span.start.year, span.start.month + third)
        s, e = m.start, m.end
    else:
        y = span.start.year
        s, e = (
            (date(y, 1, 1), date(y, 3, 31)),
            (date(y, 6, 1), date(y, 7, 31)),
            (date(y, 10, 1), date(y, 12, 31)),
        )[third]
    return Span(s, e, f"{word} {span.label}")
