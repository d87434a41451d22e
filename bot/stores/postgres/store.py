"""PostgreSQL behind the Store interface, for deployments that outgrow one JSON file or run more
than one process on the same data.

Lifecycle (the pool is bound to the event loop that opened it, so open, use and close on one loop):

    store = await PgStore.open("postgresql://chibo:…@db:5432/chibo")   # migrates, loads, listens
    store.get(...) / store.all() / store.runtime(key)                   # synchronous, from memory
    await store.save(sub); await store.set_runtime(key, value)          # durable when awaited
    await store.aclose()

Why psycopg 3 and not asyncpg: the project's stack names psycopg 3; its binary wheel ships libpq so
nothing is needed from the system; its async API has first-class LISTEN/NOTIFY (`notifies()`), a
maintained pool (psycopg_pool) and libpq's own URL parser, so CHIBO_DB accepts exactly what `psql`
accepts. asyncpg is faster per query, but a chat bot's few writes a second are nowhere near that.

Reads come from memory: bot/stores/postgres/cache.py says how that memory stays fresh when
several processes share the database.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from bot.stores.postgres.cache import NotifiedCache, notify
from bot.stores.postgres.migrations import apply_migrations
from bot.stores.postgres.rows import (
    SELECT_CHATS,
    configure,
    copy_chats,
    one_row,
    sub_from_row,
    write_chat,
)
from bot.stores.postgres.url import check_url, unavailable
from handlers.state import Subscription

POOL_SIZE = 3  # the conversation's saves, the scheduler's, and the listener's re-reads


class PgStore(NotifiedCache):
    """Subscriptions, acknowledgements and runtime values in PostgreSQL; reads from memory.

    Use `await PgStore.open(url)`, not the constructor."""

    @classmethod
    async def open(
        cls, url: str, *, connect_timeout: float = 10.0, retry_delay: float = 1.0
    ) -> PgStore:
        """Migrate the schema, load every chat and runtime value, start listening for writes
        from other processes. Raises DatabaseUnavailable (one Vietnamese line) on a bad URL or
        an unreachable server."""
        check_url(url)
        kwargs: dict[str, Any] = {"connect_timeout": max(1, round(connect_timeout))}
        try:
            async with await psycopg.AsyncConnection.connect(url, **kwargs) as conn:
                await apply_migrations(conn)
        except psycopg.OperationalError as e:
            raise unavailable(url, e) from None
        # A fixed size: a pool that grows does so in background tasks that ignore cancellation
        # while connecting, which would hang a loop shutting down with the store still open.
        pool = AsyncConnectionPool(
            url,
            min_size=POOL_SIZE,
            max_size=POOL_SIZE,
            kwargs=kwargs,
            open=False,
            configure=configure,
        )
        try:
            await pool.open(wait=True, timeout=connect_timeout)
        except Exception as e:
            await pool.close()
            raise unavailable(url, e) from None
        store = cls(url, pool, retry_delay)
        try:
            conn = await store._listen_and_load()
        except psycopg.Error as e:
            await pool.close()
            raise unavailable(url, e) from None
        store._listener = asyncio.create_task(store._listen(conn), name="chibo-pg-listen")
        return store

    @property
    def pool(self) -> AsyncConnectionPool:
        """For each channel's push state and journal, on the same connections."""
        return self._pool

    # -- Store protocol: writes (durable when awaited) ------------------------------------------

    async def save(self, sub: Subscription) -> None:
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            rev = await write_chat(cur, sub)
            await notify(cur, t="c", p=sub.platform, c=sub.chat_id, r=rev)
        self._apply_chat(sub.key, rev, sub)

    async def replace_all(self, subs: Iterable[Subscription], runtime: dict[str, Any]) -> None:
        """Make the database hold exactly these chats and runtime values, in one transaction
        (for `chibo db copy`, and the benchmarks' seeding): a failure half-way leaves the old
        contents whole. Other processes reload once. Chats go in by COPY: 100,000 of them take
        seconds, where one upsert each took minutes."""
        subs = list({sub.key: sub for sub in subs}.values())  # as upserts would: the last wins
        runtime = json.loads(json.dumps(runtime))
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            await cur.execute("DELETE FROM chibo_chats")  # acknowledgements go with them
            await cur.execute("DELETE FROM chibo_runtime")
            await copy_chats(cur, subs)
            for key, value in runtime.items():
                await cur.execute(
                    "INSERT INTO chibo_runtime (key, value, rev)"
                    " VALUES (%s, %s, nextval('chibo_rev'))",
                    [key, Jsonb(value)],
                )
            await notify(cur, t="all")
        await self._reload()

    async def migrate(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """A group that became a supergroup keeps its subscription and acknowledgements under
        its new id (the acknowledgements follow by ON UPDATE CASCADE)."""
        if old_chat_id == new_chat_id:
            return
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            await cur.execute(
                "SELECT 1 FROM chibo_chats WHERE platform = %s AND chat_id = %s FOR UPDATE",
                [platform, old_chat_id],
            )
            if await cur.fetchone() is None:
                return
            # As TinyStore does, the migrated chat replaces anything already under the new id.
            await cur.execute(
                "DELETE FROM chibo_chats WHERE platform = %s AND chat_id = %s",
                [platform, new_chat_id],
            )
            await cur.execute(
                "UPDATE chibo_chats SET chat_id = %s, rev = nextval('chibo_rev'), updated_at = now()"
                " WHERE platform = %s AND chat_id = %s RETURNING rev",
                [new_chat_id, platform, old_chat_id],
            )
            (rev,) = await one_row(cur)
            await cur.execute(
                SELECT_CHATS + " WHERE c.platform = %s AND c.chat_id = %s", [platform, new_chat_id]
            )
            p, c, data, _, done = await one_row(cur)
            await notify(cur, t="d", p=platform, c=old_chat_id, r=rev)
            await notify(cur, t="c", p=platform, c=new_chat_id, r=rev)
        self._apply_chat(f"{platform}:{old_chat_id}", rev, None)
        self._apply_chat(f"{platform}:{new_chat_id}", rev, sub_from_row(p, c, data, done))

    async def set_runtime(self, key: str, value: Any) -> None:
        """Store a JSON value under `key`, durable when this returns; None removes the key. The
        value goes through JSON first, so what `runtime()` returns now is what it returns after a
        restart (tuples come back as lists) and a value JSON cannot hold changes nothing."""
        if not isinstance(key, str) or not key:
            raise ValueError("a runtime key is non-empty text")
        if value is not None:
            value = json.loads(json.dumps(value, ensure_ascii=False, allow_nan=False))
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            if value is None:
                await cur.execute("DELETE FROM chibo_runtime WHERE key = %s", [key])
                await cur.execute("SELECT nextval('chibo_rev')")
                (rev,) = await one_row(cur)
                await notify(cur, t="rd", k=key, r=rev)
            else:
                await cur.execute(
                    "INSERT INTO chibo_runtime (key, value, rev)"
                    " VALUES (%s, %s, nextval('chibo_rev'))"
                    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,"
                    " rev = nextval('chibo_rev'), updated_at = now() RETURNING rev",
                    [key, Jsonb(value)],
                )
                (rev,) = await one_row(cur)
                await notify(cur, t="r", k=key, r=rev)
        self._apply_runtime(key, rev, value)

    # -- closing ---------------------------------------------------------------------------------

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._stop_listening()
        await self._pool.close()

    def close(self) -> asyncio.Task[None] | None:
        """For callers of the synchronous Store.close(). Every write was committed when its
        `save` returned, so closing only releases connections: inside the store's loop this
        schedules `aclose()` and returns the task (await it to be sure); outside, it runs it."""
        if self._closed:
            return None
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            return self._loop.create_task(self.aclose())
        if not self._loop.is_closed() and not self._loop.is_running():
            self._loop.run_until_complete(self.aclose())
            return None
        # The loop is gone: the connections die with it; the server reclaims them.
        self._closed = True
        return None
