"""The TinyDB backend: the chat file, each channel's journal and push state in side files beside
it, and one process (the instance lock's) that always leads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.stores.base import Backend, SoleLeadership
from bot.stores.tinydb.journal import Journal
from bot.stores.tinydb.push_state import PushState
from bot.stores.tinydb.store import TinyStore


def side_files(db_path: Path, platform: str) -> tuple[Path, Path]:
    """The journal and push state of one channel. Telegram keeps the names it always had, so an
    existing deployment carries on where it stopped."""
    infix = "" if platform == "telegram" else f".{platform}"
    return (
        db_path.with_name(f"{db_path.name}{infix}.journal"),
        db_path.with_name(f"{db_path.name}{infix}.push.json"),
    )


def tinydb_backend(store: TinyStore) -> Backend:
    """The backend around a store already open; its side files are read when a channel asks."""
    return Backend(
        store,
        new_push_state=lambda platform: PushState(side_files(store.path, platform)[1]),
        new_journal=lambda platform: Journal(side_files(store.path, platform)[0]),
        leadership=SoleLeadership(),
    )


def open_tinydb(path: Path, now: datetime) -> Backend:
    """`now` dates the name a damaged file is kept aside under."""
    return tinydb_backend(TinyStore(Path(path), now))
