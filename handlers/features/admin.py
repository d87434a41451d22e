"""/tinhhinh: what upper-level staff see — which cells follow which plan, who has done what."""

from __future__ import annotations

from datetime import date

from handlers.feature import Feature, Permission, Turn
from handlers.state import Subscription
from handlers.types import Reply
from schedules import plan_calendar, vi_format
from schedules.catalog import Catalog

feature = Feature("admin")

WINDOW_DAYS = 45  # deadlines this far back and ahead are shown


def _name(sub: Subscription) -> str:
    return sub.cell_name or sub.title or f"chat {sub.chat_id}"


def status_text(catalog: Catalog, subs: list[Subscription], today: date, limit: int = 8) -> str:
    lines = [f"📊 Tình hình ngày {vi_format.full(today)}:"]
    for plan in catalog.sorted():
        followers = [s for s in subs if plan.id in s.plan_ids and s.active]
        if not followers:
            continue
        groups = sum(1 for s in followers if s.is_group)
        lines.append(f"\n• {plan.short_name}: {len(followers)} chat đang theo ({groups} nhóm).")
        shown = 0
        for due in plan_calendar.dues(plan, plan_calendar.Cell()):
            when = due.last_day or due.span.end  # type: ignore[union-attr]
            if abs((when - today).days) > WINDOW_DAYS or shown >= limit:
                continue
            shown += 1
            done = [s for s in followers if f"{plan.id}|{due.item_id}" in s.done]
            missing = [_name(s) for s in followers if s not in done]
            deadline = vi_format.day(due.before) if due.before else due.wording
            line = f"  – {due.title} ({deadline}): {len(done)}/{len(followers)} đã hoàn thành"
            if missing:
                more = f" và {len(missing) - 5} chi bộ khác" if len(missing) > 5 else ""
                line += f"; chưa: {', '.join(missing[:5])}{more}"
            lines.append(line + ".")
    if len(lines) == 1:
        lines.append("Chưa có chat nào đăng ký.")
    inactive = [s for s in subs if not s.active and s.plan_ids]
    if inactive:
        lines.append(f"\n{len(inactive)} chat đã chặn hoặc xóa bot (không gửi nữa).")
    return "\n".join(lines)


@feature.command(
    "tinhhinh",
    description="Tình hình các chi bộ (cán bộ cấp trên)",
    permission=Permission.BOT_ADMIN,
)
async def status(turn: Turn) -> list[Reply]:
    text = status_text(turn.catalog, turn.store.all(), turn.today)
    notes = turn.conversation.channel_notes()
    return [Reply(text + ("\n\n" + "\n".join(notes) if notes else ""))]
