"""/xuatbang: the status of one plan as a file, one row per cell and deadline — done by whom and
when. A spreadsheet where the channel carries files; the channel shows the CSV form where it
does not (bot/channels/attachments.py)."""

from __future__ import annotations

from handlers import status_table
from handlers.buttons import ExportStatus
from handlers.feature import Feature, Permission, Turn
from handlers.features.admin import in_scope, pressed_plan, scope, status_of
from handlers.types import Reply
from schedules.model import Plan

feature = Feature("export")


def _file(turn: Turn, plan: Plan) -> Reply:
    status = status_of(turn, plan)
    table = status_table.rows(status)
    cells = len(status.following) + len(status.blocked)
    return Reply(
        f"📥 Bảng tình hình {plan.short_name}: {len(table)} dòng ({cells} chi bộ, "
        f"{len(status.deadlines)} hạn) — mỗi dòng một chi bộ và một hạn: đã hoàn thành chưa, "
        "ai đánh dấu, lúc nào, nhận tin qua những chat nào.",
        attachment=status_table.attachment(status, turn.now),
    )


@feature.command(
    "xuatbang",
    description="Xuất bảng tình hình một kế hoạch (cán bộ cấp trên)",
    permission=Permission.BOT_ADMIN,
)
async def export_command(turn: Turn) -> list[Reply]:
    if not turn.args:
        ids = ", ".join(p.id for p in scope(turn).plans(turn.catalog)) or "chưa có"
        return [Reply(f"Gõ /xuatbang <id kế hoạch>. Kế hoạch đồng chí quản lý: {ids}.")]
    found = in_scope(turn, turn.args.split()[0])
    return [found if isinstance(found, Reply) else _file(turn, found)]


@feature.button(ExportStatus, permission=Permission.BOT_ADMIN)
async def export_pressed(turn: Turn) -> list[Reply]:
    found = pressed_plan(turn)
    return [found if isinstance(found, Reply) else _file(turn, found)]
