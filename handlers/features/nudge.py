"""/nhacviec: remind, once, the cells that have not marked a deadline done.

Each chat in the admin's scope that reaches a cell that has not marked the deadline gets one
message with the ✅ button (a committee's group one message naming its cells not done), through
its channel's outbox (so the rate limits and Zalo's monthly allowance hold). The nudge is
remembered: a second one for the same deadline says when the first went out, and sends nothing.
"""

from __future__ import annotations

from handlers import labels
from handlers.button_data import Ref
from handlers.buttons import MarkDone, Nudge
from handlers.feature import Feature, Permission, Turn
from handlers.features.admin import in_scope, pressed_plan, status_of
from handlers.marks import stamp
from handlers.state import Subscription
from handlers.status import DeadlineStatus, Mark, names
from handlers.types import Reply
from schedules import vi_format
from schedules.model import Plan

feature = Feature("nudge")


def memory_key(plan_id: str, item_id: str) -> str:
    return f"nudged:{plan_id}|{item_id}"


def _choices(turn: Turn, plan: Plan) -> Reply:
    status = status_of(turn, plan)
    open_ = [
        d
        for d in status.deadlines
        if d.missing and (d.due.last_day is None or d.due.last_day >= turn.today)
    ]
    if not open_:
        return Reply(f"Không còn việc nào của {plan.short_name} có chi bộ chưa hoàn thành.")
    names = labels.distinct([d.due.title for d in open_[:8]], turn.msg.platform)
    rows = [
        (Nudge(Ref(plan.id), Ref(d.due.item_id)).button(f"🔔 {name}"),)
        for d, name in zip(open_[:8], names, strict=True)
    ]
    lines = [f"Nhắc việc nào của {plan.short_name}? (mỗi việc nhắc một lần)"]
    lines += [f"• {d.due.item_id}: {d.due.title} — {len(d.missing)} chat chưa xong" for d in open_]
    return Reply("\n".join(lines)).with_buttons(*rows)


async def _nudge(turn: Turn, plan: Plan, item: str | Ref) -> Reply:
    status = status_of(turn, plan)
    ref = item if isinstance(item, Ref) else Ref(item.strip())
    deadline = next((d for d in status.deadlines if ref.matches(d.due.item_id)), None)
    if deadline is None:
        return Reply(
            f"Không có việc “{ref.text[:60]}” trong {plan.short_name}. "
            f"Gõ /nhacviec {plan.id} để chọn."
        )
    title = deadline.due.title
    key = memory_key(plan.id, deadline.due.item_id)
    earlier = turn.store.runtime(key)
    if earlier:
        return Reply(
            f"Việc “{title}” đã được nhắc lúc {earlier['when']} ({earlier['count']} chat, do "
            f"{earlier['by']} gửi). Mỗi việc chỉ nhắc một lần."
        )
    missing = deadline.missing
    if not missing:
        return Reply(f"Mọi chi bộ theo {plan.short_name} đã hoàn thành “{title}”.")
    broadcast = turn.conversation.broadcaster
    if broadcast is None:
        return Reply("Chưa gửi được: bot chưa nối với kênh gửi tin.")
    owners = turn.conversation.committees.owners(plan)
    sender = owners[0].name if owners else "Cấp trên"
    who = turn.msg.user_name or turn.msg.user_id
    sent = {"at": stamp(turn.now), "when": vi_format.moment(turn.now), "by": who, "count": 0}
    await turn.store.set_runtime(key, sent)  # remembered before sending: once, even across a crash
    button = MarkDone(Ref(plan.id), Ref(deadline.due.item_id)).button("✅ Đã hoàn thành")
    # Every chat that reaches a cell not done is nudged: its secretary's own chat, its group, and
    # each committee group naming it — there, one message naming all its cells not done.
    # A deadline may fall on a day of each cell's own: one text per day, each chat once.
    by_when: dict[str, dict[str, Subscription]] = {}
    in_groups: dict[str, tuple[Subscription, list[Mark]]] = {}
    for mark in missing:
        when = DeadlineStatus(mark.due).when(turn.today)
        for chat in status.via(mark.sub):
            if chat.roster:
                in_groups.setdefault(chat.key, (chat, []))[1].append(mark)
            else:
                by_when.setdefault(when, {})[chat.key] = chat
    count = 0
    for when, chats in by_when.items():
        text = (
            f"🔔 {sender} nhắc: việc “{title}” ({when}) của {plan.short_name} chưa được đánh dấu "
            "hoàn thành. Xong rồi xin bấm ✅ Đã hoàn thành."
        )
        count += await broadcast(list(chats.values()), Reply(text).with_buttons((button,)))
    for group, marks in in_groups.values():
        whens = {DeadlineStatus(m.due).when(turn.today) for m in marks}
        when = f" ({whens.pop()})" if len(whens) == 1 else ""
        text = (
            f"🔔 {sender} nhắc: việc “{title}”{when} của {plan.short_name} — "
            f"{len(marks)} chi bộ chưa đánh dấu hoàn thành: {names([m.sub for m in marks], 20)}. "
            "Chi bộ nào xong rồi xin bấm ✅ Đã hoàn thành và chọn tên chi bộ."
        )
        count += await broadcast([group], Reply(text).with_buttons((button,)))
    await turn.store.set_runtime(key, {**sent, "count": count})
    return Reply(
        f"🔔 Đã xếp hàng nhắc {count} chat chưa hoàn thành “{title}”: "
        f"{names([m.sub for m in missing])}."
    )


@feature.command(
    "nhacviec",
    description="Nhắc các chi bộ chưa hoàn thành một việc (cán bộ cấp trên)",
    permission=Permission.BOT_ADMIN,
)
async def nudge_command(turn: Turn) -> list[Reply]:
    parts = turn.args.split()
    if not parts:
        return [Reply("Gõ /nhacviec <id kế hoạch> [mã việc], hoặc chọn từ /tinhhinh.")]
    found = in_scope(turn, parts[0])
    if isinstance(found, Reply):
        return [found]
    return [await _nudge(turn, found, parts[1]) if len(parts) > 1 else _choices(turn, found)]


@feature.button(Nudge, permission=Permission.BOT_ADMIN)
async def nudge_pressed(turn: Turn) -> list[Reply]:
    found = pressed_plan(turn)
    return [found if isinstance(found, Reply) else await _nudge(turn, found, turn.press.item)]
