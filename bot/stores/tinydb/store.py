"""The Store in one JSON file in TinyDB's layout: atomic writes, a versioned schema, group commit.

Reads come from memory. TinyDB itself re-reads, re-parses and rewrites the whole file on every
write, which grows with every chat held, so the store keeps the file's content in memory instead, with
each document's JSON text: a change re-encodes one document, and one writer thread — never the
event loop — writes the whole file atomically. Saves that arrive while a write is on its way are
applied in memory and go out together in the next write (group commit), so twenty concurrent
saves cost two rewrites, not twenty. A save returns only once its write is on disk; if that write
fails, every save of its batch raises.

The file stays TinyDB's: {table: {doc id: document}}, readable by TinyDB and by older versions.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from bot.collector import collector_paused
from bot.files import (
    KeptAside,
    atomic_write,
    encode,
    parse_tables,
    read_tables,
    remove_interrupted_writes,
    set_records_aside,
)
from bot.stores.tinydb.lock import held_by_another
from handlers.marks import done_records
from handlers.state import ChatListener, Subscription

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
SUBS, META, RUNTIME = "subscriptions", "meta", "runtime"
LOST = (
    "every chat's subscription and settings, and the channels' runtime values "
    "(polling offsets, handled messages, send counters)"
)


class AtomicJSONStorage(Storage):
    """For TinyDB users of the same layout (benchmarks): the same atomic write as the store."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return parse_tables(raw) if raw.strip() else None

    def write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, encode(data))

    def close(self) -> None:
        pass


def _v1_to_v2(tables: dict[str, Any]) -> None:
    """v1 kept one plan per chat as "plan_id"; v2 lets a cell follow several plans."""
    for doc in tables.get(SUBS, {}).values():
        plan = doc.pop("plan_id", None)
        doc.setdefault("plan_ids", [plan] if plan else [])


def _v2_to_v3(tables: dict[str, Any]) -> None:
    """v2 kept the marks done as {"plan|item": record}; v3 as a list of records naming both."""
    for doc in tables.get(SUBS, {}).values():
        if isinstance(doc.get("done"), dict):
            doc["done"] = done_records(doc["done"])


MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3}  # version n → n + 1, applied in order at start


# Sets a record aside: (table, doc id or None for the whole table, the record, why)
Reject = Callable[[str, str | None, Any, str], None]


def _dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)


class _Texts:
    """The file's content as encoded entries per document, {table: {doc id: b'"id": {...}'}}: a
    write joins bytes, re-encoding only the documents that changed."""

    def __init__(self, tables: dict[str, dict[str, Any]]) -> None:
        self.entries = {
            t: {i: _entry(i, _dumps(d)) for i, d in docs.items()} for t, docs in tables.items()
        }
        self._next = {t: max(map(int, docs), default=0) + 1 for t, docs in tables.items()}
        self.changes = 0

    def new_id(self, table: str) -> str:
        n = self._next.get(table, 1)
        self._next[table] = n + 1
        return str(n)

    def put(self, table: str, doc_id: str, text: str) -> None:
        self.entries.setdefault(table, {})[doc_id] = _entry(doc_id, text)
        self.changes += 1

    def drop(self, table: str, doc_id: str) -> None:
        self.entries.get(table, {}).pop(doc_id, None)
        self.changes += 1

    def snapshot(self) -> list[tuple[str, list[bytes]]]:
        """A copy the writer thread can render while the event loop goes on changing entries."""
        return [(t, list(entries.values())) for t, entries in self.entries.items()]


def _entry(doc_id: str, text: str) -> bytes:
    return f'"{doc_id}": {text}'.encode()


def render(snapshot: list[tuple[str, list[bytes]]]) -> bytes:
    """Byte for byte what json.dumps(tables, ensure_ascii=False) gives (doc ids are digits)."""
    return (
        b"{"
        + b", ".join(_dumps(t).encode() + b": {" + b", ".join(docs) + b"}" for t, docs in snapshot)
        + b"}"
    )


