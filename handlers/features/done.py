"""✅ Đã hoàn thành under a reminder: who pressed it and when is kept, and the reminders stop."""

from __future__ import annotations

import re

from handlers.buttons import MarkDone
from handlers.feature import Feature, Permission, Turn
from handlers.marks import Done
from handlers.types import Reply
from schedules import plan_calendar
from schedules.vi_text import fold

feature = Feature("done")


@feature.button(MarkDone, permission=Permission.SUBSCRIBER)
async def mark_done(turn: Turn) -> list[Reply]:
    sub, press = turn.sub, turn.press
    plan_id = press.plan.pick(sub.plan_ids) if sub else None
    plan = turn.catalog.get(plan_id) if plan_id else None
    if not sub or plan is None:
        return [Reply("Nút này đã cũ: chat không còn theo kế hoạch này.")]
    due = next(
        (d for d in plan_calendar.dues(plan, sub.cell()) if press.item.matches(d.item_id)), None
    )
    if due is None:
        return [Reply("Nút này đã cũ: việc này không còn trong kế hoạch.")]
    marked = sub.done.get(due.ref)
    if marked:
        return [
            Reply(f"Việc “{due.title}” đã được {marked.by} đánh dấu hoàn thành lúc {marked.when}.")
        ]
    mark = Done(due.ref, turn.msg.user_name or turn.msg.user_id, turn.now, turn.msg.user_id)
    await turn.store.save(sub.with_done(mark))
    return [
        Reply(
            f"✅ Cảm ơn đồng chí{_name(mark.by)}! Đã ghi nhận hoàn thành “{due.title}” lúc "
            f"{mark.when}. "
            "Tôi sẽ không nhắc việc này nữa."
        )
    ]


# What a channel calls a user it knows no name for ("Bạn" in the console, "Đồng chí 501"): no name
_NO_NAME = re.compile(r"^(?:ban|user|nguoi dung|dong chi(?: \d+)?|\d+)$")


def _name(by: str) -> str:
    """ " Nguyễn Văn A" after "đồng chí"; nothing for a placeholder ("Cảm ơn đồng chí Bạn")."""
    return "" if _NO_NAME.match(fold(by).strip()) else f" {by}"
