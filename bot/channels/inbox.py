"""Updates fetched by polling and not yet handled, kept in the store: the poll loop fetches on
while earlier updates are still being answered.

Why: an update is handled only once its replies are delivered (bot/channels/base.py), and a reply to a
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
written in the journal is skipped by its id (bot/channels/recent_ids.py), so a kill -9 answers at most the
updates in hand (one a chat) twice and loses none.

An update whose handling raises is logged once (with its id) and leaves the updates in hand at
once — it no longer counts toward the limit, and a redelivery of it is taken again — but stays in
the journal, its failed attempts counted there, so the next start tries it again: a failure is
most often the store or the network, and the user then had no answer. After MAX_ATTEMPTS failures
it is dropped from the journal and logged as given up, so an update that always fails cannot
block anything. The price, chosen deliberately: when what failed was the handled-id write after
the reply went out, the next start answers it again — harmless, as after a kill -9.

A store write the loop depends on (the journal, Telegram's offset) that fails is retried with
back-off, one log line an attempt (`durably`): receiving pauses, nothing is confirmed to the
platform until the write succeeded, and the bot does not end.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Generic, Protocol, TypeVar

from bot.retrying import Sleep, durably
from handlers.state import Store

log = logging.getLogger(__name__)

U = TypeVar("U")
T = TypeVar("T")

# Updates waiting or in hand at most before the poll loop stops fetching: a burst is kept in the
# platform's queue rather than in memory, and the journal (rewritten on each fetch) stays small.
MAX_PENDING = 200

# Failed attempts at one update (counted in the journal, across starts) before it is given up.
MAX_ATTEMPTS = 3


class Receiver(Protocol):
    """What an inbox needs of its channel (bot.channels.base.Channel, polling): the store, a
    way to wait, per-chat order, and its stop."""

    store: Store
    sleep: Sleep

    def _spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]: ...

    async def whole(self, coro: Awaitable[None]) -> None: ...

    async def in_order(self, chat_id: str, coro: Coroutine[Any, Any, None]) -> None: ...


class Inbox(Generic[U]):
    def __init__(
        self,
        channel: Receiver,
        key: str,
        *,
        id_of: Callable[[U], Any],
        chat_of: Callable[[U], str],
        encode: Callable[[U], Any],
        decode: Callable[[Any], U | None],
        handle: Callable[[U], Awaitable[None]],
        limit: int = MAX_PENDING,
    ) -> None:
        self.channel = channel
        self.store = channel.store
        self.key = key
        self.id_of, self.chat_of = id_of, chat_of
        self.encode, self.decode, self.handle = encode, decode, handle
        self.limit = limit
        self._pending: dict[str, U] = {}  # fetched, not yet handled
        self._failed: dict[str, U] = {}  # failed, kept in the journal for the next start
        self._attempts: dict[str, int] = {}  # failed attempts so far, pending or failed
        self._room = asyncio.Event()
        self._writing = asyncio.Lock()  # one journal write at a time: the last state lands last
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
            # {"update": ..., "attempts": n}; a bare update is one journaled before attempts were
            attempts = 0
            if isinstance(entry, dict) and set(entry) == {"update", "attempts"}:
                entry, attempts = entry["update"], entry["attempts"]
            try:
                update = self.decode(entry)
            except Exception:  # a damaged entry must not stop receiving; the rest are handled
                log.warning("%s: an unreadable entry skipped: %.200r", self.key, entry)
                continue
            if update is not None:
                updates.append((update, attempts if isinstance(attempts, int) else 0))
        for update, attempts in updates:
            self._start(update, attempts)
        if updates:
            log.info("%s: %d updates left from the last run, handled first", self.key, len(updates))
        return len(updates)

    async def take(self, updates: list[U]) -> None:
        """Start handling each update in its chat's turn and write them to the journal. Returns
        once they are durable: the caller may then confirm them to the platform."""
        fresh = [u for u in updates if self._key(u) not in self._pending]
        for update in fresh:
            self._start(update, self._attempts.get(self._key(update), 0))
        if fresh:
            await self._write()

    async def room(self) -> None:
        """Wait, before fetching more, until fewer than `limit` updates are in hand."""
        while len(self._pending) >= self.limit:
            self._room.clear()
            await self._room.wait()

    def _start(self, update: U, attempts: int) -> None:
        key = self._key(update)
        self._failed.pop(key, None)  # redelivered: tried again now
        self._pending[key] = update
        if attempts:
            self._attempts[key] = attempts
        self.channel._spawn(self._turn(key, update))

    async def _write(self) -> None:
        """The journal rewritten (retried until the store takes it): what is in hand and what
        failed, each with its failed attempts."""
        async with self._writing:
            await durably(
                f"{self.key}: writing the journal failed", self._write_once, self.channel.sleep
            )

    async def _write_once(self) -> None:
        entries = [
            {"update": self.encode(u), "attempts": self._attempts.get(key, 0)}
            for held in (self._pending, self._failed)
            for key, u in held.items()
        ]
        await self.store.set_runtime(self.key, entries)

    def _free(self, key: str) -> None:
        self._pending.pop(key, None)
        if len(self._pending) < self.limit:
            self._room.set()

    async def _turn(self, key: str, update: U) -> None:
        """The update handled after its chat's earlier ones; a stop that comes first leaves it
        in the journal for the next start, one that comes while it is handled waits for it."""

        async def handled() -> None:  # made only once its turn comes: a stop before leaves none
            await self.channel.whole(self.handle(update))

        try:
            await self.channel.in_order(self.chat_of(update), handled())
        except asyncio.CancelledError:
            raise
        except Exception:
            await self._failure(key, update)
            return
        # Handled and remembered as such by `handle`: gone from the journal with its next write
        # (a crash before that finds it there and skips it by its id).
        self._attempts.pop(key, None)
        self._free(key)

    async def _failure(self, key: str, update: U) -> None:
        """Out of the updates in hand; kept in the journal for the next start until it has
        failed MAX_ATTEMPTS times (see the module's docstring)."""
        attempts = self._attempts.get(key, 0) + 1
        self._free(key)
        if attempts >= MAX_ATTEMPTS:
            self._attempts.pop(key, None)
            log.exception("%s: update %s failed %d times; given up", self.key, key, attempts)
        else:
            self._attempts[key] = attempts
            self._failed[key] = update
            log.exception(
                "%s: update %s failed (attempt %d of %d); kept for the next start",
                self.key,
                key,
                attempts,
                MAX_ATTEMPTS,
            )
        await self._write()  # the count kept (or the update dropped) even if no fetch follows
