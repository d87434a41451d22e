"""Choosing the store from CHIBO_DB: a postgresql:// URL opens PostgreSQL, anything else is the
path of a TinyDB file. The one place that knows both kinds, so callers only open and close.

    store = await open_store(config_value, clock.now())
    …
    await close_store(store)

Pass CHIBO_DB as the raw string: pathlib.Path("postgresql://h/db") collapses the "//".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from bot.stores.postgres.store import DatabaseUnavailable, PgStore, is_postgres_url
from bot.stores.tinydb.store import TinyStore

__all__ = ["DatabaseUnavailable", "close_store", "is_postgres_url", "open_store"]


async def open_store(db: str | Path, now: datetime) -> Any:
    """The store CHIBO_DB names, opened and loaded. `now` dates the name a damaged TinyDB file is
    kept aside under. Raises DatabaseUnavailable (a ConfigError: one Vietnamese line, no password)
    when a PostgreSQL URL is malformed or its server cannot be reached."""
    if is_postgres_url(str(db)):
        return await PgStore.open(str(db).strip())
    return TinyStore(Path(db), now)


async def close_store(store: Any) -> None:
    """Close either kind from async code: PostgreSQL's pool must be closed on its own loop."""
    aclose = getattr(store, "aclose", None)
    if aclose is not None:
        await aclose()
    else:
        store.close()


def snapshot(db: str | Path, now: datetime) -> list:
    """Every subscription CHIBO_DB holds, read once, for the commands that only look
    (`chibo due`, `chibo status`), whichever kind of store it is."""
    import asyncio

    if not is_postgres_url(str(db)):  # no loop needed (and the caller may be inside one)
        store = TinyStore(Path(db), now)
        try:
            return store.all()
        finally:
            store.close()

    async def read() -> list:
        store = await open_store(db, now)
        try:
            return store.all()
        finally:
            await close_store(store)

    return asyncio.run(read())
