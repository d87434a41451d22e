"""TinyDB behind the Store interface: atomic writes, a versioned schema, writes off the event loop.

TinyDB rewrites its whole file on every write (about 130 ms at 10,000 documents), so every write
runs on one dedicated thread — in order, never on the event loop — while reads come from memory.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from handlers.state import Subscription

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2


class CorruptDatabase(Exception):
    def __init__(self, path: Path, kept_as: Path) -> None:
        super().__init__(f"{path} was corrupt; kept aside as {kept_as}")
        self.path, self.kept_as = path, kept_as


class AtomicJSONStorage(Storage):
    """Write to a temporary file, fsync, rename: a crash or a full disk never leaves half a file."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def read(self):
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        if not text.strip():
            return None
        return json.loads(text)

    def write(self, data) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def close(self) -> None:
        pass


def _check_readable(path: Path, now: datetime) -> CorruptDatabase | None:
    """A file that is not valid JSON is moved aside (never silently replaced) and reported."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        if not isinstance(data, dict):
            raise ValueError("top level is not an object")
        return None
    except (ValueError, UnicodeDecodeError):
        kept = path.with_name(f"{path.name}.corrupt-{now:%Y%m%dT%H%M%S}")
        path.rename(kept)
        log.error("Database %s is corrupt; kept aside as %s and starting empty", path, kept)
        return CorruptDatabase(path, kept)


def _v1_to_v2(db: TinyDB) -> None:
    """v1 kept one plan per chat as "plan_id"; v2 lets a cell follow several plans."""

    def transform(doc: dict) -> None:
        plan = doc.pop("plan_id", None)
        doc.setdefault("plan_ids", [plan] if plan else [])

    db.table("subscriptions").update(transform)


MIGRATIONS = {1: _v1_to_v2}  # version n → n + 1, applied in order at start


def _migrate(db: TinyDB) -> None:
    meta = db.table("meta")
    row = meta.get(doc_id=1)
    if row:
        version = row["schema"]
    else:  # no version yet: an empty file is current, data without one is the first layout
        version = 1 if len(db.table("subscriptions")) else SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema {version} is newer than this program ({SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](db)
        version += 1
        log.info("Database migrated to schema %d", version)
    if not row or row["schema"] != version:
        meta.truncate()
        meta.insert({"schema": version})


class TinyStore:
    """Subscriptions (and, for the scheduler, push state) in one TinyDB file."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.path = Path(path)
        self.corruption = _check_readable(self.path, now)
        self.db = TinyDB(str(self.path), storage=AtomicJSONStorage)
        _migrate(self.db)
        self._subs = {
            d["platform"] + ":" + d["chat_id"]: Subscription.from_dict(d)
            for d in self.db.table("subscriptions").all()
        }
        self._runtime = {
            d["key"]: d.get("value") for d in self.db.table("runtime").all() if "key" in d
        }
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tinydb")

    # -- runtime state of the channels (offsets, handled ids, menus, counters) ------------------

    def runtime(self, key: str):
        return self._runtime.get(key)

    async def set_runtime(self, key: str, value) -> None:
        self._runtime[key] = value
        await self._run(self._write_runtime, key, value)

    def _write_runtime(self, key: str, value) -> None:
        self.db.table("runtime").upsert({"key": key, "value": value}, Query().key == key)

    # -- Store protocol -------------------------------------------------------------------

    def get(self, platform: str, chat_id: str) -> Subscription | None:
        return self._subs.get(f"{platform}:{chat_id}")

    def all(self) -> list[Subscription]:
        return list(self._subs.values())

    async def save(self, sub: Subscription) -> None:
        self._subs[sub.key] = sub
        await self._run(self._write_sub, sub)

    async def migrate(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        sub = self._subs.pop(f"{platform}:{old_chat_id}", None)
        if sub is None:
            return
        new = sub.but(chat_id=new_chat_id)
        self._subs[new.key] = new
        await self._run(self._migrate_sub, platform, old_chat_id, new)

    # -- the writer thread ----------------------------------------------------------------

    async def _run(self, fn, *args) -> None:
        await asyncio.get_running_loop().run_in_executor(self._writer, fn, *args)

    def _write_sub(self, sub: Subscription) -> None:
        q = Query()
        self.db.table("subscriptions").upsert(
            sub.to_dict(), (q.platform == sub.platform) & (q.chat_id == sub.chat_id)
        )

    def _migrate_sub(self, platform: str, old: str, new: Subscription) -> None:
        q = Query()
        table = self.db.table("subscriptions")
        table.remove((q.platform == platform) & (q.chat_id == old))
        table.upsert(new.to_dict(), (q.platform == platform) & (q.chat_id == new.chat_id))

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self.db.close()
