"""The in-memory cache a PostgreSQL store reads from, kept fresh by LISTEN/NOTIFY.

The conversation reads synchronously, so a read cannot go to the server. To keep the cache fresh
when several processes share the database, every write bumps the row's `rev` (one sequence for
the whole database; a row's revisions only grow, because the row lock orders writers) and, in the
same transaction, NOTIFYs `chibo_changes` with the row's key and rev. Each store keeps
one extra connection LISTENing; on a notice it re-reads that row and applies it only if its rev is
not older than what the cache already holds (so a late re-read never undoes a newer write, and a
store's own writes are visible to itself the moment `save` returns). A deleted row (a group that
became a supergroup) leaves its rev behind as a tombstone for the same reason. PostgreSQL delivers
notices in commit order, so `await store.catch_up()` — which sends itself a marker notice and waits
for it — returns once every write committed before the call is in the cache. Between a commit
elsewhere and the notice arriving (milliseconds) a read may be stale; nothing else is. If the
listening connection drops, the store reconnects, LISTENs again and reloads everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import uuid
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from bot.collector import collector_paused
from bot.stores.postgres.rows import SELECT_CHATS, sub_from_row
from bot.stores.postgres.url import reason
from handlers.state import ChatListener, Subscription

log = logging.getLogger(__name__)

CHANNEL = "chibo_changes"
RELOAD_BATCH = 5000  # chats fetched a round trip when every chat is read


class _Stop(Exception):
    """The listener's own stop notice: the cache was closed."""


async def notify(cur: psycopg.AsyncCursor, **payload: Any) -> None:
    """Tell every process's cache (this one's too) of a change, when the transaction commits."""
    await cur.execute("SELECT pg_notify(%s, %s)", [CHANNEL, json.dumps(payload)])


