"""Turning a due push into what the chat reads, with the ✅ button where a duty can be done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from functools import cache
from pathlib import Path

import yaml

from handlers.answers import document_line, due_when
from handlers.buttons import MarkDone, Ref
from handlers.state import Subscription
from handlers.types import Button, Reply
from schedules import vi_format
from schedules.model import MonthTopics, Occasion
from schedules.plan_calendar import Due
from schedules.pushes import MeetingDay, Planner, Push, PushKind, Recipient


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
        sub.meeting_days,
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
    return MarkDone(Ref(push.plan_id), Ref(push.item_id)).button("✅ Đã hoàn thành")


def rendered(
    planner: Planner, subs: list[Subscription], start: datetime, end: datetime
) -> list[tuple[Push, Subscription, Reply]]:
    """What the chats would read between start and end, in time order (for the demo and `chibo due`)."""
    by_key = {s.key: s for s in subs}
    return [
        (push, by_key[push.recipient], render(push, by_key[push.recipient]))
        for push in planner.between([recipient_of(s) for s in subs], start, end)
    ]


def _topics(push: Push, sub: Subscription) -> Reply:
    topics, plan = push.about, push.plan
    assert isinstance(topics, MonthTopics) and plan is not None
    y, m = topics.month
    lines = [f"📚 Chủ đề sinh hoạt tháng {m}/{y} — {plan.short_name}:"]
    lines += [f"{i}. {document_line(d)}" for i, d in enumerate(topics.documents, 1)]
    if plan.monthly_meeting:
        lines.append(f"Việc cần làm: {plan.monthly_meeting.title}")
    return Reply("\n".join(lines), pin=sub.is_group)


def _occasion(push: Push, sub: Subscription) -> Reply:
    occasion, plan = push.about, push.plan
    assert isinstance(occasion, Occasion) and plan is not None
    return Reply(
        f"🎉 Còn {push.lead} ngày đến {occasion.name} ({vi_format.full(push.day)}) — "
        f"dịp sinh hoạt chính trị theo {plan.short_name}."
    )


def _due(push: Push, sub: Subscription) -> Reply:
    due, plan = push.about, push.plan
    assert isinstance(due, Due) and plan is not None
    if push.kind is PushKind.MILESTONE:
        head = f"📌 {vi_format.cap(due.wording)}: {due.title}"
    elif push.lead == 0:
        head = f"⏰ Hôm nay là ngày cuối: {due.title}"
    else:
        head = f"⏰ {'Còn 1 ngày' if push.lead == 1 else f'Còn {push.lead} ngày'}: {due.title}"
    lines = [head]
    if due.last_day is not None:
        lines.append(due_when(due, push.at.date()))
    who = f"Thực hiện: {due.who}" + (f"; gửi {due.to}" if due.to else "")
    lines += [f"{who}.", f"({plan.short_name})"]
    return Reply("\n".join(lines), ((done_button(push),),))


def _meeting(push: Push, sub: Subscription) -> Reply:
    meeting = push.about
    assert isinstance(meeting, MeetingDay)
    g = guidance()
    at = f" lúc {vi_format.clock(meeting.at)}" if meeting.at else ""
    day = meeting.day
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
    for plan, topics in meeting.topics:
        numbers = ", ".join(d.number for d in topics.documents)
        lines.append(f"Văn bản tháng {day.month}/{day.year} ({plan.short_name}): {numbers}.")
    return Reply("\n".join(lines))


# Each kind of push and the one function that words it.
RENDERERS: dict[PushKind, Callable[[Push, Subscription], Reply]] = {
    PushKind.TOPICS: _topics,
    PushKind.MEETING: _meeting,
    PushKind.DEADLINE: _due,
    PushKind.MILESTONE: _due,
    PushKind.OCCASION: _occasion,
}


def render(push: Push, sub: Subscription) -> Reply:
    """The message for one push, from what the push carries (its item was found by the planner)."""
    return RENDERERS[push.kind](push, sub)


def late_note(push: Push) -> str:
    return f"\n(Nhắc muộn: lẽ ra gửi lúc {vi_format.moment(push.at)}.)"


def summary(pushes: list[Push], sub: Subscription, since: datetime, until: datetime) -> Reply:
    """Pushes missed by more than the grace period, folded into one message."""
    lines = [
        f"📋 Bot tạm ngừng từ {vi_format.moment(since)} đến {vi_format.moment(until)}. "
        f"Trong thời gian đó có {len(pushes)} nhắc việc:"
    ]
    for p in pushes:
        first = render(p, sub).text.split("\n", 1)[0]
        lines.append(f"• {vi_format.day(p.at.date())}: {first}")
    lines.append("Gõ /hanchot để xem các hạn còn lại, /thangnay để xem chủ đề tháng này.")
    return Reply("\n".join(lines))
