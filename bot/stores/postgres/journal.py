"""The journal of each channel in PostgreSQL: the keys of pushes sent since its last completed
tick, shared by every process, so a standby taking over never sends a journalled push again."""

from __future__ import annotations

from psycopg_pool import AsyncConnectionPool

from bot.stores.base import GroupCommit


class PgJournal:
    """Keys of pushes sent since the channel's last completed tick, in chibo_journal: a row is
    committed before the push's outbox slot is freed; the keys of pushes accepted meanwhile go
    in one statement (group commit)."""

    def __init__(self, pool: AsyncConnectionPool, platform: str) -> None:
        self.pool = pool
        self.platform = platform
        self.keys: set[str] = set()
        self.corruption = None
        self._batches = GroupCommit(self._insert)

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
        await self._batches.add(keys)

    async def _insert(self, keys: list[str]) -> None:
        async with self.pool.connection() as conn:
            await conn.execute(
                """INSERT INTO chibo_journal (platform, push_key)
                   SELECT %s, unnest(%s::text[]) ON CONFLICT DO NOTHING""",
                (self.platform, keys),
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
