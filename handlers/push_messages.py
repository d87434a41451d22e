"""Turning a due push into what the chat reads, with the ✅ button where a duty can be done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from handlers import cells
from handlers.answers import document_line, due_when
from handlers.answers.wording import who_to
from handlers.guidance import in_force
from handlers.push_buttons import done_button, with_snooze
from handlers.recipients import recipients_of
from handlers.state import Subscription
from handlers.types import Button, PushFacts, Reply
from schedules import vi_format
from schedules.model import Deadline, MonthTopics, Occasion
from schedules.plan_calendar import Due
from schedules.pushes import (
    KIND_ORDER,
    EventDay,
    MeetingDay,
    Missed,
    Planner,
    Push,
    PushKind,
)
from schedules.vi_text import cell_key


def rendered(
    planner: Planner, subs: list[Subscription], start: datetime, end: datetime
) -> list[tuple[Push, Subscription, Reply]]:
    """What the chats would read between start and end, in time order (for the demo and `chibo due`):
    each message as the scheduler sends it — pushes to one chat at the same minute folded into one
    — with the first push it carries."""
    by_key = {s.key: s for s in subs}
    per_chat: dict[str, list[Push]] = {}
    for push in planner.between([r for s in subs for r in recipients_of(s)], start, end):
        per_chat.setdefault(cells.chat_of(push.recipient), []).append(push)
    out: list[tuple[Push, Subscription, Reply]] = []
    for key, pushes in per_chat.items():
        sub = by_key[key]
        if sub.roster:
            out += [(ps[0], sub, with_snooze(committee(ps, sub), ps)) for ps in by_minute(pushes)]
            continue
        folded = fold_same_minute([([p], render(p, sub)) for p in pushes])
        out += [(ps[0], sub, with_snooze(reply, ps)) for ps, reply in folded]
    return sorted(out, key=lambda found: (found[0].at, found[0].recipient))


def fold_same_minute(
    messages: list[tuple[list[Push], Reply]], skip: int = 0
) -> list[tuple[list[Push], Reply]]:
    """Pushes due at the same minute become one message (three at 7:30 on 1/7 are one). Where
    several parts carry a ✅ button, part and button are numbered alike so each says its own."""
    out = messages[:skip]
    groups: list[list[tuple[list[Push], Reply]]] = []
    for item in messages[skip:]:
        if groups and groups[-1][0][0][0].at == item[0][0].at:
            groups[-1].append(item)
        else:
            groups.append([item])
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        numbered = sum(1 for _, reply in group if reply.buttons) > 1
        texts, rows, pushes, n = [], [], [], 0
        for part_pushes, reply in group:
            pushes += part_pushes
            if numbered and reply.buttons:
                n += 1
                texts.append(f"({n}) {reply.text}")
                rows += [
                    tuple(Button(f"{b.label} ({n})", b.data) for b in row) for row in reply.buttons
                ]
            else:
                texts.append(reply.text)
                rows += list(reply.buttons)
        pin = any(reply.pin for _, reply in group)
        out.append((pushes, Reply("\n\n".join(texts), tuple(rows), pin)))
    return out


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
        f"🎉 Còn {_left(push)} ngày đến {occasion.name} ({vi_format.full(push.day)}) — "
        f"dịp sinh hoạt chính trị theo {plan.short_name}."
    )


def _left(push: Push) -> int:
    """Days from the push to the day it is about: its lead, or fewer for a snoozed push."""
    return (push.day - push.at.date()).days


def _due(push: Push, sub: Subscription) -> Reply:
    due, plan = push.about, push.plan
    assert isinstance(due, Due) and plan is not None
    left = _left(push)
    if push.kind is PushKind.MILESTONE:
        head = f"📌 {vi_format.cap(due.wording)}: {due.title}"
    elif left == 0:
        head = f"⏰ Hôm nay là ngày cuối: {due.title}"
    else:
        head = f"⏰ Còn {left} ngày: {due.title}"
    lines = [head]
    if due.last_day is not None:
        lines.append(due_when(due, push.at.date()))
    lines += [who_to(due.who, due.to), f"({plan.short_name})"]
    return Reply("\n".join(lines), ((done_button(push),),))


def _period_label(due: Due) -> str:
    span = due.span
    assert span is not None
    return f"năm {span.end.year}" if span.label.startswith("đến") else span.label


def _period_end(push: Push, sub: Subscription) -> Reply:
    """A duty without a day, before its period ends: the end is said, never dressed as a hạn."""
    due, plan = push.about, push.plan
    assert isinstance(due, Due) and plan is not None
    label, left = _period_label(due), _left(push)
    if left == 0:
        head = f"📌 Hôm nay là ngày cuối {label}: {due.title}"
    else:
        head = f"📌 Còn {left} ngày là hết {label}: {due.title}"
    lines = [head, f"Kế hoạch ghi “{due.wording}”, không ghi ngày cụ thể.", who_to(due.who, due.to)]
    lines.append(f"({plan.short_name})")
    return Reply("\n".join(lines), ((done_button(push),),))


def _event(push: Push, sub: Subscription) -> Reply:
    event, plan = push.about, push.plan
    assert isinstance(event, EventDay) and plan is not None
    name, day, left = event.event.name, vi_format.full(event.day), _left(push)
    if left == 0:
        lines = [f"📌 Hôm nay ({day}): {name}."]
    elif left == 1:
        lines = [f"📌 Ngày mai ({day}): {name}."]
    else:
        lines = [f"📌 Còn {left} ngày đến {_lower_first(name)} ({day})."]
    if plan.agendas:
        lines.append("Gõ “trình tự sinh hoạt chuyên đề” để xem các bước.")
    lines.append(f"({plan.short_name})")
    return Reply("\n".join(lines))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def brief(push: Push) -> str:
    """One line saying what a push is about and its day: for lists of pushes."""
    about = push.about
    if isinstance(about, Due) and about.last_day is not None:
        return f"⏰ {about.title} — hạn cuối {vi_format.full(about.last_day)}"
    if isinstance(about, Due):
        return f"📌 {about.title} — {about.wording}"
    if isinstance(about, MonthTopics):
        y, m = about.month
        numbers = ", ".join(d.number for d in about.documents)
        plan = f" ({push.plan.short_name})" if push.plan else ""
        return f"📚 Chủ đề sinh hoạt tháng {m}/{y}{plan}: {numbers}"
    if isinstance(about, MeetingDay):
        at = f" lúc {vi_format.clock(about.at)}" if about.at else ""
        return f"🗓 Kỳ sinh hoạt chi bộ {vi_format.full(about.day)}{at}"
    if isinstance(about, Occasion):
        return f"🎉 {about.name} ({vi_format.full(push.day)})"
    if isinstance(about, EventDay):
        return f"📌 {about.event.name} ({vi_format.full(about.day)})"
    if isinstance(about, Missed):
        return f"🔔 {len(about.pushes)} nhắc việc trong thời gian tạm dừng"
    return push.item_id


def _still_ahead(push: Push, today: date) -> bool:
    if isinstance(push.about, MonthTopics):  # the month's topics matter until the month ends
        return push.about.month >= (today.year, today.month)
    if isinstance(push.about, Due) and push.about.span is not None:
        return push.about.span.end >= today
    return push.day >= today


def _catchup(push: Push, sub: Subscription) -> Reply:
    """The day after a pause: every item it held back, once, what is still ahead first."""
    missed = push.about
    assert isinstance(missed, Missed)
    today, pause = push.at.date(), missed.pause
    latest: dict[tuple[str, str], Push] = {}
    for p in missed.pushes:
        latest[(p.plan_id, p.item_id)] = p
    ahead = [p for p in latest.values() if _still_ahead(p, today)]
    passed = [p for p in latest.values() if not _still_ahead(p, today)]
    held = f"{vi_format.day(pause.start)}–{vi_format.day(pause.end)}" if pause.end else ""
    lines = [f"🔔 Nhắc việc đã bật lại. Trong thời gian tạm dừng ({held}) tôi giữ lại:"]
    if ahead:
        lines.append("Còn hạn:")
        for p in ahead:
            when = f" ({vi_format.days_until(today, p.day)})" if p.day > today else ""
            lines.append(f"• {brief(p)}{when}")
    if passed:
        lines.append("Đã qua trong thời gian tạm dừng:")
        lines += [f"• {brief(p)}" for p in passed]
    lines.append("Gõ /hanchot để xem các hạn còn lại.")
    return Reply("\n".join(lines))


def _meeting(push: Push, sub: Subscription) -> Reply:
    meeting = push.about
    assert isinstance(meeting, MeetingDay)
    at = f" lúc {vi_format.clock(meeting.at)}" if meeting.at else ""
    day = meeting.day
    on, left = push.at.date(), _left(push)
    if left == 0:
        lines = [f"🗓 Hôm nay ({vi_format.full(day)}) chi bộ sinh hoạt định kỳ{at}."]
    elif left == 1:
        lines = [f"🗓 Ngày mai ({vi_format.full(day)}) chi bộ sinh hoạt định kỳ{at}."]
        if rule := in_force("meeting_documents_ahead", on):
            lines.append(f"{rule['text']} ({rule['source']}).")
    else:
        lines = [f"🗓 Còn {left} ngày đến kỳ sinh hoạt chi bộ ({vi_format.full(day)}{at})."]
        if rule := in_force("meeting_prepare", on):
            lines.append(f"{rule['text']}.")
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
    PushKind.PERIOD_END: _period_end,
    PushKind.OCCASION: _occasion,
    PushKind.EVENT: _event,
    PushKind.CATCHUP: _catchup,
}


def render(push: Push, sub: Subscription) -> Reply:
    """The message for one push, from what the push carries (its item was found by the planner),
    with the push's facts for channels that need them."""
    reply = RENDERERS[push.kind](push, sub)
    facts = push_facts(push)
    return replace(reply, push=facts) if facts is not None else reply


