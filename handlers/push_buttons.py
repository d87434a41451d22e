"""The buttons under a push: ✅ Đã hoàn thành for a duty, and the 💤 row to send it again."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from handlers.button_data import Ref
from handlers.buttons import MarkDone, SnoozePush
from handlers.types import Button, Reply
from schedules.pushes import Push, PushKind


def done_button(push: Push) -> Button:
    return _done_button(push.plan_id, push.item_id)


@lru_cache(maxsize=4096)  # a busy tick shows one plan item's button to thousands of chats
def _done_button(plan_id: str, item_id: str) -> Button:
    return MarkDone(Ref(plan_id), Ref(item_id)).button("✅ Đã hoàn thành")


SNOOZES = (("hour", "💤 1 giờ"), ("day", "💤 Ngày mai"), ("week", "💤 Tuần sau"))
# Announcements, not reminders of a day to come: the month's topics (pinned in groups) and the
# catch-up after a pause carry no 💤 row of their own.
UNSNOOZED = (PushKind.TOPICS, PushKind.CATCHUP)


def with_snooze(reply: Reply, pushes: list[Push]) -> Reply:
    """The message's last row: send it again in 1 hour, tomorrow, next week. A message gathering
    reminders first sent at different minutes (a downtime summary) has none, nor one holding only
    announcements."""
    firsts = {p.first_at for p in pushes}
    if len(firsts) != 1 or all(p.kind in UNSNOOZED for p in pushes):
        return reply
    return replace(reply, buttons=(*reply.buttons, _snooze_row(firsts.pop())))


@lru_cache(maxsize=256)  # the same row for every chat pushed at that minute
def _snooze_row(of: datetime) -> tuple[Button, ...]:
    minute = of.strftime(SnoozePush.MINUTE)
    return tuple(SnoozePush(until, minute).button(label) for until, label in SNOOZES)
