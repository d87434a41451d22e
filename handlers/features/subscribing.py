"""Subscribing a chat to plans, and leaving them: /start, /kehoach, /dangky, /huy, the plan
buttons, and the bot's introduction when it joins a group."""

from __future__ import annotations

from datetime import datetime

from handlers import answers
from handlers.answers import other_plans
from handlers.button_data import Ref
from handlers.buttons import (
    ChoosePlan,
    ConfirmUnsubscribe,
    OpenSettings,
    Subscribe,
    Unsubscribe,
)
from handlers.feature import Feature, Permission, Turn
from handlers.features.common import QUICK, offer_plans, plan_rows
from handlers.intents import IntentName
from handlers.marks import stamp
from handlers.settings import clean_cell_name, missing, settings_for
from handlers.state import Pending, Store, Subscription
from handlers.types import Reply
from schedules import plan_calendar, vi_format
from schedules.catalog import Catalog
from schedules.model import Plan
from schedules.vi_text import fold

feature = Feature("subscribing")
CHAT_ADMIN = Permission.CHAT_ADMIN

INTRO = (
    "Xin chào cả nhóm! Tôi là Trợ lý Chi bộ: tôi nhắc chủ đề học tập hằng tháng, ngày họp chi bộ "
    "và các hạn báo cáo theo kế hoạch của cấp trên.\n"
    "Quản trị viên nhóm gõ /dangky để chọn kế hoạch. Trong nhóm, tôi chỉ trả lời lệnh, tin nhắc "
    "tên tôi hoặc tin trả lời tin của tôi."
)
SETTINGS_ROW = (OpenSettings().button("⚙️ Cài đặt"),)


async def introduce(store: Store, platform: str, chat_id: str, title: str, now: datetime):
    """Added to a group: introduce once, however often the platform repeats the event."""
    sub = store.get(platform, chat_id) or Subscription(
        platform, chat_id, is_group=True, title=title, created_at=stamp(now)
    )
    if sub.introduced and sub.active:
        return []
    await store.save(sub.but(introduced=True, active=True, title=title or sub.title))
    return [Reply(INTRO, ((ChoosePlan().button("📋 Chọn kế hoạch"),),))]


def _wish_for_another_plan(turn: Turn) -> list[Plan] | None:
    """ "theo dõi thêm kế hoạch Trà Vinh", "bật nhắc cho kế hoạch Thái Nguyên": a wish naming
    plans the chat does not follow (while no setting waits for its value)."""
    sub = turn.sub
    if not sub or not sub.plan_ids or (sub.pending and sub.pending.value is None):
        return None
    if len(turn.args) > 300 or not other_plans.is_wish(turn.args):
        return None
    named = other_plans.named_plans(turn.args, turn.catalog.sorted())
    if other_plans.own_document(turn.args, turn.plans(sub)):  # "49-KH/TU" listed in its own plan
        named = [p for p in named if other_plans.named_by_place(turn.args, p)]
    others = [p for p in named if p.id not in sub.plan_ids]
    return others or None


@feature.text(_wish_for_another_plan)
async def another_plan_wished(turn: Turn) -> list[Reply]:
    return [other_plans.not_followed_reply(turn.match)]


INVITE = "invite:"  # + a cell's invitation code → {"plan": id, "cell": name}: made on the web page


@feature.command("start", description="Bắt đầu, chọn kế hoạch")
async def start(turn: Turn) -> list[Reply]:
    # "/start CODE": a cell's invitation link (Telegram's ?start=CODE) or its code typed (Zalo)
    invited = turn.store.runtime(INVITE + turn.args.strip().upper()) if turn.args.strip() else None
    if isinstance(invited, dict) and invited.get("plan") in turn.catalog.plans:
        return await _add_plan(turn, turn.catalog.plans[invited["plan"]], invited.get("cell"))
    plans = turn.plans()
    if plans:
        names = ", ".join(p.short_name for p in plans)
        return [
            Reply(
                f"Chào đồng chí! Chat này đang theo kế hoạch: {names}.\n"
                + turn.conversation.command_help,
                (QUICK, SETTINGS_ROW),
            )
        ]
    hello = (
        "Chào đồng chí! Tôi là Trợ lý Chi bộ: tôi trả lời “tháng này học gì?”, “hạn nộp báo cáo "
        "khi nào?” và nhắc trước mỗi hạn, mỗi kỳ họp."
    )
    every = turn.catalog.sorted()
    ended = plan_calendar.Status.ENDED
    if every and all(plan_calendar.status(p, turn.today) is ended for p in every):
        # a year after every shipped plan: say so, and offer them as what they are
        rows = tuple(
            (Subscribe(Ref(p.id)).button(f"🗄 {p.short_name} (đã kết thúc)"),) for p in every
        )
        last = max(p.period.span.end for p in every)
        return [
            Reply(
                f"{hello}\nHiện chưa có kế hoạch nào đang thực hiện: mọi kế hoạch tôi có đều đã "
                f"kết thúc (muộn nhất {vi_format.month(last.year, last.month)}). Khi cấp trên ban "
                "hành kế hoạch mới, tôi sẽ có ở đây. Các kế hoạch đã qua, vẫn xem lại được:",
                rows,
            )
        ]
    return [offer_plans(turn, f"{hello}\nChọn kế hoạch cấp trên đã ban hành cho chi bộ:")]


