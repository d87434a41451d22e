"""What the bot remembers of a chat, and the store interface the conversation needs.

The conversation only sees this Protocol; bot/storage.py implements it on TinyDB.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Protocol

from schedules.calendar import Cell
from schedules.meetings import MeetingRule

MEETING_PREFIX = "meeting@"  # cell_dates key of a one-off meeting day: "meeting@2022-09"
DEFAULT_REMINDER_TIME = "07:30"
DEFAULT_LEAD_DAYS = (7, 3, 1, 0)


@dataclass(frozen=True)
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
    created_by: str = ""  # "user id (name)"
    created_at: str = ""
    active: bool = True  # false once the chat blocked or removed the bot
    introduced: bool = False
    pending: dict = field(default_factory=dict)  # a settings change awaiting its value or "Lưu"
    done: dict[str, dict] = field(default_factory=dict)  # "plan|item" → {"by": …, "at": …}

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.chat_id}"

    def cell(self) -> Cell:
        """The cell as the calendar sees it: its name and the event dates it fixed itself."""
        dates = {
            k: date.fromisoformat(v)
            for k, v in self.cell_dates.items()
            if not k.startswith(MEETING_PREFIX)
        }
        return Cell(self.cell_name, dates)

    def meeting_overrides(self) -> dict[tuple[int, int], date]:
        """Months whose meeting the cell moved to a given day: (year, month) → day."""
        out = {}
        for key, iso in self.cell_dates.items():
            if key.startswith(MEETING_PREFIX):
                y, m = key[len(MEETING_PREFIX) :].split("-")
                out[(int(y), int(m))] = date.fromisoformat(iso)
        return out

    def with_meeting_on(self, day: date) -> Subscription:
        key = f"{MEETING_PREFIX}{day.year}-{day.month:02d}"
        return replace(self, cell_dates={**self.cell_dates, key: day.isoformat()})

    def to_dict(self) -> dict:
        data = asdict(self)
        data["plan_ids"] = list(self.plan_ids)
        data["lead_days"] = list(self.lead_days)
        data["meeting_rule"] = self.meeting_rule.to_dict() if self.meeting_rule else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Subscription:
        data = dict(data)
        data["plan_ids"] = tuple(data.get("plan_ids", ()))
        data["lead_days"] = tuple(data.get("lead_days", DEFAULT_LEAD_DAYS))
        rule = data.get("meeting_rule")
        data["meeting_rule"] = MeetingRule.from_dict(rule) if rule else None
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def but(self, **changes) -> Subscription:
        return replace(self, **changes)


def stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


class Store(Protocol):
    """Chats and their subscriptions. Reads are from memory; writes are durable when awaited."""

    def get(self, platform: str, chat_id: str) -> Subscription | None: ...

    def all(self) -> list[Subscription]: ...

    async def save(self, sub: Subscription) -> None: ...

    async def migrate(self, platform: str, old_chat_id: str, new_chat_id: str) -> None: ...


class MemoryStore:
    """A Store for tests and for `chibo demo` without --db."""

    def __init__(self) -> None:
        self._subs: dict[str, Subscription] = {}

    def get(self, platform: str, chat_id: str) -> Subscription | None:
        return self._subs.get(f"{platform}:{chat_id}")

    def all(self) -> list[Subscription]:
        return list(self._subs.values())

    async def save(self, sub: Subscription) -> None:
        self._subs[sub.key] = sub

    async def migrate(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        sub = self._subs.pop(f"{platform}:{old_chat_id}", None)
        if sub:
            await self.save(sub.but(chat_id=new_chat_id))
