"""The one place that reads the real clock; everything below bot/ is handed the time."""

from __future__ import annotations

from datetime import date, datetime
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
    return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