@feature.command("kehoach", description="Các kế hoạch có sẵn", hint="các kế hoạch")
async def plan_list(turn: Turn) -> list[Reply]:
    lines = ["🗂 Các kế hoạch:"]
    for p in turn.catalog.sorted():
        status = plan_calendar.status(p, turn.today).value
        lines.append(f"• {p.short_name} ({p.id}): {status}, {answers.period_text(p)}.")
    lines.append("Đăng ký: bấm nút dưới đây hoặc gõ /dangky <id> [tên chi bộ].")
    return [offer_plans(turn, "\n".join(lines))]


@feature.command(
    "dangky", description="Đăng ký kế hoạch cho chat này", hint="đăng ký", permission=CHAT_ADMIN
)
@feature.intent(IntentName.SUBSCRIBE, permission=CHAT_ADMIN)
async def subscribe(turn: Turn) -> list[Reply]:
    plan_id, _, cell_name = (turn.args if turn.intent is None else "").partition(" ")
    if not plan_id:
        return [offer_plans(turn, "Chọn kế hoạch để đăng ký cho chat này:")]
    found = find_plans(turn.catalog, plan_id)
    if len(found) > 1:
        ids = ", ".join(p.id for p in found)
        return [offer_plans(turn, f"“{plan_id[:60]}” có thể là: {ids}. Gõ đủ mã, hoặc chọn:")]
    if not found:
        return [
            offer_plans(
                turn, f"Không có kế hoạch “{plan_id[:60]}”. Chọn một trong các kế hoạch sau:"
            )
        ]
    return await _add_plan(turn, found[0], clean_cell_name(cell_name))


def find_plans(catalog: Catalog, typed: str) -> list[Plan]:
    """The plan a typed id names: the exact id, else every plan whose id starts with what was
    typed ("kim-bang", "kim bang" → kim-bang-35-2022), accents and case aside."""
    key = "-".join(fold(typed).split())
    if not key:
        return []
    exact = catalog.get(key)
    if exact:
        return [exact]
    return [p for p in catalog.sorted() if p.id.startswith(key)]


@feature.button(ChoosePlan, permission=CHAT_ADMIN)
async def choose(turn: Turn) -> list[Reply]:
    return [offer_plans(turn, "Chọn kế hoạch để đăng ký cho chat này:")]


@feature.button(Subscribe, permission=CHAT_ADMIN)
async def subscribe_pressed(turn: Turn) -> list[Reply]:
    plan_id = turn.press.plan.pick(turn.catalog.plans)
    if plan_id is None:
        return [offer_plans(turn, "Kế hoạch trên nút này không còn. Chọn lại:")]
    return await _add_plan(turn, turn.catalog.plans[plan_id], None)


