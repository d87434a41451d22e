"""PostgreSQL behind the Store interface, for deployments that outgrow one JSON file or run more
than one process on the same data.

Lifecycle (the pool is bound to the event loop that opened it, so open, use and close on one loop):

    store = await PgStore.open("postgresql://chibo:…@db:5432/chibo")   # migrates, loads, listens
    store.get(...) / store.all() / store.runtime(key)                   # synchronous, from memory
    await store.save(sub); await store.set_runtime(key, value)          # durable when awaited
    await store.aclose()                                                # or bot.stores.backend.close_store

Why psycopg 3 and not asyncpg: the project's stack names psycopg 3; its binary wheel ships libpq so
nothing is needed from the system; its async API has first-class LISTEN/NOTIFY (`notifies()`), a
maintained pool (psycopg_pool) and libpq's own URL parser, so CHIBO_DB accepts exactly what `psql`
accepts. asyncpg is faster per query, but a chat bot's few writes a second are nowhere near that.

Keeping the in-memory cache fresh when several processes share the database — the conversation
reads synchronously, so a read cannot go to the server: every write bumps the row's `rev` (one
sequence for the whole database; a row's revisions only grow, because the row lock orders writers)
and, in the same transaction, NOTIFYs `chibo_changes` with the row's key and rev. Each store keeps
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
import re
import uuid
from collections.abc import Iterable
from typing import Any

import orjson
import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb, set_json_loads
from psycopg_pool import AsyncConnectionPool

from bot.collector import collector_paused
from bot.config import ConfigError
from handlers.marks import stamp
from handlers.state import ChatListener, Subscription

log = logging.getLogger(__name__)

CHANNEL = "chibo_changes"
POOL_SIZE = 3  # the conversation's saves, the scheduler's, and the listener's re-reads
RELOAD_BATCH = 5000  # chats fetched a round trip when every chat is read
MIGRATION_LOCK = 0x636869626F  # "chibo": the advisory lock two processes starting at once share

# Schema migrations, applied in order at open; version n is MIGRATIONS[n - 1]. Never edit one that
# has shipped: append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE SEQUENCE chibo_rev;
    -- One row per chat. The columns are what queries need; `data` is the rest of
    -- Subscription.to_dict(), so a new field in Subscription needs no migration here.
    CREATE TABLE chibo_chats (
        platform   text NOT NULL,
        chat_id    text NOT NULL,
        active     boolean,
        is_group   boolean,
        plan_ids   text[] NOT NULL DEFAULT '{}',
        data       jsonb NOT NULL,
        rev        bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (platform, chat_id)
    );
    CREATE INDEX chibo_chats_plan_ids ON chibo_chats USING gin (plan_ids);
    -- One row per acknowledgement (Subscription.done: "plan|item" → {by, at, …}).
    CREATE TABLE chibo_acks (
        platform text NOT NULL,
        chat_id  text NOT NULL,
        ack_key  text NOT NULL,
        by_name  text,
        at       text,          -- as the bot stamped it (ISO 8601); `record` is the whole entry
        record   jsonb NOT NULL,
        PRIMARY KEY (platform, chat_id, ack_key),
        FOREIGN KEY (platform, chat_id) REFERENCES chibo_chats
            ON DELETE CASCADE ON UPDATE CASCADE
    );
    -- Small state the running bot keeps between restarts (JSON values by key).
    CREATE TABLE chibo_runtime (
        key        text PRIMARY KEY,
        value      jsonb NOT NULL,
        rev        bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    """,
    """
    -- The scheduler of each channel (bot/stores/postgres/scheduling.py): its watermark and chats behind …
    CREATE TABLE chibo_push_state (
        platform  text PRIMARY KEY,
        watermark timestamptz,
        behind    jsonb NOT NULL DEFAULT '{}'
    );
    -- … and the keys of pushes sent since its last completed tick.
    CREATE TABLE chibo_journal (
        platform text NOT NULL,
        push_key text NOT NULL,
        PRIMARY KEY (platform, push_key)
    );
    """,
    """
    -- Acknowledgements name their plan and item in columns of their own (Subscription.done keyed
    -- by ItemRef), not one "plan|item" key: plan ids never hold "|", item ids may.
    ALTER TABLE chibo_acks ADD COLUMN plan_id text, ADD COLUMN item_id text;
    UPDATE chibo_acks SET plan_id = split_part(ack_key, '|', 1),
                          item_id = substr(ack_key, strpos(ack_key, '|') + 1);
    ALTER TABLE chibo_acks DROP CONSTRAINT chibo_acks_pkey;
    ALTER TABLE chibo_acks DROP COLUMN ack_key;
    ALTER TABLE chibo_acks ALTER COLUMN plan_id SET NOT NULL, ALTER COLUMN item_id SET NOT NULL,
        ADD PRIMARY KEY (platform, chat_id, plan_id, item_id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

# One statement, so the chat and its acknowledgements come from one snapshot.
_SELECT_CHATS = """
    SELECT c.platform, c.chat_id, c.data, c.rev,
           COALESCE((SELECT jsonb_agg(a.record || jsonb_build_object('plan', a.plan_id,
                                                                      'item', a.item_id))
                     FROM chibo_acks a
                     WHERE a.platform = c.platform AND a.chat_id = c.chat_id), '[]'::jsonb)
    FROM chibo_chats c
