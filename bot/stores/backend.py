"""Choosing the backend from CHIBO_DB: a postgresql:// URL opens PostgreSQL, anything else is the
path of a TinyDB file. The one place that knows both kinds, so callers only open and close.

    backend = await open_backend(config.db_url or config.db_path, clock.now())
    …
    await backend.close()

Pass CHIBO_DB as the raw string: pathlib.Path("postgresql://h/db") collapses the "//".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from bot.config import ConfigError
from bot.stores.base import Backend, ChatStore
from bot.stores.postgres.backend import open_postgres
from bot.stores.postgres.store import PgStore
from bot.stores.postgres.url import DatabaseUnavailable, is_postgres_url
from bot.stores.tinydb.backend import open_tinydb
from bot.stores.tinydb.store import TinyStore
from handlers.state import Subscription

__all__ = [
    "DatabaseUnavailable",
    "NoData",
    "is_postgres_url",
    "open_backend",
    "open_store",
    "reading",
    "snapshot",
]

T = TypeVar("T")


class NoData(ConfigError):
    """The TinyDB file CHIBO_DB names does not exist: nothing to look at (`chibo due`, `status`)."""


async def open_backend(db: str | Path, now: datetime) -> Backend:
    """The backend CHIBO_DB names, its store opened and loaded. `now` dates the name a damaged
    TinyDB file is kept aside under. Raises DatabaseUnavailable (a ConfigError: one Vietnamese
    line, no password) when a PostgreSQL URL is malformed or its server cannot be reached."""
    if is_postgres_url(str(db)):
        return await open_postgres(str(db).strip())
    return open_tinydb(Path(db), now)


async def open_store(db: str | Path, now: datetime) -> ChatStore:
    """The store alone (`chibo db copy`, tests): close it with `await store.aclose()`."""
    if is_postgres_url(str(db)):
        return await PgStore.open(str(db).strip())
    return TinyStore(Path(db), now)


def snapshot(db: str | Path, now: datetime) -> list[Subscription]:
    """Every subscription CHIBO_DB holds, read once, for the commands that only look
    (`chibo due`, `chibo status`), whichever kind of store it is."""
    return reading(db, now, lambda store: store.all())


def reading(db: str | Path, now: datetime, read: Callable[[ChatStore], T]) -> T:
    """`read` run once on the store CHIBO_DB names, opened for it and closed after."""
    if not is_postgres_url(str(db)):  # no loop needed (and the caller may be inside one)
        if not Path(db).is_file():  # a look must not create the folder a bot would run in
            raise NoData(
                f"chưa có tệp dữ liệu {db} (CHIBO_DB). Chạy lệnh ở thư mục có .env của bot, "
                "hoặc chỉ --env đến tệp cấu hình."
            )
        store = TinyStore(Path(db), now)
        try:
            return read(store)
        finally:
            store.close()

    async def opened() -> T:
        store = await open_store(db, now)
        try:
            return read(store)
        finally:
            await store.aclose()

    return asyncio.run(opened())
