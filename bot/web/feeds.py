"""Calendar feeds (ICS) for phones and Google Calendar: one private, revocable address per chat
and per committee.

A chat's feed holds its meeting days (its rule, or the day it moved a month's meeting to), its
deadlines with the reminders it chose as alarms (its lead days at its reminder hour), the dates
it set itself (cell events) and each month's topics on the month's first day: the facts the
reminders are computed from (schedules/plan_calendar.py, schedules/meetings.py). A committee's
feed holds its plans' deadlines and topics, with the default lead days.

UIDs are stable (what an event is, never when it falls), and SEQUENCE goes up when an event
changes, so a subscribed calendar updates rather than duplicates. The feed's address is a random
token in the store's runtime values; a new one revokes the old.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event, Timezone

from bot.clock import TZ
from handlers.state import DEFAULT_LEAD_DAYS, DEFAULT_REMINDER_TIME, Store, Subscription
from schedules import plan_calendar
from schedules.meetings import meeting_in
from schedules.model import Plan

DOMAIN = "chibo"
MEETING_HOURS = 2  # how long a meeting with an hour is shown


@dataclass(frozen=True)
class Feed:
    """Whose feed an address opens: a chat ("chat", "telegram:123") or a committee ("committee",
    its id, or "*" for a global admin's everything)."""

    kind: str
    owner: str


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    day: date
    at: time | None = None  # None: all day
    description: str = ""
    alarms: tuple[timedelta, ...] = ()  # before the day's start (all day) or the hour

    def digest(self) -> str:
        text = "|".join(
            (self.title, self.day.isoformat(), str(self.at), self.description, str(self.alarms))
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# -- addresses --------------------------------------------------------------------------------


def _owner_key(feed: Feed) -> str:
    return f"ics:{feed.kind}:{feed.owner}"


def _token_key(token: str) -> str:
    return f"ics:feed:{token}"


async def token_for(store: Store, feed: Feed, renew: bool = False) -> str:
    """The feed's secret token (made on first use); `renew` revokes the old one."""
    old = store.runtime(_owner_key(feed))
    if old and not renew:
        return str(old)
    if old:
        await store.set_runtime(_token_key(str(old)), None)
    token = secrets.token_urlsafe(18)
    await store.set_runtime(_token_key(token), {"kind": feed.kind, "owner": feed.owner})
    await store.set_runtime(_owner_key(feed), token)
    return token


def feed_of(store: Store, token: str) -> Feed | None:
    found = store.runtime(_token_key(token))
    return Feed(found["kind"], found["owner"]) if isinstance(found, dict) else None


def feed_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/lich/{token}.ics"


# -- events -----------------------------------------------------------------------------------


def _alarms(lead_days: Iterable[int], at: str) -> tuple[timedelta, ...]:
    """Reminders at the hour the chat is reminded, `lead` days before an all-day event."""
    hour = time.fromisoformat(at)
    offset = timedelta(hours=hour.hour, minutes=hour.minute)
    return tuple(timedelta(days=-lead) + offset for lead in sorted(set(lead_days), reverse=True))


def _topics(plan: Plan) -> list[CalendarEvent]:
    out = []
    for t in plan.topics:
        year, month = t.month
        docs = "\n".join(f"• {d.kind} {d.number}: {d.title}" for d in t.documents)
        out.append(
            CalendarEvent(
                f"chuyen-de-{plan.id}-{year}-{month:02d}@{DOMAIN}",
                f"Chuyên đề tháng {month}/{year} ({plan.short_name})",
                date(year, month, 1),
                description=(docs + (f"\n{t.note}" if t.note else "")).strip(),
            )
        )
    return out


def _deadlines(
    plan: Plan, cell: plan_calendar.Cell, alarms: tuple[timedelta, ...]
) -> list[CalendarEvent]:
    out = []
    for due in plan_calendar.dues(plan, cell):
        who = due.who + (f" → {due.to}" if due.to else "")
        out.append(
            CalendarEvent(
                f"han-{plan.id}-{due.item_id.replace('@', '-')}@{DOMAIN}",
                f"Hạn: {due.title}",
                due.sort_key,
                description=f"{due.wording}. {who}. ({plan.short_name})",
                alarms=alarms,
            )
        )
    return out


def _meetings(sub: Subscription, plans: list[Plan]) -> list[CalendarEvent]:
    months: set[tuple[int, int]] = set()
    for plan in plans:
        if plan.monthly_meeting is None:
            continue
        (y, m), end = plan.monthly_meeting.start, plan.monthly_meeting.end
        while (y, m) <= end:
            months.add((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    months |= set(sub.meeting_days)
    out = []
    for y, m in sorted(months):
        moved = sub.meeting_days.get((y, m))
        if moved is not None:
            day, at = moved.day, moved.at or (sub.meeting_rule.at if sub.meeting_rule else None)
        elif sub.meeting_rule is not None:
            day, at = meeting_in(sub.meeting_rule, y, m), sub.meeting_rule.at
        else:
            continue
        out.append(
            CalendarEvent(
                f"hop-{sub.platform}-{sub.chat_id}-{y}-{m:02d}@{DOMAIN}",
                f"Họp chi bộ tháng {m}/{y}",
                day,
                time.fromisoformat(at) if at else None,
                alarms=_alarms(sub.lead_days, sub.reminder_time) if not at else (),
            )
        )
    return out


def _own_dates(sub: Subscription, plans: list[Plan]) -> list[CalendarEvent]:
    names = {e.id: e.name for p in plans for e in p.cell_events}
    out = []
    for event_id, iso in sorted(sub.cell_dates.items()):
        out.append(
            CalendarEvent(
                f"su-kien-{sub.platform}-{sub.chat_id}-{event_id}@{DOMAIN}",
                names.get(event_id, event_id),
                date.fromisoformat(iso),
                alarms=_alarms(sub.lead_days, sub.reminder_time),
            )
        )
    return out


def chat_events(sub: Subscription, plans: list[Plan]) -> list[CalendarEvent]:
    alarms = _alarms(sub.lead_days, sub.reminder_time)
    out = _meetings(sub, plans) + _own_dates(sub, plans)
    for plan in plans:
        out += _deadlines(plan, sub.cell(), alarms) + _topics(plan)
    return sorted(out, key=lambda e: (e.day, e.uid))


def committee_events(plans: list[Plan]) -> list[CalendarEvent]:
    alarms = _alarms(DEFAULT_LEAD_DAYS, DEFAULT_REMINDER_TIME)
    out = []
    for plan in plans:
        out += _deadlines(plan, plan_calendar.Cell(), alarms) + _topics(plan)
    return sorted(out, key=lambda e: (e.day, e.uid))


# -- the file ---------------------------------------------------------------------------------


async def sequences(store: Store, token: str, events: list[CalendarEvent]) -> dict[str, int]:
    """Each event's SEQUENCE: kept per feed in the store, one higher whenever the event changed."""
    key = f"ics:seq:{token}"
    known: dict[str, list[Any]] = dict(store.runtime(key) or {})
    changed = False
    for e in events:
        digest = e.digest()
        seen = known.get(e.uid)
        if seen is None:
            known[e.uid] = [digest, 0]
            changed = True
        elif seen[0] != digest:
            known[e.uid] = [digest, int(seen[1]) + 1]
            changed = True
    if changed:
        await store.set_runtime(key, known)
    return {uid: int(v[1]) for uid, v in known.items()}


def ics_bytes(
    name: str, events: list[CalendarEvent], now: datetime, seq: dict[str, int] | None = None
) -> bytes:
    """The feed as an iCalendar file, in Vietnam's time zone."""
    cal = Calendar()
    cal.add("prodid", "-//Tro ly Chi bo//chibo//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(TZ))
    cal.add_component(Timezone.from_tzinfo(TZ, first_date=date(2020, 1, 1)))
    stamp = now.astimezone(TZ)
    for e in events:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("summary", e.title)
        ev.add("sequence", (seq or {}).get(e.uid, 0))
        if e.at is None:
            ev.add("dtstart", e.day)
            ev.add("dtend", e.day + timedelta(days=1))
            ev.add("transp", "TRANSPARENT")
        else:
            start = datetime.combine(e.day, e.at, TZ)
            ev.add("dtstart", start)
            ev.add("dtend", start + timedelta(hours=MEETING_HOURS))
        if e.description:
            ev.add("description", e.description)
        for trigger in e.alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", e.title)
            alarm.add("trigger", trigger)
            ev.add_component(alarm)
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
