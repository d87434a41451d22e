"""The scheduler's push state: the watermark every chat was served up to, and the few chats left
behind by a failed send. One small file next to the database, written once per tick."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from pathlib import Path

from bot.files import (
    atomic_write,
    encode,
    read_tables,
    remove_interrupted_writes,
    set_records_aside,
)

TABLE = "push"


def _lost(path: Path) -> str:
    """A damaged state restarts the tick at "now": say which pushes that skips and how to see them."""
    try:
        since = datetime.fromtimestamp(os.stat(path).st_mtime).strftime("%Y-%m-%dT%H:%M")
    except OSError:
        since = "the last tick"
    return (
        f"the watermark: pushes due between the last tick (file last written {since}) and this "
        f"start are not sent; list them with `chibo due --from {since} --to <now>`"
    )


class PushState:
    """{watermark, chats behind} in TinyDB's layout ({"push": {"1": {...}}})."""

    def __init__(self, path: Path, now: datetime | None = None) -> None:
        self.path = Path(path)
        remove_interrupted_writes(self.path)
        tables, self.corruption = read_tables(self.path, _lost(self.path), now)
        self.watermark: datetime | None = None
        self.behind: dict[str, datetime] = {}
        table = tables.get(TABLE, {})
        try:
            row = table.get("1") or {}
            mark = row.get("watermark")
            self.watermark = datetime.fromisoformat(mark) if mark is not None else None
            self.behind = {
                str(k): datetime.fromisoformat(v) for k, v in row.get("behind", {}).items()
            }
        except (AttributeError, TypeError, ValueError) as e:
            self.watermark, self.behind = None, {}
            set_records_aside(
                self.path,
                {TABLE: table},
                f"the record failed validation: {e}"[:140],
                _lost(self.path),
                now,
            )

    def _write(self) -> None:
        row = {
            "watermark": self.watermark.isoformat() if self.watermark else None,
            "behind": {k: v.isoformat() for k, v in self.behind.items()},
        }
        atomic_write(self.path, encode({TABLE: {"1": row}}))

    async def load(self) -> None:
        """Read at construction already: one process owns the file."""

    async def save(self) -> None:
        await asyncio.to_thread(self._write)

    def start_of(self, chat_key: str) -> datetime:
        return self.behind.get(chat_key, self.watermark)  # type: ignore[return-value]