# Reminders of a day still ahead: sent two days or more before it, one may wait until the day
# before it (a cell told then still has a day to act).
MAY_WAIT = (
    PushKind.DEADLINE,
    PushKind.PERIOD_END,
    PushKind.MEETING,
    PushKind.EVENT,
    PushKind.OCCASION,
)


def push_facts(push: Push) -> PushFacts | None:
    """What the push is about, as typed fields; None for a catch-up (many pushes in one)."""
    about = push.about
    if isinstance(about, Due):
        title = about.title
    elif isinstance(about, MonthTopics):
        title = f"Chủ đề sinh hoạt tháng {about.month[1]}/{about.month[0]}"
    elif isinstance(about, MeetingDay):
        at = f" lúc {vi_format.clock(about.at)}" if about.at else ""
        title = f"Sinh hoạt chi bộ định kỳ{at}"
    elif isinstance(about, Occasion):
        title = about.name
    elif isinstance(about, EventDay):
        title = about.event.name
    else:
        return None
    wait = (
        push.at + timedelta(days=push.lead - 1)
        if push.kind in MAY_WAIT and push.lead >= 2
        else None
    )
    plan = push.plan.short_name if push.plan is not None else ""
    return PushFacts(push.kind, title, push.day, plan, wait)


class Renders:
    """render(), each text made once for all the chats of one tick that read it alike.

    A message depends on the push's kind, minute and day, its plan and item, and what it is
    about; of the chat, only whether it is a group (a group's topics are pinned). The planner
    shares what every cell of a plan gets (a deadline, the month's topics, an occasion), so
    thousands of chats' pushes carry the same `about` object; what depends on the cell (its
    named deadlines, its own event dates, its meeting day, a catch-up) is an object of its own
    or differs in day or minute, so it is rendered for that chat. The object is kept with the
    text, so its id cannot be reused by another while remembered. Make one a tick: nothing is
    ever dropped."""

    def __init__(self) -> None:
        self._made: dict[tuple, tuple[object, Reply]] = {}
        self._alike: dict[Reply, Reply] = {}

    def render(self, push: Push, sub: Subscription) -> Reply:
        key = (
            push.kind,
            id(push.about),
            push.plan_id,
            push.item_id,
            push.lead,
            push.at,
            push.day,
            sub.is_group,
        )
        made = self._made.get(key)
        if made is None or made[0] is not push.about:
            made = self._made[key] = (push.about, render(push, sub))
        return made[1]

    def alike(self, reply: Reply) -> Reply:
        """One object for equal messages made per chat this tick (several pushes of one minute
        folded into one, the snooze row added): they wait in the outbox until sent, and a copy
        per chat of one message would grow with the number of chats."""
        return self._alike.setdefault(reply, reply)


