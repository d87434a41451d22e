"""Several `chibo run` processes on one PostgreSQL database: who polls, who sends pushes, and the
push state they share.

One sender per channel, elected with a PostgreSQL advisory lock (`Leadership`). Why not claim each
push in a table and let every process send its share: a platform's rate limits are per bot token,
so several senders would need a distributed rate limiter, and each claimed-but-unsent push would
need a lease to recover after a crash. With one elected sender, the exactly-once argument of the
single process holds unchanged — the journal line of a push is written, in the database, before
the next push leaves — and when the sender dies its connection closes, the lock is released, and
a standby takes over within about a second, starting from the watermark, the chats behind and
the journal the dead one left in the database: at most the one message in flight is sent twice.

The same election picks the one poller per token (Telegram and Zalo allow one getUpdates loop per
bot); in webhook mode every process receives. A process that loses the connection holding its
locks stops (`LeadershipLost`): it can no longer know it is alone, and its supervisor restarts it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from datetime import datetime

import psycopg

log = logging.getLogger(__name__)


class LeadershipLost(Exception):
    """The connection holding the advisory locks is gone: another process may lead now."""


def _lock_id(name: str) -> int:
    """A stable signed 64-bit id for an advisory lock, from its name ("push:zalo")."""
    return int.from_bytes(hashlib.sha256(f"chibo:{name}".encode()).digest()[:8], "big", signed=True)


class SoleLeadership:
    """One process on a TinyDB file (the instance lock makes sure of it): always the leader."""

    async def try_lead(self, name: str) -> bool:
        return True

    async def check(self) -> None:
        return None

    async def close(self) -> None:
        return None


class PgLeadership:
    """Advisory locks on one dedicated connection: held while the connection lives."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: psycopg.AsyncConnection | None = None
        self._held: set[str] = set()
        self._lock = asyncio.Lock()

    async def _connection(self) -> psycopg.AsyncConnection:
        if self._conn is None:
            # named so an operator (and the fault test) can see which process leads:
            # SELECT application_name FROM pg_stat_activity JOIN pg_locks USING (pid) …
            self._conn = await psycopg.AsyncConnection.connect(
                self.url, autocommit=True, application_name=f"chibo-{os.getpid()}"
            )
        return self._conn

    async def try_lead(self, name: str) -> bool:
        if name in self._held:
            return True
        async with self._lock:
            try:
                conn = await self._connection()
                cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (_lock_id(name),))
                got = bool((await cur.fetchone())[0])
            except psycopg.Error as e:
                if self._held:
                    raise LeadershipLost(str(e)) from None
                self._conn = None  # not leading anything yet: try again with a new connection
                log.warning("PostgreSQL unreachable while electing %s: %s", name, e)
                return False
        if got:
            self._held.add(name)
            log.info("This process now leads %s", name)
        return got

    async def check(self) -> None:
        """Raise LeadershipLost if the connection holding our locks has died."""
        if not self._held:
            return
        async with self._lock:
            try:
                await (await self._connection()).execute("SELECT 1")
            except psycopg.Error as e:
                raise LeadershipLost(str(e)) from None

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
            self._held.clear()


class PgPushState:
    """The scheduler's {watermark, chats behind} of one channel, in chibo_push_state."""

    def __init__(self, pool, platform: str) -> None:
        self.pool = pool
        self.platform = platform
        self.watermark: datetime | None = None
        self.behind: dict[str, datetime] = {}
        self.corruption = None

    async def load(self) -> None:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT watermark, behind FROM chibo_push_state WHERE platform = %s",
                (self.platform,),
            )
            row = await cur.fetchone()
        self.watermark = row[0] if row else None
        self.behind = (
            {k: datetime.fromisoformat(v) for k, v in (row[1] or {}).items()} if row else {}
        )

    async def save(self) -> None:
        behind = {k: v.isoformat() for k, v in self.behind.items()}
        async with self.pool.connection() as conn:
            await conn.execute(
                """INSERT INTO chibo_push_state (platform, watermark, behind)
                   VALUES (%s, %s, %s)
                   ON CONFLICT (platform) DO UPDATE
                   SET watermark = EXCLUDED.watermark, behind = EXCLUDED.behind""",
                (self.platform, self.watermark, psycopg.types.json.Jsonb(behind)),
            )

    def start_of(self, chat_key: str) -> datetime:
        return self.behind.get(chat_key, self.watermark)  # type: ignore[return-value]


class PgJournal:
    """Keys of pushes sent since the channel's last completed tick, in chibo_journal: a row is
    committed before the next push leaves."""

    def __init__(self, pool, platform: str) -> None:
        self.pool = pool
        self.platform = platform
        self.keys: set[str] = set()
        self.corruption = None

    async def load(self) -> None:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT push_key FROM chibo_journal WHERE platform = %s", (self.platform,)
            )
            self.keys = {row[0] for row in await cur.fetchall()}

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    async def add(self, keys: list[str]) -> None:
        self.keys.update(keys)
        async with self.pool.connection() as conn, conn.cursor() as cur:
            await cur.executemany(
                """INSERT INTO chibo_journal (platform, push_key) VALUES (%s, %s)
                   ON CONFLICT DO NOTHING""",
                [(self.platform, k) for k in keys],
            )

    async def keep_only(self, push_keys: set[str]) -> None:
        """Forget every key but these (the pushes of chats still behind, named by the scheduler:
        the journal need not know how a push key is made)."""
        self.keys &= push_keys
        async with self.pool.connection() as conn:
            await conn.execute(
                "DELETE FROM chibo_journal WHERE platform = %s AND NOT (push_key = ANY(%s))",
                (self.platform, list(self.keys)),
            )

    def close(self) -> None:
        return None
