"""Turning a due push into what the chat reads, with the ✅ button where a duty can be done."""

from __future__ import annotations

from datetime import datetime, time
from functools import cache
from pathlib import Path

import yaml

from handlers.answers import document_line, due_when
from handlers.state import Subscription
from handlers.types import Button, Reply
from schedules import calendar, vi_format
from schedules.model import Plan
from schedules.pushes import Planner, Push, Recipient

DONE_PREFIX = "done"


@cache
def guidance() -> dict:
    return yaml.safe_load((Path(__file__).parent / "guidance.yaml").read_text(encoding="utf-8"))


def recipient_of(sub: Subscription) -> Recipient:
    h, m = sub.reminder_time.split(":")
    done = frozenset(tuple(k.split("|", 1)) for k in sub.done)
    since = datetime.fromisoformat(sub.created_at) if sub.created_at else None
    return Recipient(
        sub.key,
        sub.plan_ids,
        sub.cell(),
        sub.meeting_rule,
        sub.meeting_overrides(),
        time(int(h), int(m)),
        sub.lead_days,
        done,
        since,
    )


class Recipients:
    """recipient_of, remembered while a chat's Subscription object stays the same (the store
    replaces the object on every change), so a tick over 10,000 chats converts only what changed."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[Subscription, Recipient]] = {}

    def of(self, subs: list[Subscription]) -> list[Recipient]:
        out = []
        for sub in subs:
            hit = self._cache.get(sub.key)
            if hit is None or hit[0] is not sub:
                hit = (sub, recipient_of(sub))
                self._cache[sub.key] = hit
            out.append(hit[1])
        return out


def done_button(push: Push) -> Button:
    return Button("✅ Đã hoàn thành", f"{DONE_PREFIX}:{push.plan_id}:{push.item_id}"[:64])


def _find_due(plan: Plan, sub: Subscription, item_id: str) -> calendar.Due | None:
    return next((d for d in calendar.dues(plan, sub.cell()) if d.item_id == item_id), None)


def rendered(
    planner: Planner,
    plans: dict[str, Plan],
    subs: list[Subscription],
    start: datetime,
    end: datetime,
) -> list[tuple[Push, Subscription, Reply]]:
    """What the chats would read between start and end, in time order (for the demo and `chibo due`)."""
    by_key = {s.key: s for s in subs}
    out = []
    for push in planner.between([recipient_of(s) for s in subs], start, end):
        sub = by_key[push.recipient]
        reply = render(push, plans, sub)
        if reply is not None:
            out.append((push, sub, reply))
    return out


def render(push: Push, plans: dict[str, Plan], sub: Subscription) -> Reply | None:
    """The message for one push; None if its plan or item is gone (a plan file changed)."""
    if push.kind == "meeting":
        return _meeting(push, plans, sub)
    plan = plans.get(push.plan_id)
    if plan is None:
        return None
    if push.kind == "topics":
        y, m = push.day.year, push.day.month
        topics = calendar.topics(plan, y, m)
        if topics is None:
            return None
        lines = [f"📚 Chủ đề sinh hoạt tháng {m}/{y} — {plan.short_name}:"]
        lines += [f"{i}. {document_line(d)}" for i, d in enumerate(topics.documents, 1)]
        if plan.monthly_meeting:
            lines.append(f"Việc cần làm: {plan.monthly_meeting.title}")
        return Reply("\n".join(lines), pin=sub.is_group)
    if push.kind == "occasion":
        occasion = next((o for o in plan.occasions if push.item_id.startswith(o.id + "@")), None)
        if occasion is None:
            return None
        return Reply(
            f"🎉 Còn {push.lead} ngày đến {occasion.name} ({vi_format.full(push.day)}) — "
            f"dịp sinh hoạt chính trị theo {plan.short_name}."
        )
    due = _find_due(plan, sub, push.item_id)
    if due is None:
        return None
    today = push.at.date()
    if push.kind == "milestone":
        head = f"📌 {vi_format.cap(due.wording)}: {due.title}"
    elif push.lead == 0:
        head = f"⏰ Hôm nay là ngày cuối: {due.title}"
    else:
        head = f"⏰ {'Còn 1 ngày' if push.lead == 1 else f'Còn {push.lead} ngày'}: {due.title}"
    lines = [head]
    if due.last_day is not None:
        lines.append(due_when(due, today))
    who = f"Thực hiện: {due.who}" + (f"; gửi {due.to}" if due.to else "")
    lines += [f"{who}.", f"({plan.short_name})"]
    return Reply("\n".join(lines), ((done_button(push),),))


def _meeting(push: Push, plans: dict[str, Plan], sub: Subscription) -> Reply:
    g = guidance()
    at = ""
    if sub.meeting_rule and sub.meeting_rule.at:
        at = f" lúc {sub.meeting_rule.at.replace(':', 'h', 1).replace('h00', 'h')}"
    day = push.day
    if push.lead == 0:
        lines = [f"🗓 Hôm nay ({vi_format.full(day)}) chi bộ sinh hoạt định kỳ{at}."]
    elif push.lead == 1:
        lines = [
            f"🗓 Ngày mai ({vi_format.full(day)}) chi bộ sinh hoạt định kỳ{at}.",
            f"{g['meeting_documents_ahead']['text']} ({g['meeting_documents_ahead']['source']}).",
        ]
    else:
        lines = [
            f"🗓 Còn {push.lead} ngày đến kỳ sinh hoạt chi bộ ({vi_format.full(day)}{at}).",
            f"{g['meeting_prepare']['text']}.",
        ]
    for pid in sub.plan_ids:
        plan = plans.get(pid)
        topics = calendar.topics(plan, day.year, day.month) if plan else None
        if topics:
            numbers = ", ".join(d.number for d in topics.documents)
            lines.append(f"Văn bản tháng {day.month}/{day.year} ({plan.short_name}): {numbers}.")
    return Reply("\n".join(lines))


def late_note(push: Push) -> str:
    return f"\n(Nhắc muộn: lẽ ra gửi lúc {vi_format.moment(push.at)}.)"


def summary(
    pushes: list[Push], plans: dict[str, Plan], sub: Subscription, since: datetime, until: datetime
) -> Reply:
    """Pushes missed by more than the grace period, folded into one message."""
    lines = [
        f"📋 Bot tạm ngừng từ {vi_format.moment(since)} đến {vi_format.moment(until)}. "
        f"Trong thời gian đó có {len(pushes)} nhắc việc:"
    ]
    for p in pushes:
        reply = render(p, plans, sub)
        if reply is None:
            continue
        first = reply.text.split("\n", 1)[0]
        lines.append(f"• {vi_format.day(p.at.date())}: {first}")
    lines.append("Gõ /hanchot để xem các hạn còn lại, /thangnay để xem chủ đề tháng này.")
    return Reply("\n".join(lines))
