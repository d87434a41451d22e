"""What every channel shares: the conversation in, replies shaped for the platform and sent out.

A channel (bot/channels/telegram.py, bot/channels/zalo/channel.py) is everything platform-specific: receiving
(polling or webhook), sending one message, its length limit, whether it has buttons, its rate
limits, how it tells a group's admins. This base class does what is the same everywhere: numbered
choices where there are no buttons, splitting at line boundaries under the limit, one outbox per
channel (so one platform's outage or 429s never delay another's), broadcast in the background.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from functools import lru_cache
from typing import Any, TypeVar

from aiohttp import web

from bot.channels.attachments import as_text
from bot.channels.choices import NumberedChoices, Pressed, numbered_text
from bot.channels.outbox import Limits, OnSent, Outbox, RateLimiter
from bot.channels.shaping import split_text
from bot.channels.zalo.quota import MonthlyQuota
from bot.clock import Clock
from bot.config import Webhook
from handlers.conversation import Conversation
from handlers.state import Store, Subscription
from handlers.types import Incoming, Reply

log = logging.getLogger(__name__)

# How a channel receiving by webhook answers one POST of its platform
WebhookHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]

T = TypeVar("T")
CLOSE_GRACE = 10.0  # seconds a stop waits for the update in hand

# Outcomes from worst to best: a message split in pieces is as good as its worst piece.
_OUTCOME_RANK = {"gone": 0, "failed": 1, "held": 2, "refused": 3, "sent": 4}


class Channel:
    platform: str = ""
    text_limit: int = 4096
    has_buttons: bool = True
    # raw_send sends Reply.attachment as a document, and files users send reach the bot
    carries_files: bool = True
    default_limits: Limits = Limits()  # the platform's pace, when the wiring gives no limiter
    # A monthly allowance of messages (Zalo's free tier): the wiring warns the admins through it
    # and shows its status line; None where the platform counts nothing
    quota: MonthlyQuota | None = None
    webhook: Webhook | None = None  # where the platform delivers updates; None: polling

    def __init__(
        self,
        conversation: Conversation,
        clock: Clock,
        store: Store,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.conversation = conversation
        self.clock = clock
        self.store = store
        limiter = limiter if limiter is not None else RateLimiter(self.default_limits)
        self.outbox = Outbox(self.raw_send, limiter, self._gone, self._migrated)
        self.choices = None if self.has_buttons else NumberedChoices(self.platform, store)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._in_flight: set[asyncio.Future[None]] = set()
        self._chat_locks: dict[str, asyncio.Lock] = {}
        # A tick hands thousands of chats the same Reply object (handlers.push_messages.Renders): its
        # pieces are made once, not once a chat. Made per chat, a Zalo fan-out held each chat's
        # own numbered copy of the text until sent.
        self._text_pieces = lru_cache(maxsize=512)(self._make_text_pieces)

    @property
    def mode(self) -> str:
        return "webhook" if self.webhook else "polling"

    # -- what each platform provides ------------------------------------------------------------

    async def start(self) -> None:
        """Check the credentials and prepare receiving (raise the platform's invalid-token error)."""

    async def receive(self) -> None:
        """Receive forever (polling); in webhook mode, return once the webhook is registered."""

    def webhook_route(self) -> tuple[str, WebhookHandler] | None:
        """(path, aiohttp handler) when this channel receives by webhook."""
        return None

    async def raw_send(self, chat_id: str, reply: Reply) -> None:
        """Exactly one message, raising bot.channels.outbox's neutral errors."""
        raise NotImplementedError

    async def is_chat_admin(self, msg: Incoming) -> bool:
        return not msg.is_group

    def split(self, text: str) -> list[str]:
        return split_text(text, self.text_limit)

    async def close(self) -> None:
        if self._in_flight:  # a clean stop lets the update being handled finish and be confirmed
            await asyncio.wait(self._in_flight, timeout=CLOSE_GRACE)
        for task in list(self._tasks):
            task.cancel()
        await self.outbox.close()

    async def in_order(self, chat_id: str, coro: Coroutine[Any, Any, None]) -> None:
        """Run `coro` after the chat's earlier updates: chats side by side, each one in order
        (asyncio.Lock wakes its waiters first come, first served)."""
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        try:
            async with lock:
                await coro
        finally:
            coro.close()  # cancelled before its turn: never started, and no warning that it wasn't
            if not lock.locked() and not lock._waiters:  # nobody queued: forget the chat
                self._chat_locks.pop(chat_id, None)

    async def whole(self, coro: Awaitable[None]) -> None:
        """Run one update's handling and confirmation to its end, even when the receiving loop
        is cancelled by a stop: close() waits for it, so a clean stop never answers twice."""
        future = asyncio.ensure_future(coro)
        self._in_flight.add(future)
        future.add_done_callback(self._in_flight.discard)
        await asyncio.shield(future)

    # -- incoming -------------------------------------------------------------------------------

    async def handle(self, msg: Incoming) -> None:
        """One message or press: numbered choices resolved, the conversation asked, replies sent."""
        now = self.clock.now()
        if self.choices is not None and msg.callback is None and msg.addressed:
            resolved = self.choices.resolve(msg.chat_id, msg.text, now)
            if isinstance(resolved, Reply):
                await self.send(msg.chat_id, resolved, msg.is_group)
                return
            if isinstance(resolved, Pressed):
                msg = replace(msg, text="", callback=resolved.data)
        for reply in await self.conversation.handle(msg, now):
            await self.send(msg.chat_id, reply, msg.is_group)

    # -- outgoing -------------------------------------------------------------------------------

    def pieces(self, reply: Reply, is_group: bool) -> list[Reply]:
        """The reply as this platform shows it: choices as buttons or numbered lines, split
        under the length limit, buttons and pin on the last piece."""
        if reply.attachment is None:  # an attachment may be large, and is sent to one chat
            return list(self._text_pieces(reply, is_group))
        return self._make_pieces(reply, is_group)

    def _make_text_pieces(self, reply: Reply, is_group: bool) -> tuple[Reply, ...]:
        return tuple(self._make_pieces(reply, is_group))

    def _make_pieces(self, reply: Reply, is_group: bool) -> list[Reply]:
        text = reply.text if self.has_buttons else numbered_text(reply, is_group)
        buttons = reply.buttons if self.has_buttons else ()
        chunks = self.split(text) if text or not reply.attachment else []
        last = len(chunks) - 1
        pieces = [
            Reply(
                chunk,
                buttons if i == last else (),
                reply.pin and i == last,
                reply.force_reply and i == last,
                preview=reply.preview,
            )
            for i, chunk in enumerate(chunks)
        ]
        if reply.attachment is not None:  # the file after the text: a document, or text
            if self.carries_files:
                pieces.append(Reply("", attachment=reply.attachment))
            else:
                pieces += [Reply(t) for t in as_text(reply.attachment, self.split)]
        return pieces

    async def send(
        self, chat_id: str, reply: Reply, is_group: bool = False, on_sent: OnSent | None = None
    ) -> str:
        """Send a reply (all its pieces, in order); returns the worst outcome of its pieces.
        `on_sent` runs once the last piece is accepted; the piece holds its outbox slot (one of
        the window's pushes in flight) until `on_sent` returns."""
        pieces = self.pieces(reply, is_group)
        last = len(pieces) - 1
        futures = [
            self.outbox.submit(chat_id, piece, is_group, on_sent if i == last else None)
            for i, piece in enumerate(pieces)
        ]
        outcomes = await asyncio.gather(*futures)
        outcome = min(outcomes, key=_OUTCOME_RANK.__getitem__)
        if outcome == "sent" and self.choices is not None:
            await self.choices.remember(chat_id, reply, self.clock.now())
        return outcome

    async def broadcast(self, subs: list[Subscription], reply: Reply) -> int:
        """Queue one announcement to many chats; returns at once with how many were queued."""

        async def fan_out() -> None:
            await asyncio.gather(*(self.send(s.chat_id, reply, s.is_group) for s in subs))

        self._spawn(fan_out())
        return len(subs)

    def _spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _gone(self, chat_id: str) -> None:
        log.info("%s chat %s blocked or removed the bot; marked inactive", self.platform, chat_id)
        await self.conversation.left(self.platform, chat_id)

    async def _migrated(self, old: str, new: str) -> None:
        await self.conversation.migrated(self.platform, old, new)
