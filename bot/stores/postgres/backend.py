"""The PostgreSQL backend: the store, each channel's push state and journal in tables beside the
chats (on the store's connections), and leadership elected among the processes sharing them."""

from __future__ import annotations

from bot.stores.base import Backend
from bot.stores.postgres.journal import PgJournal
from bot.stores.postgres.leadership import PgLeadership
from bot.stores.postgres.push_state import PgPushState
from bot.stores.postgres.store import PgStore


def postgres_backend(store: PgStore) -> Backend:
    """The backend around a store already open. Push state and journal are loaded when this
    process comes to lead their channel."""
    return Backend(
        store,
        new_push_state=lambda platform: PgPushState(store.pool, platform),
        new_journal=lambda platform: PgJournal(store.pool, platform),
        leadership=PgLeadership(store.url),
    )


async def open_postgres(url: str) -> Backend:
    """Raises DatabaseUnavailable (one Vietnamese line, no password) on a malformed URL or an
    unreachable server."""
    return postgres_backend(await PgStore.open(url))
