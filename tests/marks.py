"""Marks “Đã hoàn thành” for tests that start from a chat with some duties already done."""

from __future__ import annotations

from datetime import datetime

from handlers.marks import Done
from schedules.plan_calendar import ItemRef


def marked(plan_id: str, item_id: str, by: str, at: str, user_id: str | None = None) -> dict:
    """One mark as Subscription.done holds it; join several with `|`."""
    item = ItemRef(plan_id, item_id)
    return {item: Done(item, by, datetime.fromisoformat(at), user_id)}
