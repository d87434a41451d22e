"""A tick's pushes on their way out: held per chat as the planner's pushes until the chat's turn,
rendered then, and handed to the channel's outbox a few chats at a time.

The tick's computation ends with every push queued here (the chat's key and its pushes in time
order). A chat's messages are made when it is handed over, and only SENDING_CHATS chats are in
the outbox at once: a morning's fan-out to 37,000 chats runs for an hour at the platform's pace,
and a send task per chat, with its rendered messages, its futures and its closures, waited all
that time (docs/benchmarks.md). The outbox still sees more chats than it can send to in a second,
so its pace and its per-chat limits are what they were.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from bot.channels.outbox import OnSent
from bot.stores.base import Journal
from handlers.state import Subscription
from handlers.types import Reply
from schedules.pushes import Push

# Chats handed to the outbox at once: several times what a platform takes in a second, so the
# outbox always has a chat ready, and a chat waiting out its own 1 s pace blocks nobody.
SENDING_CHATS = 256

Messages = list[tuple[list[Push], Reply]]
Render = Callable[[Subscription, list[Push]], Messages]


class Sender(Protocol):
    async def send(
        self, chat_id: str, reply: Reply, is_group: bool = False, on_sent: OnSent | None = None
    ) -> str: ...


class FanOut:
    """One tick's pushes for one channel, sent once each, in time order per chat. `run` returns
    the chats left behind (a send failed or was held: the rest waits for the next tick), each
    with the keys of its pushes this tick."""

    def __init__(
        self,
        channel: Sender,
        journal: Journal,
        subs: dict[str, Subscription],
        pushes: dict[str, list[Push]],
        render: Render,
        on_journaled: Callable[[], None],
    ) -> None:
        self.channel = channel
        self.journal = journal
        self.subs = subs
        self.pushes = pushes
        self.render = render
        self.on_journaled = on_journaled
        self.behind: dict[str, tuple[str, ...]] = {}
        self.chats = len(pushes)
        self.handed = 0  # chats handed to the outbox so far
        self.done = 0  # chats whose sending is over, whatever the outcome

    @property
    def waiting(self) -> int:
        """Chats whose pushes are still held here, as keys, not yet in the outbox."""
        return self.chats - self.handed

    async def run(self) -> dict[str, tuple[str, ...]]:
        """Raises the first error a chat's sending raised (a journal that could not be written),
        after the chats already handed over have finished: the tick then fails and its
        watermark stays where it was."""
        sending: set[asyncio.Task[None]] = set()
        errors: list[BaseException] = []
        room = asyncio.Semaphore(SENDING_CHATS)

        def finished(task: asyncio.Task[None]) -> None:
            sending.discard(task)
            room.release()
            if not task.cancelled() and (error := task.exception()) is not None:
                errors.append(error)

        try:
            for key in list(self.pushes):
                await room.acquire()
                if errors:
                    break  # the rest stays due: the failed tick is retried from its watermark
                task = asyncio.ensure_future(self._chat(key))
                self.handed += 1
                sending.add(task)
                task.add_done_callback(finished)
            if sending:
                await asyncio.gather(*sending, return_exceptions=True)
        except BaseException:
            for task in sending:
                task.cancel()
            raise
        if errors:
            raise errors[0]
        return self.behind

    async def _chat(self, key: str) -> None:
        sub = self.subs[key]
        items = self.pushes.pop(key)  # held by this chat's sending only, freed with it
        try:
            for pushes, reply in self.render(sub, items):

                async def written(keys: tuple[str, ...] = tuple(p.key for p in pushes)) -> None:
                    await self.journal.add(list(keys))
                    self.on_journaled()

                outcome = await self.channel.send(sub.chat_id, reply, sub.is_group, written)
                if outcome == "gone":
                    return  # marked inactive by the outbox; nothing more to send there
                if outcome in ("failed", "held"):
                    # the rest waits for the next tick, in order; what was sent stays journaled
                    self.behind[key] = tuple(p.key for p in items)
                    return
                if outcome == "refused":
                    await self.journal.add([p.key for p in pushes])  # never sendable: not again
        finally:
            self.done += 1
