"""Several `chibo run` processes on one PostgreSQL database: who polls and who sends pushes.

One sender per channel, elected with a PostgreSQL advisory lock (`PgLeadership`). Why not claim each
push in a table and let every process send its share: a platform's rate limits are per bot token,
so several senders would need a distributed rate limiter, and each claimed-but-unsent push would
need a lease to recover after a crash. With one elected sender, the exactly-once argument of the
single process holds unchanged — a push holds its outbox slot until its journal line is written,
in the database — and when the sender dies its connection closes, the lock is released, and
a standby takes over within about a second, starting from the watermark, the chats behind and
the journal the dead one left in the database: at most the pushes in flight (the outbox's
window) are sent twice.

The same election picks the one poller per token (Telegram and Zalo allow one getUpdates loop per
bot); in webhook mode every process receives. A process that loses the connection holding its
locks stops (`LeadershipLost`): it can no longer know it is alone, and its supervisor restarts it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os

import psycopg

log = logging.getLogger(__name__)


class LeadershipLost(Exception):
    """The connection holding the advisory locks is gone: another process may lead now."""


def lock_id(name: str) -> int:
    """A stable signed 64-bit id for an advisory lock, from its name ("push:zalo")."""
    return int.from_bytes(hashlib.sha256(f"chibo:{name}".encode()).digest()[:8], "big", signed=True)


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
                cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (lock_id(name),))
                row = await cur.fetchone()
                got = row is not None and bool(row[0])
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
