"""Reminders as the chat wishes them, in plain words: off, held for a while, back on, another
hour, other lead days — each read back and saved only on ✅ Lưu, as /caidat does (the settings
are handlers/settings/items.py's; this feature only understands the wish). Also 💤 under a push
(send it again in an hour, tomorrow, next week) and what will be pushed in the coming days."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from handlers import settings
from handlers.buttons import SnoozePush
from handlers.feature import Feature, Permission, Turn
from handlers.features.common import not_subscribed
from handlers.features.settings import ask, confirm
from handlers.intents import IntentName
from handlers.lexicon import section, words_of
from handlers.push_messages import brief
from handlers.recipients import recipient_of
from handlers.router import phrases_found, route
from handlers.settings.reminders import active_pause, wants_on
from handlers.types import Reply
from schedules import vi_dates, vi_format
from schedules.catalog import Catalog
from schedules.pushes import Planner, Push, PushKind, Snooze
from schedules.vi_text import fold

feature = Feature("reminders")
CHAT_ADMIN = Permission.CHAT_ADMIN  # in a group, the same people as /caidat
AHEAD = timedelta(days=7)  # "what will be pushed": the coming week unless a period is named
REACH = timedelta(days=92)  # …or, when the week is quiet, on to the next push within a quarter

_planners: dict[int, Planner] = {}


def planner_for(catalog: Catalog, turn: Turn) -> Planner:
    """The same Planner the scheduler uses, one per catalog (its indexes are reused)."""
    found = _planners.get(id(catalog.plans))
    if found is None:
        tz = turn.now.tzinfo
        assert tz is not None, "a turn's moment carries the bot's time zone"
        found = _planners[id(catalog.plans)] = Planner(catalog.plans, tz)
    return found


@feature.intent(IntentName.REMINDER_PAUSE, permission=CHAT_ADMIN)
async def pause_wish(turn: Turn) -> list[Reply]:
    sub = turn.sub
    if sub and wants_on(turn.args) and active_pause(sub, turn.today) is None:
        hour = vi_format.hour(sub.reminder_time)
        return [
            Reply(
                f"Tôi vẫn đang bật nhắc việc cho chat này (lúc {hour}); không có gì phải đổi. "
                "Gõ /lichnhac để xem các tin nhắc 7 ngày tới."
            )
        ]
    return await _wish(turn, "pause")


@feature.intent(IntentName.REMINDER_HOUR, permission=CHAT_ADMIN)
async def hour_wish(turn: Turn) -> list[Reply]:
    day = _dated(turn)
    if day is not None and turn.sub and turn.sub.plan_ids:
        # "nhắc lúc 8h ngày 15/9": a one-off reminder, which the bot does not keep; the daily
        # hour is not what was asked, so it is not offered either.
        hour = vi_format.hour(turn.sub.reminder_time)
        return [
            Reply(
                f"Tôi chưa đặt được tin nhắc riêng cho một ngày ({vi_format.full(day)}): tôi chỉ "
                f"nhắc theo các hạn và kỳ họp của kế hoạch, mỗi ngày có việc vào một giờ chung "
                f"(hiện là {hour}). Không có gì thay đổi.\n"
                "Muốn đổi giờ nhắc chung, gõ ví dụ “chuyển giờ nhắc sang 8h”; "
                "muốn đặt ngày họp chi bộ, gõ “ngày họp: 15/9”."
            )
        ]
    return await _wish(turn, "reminder_time")


def _dated(turn: Turn) -> date | None:
    """The day a reminder wish names beyond tomorrow ("nhắc lúc 8h ngày 15/9"), if any."""
    intent = turn.intent or route(turn.args, turn.now)
    when = intent.when
    if when is None:
        found = vi_dates.find(turn.args, turn.now)
        when = found if isinstance(found, vi_dates.When) else None
    if when is None or when.start <= turn.today + timedelta(days=1):
        return None
    return when.start


# What else the router may make of an hour wish said around its object: nothing recognised.
_HOUR_ROUTED = frozenset(
    {IntentName.PERIOD, IntentName.UNKNOWN, IntentName.REMINDER_HOUR, IntentName.SETTINGS}
)


def _hour_said(turn: Turn) -> bool:
    """ "từ mai nhắc nhóm lúc 8 giờ sáng nhé", "please remind us at 7:15 pm": a reminder verb and
    a time of day, whatever stands between them (`hour_wish` in intents.yaml). Not a check of the
    hour that is, not "what is reminded", and not a dated one-off ("nhắc lúc 8h ngày 15/9")."""
    if not turn.sub or not turn.sub.plan_ids or not turn.args:
        return False
    said = words_of(turn.args)
    data = section("hour_wish")
    if not set(said) & set(data["verbs"]) or phrases_found(said, IntentName.UPCOMING_PUSHES):
        return False
    folded = f" {' '.join(said)} "
    if any(f" {c} " in folded for c in data["checking"]):
        return False
    times = vi_dates.clock_times(turn.args)
    if isinstance(times, vi_dates.NotUnderstood) or not times:
        return False
    intent = route(turn.args, turn.now)
    when = intent.when  # "từ mai …": from tomorrow on is still the daily hour
    dated = when is not None and when.end > turn.today + timedelta(days=1)
    return intent.name in _HOUR_ROUTED and not dated and not intent.date_error


@feature.text(_hour_said, permission=CHAT_ADMIN)
async def hour_said(turn: Turn) -> list[Reply]:
    return await _wish(turn, "reminder_time")


@feature.intent(IntentName.REMINDER_STATUS)
async def status(turn: Turn) -> list[Reply]:
    """ "Bot đang nhắc vào mấy giờ vậy?": how the reminders are set, answered as they are; a
    change is the chat's to ask for. "Bot đang nhắc gì" asks what is pushed: the coming ones."""
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return [not_subscribed(turn)]
    if phrases_found(words_of(turn.args or turn.msg.text), IntentName.UPCOMING_PUSHES):
        return await upcoming(turn)
    plans = turn.plans(sub)
    shown = [
        setting.shown(sub, turn.today)
        for key in ("reminder_time", "lead_days", "pause")
        if (setting := settings.find(key, plans)) is not None
    ]
    hour = vi_format.hour(sub.reminder_time)
    return [
        Reply(
            f"⏰ Tôi đang nhắc chat này lúc {hour} mỗi ngày có việc cần nhắc.\n"
            + "\n".join(f"• {line}" for line in shown)
            + "\nMuốn đổi, gõ /caidat hoặc nói, ví dụ: “chuyển giờ nhắc sang 6h”."
        )
    ]


