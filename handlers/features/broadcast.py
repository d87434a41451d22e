"""/thongbao: upper-level staff send an announcement to every chat, or to one plan's chats."""

from __future__ import annotations

from handlers.feature import Feature, Permission, Turn
from handlers.types import Reply

feature = Feature("broadcast")


@feature.command(
    "thongbao",
    description="Gửi thông báo tới các chat (cán bộ cấp trên)",
    permission=Permission.BOT_ADMIN,
)
async def announce(turn: Turn) -> list[Reply]:
    rest = turn.args
    target = rest.split(" ", 1)
    plan_id = target[0].lower() if target and turn.catalog.get(target[0].lower()) else None
    text = target[1].strip() if plan_id and len(target) > 1 else rest.strip()
    if not text:
        return [
            Reply(
                "Gõ /thongbao [id kế hoạch] nội dung. Ví dụ: /thongbao tra-vinh-60-2022 Họp giao ban "
                "lúc 8h thứ Hai."
            )
        ]
    chats = [
        s
        for s in turn.store.all()
        if s.active and s.plan_ids and (not plan_id or plan_id in s.plan_ids)
    ]
    if not chats:
        return [
            Reply("Không có chat nào đang theo" + (f" {plan_id}." if plan_id else " kế hoạch nào."))
        ]
    broadcast = turn.conversation.broadcaster
    if broadcast is None:
        return [Reply("Chưa gửi được: bot chưa nối với kênh gửi tin.")]
    count = await broadcast(chats, Reply(f"📣 Thông báo của cấp trên:\n{text}"))
    where = f" theo {plan_id}." if plan_id else "."
    return [Reply(f"Đã xếp hàng gửi thông báo tới {count} chat{where}")]
