"""The one place that reads the real clock; everything below bot/ is handed the time."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return datetime.now(TZ)


def parse_moment(text: str) -> datetime:
    """ "2022-07-05" or "2022-07-05T08:00" → an aware datetime in Asia/Ho_Chi_Minh."""
    text = text.strip()
    if "T" in text or " " in text:
        value = datetime.fromisoformat(text.replace(" ", "T"))
    else:
        value = datetime.combine(date.fromisoformat(text), datetime.min.time())
    if value.tzinfo is None:
        return value.replace(tzinfo=TZ)
    try:
        return value.astimezone(TZ)
    except OverflowError:  # 9999-12-31T23:59-05:00 is past the last day Python can hold here
        raise ValueError(f"thời điểm ngoài phạm vi: {text}") from None


class Clock:
    """The real clock, or a rehearsal clock that starts at a chosen moment and runs from there.

    `advance_to` jumps forward (the console's /tua); it never goes back.
    """

    def __init__(
        self, start: datetime | None = None, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._monotonic = monotonic
        self._anchor = (start, monotonic()) if start is not None else None

    @property
    def simulated(self) -> bool:
        return self._anchor is not None

    def now(self) -> datetime:
        if self._anchor is None:
            return now()
        start, t0 = self._anchor
        return start + timedelta(seconds=self._monotonic() - t0)

    def advance_to(self, moment: datetime) -> None:
        if moment > self.now():
            self._anchor = (moment, self._monotonic())