"""
_UPSERT_CHAT = """
    INSERT INTO chibo_chats (platform, chat_id, active, is_group, plan_ids, data, rev)
    VALUES (%s, %s, %s, %s, %s::text[], %s, nextval('chibo_rev'))
    ON CONFLICT (platform, chat_id) DO UPDATE SET
        active = EXCLUDED.active, is_group = EXCLUDED.is_group, plan_ids = EXCLUDED.plan_ids,
        data = EXCLUDED.data, rev = nextval('chibo_rev'), updated_at = now()
    RETURNING rev
"""
_UPSERT_ACK = """
    INSERT INTO chibo_acks (platform, chat_id, plan_id, item_id, by_name, at, record)
    VALUES (%s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (platform, chat_id, plan_id, item_id) DO UPDATE SET
        by_name = EXCLUDED.by_name, at = EXCLUDED.at, record = EXCLUDED.record
    WHERE chibo_acks.record IS DISTINCT FROM EXCLUDED.record
"""
_COLUMNS = ("platform", "chat_id", "done")  # kept outside `data`


class _Stop(Exception):
    """The listener's own stop notice: `aclose()` was called."""


class DatabaseUnavailable(ConfigError):
    """One Vietnamese line for the operator: bad URL, server unreachable, schema too new."""


# -- URLs and errors, never showing the password ---------------------------------------------------


def is_postgres_url(db: str) -> bool:
    return bool(re.match(r"^postgres(ql)?://", str(db).strip(), re.IGNORECASE))


def safe_url(url: str) -> str:
    """The URL as an operator may see it in a log: any password replaced by ***."""
    url = re.sub(r"^([a-z]+://[^/@:]*):[^@/]*@", r"\1:***@", url.strip(), flags=re.IGNORECASE)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


def check_url(url: str) -> dict[str, str]:
    """libpq's own parse of the URL, or DatabaseUnavailable naming what is wrong (the parser's
    message quotes the whole URL, password included, so it is never passed on)."""
    example = "viết postgresql://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl"
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise DatabaseUnavailable(
            f"Địa chỉ PostgreSQL không hợp lệ: “{safe_url(url)}” ({example})."
        ) from None
    port = params.get("port")
    if port is not None and not all(p.isdigit() and 0 < int(p) < 65536 for p in port.split(",")):
        raise DatabaseUnavailable(
            f"Địa chỉ PostgreSQL có cổng không hợp lệ “{port}”: “{safe_url(url)}” ({example})."
        )
    return params


def _reason(exc: BaseException, password: str | None) -> str:
    text = str(exc)
    if password:
        text = text.replace(password, "***")
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return "sai tên người dùng hoặc mật khẩu"
    if "does not exist" in low and "database" in low:
        name = re.search(r'database "([^"]+)"', text)
        return f"chưa có cơ sở dữ liệu “{name.group(1) if name else '?'}” (tạo bằng createdb)"
    if "connection refused" in low or "no such file or directory" in low:
        return "máy chủ không nhận kết nối (chưa chạy, sai máy hoặc sai cổng)"
    if "could not translate host name" in low or "name or service not known" in low:
        return "không tìm thấy máy chủ (sai tên máy)"
    if "timeout" in low or "timed out" in low:
        return "quá thời gian chờ kết nối"
    if "no pg_hba.conf entry" in low:
        return "máy chủ không cho phép kết nối từ máy này (pg_hba.conf)"
    first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
    return f"lỗi “{first}”"


def unavailable(url: str, exc: BaseException) -> DatabaseUnavailable:
    password = None
    with contextlib.suppress(psycopg.Error):
        password = conninfo_to_dict(url).get("password")
    return DatabaseUnavailable(
        f"Không kết nối được PostgreSQL “{safe_url(url)}”: {_reason(exc, password)}."
    )


def _loads(data: bytes | str) -> Any:
    """jsonb as Python values, by orjson: 100,000 chats' `data` decode in 0.2 s where the json
    module took 0.7 s (both with the collector paused). What orjson refuses and json reads (an
    integer beyond 64 bits) is read by json."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


async def _configure(conn: psycopg.AsyncConnection) -> None:
    set_json_loads(_loads, conn)


# -- rows ⇄ Subscription, always through to_dict()/from_dict() ------------------------------------


def _sub_from_row(platform: str, chat_id: str, data: dict, done: list) -> Subscription:
    # `data` was decoded for this call alone: filled in place, not copied (100,000 at start-up)
    data["platform"], data["chat_id"], data["done"] = platform, chat_id, done
    return Subscription.from_dict(data)


def _chat_params(sub: Subscription) -> list:
    data = sub.to_dict()
    rest = {k: v for k, v in data.items() if k not in _COLUMNS}
    row = [
        sub.platform,
        sub.chat_id,
        rest.get("active"),
        rest.get("is_group"),
        [str(p) for p in rest.get("plan_ids") or []],
        Jsonb(rest),
    ]
    return row


def _ack_params(sub: Subscription) -> list[tuple]:
    return [
        (sub.platform, sub.chat_id, *mark.item, mark.by, stamp(mark.at), Jsonb(mark.to_dict()))
        for mark in sub.done.values()
    ]


async def _write_chat(cur: psycopg.AsyncCursor, sub: Subscription) -> int:
    await cur.execute(_UPSERT_CHAT, _chat_params(sub))
    (rev,) = await cur.fetchone()
    kept = list(sub.done)
    await cur.execute(
        "DELETE FROM chibo_acks WHERE platform = %s AND chat_id = %s AND (plan_id, item_id) "
        "NOT IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
        [sub.platform, sub.chat_id, [k.plan_id for k in kept], [k.item_id for k in kept]],
    )
    acks = _ack_params(sub)
    if acks:
        await cur.executemany(_UPSERT_ACK, acks)
    return rev


async def _copy_chats(cur: psycopg.AsyncCursor, subs: list[Subscription]) -> None:
    """Into tables just emptied: every chat and acknowledgement by COPY, from the same row
    builders as `_write_chat`, each chat with a revision of its own reserved from the sequence."""
    if not subs:
        return
    await cur.execute(
        "SELECT setval('chibo_rev', nextval('chibo_rev') + %s) - %s", [len(subs) - 1, len(subs) - 1]
    )
    (first,) = await cur.fetchone()
    acks: list[tuple] = []
    async with cur.copy(
        "COPY chibo_chats (platform, chat_id, active, is_group, plan_ids, data, rev) FROM STDIN"
    ) as cp:
        for rev, sub in enumerate(subs, first):
            await cp.write_row([*_chat_params(sub), rev])
            acks += _ack_params(sub)
    if acks:
        async with cur.copy(
            "COPY chibo_acks (platform, chat_id, plan_id, item_id, by_name, at, record) FROM STDIN"
        ) as cp:
            for ack in acks:
                await cp.write_row(ack)


async def _notify(cur: psycopg.AsyncCursor, **payload: Any) -> None:
    await cur.execute("SELECT pg_notify(%s, %s)", [CHANNEL, json.dumps(payload)])


async def _apply_migrations(conn: psycopg.AsyncConnection) -> None:
    async with conn.transaction():
        # Two processes starting at once: the second waits here, then finds nothing left to do.
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS chibo_schema_version ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cur = await conn.execute("SELECT coalesce(max(version), 0) FROM chibo_schema_version")
        (version,) = await cur.fetchone()
        if version > SCHEMA_VERSION:
            raise DatabaseUnavailable(
                f"Cơ sở dữ liệu PostgreSQL có lược đồ phiên bản {version}, mới hơn chương trình "
                f"này ({SCHEMA_VERSION}): hãy cập nhật chibo."
            )
        for n in range(version + 1, SCHEMA_VERSION + 1):
            await conn.execute(MIGRATIONS[n - 1])
            await conn.execute("INSERT INTO chibo_schema_version (version) VALUES (%s)", [n])
            log.info("PostgreSQL schema migrated to version %d", n)


class PgStore:
    """Subscriptions, acknowledgements and runtime values in PostgreSQL; reads from memory.

    Use `await PgStore.open(url)`, not the constructor."""

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
        self._barriers: dict[str, asyncio.Future] = {}
        self._listener: asyncio.Task | None = None
        self._loop = asyncio.get_running_loop()
        self._closed = False
        self._token = uuid.uuid4().hex  # tells this store's own stop notice from others'

    @classmethod
    async def open(
        cls, url: str, *, connect_timeout: float = 10.0, retry_delay: float = 1.0
    ) -> PgStore:
        """Migrate the schema, load every chat and runtime value, start listening for writes
        from other processes. Raises DatabaseUnavailable (one Vietnamese line) on a bad URL or
        an unreachable server."""
        check_url(url)
        kwargs = {"connect_timeout": max(1, round(connect_timeout))}
        try:
            async with await psycopg.AsyncConnection.connect(url, **kwargs) as conn:
                await _apply_migrations(conn)
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
            configure=_configure,
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
        """For the scheduler's shared state (bot/stores/postgres/scheduling.py), on the same connections."""
        return self._pool

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

    # -- Store protocol: writes (durable when awaited) ------------------------------------------

    async def save(self, sub: Subscription) -> None:
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            rev = await _write_chat(cur, sub)
            await _notify(cur, t="c", p=sub.platform, c=sub.chat_id, r=rev)
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
            await _copy_chats(cur, subs)
            for key, value in runtime.items():
                await cur.execute(
                    "INSERT INTO chibo_runtime (key, value, rev)"
                    " VALUES (%s, %s, nextval('chibo_rev'))",
                    [key, Jsonb(value)],
                )
            await _notify(cur, t="all")
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
            (rev,) = await cur.fetchone()
            await cur.execute(
                _SELECT_CHATS + " WHERE c.platform = %s AND c.chat_id = %s", [platform, new_chat_id]
            )
            p, c, data, _, done = await cur.fetchone()
            await _notify(cur, t="d", p=platform, c=old_chat_id, r=rev)
            await _notify(cur, t="c", p=platform, c=new_chat_id, r=rev)
        self._apply_chat(f"{platform}:{old_chat_id}", rev, None)
        self._apply_chat(f"{platform}:{new_chat_id}", rev, _sub_from_row(p, c, data, done))

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
                (rev,) = await cur.fetchone()
                await _notify(cur, t="rd", k=key, r=rev)
            else:
                await cur.execute(
                    "INSERT INTO chibo_runtime (key, value, rev)"
                    " VALUES (%s, %s, nextval('chibo_rev'))"
                    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,"
                    " rev = nextval('chibo_rev'), updated_at = now() RETURNING rev",
                    [key, Jsonb(value)],
                )
                (rev,) = await cur.fetchone()
                await _notify(cur, t="r", k=key, r=rev)
        self._apply_runtime(key, rev, value)

    async def catch_up(self, timeout: float = 10.0) -> None:
        """Return once every write committed (by any process) before this call is in the cache."""
        marker = uuid.uuid4().hex
        fut = self._loop.create_future()
        self._barriers[marker] = fut
        try:
            async with self._pool.connection() as conn, conn.cursor() as cur:
                await _notify(cur, t="b", id=marker)
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
            acks: dict[tuple[str, str], list] = {}
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
            # Subscription as it comes: all 100,000 rows decoded at once held 150 MB more at
            # start-up, and the heap they left behind stayed in the process's resident memory.
            seen = set()
            async with conn.cursor("chibo_reload") as cur:
                await cur.execute(
                    "SELECT platform, chat_id, data, rev FROM chibo_chats ORDER BY rev"
                )
                while rows := await cur.fetchmany(RELOAD_BATCH):
                    for p, c, data, rev in rows:
                        key = f"{p}:{c}"
                        seen.add(key)
                        sub = _sub_from_row(p, c, data, acks.get((p, c), []))
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
                _SELECT_CHATS + " WHERE c.platform = %s AND c.chat_id = %s", [platform, chat_id]
            )
            row = await cur.fetchone()
        if row is not None:  # gone meanwhile: its deletion notice follows
            p, c, data, rev, done = row
            self._apply_chat(f"{p}:{c}", rev, _sub_from_row(p, c, data, done))

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
                    log.warning("PostgreSQL unreachable (%s); retrying", _reason(e, None))
                    await asyncio.sleep(self._retry_delay)
                    continue
            try:
                async for notice in conn.notifies():
                    await self._on_notice(notice.payload)
                    # Python 3.11's asyncio.wait_for (inside psycopg_pool's getconn) can swallow
                    # a cancellation that lands as a connection is handed over; the task still
                    # counts it, so honour it here or asyncio.run's shutdown waits forever.
                    if me.cancelling():
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

    # -- closing ---------------------------------------------------------------------------------

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._listener is not None:
            # A notice of its own stops the listener between notices; cancelling (which _listen
            # also honours) is kept for a listener that is reconnecting.
            with contextlib.suppress(psycopg.Error):
                async with self._pool.connection() as conn, conn.cursor() as cur:
                    await _notify(cur, t="stop", id=self._token)
            done, _ = await asyncio.wait([self._listener], timeout=5)
            if not done:
                self._listener.cancel()
                await asyncio.wait([self._listener], timeout=5)
        for fut in self._barriers.values():
            fut.cancel()
        await self._pool.close()

    def close(self):
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