@feature.intent(IntentName.REMINDER_LEADS, permission=CHAT_ADMIN)
async def leads_wish(turn: Turn) -> list[Reply]:
    return await _wish(turn, "lead_days")


async def _wish(turn: Turn, key: str) -> list[Reply]:
    """The wish's value read back for ✅ Lưu; a wish without a value ("giờ nhắc là mấy giờ")
    gets the current value and the setting's question."""
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return [not_subscribed(turn)]
    plans = turn.plans(sub)
    setting = settings.find(key, plans)
    assert setting is not None  # reminder settings exist for every chat
    try:
        parsed = setting.parse(turn.args, turn.now, sub, plans)
    except settings.Refused as refused:
        # a value given but refused ("nhắc lúc 25h") is told why; a wish without one, the value
        why = f"⚠️ {refused.reason} Không có gì thay đổi.\n" if _has_digit(turn.args) else ""
        return await ask(turn, sub, setting, head=f"{why}{setting.shown(sub, turn.today)}.\n")
    return await confirm(turn, sub, setting, parsed)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


@feature.button(SnoozePush, permission=CHAT_ADMIN)
async def snooze(turn: Turn) -> list[Reply]:
    sub, press = turn.sub, turn.press
    if not sub or not sub.plan_ids:
        return [Reply("Nút này đã cũ: chat không còn theo kế hoạch nào.")]
    tz = turn.now.tzinfo
    of = datetime.strptime(press.of, SnoozePush.MINUTE).replace(tzinfo=tz)
    if press.until == "hour":
        at = (turn.now + timedelta(hours=1)).replace(second=0, microsecond=0)
    else:
        days = 1 if press.until == "day" else 7 - turn.today.weekday()  # next Monday
        at = datetime.combine(turn.today + timedelta(days=days), sub.reminder_at, tz)
    # Once: a new snooze of the same reminder replaces the old; those long sent are forgotten.
    kept = tuple(s for s in sub.snoozes if s.of != of and s.at > turn.now - timedelta(days=1))
    snoozed = sub.but(snoozes=(*kept, Snooze(of, at)))
    pause = active_pause(sub, at.date())
    if pause and pause.holds(at.date()):
        await turn.store.save(snoozed)
        return [
            Reply(
                f"💤 Tin nhắc lúc {vi_format.moment(of)} sẽ không được gửi lại vào "
                f"{vi_format.moment(at)}: lúc đó nhắc việc đang tạm dừng."
            )
        ]
    # What the planner will really send again at that minute: a day already past is not resent.
    planner = planner_for(turn.catalog, turn)
    minute = timedelta(minutes=1)
    again = [p for p in planner.between([recipient_of(snoozed)], at - minute, at) if p.again]
    sent = planner.between([recipient_of(sub)], of - minute, of)
    regular = {
        (p.plan_id, p.item_id) for p in planner.between([recipient_of(sub)], at - minute, at)
    }
    if not again and sent and {(p.plan_id, p.item_id) for p in sent} <= regular:
        await turn.store.save(snoozed)  # the reminder of that minute says it anyway, once
        return [
            Reply(
                f"💤 Được, tôi sẽ gửi lại tin nhắc lúc {vi_format.moment(of)} vào "
                f"{vi_format.moment(at)} (cùng tin nhắc thường ngày lúc đó)."
            )
        ]
    if not again:
        past = sorted({p.day for p in sent if p.day < at.date()})
        why = (
            f"ngày của việc được nhắc ({vi_format.full(past[-1])}) đã qua trước lúc đó, "
            "nhắc lại không còn tác dụng"
            if past
            else "lúc đó không còn việc nào của tin ấy cần nhắc"
        )
        return [
            Reply(
                f"💤 Tin nhắc lúc {vi_format.moment(of)} sẽ không được gửi lại vào "
                f"{vi_format.moment(at)}: {why}. Không có gì thay đổi."
            )
        ]
    await turn.store.save(snoozed)
    return [
        Reply(
            f"💤 Được, tôi sẽ gửi lại tin nhắc lúc {vi_format.moment(of)} vào {vi_format.moment(at)}."
        )
    ]