def late_note(push: Push) -> str:
    return f"\n(Nhắc muộn: lẽ ra gửi lúc {vi_format.moment(push.at)}.)"


def summary(pushes: list[Push], sub: Subscription, since: datetime, until: datetime) -> Reply:
    """Pushes late by more than the grace period, folded into one message. Said without a
    cause, since there are several: the bot was down, or the channel held or kept them waiting
    (a platform's monthly allowance, a Zalo OA user's closed window)."""
    # a committee group's cells got many pushes alike: each said once
    said = list(
        dict.fromkeys(
            f"• {vi_format.day(p.at.date())}: {render(p, sub).text.split(chr(10), 1)[0]}"
            for p in pushes
        )
    )
    lines = [
        f"📋 Từ {vi_format.moment(since)} đến {vi_format.moment(until)} có {len(said)} nhắc "
        "việc chưa gửi tới được (bot tạm ngừng hoặc tin phải chờ), nay gửi gộp:",
        *said,
    ]
    lines.append("Gõ /hanchot để xem các hạn còn lại, /thangnay để xem chủ đề tháng này.")
    folded = tuple(facts for p in pushes if (facts := push_facts(p)) is not None)
    return Reply("\n".join(lines), folded=folded)


# ---------------------------------------------------------------- a committee's group

# Duties a cell marks done: their message names the cells that have not.
_DUTIES = (PushKind.DEADLINE, PushKind.MILESTONE, PushKind.PERIOD_END)
NAMES_CHARS = 300  # the cells named under one duty; the rest counted (the message fits a phone)


