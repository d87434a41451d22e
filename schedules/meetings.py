"""The cell's monthly meeting: its rule ("ngày 3 hằng tháng", "thứ 6 đầu tiên") and its dates.

Vietnam's public holidays, Tết included, come from the `holidays` package; a rule may move a meeting
that falls on a day off to the next working day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import holidays

from schedules import vi_dates, vi_format
from schedules.language import vocabulary


@dataclass(frozen=True, slots=True)
class MovedMeeting:
    """One month's meeting the cell moved to a day of its own ("14/6 mình họp chi bộ nhé"), at the
    hour it gave, if it gave one (else the rule's)."""

    day: date
    at: str | None = None  # "19:00"

    def iso(self) -> str:
        """As stored: "2022-06-14", or "2022-06-14T19:00" with an hour."""
        return self.day.isoformat() + (f"T{self.at}" if self.at else "")

    @classmethod
    def from_iso(cls, text: str) -> MovedMeeting:
        day, _, at = text.partition("T")
        return cls(date.fromisoformat(day), at or None)


@dataclass(frozen=True, slots=True)
class MeetingRule:
    """day: day of month; or weekday (0 = Monday) with nth (1..4, or -1 for the last one)."""

    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    shift_off_days: bool = True  # move to the next working day when the day is off
    at: str | None = None  # "19:30": meeting time, when the cell gave one

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeetingRule:
        return cls(**data)

    def describe(self) -> str:
        if self.day is not None:
            text = f"ngày {self.day} hằng tháng"
        else:
            which = (
                "cuối cùng"
                if self.nth == -1
                else ("đầu tiên" if self.nth == 1 else f"thứ {self.nth}")
            )
            text = f"{vi_format.WEEKDAYS[self.weekday or 0]} {which} của tháng"
        if self.at:
            text += f", lúc {vi_format.clock(self.at)}"
        if self.shift_off_days:
            text += f" ({self.off_days()} thì lùi sang ngày làm việc kế tiếp)"
        return text

    def off_days(self) -> str:
        """What can move the meeting: a weekday rule never lands on a weekend, so it names only
        holidays; a day of the month may fall on either."""
        if self.day is None and (self.weekday or 0) < 5:
            return "trùng ngày lễ"
        return "trùng thứ Bảy, Chủ nhật hoặc ngày lễ"


@cache
def _vn_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def is_day_off(d: date) -> bool:
    return d.weekday() >= 5 or d in _vn_holidays(d.year)


def next_working_day(d: date) -> date:
    while is_day_off(d):
        d += timedelta(days=1)
    return d


def meeting_in(rule: MeetingRule, year: int, month: int) -> date:
    last = calendar.monthrange(year, month)[1]
    if rule.day is not None:
        d = date(year, month, min(rule.day, last))
    else:
        wd = rule.weekday or 0
        if rule.nth == -1:
            d = date(year, month, last)
            d -= timedelta(days=(d.weekday() - wd) % 7)
        else:
            d = date(year, month, 1)
            d += timedelta(days=(wd - d.weekday()) % 7 + 7 * ((rule.nth or 1) - 1))
    return next_working_day(d) if rule.shift_off_days else d


def _alt(phrases: Iterable[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def parse_rule(text: str) -> MeetingRule | None:
    """ "ngày 3 hằng tháng", "mùng 5 hàng tháng lúc 19h30", "thứ 6 đầu tiên", "thứ 5 cuối tháng"."""
    taken = vi_dates.take_clock(text)  # the one time-of-day parser, time blanked from the rest
    if isinstance(taken, vi_dates.NotUnderstood):
        return None  # "25h", "7h75": a time that cannot be
    clock, t = taken
    at = clock.strftime("%H:%M") if clock else None
    words = vocabulary()
    shift = not re.search(rf"\b({_alt(words.meeting_no_shift)})\b", t)
    weekdays = words.weekdays
    m = re.search(rf"\b({_alt(weekdays)})\b(?:\s+(?:tuan\s+)?({_alt(words.meeting_nth)}))?", t)
    if m and re.search(r"\b(hang thang|hang|moi thang|cua thang|thang|dau tien|cuoi)\b", t):
        return MeetingRule(
            weekday=weekdays[m[1]],
            nth=words.meeting_nth.get(m[2] or "dau tien", 1),
            shift_off_days=shift,
            at=at,
        )
    m = re.search(r"\b(?:ngay|mung|mong)?\s*(\d{1,2})\s+(?:hang|moi)\s+thang\b", t) or re.search(
        r"\b(?:ngay|mung|mong)\s+(\d{1,2})\b(?!\s*[/.-]\d)", t
    )
    if m and 1 <= int(m[1]) <= 31:
        return MeetingRule(day=int(m[1]), shift_off_days=shift, at=at)
    return None
