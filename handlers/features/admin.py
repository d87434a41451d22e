"""/tinhhinh: what upper-level staff see — the plans in their scope, and for one plan each
deadline: how many cells marked it done, which have not, the days left; the cells that never set
their meeting day; the chats that blocked the bot. From there: the file (📥) and a nudge (🔔).

A committee's admin sees only the plans their committee owns and the chats following them
(handlers/scope.py); a global admin (CHIBO_ADMINS) sees everything.
"""

from __future__ import annotations

from handlers import labels
from handlers.button_data import Ref
from handlers.buttons import ExportStatus, Nudge, ShowStatus
from handlers.feature import Feature, Permission, Turn
from handlers.scope import Scope
from handlers.status import PlanStatus, detail_text, overview_line, plan_status
from handlers.types import Button, Reply
from schedules import vi_format
from schedules.model import Plan

feature = Feature("admin")

WINDOW_DAYS = 45  # deadlines this far back and ahead are shown
MOST_NUDGES = 4  # nudge buttons under one status (the rest: /nhacviec)


def scope(turn: Turn) -> Scope:
    """The asking admin's scope (the BOT_ADMIN permission made sure there is one)."""
    return turn.conversation.scope_of(turn.msg.user) or Scope()


def pressed_plan(turn: Turn) -> Plan | Reply:
    """The plan a pressed admin button names, if it still exists and is in the user's scope;
    else the answer that says why not."""
    plan_id = turn.press.plan.pick(turn.catalog.plans)
    if plan_id is None:
        return Reply("Nút này đã cũ: kế hoạch không còn trong danh mục.")
    return in_scope(turn, plan_id)


def in_scope(turn: Turn, plan_id: str) -> Plan | Reply:
    """The plan an admin named, or the reason they may not have it."""
    plan_id = plan_id.strip().lower()
    mine = scope(turn)
    plan = turn.catalog.get(plan_id)
    if plan is not None and mine.covers_id(plan.id, turn.catalog):
        return plan
    ids = ", ".join(p.id for p in mine.plans(turn.catalog)) or "chưa có"
    if plan is None:
        return Reply(f"Không có kế hoạch “{plan_id[:60]}”. Kế hoạch đồng chí quản lý: {ids}.")
    return Reply(
        f"Kế hoạch “{plan.id}” không thuộc phạm vi quản lý của đồng chí ({mine.name}). "
        f"Kế hoạch đồng chí quản lý: {ids}."
    )


def status_of(turn: Turn, plan: Plan) -> PlanStatus:
    chats = scope(turn).chats(turn.store.all(), turn.catalog, plan.id)
    return plan_status(plan, chats)


def detail(turn: Turn, plan: Plan) -> Reply:
    status = status_of(turn, plan)
    text = detail_text(status, turn.today, WINDOW_DAYS)
    rows: list[tuple[Button, ...]] = [(ExportStatus(Ref(plan.id)).button("📥 Xuất bảng"),)]
    open_ = [
        d
        for d in status.near(turn.today, WINDOW_DAYS)
        if d.missing and (d.due.last_day is None or d.due.last_day >= turn.today)
    ]
    shown = open_[:MOST_NUDGES]
    names = labels.distinct([d.due.title for d in shown], turn.msg.platform)
    for d, name in zip(shown, names, strict=True):
        rows.append((Nudge(Ref(plan.id), Ref(d.due.item_id)).button(f"🔔 Nhắc: {name}"),))
    return Reply(text).with_buttons(*rows)


@feature.command(
    "tinhhinh",
    description="Tình hình các chi bộ (cán bộ cấp trên)",
    hint="",
    permission=Permission.BOT_ADMIN,
)
async def status(turn: Turn) -> list[Reply]:
    if turn.args:
        found = in_scope(turn, turn.args.split()[0])
        return [found if isinstance(found, Reply) else detail(turn, found)]
    mine = scope(turn)
    plans = mine.plans(turn.catalog)
    subs = mine.chats(turn.store.all(), turn.catalog)
    who = f" — {mine.name}" if mine.name else ""
    lines = [f"📊 Tình hình ngày {vi_format.full(turn.today)}{who}:"]
    followed = []
    for plan in plans:
        st = plan_status(plan, subs)
        if st.following or st.blocked:
            followed.append(plan)
            lines.append(overview_line(st, turn.today, WINDOW_DAYS))
    if not followed:
        lines.append("Chưa có chat nào đăng ký kế hoạch đồng chí quản lý.")
    blocked = [s for s in subs if not s.active]
    if blocked:
        lines.append(f"\n{len(blocked)} chat đã chặn hoặc xóa bot (không gửi nữa).")
    notes = turn.conversation.channel_notes()
    if notes:
        lines.append("\n" + "\n".join(notes))
    if followed:
        lines.append("\nChọn một kế hoạch để xem từng hạn, xuất bảng, nhắc việc:")
    rows = [(ShowStatus(Ref(p.id)).button(f"📊 {p.short_name}"),) for p in followed]
    return [Reply("\n".join(lines)).with_buttons(*rows)]


@feature.button(ShowStatus, permission=Permission.BOT_ADMIN)
async def status_pressed(turn: Turn) -> list[Reply]:
    found = pressed_plan(turn)
    return [found if isinstance(found, Reply) else detail(turn, found)]