async def _add_plan(turn: Turn, plan: Plan, cell_name: str | None) -> list[Reply]:
    msg = turn.msg
    sub = turn.sub or Subscription(
        msg.platform,
        msg.chat_id,
        is_group=msg.is_group,
        title=msg.chat_title,
        created_by_id=msg.user_id,
        created_by_name=msg.user_name,
        created_at=stamp(turn.now),
    )
    already = plan.id in sub.plan_ids
    sub = sub.but(
        plan_ids=sub.plan_ids if already else (*sub.plan_ids, plan.id),
        active=True,
        cell_name=cell_name or sub.cell_name,
    )
    await turn.store.save(sub)
    head = (
        f"Chat này đã theo {plan.short_name} từ trước."
        if already
        else f"✅ Đã đăng ký {plan.short_name} cho {'nhóm' if msg.is_group else 'chat'} này."
    )
    lines = [head, f"{plan.title} — {answers.period_text(plan)}."]
    status = plan_calendar.status(plan, turn.today)
    if status is not plan_calendar.Status.RUNNING:
        lines.append(f"Lưu ý: kế hoạch {status.value}.")
    lines.append(f"Tôi sẽ nhắc lúc {vi_format.hour(sub.reminder_time)} trước mỗi hạn và kỳ họp.")
    plans = turn.plans(sub)
    todo = missing(sub, plans)
    first = next((s for s in settings_for(plans) if s.missing(sub, plans)), None)
    if not todo or first is None:
        return [Reply("\n".join(lines), (QUICK, SETTINGS_ROW))]
    lines.append("Để nhắc đúng cho chi bộ, xin cho biết: " + "; ".join(todo) + ".")
    # The next message answers this question: it is that setting, read back for ✅ Lưu, never a
    # question to be answered as if the day were already known.
    await turn.store.save(sub.but(pending=Pending(first.key, msg.user_id)))
    lines.append("\n" + first.prompt(plans) + " (Hoặc để sau: /caidat.)")
    return [Reply("\n".join(lines), (*first.presets(), QUICK, SETTINGS_ROW), force_reply=True)]


@feature.command("huy", description="Hủy đăng ký", hint="hủy", permission=CHAT_ADMIN)
@feature.intent(IntentName.UNSUBSCRIBE, permission=CHAT_ADMIN)
async def unsubscribe(turn: Turn) -> list[Reply]:
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return [Reply("Chat này chưa đăng ký kế hoạch nào.")]
    target = (turn.args if turn.intent is None else "").strip().lower()
    if target and target != Unsubscribe.ALL:
        found = [p.id for p in find_plans(turn.catalog, target) if p.id in sub.plan_ids]
        target = found[0] if len(found) == 1 else target
    if target:
        return await _remove(turn, sub, None if target == Unsubscribe.ALL else target)
    if len(sub.plan_ids) == 1:
        return await _remove(turn, sub, sub.plan_ids[0])
    rows = plan_rows(turn.catalog, Unsubscribe, list(sub.plan_ids))
    every = (Unsubscribe(None).button("Hủy tất cả"),)
    return [Reply("Hủy kế hoạch nào?", (*rows, every))]


@feature.button(Unsubscribe, ConfirmUnsubscribe, permission=CHAT_ADMIN)
async def unsubscribe_pressed(turn: Turn) -> list[Reply]:
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return [Reply("Chat này chưa đăng ký kế hoạch nào.")]
    plan: Ref | None = turn.press.plan
    sure = isinstance(turn.press, ConfirmUnsubscribe)
    if plan is None:
        return await _remove(turn, sub, None, sure)
    return await _remove(turn, sub, plan.pick(sub.plan_ids) or plan.text, sure)


async def _remove(
    turn: Turn, sub: Subscription, plan_id: str | None, sure: bool = False
) -> list[Reply]:
    """Stop following one plan, or all of them (None). Leaving the last plan ends every
    reminder of the chat, so that is asked first (ConfirmUnsubscribe)."""
    if plan_id is not None and plan_id not in sub.plan_ids:
        return [Reply(f"Chat này không theo kế hoạch “{plan_id[:60]}”.")]
    remaining = tuple(p for p in sub.plan_ids if plan_id is not None and p != plan_id)
    if not remaining and not sure:
        names = ", ".join(p.short_name for p in turn.plans(sub)) or ", ".join(sub.plan_ids)
        ok = ConfirmUnsubscribe(Ref(plan_id) if plan_id else None)
        return [
            Reply(
                f"Hủy {names} thì chat này không còn kế hoạch nào và tôi sẽ không nhắc gì nữa. "
                "Đồng chí chắc chắn muốn hủy? Nếu không, cứ bỏ qua tin này.",
                ((ok.button("✅ Đúng, hủy đăng ký"),),),
            )
        ]
    await turn.store.save(sub.but(plan_ids=remaining, pending=None))
    if remaining:
        return [Reply(f"Đã hủy. Chat này còn theo: {', '.join(remaining)}.")]
    return [
        Reply(
            "Đã hủy đăng ký. Tôi sẽ không nhắc nữa; cài đặt của chi bộ vẫn được giữ nếu "
            "đăng ký lại (/dangky)."
        )
    ]