def _subscription(doc: dict[str, Any]) -> Subscription:
    for field in ("platform", "chat_id"):
        if not isinstance(doc.get(field), str) or not doc[field]:
            raise ValueError(f"{field} missing or not text")
    return Subscription.from_dict(doc)


class _Loaded:
    """The database file read, shaped, migrated and validated; what failed is set aside."""

    def __init__(self, path: Path, now: datetime, owner: bool = True) -> None:
        tables, self.corruption = read_tables(path, LOST, now, owner)
        self.write_back = False  # the cleaned or migrated content must replace the file
        rejected: dict[str, Any] = {}
        problems: list[str] = []

        def reject(table: str, doc_id: str | None, value: Any, why: str) -> None:
            if doc_id is None:
                rejected[table] = value
            else:
                rejected.setdefault(table, {})[doc_id] = value
            problems.append(f"{table} {doc_id or '(whole table)'}: {why}")

        for name in list(tables):
            table = tables[name]
            if not isinstance(table, dict):
                reject(name, None, tables.pop(name), "not a mapping of records")
                continue
            for doc_id in [
                i for i, d in table.items() if not (i.isdigit() and isinstance(d, dict))
            ]:
                reject(name, doc_id, table.pop(doc_id), "not a record")

        version = self._version(tables, reject)
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema {version} is newer than this program ({SCHEMA_VERSION})"
            )
        original = copy.deepcopy(tables.get(SUBS, {})) if version < SCHEMA_VERSION else None
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](tables)
            version += 1
            log.info("Database migrated to schema %d", version)
            self.write_back = True
        tables[META] = {"1": {"schema": SCHEMA_VERSION}}

        self.subs: dict[str, tuple[str, Subscription]] = {}
        for doc_id, doc in list(tables.get(SUBS, {}).items()):
            try:
                sub = _subscription(doc)
            except (TypeError, ValueError, KeyError, AttributeError) as e:
                before = original[doc_id] if original else doc
                reject(SUBS, doc_id, before, f"{type(e).__name__}: {e}"[:100])
                del tables[SUBS][doc_id]
                continue
            if sub.key in self.subs:  # a second record of one chat: the later one counts
                old_id = self.subs[sub.key][0]
                reject(SUBS, old_id, tables[SUBS].pop(old_id), f"duplicate of {doc_id}")
            self.subs[sub.key] = (doc_id, sub)

        self.runtime: dict[str, tuple[str, Any]] = {}
        for doc_id, doc in list(tables.get(RUNTIME, {}).items()):
            key = doc.get("key")
            if not isinstance(key, str) or not key or "value" not in doc:
                reject(RUNTIME, doc_id, tables[RUNTIME].pop(doc_id), "needs key and value")
                continue
            if key in self.runtime:
                old_id = self.runtime[key][0]
                reject(RUNTIME, old_id, tables[RUNTIME].pop(old_id), f"duplicate of {doc_id}")
            self.runtime[key] = (doc_id, doc["value"])

        if rejected:
            n = sum(len(v) if isinstance(v, dict) else 1 for v in rejected.values())
            reason = f"{n} record{'s' if n > 1 else ''} failed validation: " + "; ".join(
                problems[:3]
            )
            if owner:
                set_records_aside(path, rejected, reason, "the records set aside", now)
                self.write_back = True
            else:
                log.error("%s: %s; left in place: a running bot owns it", path, reason)
        self.tables = tables
        self.existed = path.exists()

    def _version(self, tables: dict[str, Any], reject: Reject) -> int:
        meta = tables.get(META, {})
        row = meta.get("1")
        if row is not None and isinstance(row.get("schema"), int):
            if row != {"schema": SCHEMA_VERSION} or len(meta) > 1:
                self.write_back = True
            version: int = row["schema"]
            return version
        for doc_id in list(meta):
            reject(META, doc_id, meta.pop(doc_id), "no schema number")
        self.write_back = True
        # no version yet: an empty file is current, data without one is the first layout
        return 1 if tables.get(SUBS) else SCHEMA_VERSION