class NotifiedCache:
    """Every chat and runtime value of one database in memory, each with the revision it was
    read at; a notice of a newer revision re-reads the row. Reads are synchronous.

    Writers (PgStore) apply their own writes with `_apply_chat` / `_apply_runtime` once committed."""

    def __init__(self, url: str, pool: AsyncConnectionPool, retry_delay: float) -> None:
        self.url = url
        self.corruption = None  # what TinyStore reports about a damaged file; a server has none
        self._pool = pool
        self._retry_delay = retry_delay
        self._subs: dict[str, Subscription] = {}
        self._listeners: list[ChatListener] = []
        self._runtime: dict[str, Any] = {}
        # the revision each cached chat / runtime value has; a chat's keyed by the same string
        # object as self._subs (a tuple key per chat cost 100,000 tuples and key strings)
        self._chat_revs: dict[str, int] = {}
        self._runtime_revs: dict[str, int] = {}
        self._barriers: dict[str, asyncio.Future[None]] = {}
        self._listener: asyncio.Task[None] | None = None
        self._loop = asyncio.get_running_loop()
        self._closed = False
        self._token = uuid.uuid4().hex  # tells this store's own stop notice from others'

    # -- Store protocol: reads ----------------------------------------------------------------

    def get(self, platform: str, chat_id: str) -> Subscription | None:
        return self._subs.get(f"{platform}:{chat_id}")

    def all(self) -> list[Subscription]:
        return list(self._subs.values())

    def runtime(self, key: str) -> Any | None:
        """The value last set for `key` (a copy: change it through set_runtime), or None."""
        return copy.deepcopy(self._runtime.get(key))

    def runtime_keys(self) -> list[str]:
        return list(self._runtime)

    async def catch_up(self, timeout: float = 10.0) -> None:
        """Return once every write committed (by any process) before this call is in the cache."""
        marker = uuid.uuid4().hex
        fut = self._loop.create_future()
        self._barriers[marker] = fut
        try:
            async with self._pool.connection() as conn, conn.cursor() as cur:
                await notify(cur, t="b", id=marker)
            await asyncio.wait_for(fut, timeout)
        finally:
            self._barriers.pop(marker, None)

    # -- the cache ---------------------------------------------------------------------------------

    def _apply_chat(self, key: str, rev: int, sub: Subscription | None) -> None:
        if rev < self._chat_revs.get(key, 0):
            return  # an older state arriving late: the cache already has something newer
        self._chat_revs[key] = rev
        if sub is None:
            old = self._subs.pop(key, None)
            if old is not None:
                self._changed(old, gone=True)
        else:
            self._subs[key] = sub
            self._changed(sub)

    def on_change(self, listener: ChatListener) -> None:
        """As TinyStore.on_change: told of every chat that changed in the cache — by this process
        or, through LISTEN/NOTIFY, by another — so the scheduler need not walk every chat."""
        self._listeners.append(listener)

    def _changed(self, sub: Subscription, gone: bool = False) -> None:
        for listener in self._listeners:
            listener(sub, gone)

    def _apply_runtime(self, key: str, rev: int, value: Any) -> None:
        if rev < self._runtime_revs.get(key, 0):
            return
        self._runtime_revs[key] = rev
        if value is None:
            self._runtime.pop(key, None)
        else:
            self._runtime[key] = value

    async def _reload(self) -> None:
        """Everything from one snapshot; rows gone from it leave the cache (a write of our own
        that commits meanwhile comes back with its notice). With the collector paused: see
        bot/collector.py."""
        with collector_paused():
            await self._reload_unpaused()

    async def _reload_unpaused(self) -> None:
        async with self._pool.connection() as conn, conn.transaction():
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # Chats and acknowledgements apart, in the one snapshot: most chats have none, and
            # aggregating (then decoding) an empty object for each of 100,000 cost seconds.
            acks: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for p, c, plan_id, item_id, record in await (
                await conn.execute(
                    "SELECT platform, chat_id, plan_id, item_id, record FROM chibo_acks"
                )
            ).fetchall():
                acks.setdefault((p, c), []).append({**record, "plan": plan_id, "item": item_id})
            values = await (
                await conn.execute("SELECT key, value, rev FROM chibo_runtime ORDER BY rev")
            ).fetchall()
            # The chats through a server-side cursor, a batch at a time, each row made a
            # Subscription as it comes: every row decoded at once held all the decoded rows
            # beside their Subscriptions at start-up, and the heap they left behind stayed in the
            # process's resident memory.
            seen = set()
            async with conn.cursor("chibo_reload") as cur:
                await cur.execute(
                    "SELECT platform, chat_id, data, rev FROM chibo_chats ORDER BY rev"
                )
                while rows := await cur.fetchmany(RELOAD_BATCH):
                    for p, c, data, rev in rows:
                        key = f"{p}:{c}"
                        seen.add(key)
                        sub = sub_from_row(p, c, data, acks.get((p, c), []))
                        self._apply_chat(key, rev, sub)
        for key in [k for k in self._subs if k not in seen]:
            self._chat_revs.pop(key, None)
            self._changed(self._subs.pop(key), gone=True)
        for key, value, rev in values:
            self._apply_runtime(key, rev, value)
        for key in set(self._runtime) - {row[0] for row in values}:
            self._runtime.pop(key, None)
            self._runtime_revs.pop(key, None)

    async def _reread_chat(self, platform: str, chat_id: str) -> None:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                SELECT_CHATS + " WHERE c.platform = %s AND c.chat_id = %s", [platform, chat_id]
            )
            row = await cur.fetchone()
        if row is not None:  # gone meanwhile: its deletion notice follows
            p, c, data, rev, done = row
            self._apply_chat(f"{p}:{c}", rev, sub_from_row(p, c, data, done))

    async def _reread_runtime(self, key: str) -> None:
        async with self._pool.connection() as conn:
            cur = await conn.execute("SELECT value, rev FROM chibo_runtime WHERE key = %s", [key])
            row = await cur.fetchone()
        if row is not None:
            self._apply_runtime(key, row[1], row[0])

    # -- listening for other processes' writes ---------------------------------------------------

    async def _listen_and_load(self) -> psycopg.AsyncConnection:
        conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
        try:
            await conn.execute(f"LISTEN {CHANNEL}")  # before loading, so no write falls between
            # Only the markers already waiting when the reload starts are answered by it: a
            # catch_up that began later may follow a write the reload's snapshot missed; its own
            # marker comes through this LISTEN, after that write's notice.
            waiting = list(self._barriers.values())
            await self._reload()
        except BaseException:
            await conn.close()
            raise
        for fut in waiting:
            if not fut.done():
                fut.set_result(None)
        return conn

    async def _on_notice(self, payload: str) -> None:
        note = json.loads(payload)
        kind = note.get("t")
        if kind == "stop" and note.get("id") == self._token:
            raise _Stop
        if kind == "b":
            fut = self._barriers.get(note.get("id"))
            if fut is not None and not fut.done():
                fut.set_result(None)
        elif kind == "c":
            key = f"{note['p']}:{note['c']}"
            if self._chat_revs.get(key, 0) < note["r"]:  # our own writes are already here
                await self._reread_chat(note["p"], note["c"])
        elif kind == "d":
            self._apply_chat(f"{note['p']}:{note['c']}", note["r"], None)
        elif kind == "r":
            if self._runtime_revs.get(note["k"], 0) < note["r"]:
                await self._reread_runtime(note["k"])
        elif kind == "rd":
            self._apply_runtime(note["k"], note["r"], None)
        elif kind == "all":
            await self._reload()

    async def _listen(self, conn: psycopg.AsyncConnection | None) -> None:
        me = asyncio.current_task()
        while not self._closed:
            if conn is None:
                try:
                    conn = await self._listen_and_load()
                    log.info("PostgreSQL notifications resumed; cache reloaded")
                except Exception as e:
                    log.warning("PostgreSQL unreachable (%s); retrying", reason(e, None))
                    await asyncio.sleep(self._retry_delay)
                    continue
            try:
                async for notice in conn.notifies():
                    await self._on_notice(notice.payload)
                    # Python 3.11's asyncio.wait_for (inside psycopg_pool's getconn) can swallow
                    # a cancellation that lands as a connection is handed over; the task still
                    # counts it, so honour it here or asyncio.run's shutdown waits forever.
                    if me is not None and me.cancelling():
                        raise asyncio.CancelledError
            except _Stop:
                return
            except Exception as e:  # whatever broke, a dead listener would leave the cache stale
                # for good: start over with a reload.
                log.warning("PostgreSQL notifications interrupted (%s); reconnecting", e)
            finally:
                with contextlib.suppress(Exception):
                    await conn.close()
                conn = None
            if not self._closed:
                await asyncio.sleep(self._retry_delay)

    async def _stop_listening(self) -> None:
        """Stop the listener (a notice of its own stops it between notices; cancelling, which
        _listen also honours, is kept for a listener that is reconnecting) and the barriers."""
        if self._listener is not None:
            with contextlib.suppress(psycopg.Error):
                async with self._pool.connection() as conn, conn.cursor() as cur:
                    await notify(cur, t="stop", id=self._token)
            done, _ = await asyncio.wait([self._listener], timeout=5)
            if not done:
                self._listener.cancel()
                await asyncio.wait([self._listener], timeout=5)
        for fut in self._barriers.values():
            fut.cancel()
