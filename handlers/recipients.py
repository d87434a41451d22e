"""A chat as the planner sees it (schedules.pushes.Recipient): what it follows, its cell, its
hours, what it marked done, its pause and snoozes — made from its Subscription."""

from __future__ import annotations

from datetime import datetime

from handlers import cells
from handlers.state import Subscription
from schedules.pushes import Recipient


def recipients_of(sub: Subscription) -> list[Recipient]:
    """What the planner computes for a chat: the chat itself, or for a committee's group each
    roster cell as a chat of one cell would be (its key `cells.member_key`); the scheduler
    composes a group's pushes of one minute into one message (push_messages.committee)."""
    if not sub.roster:
        return [recipient_of(sub)]
    return [recipient_of(cells.as_chat(sub, c), cells.member_key(sub, c)) for c in sub.roster]


def recipient_of(sub: Subscription, key: str | None = None) -> Recipient:
    since = datetime.fromisoformat(sub.created_at) if sub.created_at else None
    return Recipient(
        key or sub.key,
        sub.plan_ids,
        sub.cell(),
        sub.meeting_rule,
        sub.meeting_days,
        sub.reminder_at,
        sub.lead_days,
        frozenset(sub.done),
        since,
        sub.pause,
        sub.snoozes,
    )


class Recipients:
    """recipient_of, remembered while a chat's Subscription object stays the same (the store
    replaces the object on every change), so a tick over every chat converts only what changed."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[Subscription, list[Recipient]]] = {}

    def of(self, subs: list[Subscription]) -> list[Recipient]:
        out = []
        for sub in subs:
            hit = self._cache.get(sub.key)
            if hit is None or hit[0] is not sub:
                hit = (sub, recipients_of(sub))
                self._cache[sub.key] = hit
            out += hit[1]
        return out
