"""What a backend provides, whichever it is (TinyDB files or PostgreSQL): the chat store, each
channel's push state and journal, and the leadership that says which process polls and sends.

The bot is written against these interfaces only; `bot.stores.backend.open_backend` picks the
implementation from CHIBO_DB and hands back a `Backend` bundling them:

    backend = await open_backend(config.db_url or config.db_path, clock.now())
    backend.store                      # a ChatStore: the conversation's Store, and more
    backend.push_state("telegram")     # the scheduler's watermark and chats behind
    backend.journal("telegram")        # keys of pushes sent in the current tick
    backend.leadership                 # try_lead / check / close
    await backend.close()              # journals, leadership, then the store
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from handlers.state import ChatListener, Store, Subscription


class ChatStore(Store, Protocol):
    """The conversation's Store (reads from memory, writes durable when awaited) with what the
    rest of the bot needs of it."""

    def on_change(self, listener: ChatListener) -> None:
        """Call listener(its new Subscription, False) whenever a chat changes in memory, and (its
        last Subscription, True) when its key is gone (a migrated group)."""
        ...

    def runtime_keys(self) -> list[str]:
        """Every runtime key set (for `chibo db copy`)."""
        ...

    async def replace_all(self, subs: Iterable[Subscription], runtime: dict[str, Any]) -> None:
        """Make the store hold exactly these chats and runtime values."""
        ...

    async def catch_up(self) -> None:
        """Return once every write committed before this call, by any process, can be read."""
        ...

    async def aclose(self) -> None:
        """Release what the store holds; every awaited write is already durable."""
        ...


@runtime_checkable
class Notifying(Protocol):
    """A store that tells of every chat that changes (ChatStore does; a Store need not)."""

    def on_change(self, listener: ChatListener) -> None: ...


class PushState(Protocol):
    """One channel's scheduler state: the watermark every chat was served up to, and the few chats
    left behind by a failed send (chat key → where that chat's next tick starts)."""

    watermark: datetime | None
    behind: dict[str, datetime]

    async def load(self) -> None:
        """Read what was saved (a process that comes to lead resumes where the last one left)."""
        ...

    async def save(self) -> None: ...

    def start_of(self, chat_key: str) -> datetime: ...


class Journal(Protocol):
    """The keys of one channel's pushes sent since its last completed tick. `add` returns once
    its keys are durable; calls made while a write is under way are written together in the
    next one (group commit: one fsync, or one statement, for a batch of pushes)."""

    async def load(self) -> None: ...

    def __contains__(self, key: str) -> bool: ...

    async def add(self, keys: list[str]) -> None: ...

    async def keep_only(self, push_keys: set[str]) -> None:
        """Forget every key but these (the pushes of chats still behind)."""
        ...

    def close(self) -> None: ...


class Leadership(Protocol):
    """Which process leads a named duty ("poll:telegram", "push:zalo") among those sharing data."""

    async def try_lead(self, name: str) -> bool: ...

    async def check(self) -> None:
        """Raise if a duty this process leads may have passed to another."""
        ...

    async def close(self) -> None: ...


class SoleLeadership:
    """One process on its data (a TinyDB file's instance lock makes sure of it): always leads."""

    async def try_lead(self, name: str) -> bool:
        return True

    async def check(self) -> None:
        return None

    async def close(self) -> None:
        return None


@dataclass
class Backend:
    """One store and what the schedulers keep beside it, opened together and closed together."""

    store: ChatStore
    new_push_state: Callable[[str], PushState]  # by platform
    new_journal: Callable[[str], Journal]  # by platform
    leadership: Leadership = field(default_factory=SoleLeadership)
    _journals: list[Journal] = field(default_factory=list)

    def push_state(self, platform: str) -> PushState:
        return self.new_push_state(platform)

    def journal(self, platform: str) -> Journal:
        """The channel's journal, closed with the backend."""
        journal = self.new_journal(platform)
        self._journals.append(journal)
        return journal

    async def close(self) -> None:
        for journal in self._journals:
            journal.close()
        self._journals.clear()
        await self.leadership.close()
        await self.store.aclose()


class GroupCommit:
    """Keys from many callers written in one go: the first caller starts a write, and every key
    added while it runs goes into the next write together. Each `add` returns once a write
    holding its keys has completed (or raises what that write raised)."""

    def __init__(self, write: Callable[[list[str]], Awaitable[None]]) -> None:
        self._write = write
        self._keys: list[str] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, keys: list[str]) -> None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._keys.extend(keys)
        self._waiters.append(waiter)
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write_all())
        await waiter

    async def _write_all(self) -> None:
        while self._waiters:
            keys, waiters = self._keys, self._waiters
            self._keys, self._waiters = [], []
            try:
                await self._write(keys)
            except BaseException as e:
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_exception(e)
                if not isinstance(e, Exception):
                    raise
                continue
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
