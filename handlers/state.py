"""What the bot remembers of a chat, and the store interface the conversation needs.

The conversation only sees this Protocol; bot/stores/tinydb/store.py implements it on TinyDB.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time
from typing import Any, Protocol

from handlers.marks import Done, done_records
from schedules.meetings import MeetingRule, MovedMeeting
from schedules.plan_calendar import Cell, ItemRef
from schedules.pushes import Pause, Snooze

DEFAULT_REMINDER_TIME = "07:30"
DEFAULT_LEAD_DAYS = (7, 3, 1, 0)

# Stored data from before typed fields: one-off meeting days lived in cell_dates under this prefix
# ("meeting@2022-09"), and the subscriber was one string "user id (name)".
_OLD_MEETING_PREFIX = "meeting@"
_OLD_CREATED_BY = re.compile(r"^(?P<id>\S+)(?: \((?P<name>.*)\))?$", re.S)


_SHARED: dict[Any, Any] = {}
_SHARED_MAX = 65536  # distinct values; past it the table starts afresh (what is shared stays so)
_RULES: dict[tuple, MeetingRule] = {}  # a stored rule's items → the one MeetingRule for them


def shared(value: Any) -> Any:
    """One object for equal immutable values many chats hold (a plan-id tuple, "07:30", a lead-days
    tuple): without it every chat keeps its own copy of values that few distinct ones cover."""
    if len(_SHARED) > _SHARED_MAX:
        _SHARED.clear()
    try:
        return _SHARED.setdefault(value, value)
    except TypeError:  # not hashable (a hand-edited record): kept as it is, per chat
        return value


def _rule(stored: dict) -> MeetingRule:
    """The MeetingRule of a stored rule, one object for every chat with the same (far fewer
    distinct rules than chats); looked up by the stored items, cheaper than building it."""
    try:
        key = tuple(stored.items())
        rule = _RULES.get(key)
    except TypeError:  # not hashable: built for this chat alone
        return MeetingRule.from_dict(stored)
    if rule is None:
        if len(_RULES) > _SHARED_MAX:
            _RULES.clear()
        rule = _RULES[key] = MeetingRule.from_dict(stored)
    return rule


@dataclass(frozen=True, slots=True)
class Pending:
    """A settings change under way: which setting, who started it, and once given, its value
    (the setting's stored form) awaiting ✅ Lưu."""

    setting: str  # a setting's key: "meeting", "event:hoi-nghi-chuyen-de"
    user_id: str | None = None  # only they answer its prompt in a group (None: anyone)
    value: dict | None = None

    def to_dict(self) -> dict:
        data: dict = {"field": self.setting, "user": self.user_id}
        if self.value is not None:
            data["value"] = self.value
        return data

    @classmethod
    def from_dict(cls, data: dict | None) -> Pending | None:
        if not data or not data.get("field"):
            return None
        return cls(data["field"], data.get("user"), data.get("value"))


@dataclass(frozen=True, slots=True)
class CellFollow:
    """One cell followed by a committee's group (an entry of its roster): the cell's name, its
    meeting rule, its own dates and moved meetings, and its ✅ marks. A private chat or a cell's
    own group keeps these same facts in its Subscription fields; `Subscription.cells()` gives
    either as CellFollow values, so the calendar, the planner and the status read one shape."""

    name: str
    meeting_rule: MeetingRule | None = None
    cell_dates: dict[str, str] = field(default_factory=dict)  # cell event id → ISO date
    meeting_days: dict[tuple[int, int], MovedMeeting] = field(default_factory=dict)
    done: dict[ItemRef, Done] = field(default_factory=dict)

    def cell(self) -> Cell:
        return Cell(self.name, {k: date.fromisoformat(v) for k, v in self.cell_dates.items()})

    def with_done(self, mark: Done) -> CellFollow:
        return replace(self, done={**self.done, mark.item: mark})

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "meeting_rule": self.meeting_rule.to_dict() if self.meeting_rule else None,
            "cell_dates": dict(self.cell_dates),
            "meeting_days": sorted(d.iso() for d in self.meeting_days.values()),
            "done": [mark.to_dict() for mark in self.done.values()],
        }

    @classmethod
    def from_dict(cls, data: dict) -> CellFollow:
        rule = data.get("meeting_rule")
        moved = {}
        for iso in data.get("meeting_days") or ():
            d = MovedMeeting.from_iso(iso)
            moved[(d.day.year, d.day.month)] = d
        marks = map(Done.from_dict, done_records(data.get("done")))
        return cls(
            name=str(data["name"]),
            meeting_rule=_rule(rule) if rule else None,
            cell_dates=dict(data.get("cell_dates") or {}),
            meeting_days=moved,
            done={mark.item: mark for mark in marks},
        )


