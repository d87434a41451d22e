"""The OA's token pair: kept in the store, refreshed by one process at a time.

The access token lives about 25 hours and the refresh token about three months, and a refresh
token is single-use: every refresh returns a new pair and kills the old refresh token. Two
processes refreshing with the same refresh token would leave one of them — and, if its write lands
last, the store — holding a dead token, and the OA would need a new `chibo oa login`. So a refresh
is one critical section: take the lock, re-read the stored pair, refresh only if it is still the
stale one (another process may have just done it), write the new pair, release. On PostgreSQL the
lock is a transaction-scoped advisory lock and the read and write are in that transaction; on a
TinyDB file (one process per file, bot/stores/tinydb/lock.py) it is an asyncio lock.

The pair lives in the runtime value ``zalo-oa:token``; the first refresh token comes from
`chibo oa login` (which stores the pair) or from ZALO_OA_REFRESH_TOKEN on a first start.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.channels.zalo_oa.api import OAuthError, TokenPair, ZaloOAAPI
from bot.redaction import SECRETS
from handlers.state import Store

log = logging.getLogger(__name__)

RUNTIME_KEY = "zalo-oa:token"
REFRESH_AHEAD = timedelta(hours=1)  # refresh this long before the access token expires

Alert = Callable[[str], Awaitable[None]]
Rotate = Callable[[TokenPair | None], Awaitable[TokenPair | None]]


class TokenUnavailable(Exception):
    """No usable token pair: the refresh token is missing, dead or expired (a new login is needed)."""


class TokenKeeper:
    def __init__(
        self,
        api: ZaloOAAPI,
        store: Store,
        now: Callable[[], datetime],
        seed_refresh_token: str = "",
    ) -> None:
        self.api = api
        self.store = store
        self.now = now
        self.seed = seed_refresh_token
        self.on_failure: Alert | None = None
        self.refreshes = 0  # refreshes this process made (tests, logs)
        self._local = asyncio.Lock()

    def stored(self) -> TokenPair | None:
        return TokenPair.from_dict(self.store.runtime(RUNTIME_KEY))

    async def access_token(self) -> str:
        """A valid access token, refreshed first when it expires within REFRESH_AHEAD."""
        pair = self.stored()
        if pair is None or pair.access_expires - self.now() <= REFRESH_AHEAD:
            pair = await self.refresh(pair.access_token if pair else None)
        SECRETS.add("ZALO_OA_ACCESS_TOKEN", pair.access_token)
        return pair.access_token

    async def refresh(self, stale: str | None) -> TokenPair:
        """A new pair unless the stored one already differs from `stale` and is fresh (another
        process refreshed it meanwhile). Raises TokenUnavailable, once logged and alerted."""

        async def rotate(current: TokenPair | None) -> TokenPair | None:
            now = self.now()
            if (
                current is not None
                and current.access_token != stale
                and current.access_expires - now > REFRESH_AHEAD
            ):
                return None  # someone else refreshed: use theirs
            refresh_token = current.refresh_token if current is not None else self.seed
            if not refresh_token:
                raise TokenUnavailable("no refresh token: run `chibo oa login`")
            if current is not None and current.refresh_expires <= now:
                raise TokenUnavailable("the refresh token expired: run `chibo oa login`")
            SECRETS.add("ZALO_OA_REFRESH_TOKEN_STORED", refresh_token)
            pair = await self.api.refresh(refresh_token, now)
            self.refreshes += 1
            return pair

        try:
            pair = await self._rotate(rotate)
        except (OAuthError, TokenUnavailable) as e:
            await self._failed(str(e))
            raise TokenUnavailable(str(e)) from None
        for secret in (pair.access_token, pair.refresh_token):
            SECRETS.add("ZALO_OA_TOKEN", secret)
        return pair

    async def store_pair(self, pair: TokenPair) -> None:
        """A pair from `chibo oa login`: replaces whatever is stored."""

        async def put(_: TokenPair | None) -> TokenPair:
            return pair

        await self._rotate(put)

    async def _failed(self, why: str) -> None:
        text = (
            "⚠️ Kênh Zalo OA không làm mới được mã truy cập (refresh token hỏng hoặc hết hạn), "
            "nên không gửi được tin qua OA. Người vận hành cần chạy lại “chibo oa login”."
        )
        log.error("Zalo OA: refreshing the token pair failed (%s); run `chibo oa login`", why)
        if self.on_failure is not None:
            with contextlib.suppress(Exception):
                await self.on_failure(text)

    async def _rotate(self, rotate: Rotate) -> TokenPair:
        from bot.stores.postgres.store import PgStore  # the one store shared by processes

        if isinstance(self.store, PgStore):
            return await _pg_rotate(self.store, rotate)
        async with self._local:
            current = TokenPair.from_dict(self.store.runtime(RUNTIME_KEY))
            new = await rotate(current)
            if new is None:
                assert current is not None
                return current
            await self.store.set_runtime(RUNTIME_KEY, new.to_dict())
            return new


async def _pg_rotate(store: Any, rotate: Rotate) -> TokenPair:
    """The read, the refresh and the write in one transaction under an advisory lock: a second
    process waits at the lock, then reads the pair the first one wrote."""
    from psycopg.types.json import Jsonb

    from bot.stores.postgres.cache import notify
    from bot.stores.postgres.leadership import lock_id
    from bot.stores.postgres.rows import one_row

    async with _pg_transaction(store) as cur:
        await cur.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id(RUNTIME_KEY)])
        await cur.execute("SELECT value FROM chibo_runtime WHERE key = %s", [RUNTIME_KEY])
        row = await cur.fetchone()
        current = TokenPair.from_dict(row[0] if row else None)
        new = await rotate(current)
        if new is None:
            assert current is not None
            return current
        value = json.loads(json.dumps(new.to_dict()))
        await cur.execute(
            "INSERT INTO chibo_runtime (key, value, rev) VALUES (%s, %s, nextval('chibo_rev'))"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,"
            " rev = nextval('chibo_rev'), updated_at = now() RETURNING rev",
            [RUNTIME_KEY, Jsonb(value)],
        )
        (rev,) = await one_row(cur)
        await notify(cur, t="r", k=RUNTIME_KEY, r=rev)
    store._apply_runtime(RUNTIME_KEY, rev, value)
    return new


@contextlib.asynccontextmanager
async def _pg_transaction(store: Any) -> AsyncIterator[Any]:
    async with store.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        yield cur
