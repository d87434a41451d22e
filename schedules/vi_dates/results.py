"""What reading a date phrase gives: a day, a span or a moment (`When`), or a reason it was
refused (`NotUnderstood`); `DateError` is how a rule refuses an impossible date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from schedules import vi_format
from schedules.spans import Span


@dataclass(frozen=True)
class When:
    kind: Literal["day", "span", "moment"]
    start: date
    end: date
    at: time | None = None  # set for a moment only
    label: str = ""
    weekday: int | None = (
        None  # named by a weekday word ("thứ 6"): checked against a date beside it
    )

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.label)

    def iso(self) -> str:
        if self.kind == "moment" and self.at is not None:
            return f"{self.start.isoformat()}T{self.at.hour:02d}:{self.at.minute:02d}"
        if self.kind == "day":
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def text(self) -> str:
        if self.kind == "moment" and self.at is not None:
            return vi_format.moment(datetime.combine(self.start, self.at))
        if self.kind == "day":
            return vi_format.full(self.start)
        return self.label or self.span.text()


@dataclass(frozen=True)
class NotUnderstood:
    message: str


class DateError(ValueError):
    """An impossible date (31/2, tháng 13): refused, never rounded to a near one."""


def day(d: date) -> When:
    return When("day", d, d)


def span(s: Span) -> When:
    return When("span", s.start, s.end, label=s.label)
