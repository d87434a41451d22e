"""Updates fetched by polling and not yet handled, kept in the store: the poll loop fetches on
while earlier updates are still being answered.

Why: an update is handled only once its replies are delivered (bot/channel.py), and a reply to a
chat that has just had its 7:30 push waits the platform's one message a second per chat. A poll
loop that fetched the next batch only once the last one was handled kept every other chat's
question waiting that second (Telegram's getUpdates(offset) confirms every earlier update, so
fetching on meant confirming what was still in hand).

Now each fetched update is written to the store (a runtime value, so TinyDB and PostgreSQL alike)
before the caller confirms it to the platform, and handled at once in its chat's turn: different
chats side by side, one chat's updates in the order they came. It leaves the journal once
handled — its replies delivered, not merely queued: the outbox is in memory, so an update whose
answer was only queued when the process was killed must still be answered after the restart. At
start the journal's leftovers are handled first; an update handled before a crash but still
written in the journal is skipped by its id (bot/recent_ids.py), so a kill -9 answers at most the
updates in hand (one a chat) twice and loses none.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

U = TypeVar("U")

# Updates waiting or in hand at most before the poll loop stops fetching: a burst is kept in the
# platform's queue rather than in memory, and the journal (rewritten on each fetch) stays small.
MAX_PENDING = 200


class Inbox(Generic[U]):
    def __init__(
        self,
        channel,
        key: str,
        *,
        id_of: Callable[[U], Any],
        chat_of: Callable[[U], str],
        encode: Callable[[U], Any],
        decode: Callable[[Any], U | None],
        handle: Callable[[U], Awaitable[None]],
        limit: int = MAX_PENDING,
    ) -> None:
        self.channel = channel  # bot.channel.Channel: its per-chat order and its stop
        self.store = channel.store
        self.key = key
        self.id_of, self.chat_of = id_of, chat_of
        self.encode, self.decode, self.handle = encode, decode, handle
        self.limit = limit
        self._pending: dict[str, U] = {}  # fetched, not yet handled: what the journal holds
        self._room = asyncio.Event()
        self._unnamed = itertools.count()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def _key(self, update: U) -> str:
        given = self.id_of(update)  # an update without an id (Zalo's may lack one) is still kept
        return str(given) if given not in (None, "") else f"#{next(self._unnamed)}"

    def resume(self) -> int:
        """Start handling what the journal still holds (read now: a process that takes over
        polling reads what its predecessor left); returns how many updates it held."""
        raw = self.store.runtime(self.key)
        updates = []
        for entry in raw if isinstance(raw, list) else ():
            try:
                update = self.decode(entry)
            except Exception:  # a damaged entry must not stop receiving; the rest are handled
                log.warning("%s: an unreadable entry skipped: %.200r", self.key, entry)
                continue
            if update is not None:
                updates.append(update)
        for update in updates:
            self._start(update)
        if updates:
            log.info("%s: %d updates left from the last run, handled first", self.key, len(updates))
        return len(updates)

    async def take(self, updates: list[U]) -> None:
        """Start handling each update in its chat's turn and write them to the journal. Returns
        once they are durable: the caller may then confirm them to the platform."""
        fresh = [u for u in updates if self._key(u) not in self._pending]
        for update in fresh:
            self._start(update)
        if fresh:
            await self._write()

    async def room(self) -> None:
        """Wait, before fetching more, until fewer than `limit` updates are in hand."""
        while len(self._pending) >= self.limit:
            self._room.clear()
            await self._room.wait()

    def _start(self, update: U) -> None:
        key = self._key(update)
        self._pending[key] = update
        self.channel._spawn(self._turn(key, update))

    async def _write(self) -> None:
        await self.store.set_runtime(self.key, [self.encode(u) for u in self._pending.values()])

    async def _turn(self, key: str, update: U) -> None:
        """The update handled after its chat's earlier ones; a stop that comes first leaves it
        in the journal for the next start, one that comes while it is handled waits for it."""

        async def handled() -> None:  # made only once its turn comes: a stop before leaves none
            await self.channel.whole(self.handle(update))

        try:
            await self.channel.in_order(self.chat_of(update), handled())
        except asyncio.CancelledError:
            raise
        except Exception:  # kept in the journal: the next start tries it again
            log.exception("%s: update %s failed; kept for the next start", self.key, key)
            return
        # Handled and remembered as such by `handle`: gone from the journal with its next write
        # (a crash before that finds it there and skips it by its id).
        self._pending.pop(key, None)
        if len(self._pending) < self.limit:
            self._room.set()
