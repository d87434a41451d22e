"""✅ Đã hoàn thành under a reminder: who pressed it and when is kept, and the reminders stop."""

from __future__ import annotations

from handlers.buttons import MarkDone
from handlers.feature import Feature, Permission, Turn
from handlers.state import stamp
from handlers.types import Reply
from schedules import plan_calendar, vi_format

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
    key = f"{plan.id}|{due.item_id}"
    if key in sub.done:
        rec = sub.done[key]
        return [
            Reply(f"Việc “{due.title}” đã được {rec['by']} đánh dấu hoàn thành lúc {rec['when']}.")
        ]
    who = turn.msg.user_name or turn.msg.user_id
    when = vi_format.moment(turn.now)
    record = {"by": who, "user_id": turn.msg.user_id, "at": stamp(turn.now), "when": when}
    await turn.store.save(sub.but(done={**sub.done, key: record}))
    return [
        Reply(
            f"✅ Cảm ơn đồng chí {who}! Đã ghi nhận hoàn thành “{due.title}” lúc {when}. "
            "Tôi sẽ không nhắc việc này nữa."
        )
    ]
