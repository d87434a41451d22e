"""Spans of days: a month, a quarter, a year, or "until 2030". A milestone without a day is one of these."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from schedules import vi_format


@dataclass(frozen=True, order=True)
class Span:
    start: date
    end: date  # inclusive
    label: str = ""

    def __contains__(self, d: date) -> bool:
        return self.start <= d <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end

    def days(self) -> int:
        return (self.end - self.start).days + 1

    def text(self) -> str:
        if self.label:
            return self.label
        if self.start == self.end:
            return vi_format.day(self.start)
        return f"{vi_format.day(self.start)}–{vi_format.day(self.end)}"


def month_span(year: int, month: int) -> Span:
    last = calendar.monthrange(year, month)[1]
    return Span(date(year, month, 1), date(year, month, last), f"tháng {month}/{year}")


def quarter_span(year: int, q: int) -> Span:
    first = 3 * (q - 1) + 1
    s = month_span(year, first)
    e = month_span(year, first + 2)
    return Span(s.start, e.end, f"quý {vi_format.ROMAN[q]}/{year}")


def half_span(year: int, h: int) -> Span:
    s, e = (1, 6) if h == 1 else (7, 12)
    label = f"6 tháng đầu năm {year}" if h == 1 else f"6 tháng cuối năm {year}"
    return Span(month_span(year, s).start, month_span(year, e).end, label)


def year_span(year: int) -> Span:
    return Span(date(year, 1, 1), date(year, 12, 31), f"năm {year}")


def week_span(d: date) -> Span:
    monday = d - timedelta(days=d.weekday())
    return Span(monday, monday + timedelta(days=6))


def months_in(span: Span) -> list[tuple[int, int]]:
    out, y, m = [], span.start.year, span.start.month
    while (y, m) <= (span.end.year, span.end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


_SPEC = re.compile(
    r"^(?:(?P<until>\.\.)(?P<uy>\d{4})"
    r"|Q(?P<q>[1-4])/(?P<qy>\d{4})"
    r"|H(?P<h>[12])/(?P<hy>\d{4})"
    r"|(?P<m>\d{1,2})/(?P<my>\d{4})"
    r"|(?P<y>\d{4}))$"
)


def parse_spec(spec: str, since: date | None = None) -> Span:
    """Parse a plan's period spec: "2023", "6/2022", "Q2/2022", "H1/2022", "..2030" (đến năm 2030).

    Raises ValueError with a Vietnamese message, because plan authors read it.
    """
    m = _SPEC.match(spec.strip())
    if not m:
        raise ValueError(
            f"không hiểu mốc thời gian “{spec}” (viết: 2023, 6/2022, Q2/2022, H1/2022 hoặc ..2030)"
        )
    if m["until"]:
        y = int(m["uy"])
        start = since or date(y, 1, 1)
        return Span(start, date(y, 12, 31), f"đến năm {y}")
    if m["q"]:
        return quarter_span(int(m["qy"]), int(m["q"]))
    if m["h"]:
        return half_span(int(m["hy"]), int(m["h"]))
    if m["m"]:
        month = int(m["m"])
        if not 1 <= month <= 12:
            raise ValueError(f"tháng không tồn tại: “{spec}”")
        return month_span(int(m["my"]), month)
    return year_span(int(m["y"]))
