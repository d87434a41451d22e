"""The addresses the chat hands out (Conversation.web): login links and calendar feeds."""

from __future__ import annotations

from datetime import datetime

from bot.web import auth, feeds
from handlers.state import Store, Subscription
from handlers.status import cell_name
from handlers.types import UserRef
from schedules.catalog import Catalog


class Links:
    def __init__(self, store: Store, catalog: Catalog, base_url: str) -> None:
        self.store = store
        self.catalog = catalog
        self.base_url = base_url

    async def login(self, user: UserRef, name: str, now: datetime) -> str:
        key = await auth.key_of(self.store)
        return auth.login_url(self.base_url, auth.login_token(key, user, name, now))

    async def calendar(self, platform: str, chat_id: str, renew: bool = False) -> str:
        token = await feeds.token_for(
            self.store, feeds.Feed("chat", f"{platform}:{chat_id}"), renew
        )
        return feeds.feed_url(self.base_url, token)

    async def calendar_file(self, sub: Subscription, now: datetime) -> bytes:
        plans = [p for pid in sub.plan_ids if (p := self.catalog.get(pid)) is not None]
        events = feeds.chat_events(sub, plans)
        token = await feeds.token_for(self.store, feeds.Feed("chat", sub.key))
        seq = await feeds.sequences(self.store, token, events)
        return feeds.ics_bytes(f"{cell_name(sub)} — lịch chi bộ", events, now, seq)
