"""The scheduler's push state of each channel in PostgreSQL, shared by every process: the one
that comes to lead a channel's pushes loads it and carries on where the last one stopped."""

from __future__ import annotations

from datetime import datetime

from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool


class PgPushState:
    """The scheduler's {watermark, chats behind} of one channel, in chibo_push_state."""

    def __init__(self, pool: AsyncConnectionPool, platform: str) -> None:
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
                (self.platform, self.watermark, Jsonb(behind)),
            )

    def start_of(self, chat_key: str) -> datetime:
        return self.behind.get(chat_key, self.watermark)  # type: ignore[return-value]