def by_minute(pushes: list[Push]) -> list[list[Push]]:
    """Pushes in time order, those of one minute together."""
    out: list[list[Push]] = []
    for push in pushes:
        if out and out[-1][0].at == push.at:
            out[-1].append(push)
        else:
            out.append([push])
    return out


def committee(pushes: list[Push], sub: Subscription) -> Reply:
    """One minute's pushes to a committee's group, whose cells each got their own (computed as a
    chat of one cell would be), as one message: what several cells got alike is said once, naming
    the cells not done for a duty; a duty whose day differs by cell says each day by cell
    ("Chi bộ Tân Phúc Thành 3: trước ngày 10/9/2022; các chi bộ còn lại: trước ngày 20/9/2022");
    meetings are one line per cell meeting."""
    alike: dict[tuple, list[Push]] = {}
    for p in pushes:
        alike.setdefault((p.kind, p.plan_id, p.item_id, p.lead, p.day, p.again), []).append(p)
    parts: list[tuple[list[Push], Reply]] = []
    meetings: list[Push] = []
    for same in sorted(alike.values(), key=lambda ps: (KIND_ORDER[ps[0].kind], ps[0].key)):
        push = same[0]
        if push.kind is PushKind.MEETING:
            meetings += same
            continue
        reply = render(push, sub)
        names = _names(sub, same)
        lines = [reply.text]
        if push.kind in _DUTIES:
            lines += _by_cell(push)
            lines.append(f"Chưa đánh dấu xong ({len(names)} chi bộ): {_listed(names)}.")
        elif push.kind in (PushKind.EVENT, PushKind.CATCHUP) or len(names) < len(sub.roster):
            lines.append(f"Chi bộ: {_listed(names)}.")
        parts.append((same, Reply("\n".join(lines), reply.buttons, reply.pin)))
    if meetings:  # one line per day and hour, naming the cells meeting then
        by_when: dict[str, list[Push]] = {}
        for p in sorted(meetings, key=lambda p: (p.day, _meeting_at(p))):
            by_when.setdefault(_meeting_when(p), []).append(p)
        lines = ["🗓 Sinh hoạt chi bộ:"]
        lines += [f"• {when}: {_listed(_names(sub, ps))}" for when, ps in by_when.items()]
        parts.insert(0, (meetings, Reply("\n".join(lines))))
    folded = fold_same_minute(parts)
    return folded[0][1]


def _meeting_at(push: Push) -> str:
    meeting = push.about
    if isinstance(meeting, MeetingDay):
        return meeting.at or ""
    return ""


def _meeting_when(push: Push) -> str:
    """ "hôm nay (Thứ Hai, 5/9/2022 lúc 19:30)": a cell's meeting in a committee group's line."""
    meeting = push.about
    assert isinstance(meeting, MeetingDay)
    at = f" lúc {vi_format.clock(meeting.at)}" if meeting.at else ""
    left = _left(push)
    when = "hôm nay" if left == 0 else "ngày mai" if left == 1 else f"còn {left} ngày"
    return f"{when} ({vi_format.full(meeting.day)}{at})"


def _names(sub: Subscription, pushes: list[Push]) -> list[str]:
    """The cells the pushes went to, in the roster's order."""
    got = {p.recipient for p in pushes}
    return [cells.display(c.name) for c in sub.roster if cells.member_key(sub, c) in got]


def _listed(names: list[str]) -> str:
    """Names up to about NAMES_CHARS, the rest counted."""
    shown: list[str] = []
    for name in names:
        if shown and len(", ".join([*shown, name])) > NAMES_CHARS:
            break
        shown.append(name)
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" và {rest} chi bộ khác" if rest else "")


def _by_cell(push: Push) -> list[str]:
    """A duty the plan dates differently for named cells ("only_cells" / "except_cells"): every
    day it sets, by cell, in one line. Nothing for a duty the same for every cell."""
    plan = push.plan
    if plan is None:
        return []
    this = next((d for d in plan.deadlines if push.item_id == d.id), None)
    if this is None or not (this.only_cells or this.except_cells):
        return []
    named = _named_cells(this)
    alike = [d for d in plan.deadlines if d.before and _named_cells(d) == named]
    if len(alike) < 2:
        return []
    said = [f"{_who(d)}: trước ngày {vi_format.day(d.before)}" for d in alike if d.before]
    return ["Hạn theo chi bộ: " + "; ".join(said) + "."]


def _named_cells(d: Deadline) -> frozenset[str]:
    return frozenset(cell_key(c) for c in (d.only_cells or d.except_cells))


def _who(d: Deadline) -> str:
    if d.only_cells:
        return ", ".join(cells.display(c) for c in d.only_cells)
    return "các chi bộ còn lại"
