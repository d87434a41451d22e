"""Duties a chat marked ✅ Đã hoàn thành, as stored and as read back from older data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from schedules import vi_format
from schedules.plan_calendar import ItemRef


def stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Done:
    """A duty a chat marked ✅ Đã hoàn thành: which one, who pressed (the name shown: theirs,
    or their id when they had none), their id (absent in the oldest records) and when."""

    item: ItemRef
    by: str
    at: datetime
    user_id: str | None = None

    @property
    def when(self) -> str:
        """The moment as the chat was told it ("9:30 Thứ Tư, 6/7/2022")."""
        return vi_format.moment(self.at)

    def to_dict(self) -> dict:
        return {
            "plan": self.item.plan_id,
            "item": self.item.item_id,
            "by": self.by,
            "user_id": self.user_id,
            "at": stamp(self.at),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Done:
        item = ItemRef(str(data["plan"]), str(data["item"]))
        return cls(item, str(data["by"]), datetime.fromisoformat(data["at"]), data.get("user_id"))


def done_records(stored: list | dict | None) -> list[dict]:
    """The stored marks as a list of Done.to_dict() records. Before typed marks they were one
    mapping keyed "plan|item" (item ids may hold "|", plan ids never do): this is the one place
    that key is taken apart, for data written then (TinyDB's v2→v3 migration, old documents)."""
    if not isinstance(stored, dict):
        return list(stored or ())
    out = []
    for key, record in stored.items():
        plan_id, _, item_id = key.partition("|")
        out.append(
            {**(record if isinstance(record, dict) else {}), "plan": plan_id, "item": item_id}
        )
    return out
