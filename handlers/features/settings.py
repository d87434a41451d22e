"""Changing a chat's settings: /caidat, a setting's button, its value typed or pressed, then read
back in full and saved only on ✅ Lưu. The settings themselves are objects in handlers/settings/."""

from __future__ import annotations

from handlers import cells, settings
from handlers.button_data import Ref
from handlers.buttons import (
    CancelChange,
    ChangeSetting,
    OpenSettings,
    PresetValue,
    SaveChange,
)
from handlers.feature import Feature, Permission, Turn
from handlers.features.common import not_subscribed
from handlers.intents import IntentName
from handlers.router import route
from handlers.state import Pending, Subscription
from handlers.types import Reply
from schedules.vi_text import fold

feature = Feature("settings")
CHAT_ADMIN = Permission.CHAT_ADMIN

# What a prompt's answer may be routed as and still be taken for the value, not a question.
NOT_A_QUESTION = (IntentName.UNKNOWN, IntentName.PERIOD, IntentName.GREETING)


def _menu(sub: Subscription, turn: Turn, head: str = "") -> Reply:
    plans = turn.plans(sub)
    text = head + settings.summary(sub, plans, turn.today)
    return Reply(text + ("" if head else "\n\nChọn mục muốn đổi:"), settings.menu_buttons(plans))


@feature.command("caidat", description="Cài đặt: chi bộ, ngày họp, giờ nhắc", hint="cài đặt")
@feature.button(OpenSettings)
@feature.intent(IntentName.SETTINGS)
async def menu(turn: Turn) -> list[Reply]:
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return [not_subscribed(turn)]
    return [_menu(sub, turn)]


def _awaited(turn: Turn) -> Pending | None:
    """A prompt this user is to answer: a setting chosen, its value not given yet."""
    sub = turn.sub
    pending = sub.pending if sub else None
    if pending and pending.value is None and pending.user_id in (None, turn.msg.user_id):
        # "ngày họp: 15/9" names its own setting, whichever one was asked
        return None if settings.parse_assignment(turn.args) else pending
    return None


@feature.text(_awaited, permission=CHAT_ADMIN)
async def value_typed(turn: Turn) -> list[Reply]:
    return await _take_value(turn, turn.sub, turn.args)  # type: ignore[arg-type]


@feature.text(lambda turn: settings.parse_assignment(turn.args), permission=CHAT_ADMIN)
async def assignment(turn: Turn) -> list[Reply]:
    """ "ngày họp: 15/9": choose the setting and give its value in one message."""
    family, value_text = turn.match
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return [not_subscribed(turn)]
    of_family = [s for s in settings.settings_for(turn.plans(sub)) if s.family == family]
    if not of_family:  # only cell events can be absent: no plan of the chat has one
        return [Reply("Kế hoạch của chat này không có ngày nào chi bộ tự đặt.")]
    sub = sub.but(pending=Pending(of_family[0].key, turn.msg.user_id))
    return await _take_value(turn, sub, value_text)


@feature.button(ChangeSetting, permission=CHAT_ADMIN)
async def change(turn: Turn) -> list[Reply]:
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return [not_subscribed(turn)]
    ref: Ref = turn.press.setting
    setting = settings.find(ref, turn.plans(sub))
    if setting is None:
        return [Reply("Mục cài đặt này không còn dùng được. Gõ /caidat để xem lại.")]
    return await ask(turn, sub, setting)


async def ask(
    turn: Turn, sub: Subscription, setting: settings.Setting, head: str = ""
) -> list[Reply]:
    """Prompt for the setting's value (its presets on buttons); the next message answers it."""
    await turn.store.save(sub.but(pending=Pending(setting.key, turn.msg.user_id)))
    return [Reply(head + setting.prompt(turn.plans(sub)), setting.presets(), force_reply=True)]


@feature.button(PresetValue, permission=CHAT_ADMIN)
async def preset(turn: Turn) -> list[Reply]:
    sub = turn.sub
    if not sub or not sub.pending:
        return [Reply("Nút này đã cũ. Gõ /caidat để bắt đầu lại.")]
    return await _take_value(turn, sub, turn.press.text)


async def _take_value(turn: Turn, sub: Subscription, text: str) -> list[Reply]:
    """Understand the value for the pending setting: read it back for ✅ Lưu, or ask again."""
    assert sub.pending is not None
    plans = turn.plans(sub)
    setting = settings.find(sub.pending.setting, plans)
    if setting is None:
        await turn.store.save(sub.but(pending=None))
        return [Reply("Mục cài đặt này không còn dùng được. Gõ /caidat để xem lại.")]
    if setting.family == "cell_name" and _asks(text, turn):
        # a name can be any words, so a question typed instead ("hạn chót") is answered, not
        # taken for the cell's name
        await turn.store.save(sub.but(pending=None))
        return await turn.conversation.free_text(turn.but(args=text))
    try:
        parsed = setting.parse(text, turn.now, sub, plans)
    except settings.Refused as refused:
        if route(text, turn.now).name not in NOT_A_QUESTION:
            # Not a value but a question ("tháng này học gì"): answer it rather than trap the user.
            await turn.store.save(sub.but(pending=None))
            return await turn.conversation.free_text(turn.but(args=text))
        await turn.store.save(sub)
        return [Reply(f"⚠️ {refused.reason}\n{setting.prompt(plans)}", force_reply=True)]
    return await confirm(turn, sub, setting, parsed)


def _asks(text: str, turn: Turn) -> bool:
    """The text reads as a question the bot answers, not as a name ("Chi bộ …" is a name)."""
    if fold(text).startswith("chi bo"):
        return False
    return route(text, turn.now).name not in NOT_A_QUESTION


async def confirm(
    turn: Turn, sub: Subscription, setting: settings.Setting, parsed: settings.Parsed
) -> list[Reply]:
    """Keep the understood value pending and read it back in full; saved only on ✅ Lưu."""
    await turn.store.save(sub.but(pending=Pending(setting.key, turn.msg.user_id, parsed.value)))
    again = ChangeSetting(Ref(setting.key))
    return [
        Reply(
            f"Xác nhận thay đổi:\n{parsed.description}\n\nLưu lại?",
            (
                (
                    SaveChange().button("✅ Lưu"),
                    again.button("✏️ Nhập lại"),
                    CancelChange().button("✖️ Thôi"),
                ),
            ),
        )
    ]


@feature.button(SaveChange, permission=CHAT_ADMIN)
async def save(turn: Turn) -> list[Reply]:
    sub = turn.sub
    pending = sub.pending if sub else None
    setting = settings.find(pending.setting, turn.plans(sub)) if pending else None
    if not sub or not pending or pending.value is None or setting is None:
        return [
            Reply("Nút này đã cũ: không có thay đổi nào đang chờ lưu. Gõ /caidat để bắt đầu lại.")
        ]
    sub = setting.apply(sub, pending.value, turn.now).but(pending=None)
    await turn.store.save(sub)
    if sub.cell_name and not sub.roster and setting.family in cells.CELL_SETTINGS:
        # the cell's days are the cell's wherever it is followed (a committee's group too)
        await cells.record_days(turn.store, sub.plan_ids, sub.own_cell())
    return [_menu(sub, turn, head="✅ Đã lưu.\n\n")]


@feature.button(CancelChange, permission=CHAT_ADMIN)
async def cancel(turn: Turn) -> list[Reply]:
    sub = turn.sub
    if sub and sub.pending:
        await turn.store.save(sub.but(pending=None))
    return [Reply("Đã bỏ, không thay đổi gì.")]