@dataclass(frozen=True, slots=True)
class Subscription:
    platform: str
    chat_id: str
    plan_ids: tuple[str, ...] = ()
    cell_name: str | None = None
    meeting_rule: MeetingRule | None = None
    cell_dates: dict[str, str] = field(default_factory=dict)  # cell event id → ISO date
    reminder_time: str = DEFAULT_REMINDER_TIME
    lead_days: tuple[int, ...] = DEFAULT_LEAD_DAYS
    is_group: bool = False
    title: str = ""
    created_by_id: str = ""  # who subscribed the chat: they may mark duties done in a group
    created_by_name: str = ""
    created_at: str = ""
    active: bool = True  # false once the chat blocked or removed the bot
    introduced: bool = False
    pending: Pending | None = None
    done: dict[ItemRef, Done] = field(default_factory=dict)  # each one's own item is its key
    # Months whose meeting the cell moved to a given day, whatever its rule says.
    meeting_days: dict[tuple[int, int], MovedMeeting] = field(default_factory=dict)
    pause: Pause | None = None  # reminders held (muted: no end) — see schedules/pushes.py
    snoozes: tuple[Snooze, ...] = ()  # reminders to send once more, at the time the chat chose
    # A committee's group: the cells it follows (empty: the chat is one cell, the fields above)
    roster: tuple[CellFollow, ...] = ()

    @property
    def reminder_at(self) -> time:
        """reminder_time ("07:30", as stored) as the time of day it is."""
        return time.fromisoformat(self.reminder_time)

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.chat_id}"

    def cell(self) -> Cell:
        """The cell as the calendar sees it: its name and the event dates it fixed itself."""
        return Cell(self.cell_name, {k: date.fromisoformat(v) for k, v in self.cell_dates.items()})

    def with_done(self, mark: Done) -> Subscription:
        return replace(self, done={**self.done, mark.item: mark})

    @property
    def is_committee(self) -> bool:
        """A committee's group: it follows a roster of cells, not one cell."""
        return bool(self.roster)

    def own_cell(self) -> CellFollow:
        """The chat's own cell (a private chat or a cell's group) as a roster entry is kept."""
        return CellFollow(
            self.cell_name or "", self.meeting_rule, self.cell_dates, self.meeting_days, self.done
        )

    def cells(self) -> tuple[CellFollow, ...]:
        """The cells this chat follows: its roster, or its own cell."""
        return self.roster or (self.own_cell(),)

    def with_meeting_on(self, day: date, at: str | None = None) -> Subscription:
        moved = MovedMeeting(day, at)
        return replace(self, meeting_days={**self.meeting_days, (day.year, day.month): moved})

    def to_dict(self) -> dict:
        data = asdict(replace(self, done={}, roster=()))  # asdict cannot keep ItemRef keys
        data["done"] = [mark.to_dict() for mark in self.done.values()]
        data["plan_ids"] = list(self.plan_ids)
        data["lead_days"] = list(self.lead_days)
        data["meeting_rule"] = self.meeting_rule.to_dict() if self.meeting_rule else None
        data["pending"] = self.pending.to_dict() if self.pending else {}
        data["meeting_days"] = sorted(d.iso() for d in self.meeting_days.values())
        data["pause"] = _pause_to_dict(self.pause)
        data["snoozes"] = [{"of": s.of.isoformat(), "at": s.at.isoformat()} for s in self.snoozes]
        if self.roster:
            data["roster"] = [c.to_dict() for c in self.roster]
        else:  # a chat of one cell is stored exactly as before rosters existed
            del data["roster"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Subscription:
        """Reads what to_dict wrote, and what earlier versions wrote (see _OLD_*, done_records).
        Reads `data` without copying it (every chat loads at start-up), and shares the values
        many chats hold alike (plan ids, reminder times, lead days, rules: see `shared`)."""
        get = data.get
        rule = get("meeting_rule")
        moved = {}
        for iso in get("meeting_days") or ():
            d = MovedMeeting.from_iso(iso)
            moved[(d.day.year, d.day.month)] = d
        events = {}
        for k, iso in (get("cell_dates") or {}).items():
            if k.startswith(_OLD_MEETING_PREFIX):  # the day itself says which month it moves
                day = date.fromisoformat(iso)
                moved[(day.year, day.month)] = MovedMeeting(day)
            else:
                events[k] = iso
        marks = get("done")
        done = {}
        if marks:
            for mark in map(Done.from_dict, done_records(marks)):
                done[mark.item] = mark
        snoozes = get("snoozes")
        roster = get("roster")
        created_by_id, created_by_name = get("created_by_id", ""), get("created_by_name", "")
        old = _OLD_CREATED_BY.match(get("created_by", "") or "")
        if old and not created_by_id:
            created_by_id, created_by_name = old["id"], old["name"] or ""
        return cls(
            platform=data["platform"],
            chat_id=data["chat_id"],
            plan_ids=shared(tuple(get("plan_ids", ()))),
            cell_name=get("cell_name"),
            meeting_rule=_rule(rule) if rule else None,
            cell_dates=events,
            reminder_time=shared(get("reminder_time", DEFAULT_REMINDER_TIME)),
            lead_days=shared(tuple(get("lead_days", DEFAULT_LEAD_DAYS))),
            is_group=get("is_group", False),
            title=get("title", ""),
            created_by_id=created_by_id,
            created_by_name=created_by_name,
            created_at=get("created_at", ""),
            active=get("active", True),
            introduced=get("introduced", False),
            pending=Pending.from_dict(get("pending")),
            done=done,
            meeting_days=moved,
            pause=_pause_from_dict(get("pause")),
            snoozes=tuple(
                Snooze(datetime.fromisoformat(s["of"]), datetime.fromisoformat(s["at"]))
                for s in snoozes
            )
            if snoozes
            else (),
            roster=tuple(CellFollow.from_dict(c) for c in roster) if roster else (),
        )

    def but(self, **changes) -> Subscription:
        return replace(self, **changes)


def _pause_to_dict(pause: Pause | None) -> dict | None:
    if pause is None:
        return None
    return {"from": pause.start.isoformat(), "until": pause.end.isoformat() if pause.end else None}


def _pause_from_dict(data: dict | None) -> Pause | None:
    if not data:  # data written before pauses existed has none
        return None
    end = data.get("until")
    return Pause(date.fromisoformat(data["from"]), date.fromisoformat(end) if end else None)


# Told of each change to a chat held in memory: its new Subscription, or (gone=True) the last one
# under a key that no longer holds a chat (a migrated group). The Subscription names its platform.
ChatListener = Callable[[Subscription, bool], None]


class Store(Protocol):
    """Chats and their subscriptions. Reads are from memory; writes are durable when awaited."""

    def get(self, platform: str, chat_id: str) -> Subscription | None: ...

    def all(self) -> list[Subscription]: ...

    async def save(self, sub: Subscription) -> None: ...

    async def migrate(self, platform: str, old_chat_id: str, new_chat_id: str) -> None: ...

    # small JSON values beside the chats (who was invited to a plan, which deadline was nudged)
    def runtime(self, key: str) -> Any | None: ...

    async def set_runtime(self, key: str, value: Any) -> None: ...


class MemoryStore:
    """A Store for tests and for `chibo demo` without --db."""

    def __init__(self) -> None:
        self._subs: dict[str, Subscription] = {}
        self._runtime: dict[str, Any] = {}
        self._listeners: list[ChatListener] = []

    def get(self, platform: str, chat_id: str) -> Subscription | None:
        return self._subs.get(f"{platform}:{chat_id}")

    def all(self) -> list[Subscription]:
        return list(self._subs.values())

    async def save(self, sub: Subscription) -> None:
        self._subs[sub.key] = sub
        for listener in self._listeners:
            listener(sub, False)

    async def migrate(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        sub = self._subs.pop(f"{platform}:{old_chat_id}", None)
        if sub:
            for listener in self._listeners:
                listener(sub, True)
            await self.save(sub.but(chat_id=new_chat_id))

    def runtime(self, key: str) -> Any | None:
        return self._runtime.get(key)

    async def set_runtime(self, key: str, value: Any) -> None:
        if value is None:
            self._runtime.pop(key, None)
        else:
            self._runtime[key] = value

    def on_change(self, listener: ChatListener) -> None:
        """As TinyStore.on_change: told of every change, so the scheduler need not walk all."""
        self._listeners.append(listener)
