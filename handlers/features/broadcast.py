"""/thongbao: upper-level staff send an announcement to the chats in their scope — all of them,
or one plan's. A committee's admin reaches only the chats following their committee's plans."""

from __future__ import annotations

from handlers.feature import Feature, Permission, Turn
from handlers.features.admin import in_scope, scope
from handlers.types import Reply

feature = Feature("broadcast")


@feature.command(
    "thongbao",
    description="Gửi thông báo tới các chat (cán bộ cấp trên)",
    permission=Permission.BOT_ADMIN,
)
async def announce(turn: Turn) -> list[Reply]:
    rest = turn.args
    first, _, after = rest.partition(" ")
    plan_id = first.lower() if first and turn.catalog.get(first.lower()) else None
    if plan_id:
        found = in_scope(turn, plan_id)
        if isinstance(found, Reply):
            return [found]  # another committee's plan: nothing is sent
    text = after.strip() if plan_id else rest.strip()
    if not text:
        return [
            Reply(
                "Gõ /thongbao [id kế hoạch] nội dung. Ví dụ: /thongbao tra-vinh-60-2022 Họp giao ban "
                "lúc 8h thứ Hai."
            )
        ]
    mine = scope(turn)
    chats = [s for s in mine.chats(turn.store.all(), turn.catalog, plan_id) if s.active]
    if not chats:
        return [
            Reply("Không có chat nào đang theo" + (f" {plan_id}." if plan_id else " kế hoạch nào."))
        ]
    broadcast = turn.conversation.broadcaster
    if broadcast is None:
        return [Reply("Chưa gửi được: bot chưa nối với kênh gửi tin.")]
    sender = f"📣 Thông báo của {mine.name}:" if mine.name else "📣 Thông báo của cấp trên:"
    count = await broadcast(chats, Reply(f"{sender}\n{text}"))
    where = f" theo {plan_id}." if plan_id else "."
    return [Reply(f"Đã xếp hàng gửi thông báo tới {count} chat{where}")]