def runtime_path(path: Path) -> Path:
    return path.with_name(path.name + ".runtime.json")


class TinyStore:
    """Subscriptions in one file; the channels' small runtime values (polling offsets, handled
    update ids, menus, counters) in a small file beside it (`<db>.runtime.json`), so that the
    writes every update makes do not rewrite every chat's data."""

    def __init__(
        self, path: Path, now: datetime, owner: bool | None = None, side: bool = True
    ) -> None:
        self.path = Path(path)
        # `chibo due` beside a running bot reads; only the bot cleans up and sets aside
        owner = not held_by_another(self.path) if owner is None else owner
        if owner:
            remove_interrupted_writes(self.path)
        with collector_paused():  # every chat decoded and built at once: see bot/collector.py
            loaded = _Loaded(self.path, now, owner)
            self._texts = _Texts(loaded.tables)
        self.corruption: KeptAside | None = loaded.corruption
        self._subs = {key: sub for key, (_, sub) in loaded.subs.items()}
        self._sub_ids = {key: doc_id for key, (doc_id, _) in loaded.subs.items()}
        self._runtime = {key: value for key, (_, value) in loaded.runtime.items()}
        self._runtime_ids = {key: doc_id for key, (doc_id, _) in loaded.runtime.items()}
        if owner and loaded.write_back and loaded.existed:
            self._write_snapshot(self._texts.snapshot())
        self._written = self._texts.changes
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tinydb")
        self._batch: asyncio.Future[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._listeners: list[ChatListener] = []
        self._side = TinyStore(runtime_path(self.path), now, owner, side=False) if side else None
        if self._side is not None and self._runtime and not self._side._runtime:
            # values kept in the main file by earlier versions move to the side file at open
            for key, value in self._runtime.items():
                self._side._put_runtime(key, value)
            if owner:
                self._side._write_snapshot(self._side._texts.snapshot())

    # -- Store protocol -------------------------------------------------------------------

    def get(self, platform: str, chat_id: str) -> Subscription | None:
        return self._subs.get(f"{platform}:{chat_id}")

    def all(self) -> list[Subscription]:
        return list(self._subs.values())

    async def save(self, sub: Subscription) -> None:
        self._put_sub(sub)
        await self._commit()

    async def migrate(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        sub = self._subs.get(f"{platform}:{old_chat_id}")
        if sub is None:
            return
        new = sub.but(chat_id=new_chat_id)
        text = _dumps(new.to_dict())
        del self._subs[sub.key]
        self._texts.drop(SUBS, self._sub_ids.pop(sub.key))
        self._changed(sub, gone=True)
        self._put_sub(new, text)
        await self._commit()

    async def replace_all(self, subs: Iterable[Subscription], runtime: dict[str, Any]) -> None:
        """Make the file hold exactly these chats (and its side file these runtime values), for
        `chibo db copy`: every chat goes into one write. Everything is encoded first, so a value
        JSON cannot hold changes nothing."""
        unique = {sub.key: sub for sub in subs}  # as saves would: the last wins
        texts = [(sub, _dumps(sub.to_dict())) for sub in unique.values()]
        for value in runtime.values():
            json.dumps(value, ensure_ascii=False, allow_nan=False)
        for key in list(self._subs):
            self._texts.drop(SUBS, self._sub_ids.pop(key))
            self._changed(self._subs.pop(key), gone=True)
        for sub, text in texts:
            self._put_sub(sub, text)
        await self._commit()
        values = self._side if self._side is not None else self
        for key in values.runtime_keys():
            if key not in runtime:
                values._put_runtime(key, None)
        for key, value in runtime.items():
            values._put_runtime(key, value)
        await values._commit()

    async def catch_up(self) -> None:
        """Nothing to wait for: one process owns the file, and its writes are in memory at once."""

    def on_change(self, listener: ChatListener) -> None:
        """Call listener(its new Subscription, False) whenever a chat changes in memory, and
        (its last Subscription, True) when its key is gone (a migrated group): the scheduler keeps
        its buckets so, instead of walking every chat each minute. Called synchronously, on the
        thread making the change."""
        self._listeners.append(listener)

    def _changed(self, sub: Subscription, gone: bool = False) -> None:
        for listener in self._listeners:
            listener(sub, gone)

    # -- small values for the channels (offsets, handled ids, counters, last menus) ----------

    def runtime(self, key: str) -> Any | None:
        """The value last set for `key` (a copy: change it through set_runtime), or None."""
        if self._side is not None:
            return self._side.runtime(key)
        return copy.deepcopy(self._runtime.get(key))

    def runtime_keys(self) -> list[str]:
        """Every key set, for `chibo db copy`."""
        return self._side.runtime_keys() if self._side is not None else list(self._runtime)

    async def set_runtime(self, key: str, value: Any) -> None:
        """Store a JSON value under `key`, durable when this returns; None removes the key."""
        if self._side is not None:
            return await self._side.set_runtime(key, value)
        self._put_runtime(key, value)
        await self._commit()

    def _put_runtime(self, key: str, value: Any) -> None:
        if not isinstance(key, str) or not key:
            raise ValueError("a runtime key is non-empty text")
        if value is None:
            doc_id = self._runtime_ids.pop(key, None)
            self._runtime.pop(key, None)
            if doc_id is not None:
                self._texts.drop(RUNTIME, doc_id)
        else:
            text = json.dumps({"key": key, "value": value}, ensure_ascii=False, allow_nan=False)
            self._runtime[key] = json.loads(text)[
                "value"
            ]  # as it will read back: lists, not tuples
            if key not in self._runtime_ids:
                self._runtime_ids[key] = self._texts.new_id(RUNTIME)
            self._texts.put(RUNTIME, self._runtime_ids[key], text)

    # -- group commit -----------------------------------------------------------------------

    def _put_sub(self, sub: Subscription, text: str | None = None) -> None:
        text = text or _dumps(sub.to_dict())  # encode first: a bad value changes nothing
        self._subs[sub.key] = sub
        if sub.key not in self._sub_ids:
            self._sub_ids[sub.key] = self._texts.new_id(SUBS)
        self._texts.put(SUBS, self._sub_ids[sub.key], text)
        self._changed(sub)

    async def _commit(self) -> None:
        """Wait until a write that began after this change has reached the disk."""
        loop = asyncio.get_running_loop()
        if self._batch is not None and self._batch.get_loop() is not loop:
            self._batch = None  # left by a loop that stopped mid-write; close() or we write it
        if self._batch is None:
            self._batch = loop.create_future()
            if (
                self._flusher is None
                or self._flusher.done()
                or self._flusher.get_loop() is not loop
            ):
                self._flusher = loop.create_task(self._flush())
        # shield: one caller cancelled must not cancel the write the others wait for
        await asyncio.shield(self._batch)

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self._batch is not None:
            batch, self._batch = self._batch, None
            changes, snapshot = self._texts.changes, self._texts.snapshot()
            try:
                await loop.run_in_executor(self._writer, self._write_snapshot, snapshot)
            except asyncio.CancelledError:
                batch.cancel()
                raise
            except Exception as e:  # nobody in this batch is told "saved"
                batch.set_exception(e)
            else:
                self._written = max(self._written, changes)
                batch.set_result(None)

    def _write_snapshot(self, snapshot: list[tuple[str, list[bytes]]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, render(snapshot))

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
        self._writer.shutdown(wait=True)
        if self._written < self._texts.changes:  # changed in memory, the loop gone before writing
            try:
                self._write_snapshot(self._texts.snapshot())
            except OSError as e:
                log.error("Could not write %s at close: %s", self.path, e)