@feature.command("lichnhac", description="Các tin nhắc 7 ngày tới", hint="tin nhắc 7 ngày tới")
@feature.intent(IntentName.UPCOMING_PUSHES)
async def upcoming(turn: Turn) -> list[Reply]:
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return [not_subscribed(turn)]
    start, end = _window(turn)
    planner, to = planner_for(turn.catalog, turn), [recipient_of(sub)]
    pushes = planner.between(to, start, end)
    listing = _listing(pushes, sub, turn.today, start, end)
    if not pushes and end - start == AHEAD:  # no period named: the 7 days, then the next push
        later = planner.between(to, end, end + REACH)
        if later:
            first = min(p.at for p in later).date()
            listing += "\nTin nhắc kế tiếp:\n" + "\n".join(
                _item(p, sub) for p in later if p.at.date() == first
            )
    return [Reply(listing)]


# "7 ngày tới", "2 tuần nữa", "next 7 days": a count of days from now, not one day
_COUNTED = re.compile(r"\b\d{1,2} ?(?:ngay|tuan|days?|weeks?) ?(?:toi|nua|sap toi)?\b|\bnext \d")


def _window(turn: Turn) -> tuple[datetime, datetime]:
    """From now to the end of the period named ("tuần này", "ngày mai"), else a week ahead."""
    now = turn.now
    when = turn.intent.when if turn.intent else None
    if when is None and turn.args:
        found = vi_dates.find(turn.args, now)
        when = found if isinstance(found, vi_dates.When) else None
    if when is not None and when.end >= now.date() and when.kind != "moment":
        counted = _COUNTED.search(fold(turn.args)) or _COUNTED.search(fold(turn.msg.text))
        start = now.date() if counted else when.start  # "7 ngày tới": through that day, not it
        first = max(now, datetime.combine(start, time(0), now.tzinfo))
        return first, datetime.combine(when.end, time(23, 59), now.tzinfo)
    return now, now + AHEAD


def _listing(pushes: list[Push], sub, today: date, start: datetime, end: datetime) -> str:
    last = end.date()
    head = (
        f"🔔 Tin nhắc cho chat này từ nay đến hết {vi_format.full(last)} "
        f"(gửi lúc {vi_format.hour(sub.reminder_time)}):"
    )
    lines = []
    pause = active_pause(sub, today)
    if pause is not None:
        held = (
            "đang tắt (gõ “bật nhắc” để bật lại)"
            if pause.end is None
            else f"tạm dừng đến hết {vi_format.full(pause.end)}"
        )
        lines.append(f"🔕 Nhắc việc {held}.")
    if not pushes:
        lines.append(f"Từ nay đến hết {vi_format.full(last)}, không có tin nhắc nào.")
        return "\n".join(lines)
    lines.insert(0, head)
    # one item reminded several times in the window (3, 1 days before and on the day): one line
    # for the item and its days, not its title again on each
    same: dict[str, list[Push]] = {}
    for p in pushes:
        same.setdefault(brief(p), []).append(p)
    for said, those in same.items():
        if len(those) == 1:
            lines.append(_item(those[0], sub))
        else:
            days = "; ".join(f"{_when(p, sub)}{_lead(p)}" for p in those)
            lines.append(f"• {said}\n  Nhắc: {days}")
    return "\n".join(lines)


def _when(p: Push, sub) -> str:
    if p.at.time() != sub.reminder_at:
        return vi_format.moment(p.at)  # a snoozed push, at the time chosen
    return vi_format.full(p.at.date())


def _item(p: Push, sub) -> str:
    return f"• {_when(p, sub)}: {brief(p)}{_lead(p)}"


def _lead(p: Push) -> str:
    if p.kind in (PushKind.TOPICS, PushKind.MILESTONE, PushKind.CATCHUP) or p.again:
        return ""
    return " (đúng ngày)" if p.lead == 0 else f" (trước {p.lead} ngày)"
