"""One rate-limited way out per channel: the platform's limits respected by construction.

Every message a channel sends — replies, pushes, announcements — waits in its chat's queue and
leaves through one sender task. The sender takes chats round-robin, sends the first message of
each chat whose limits allow it, and never sleeps for one chat's trouble: a failed send goes back
to the head of its chat's queue with its own retry time (exponential backoff) while other chats
keep flowing at the channel's rate. A 429 pauses the whole channel for its retry-after, as the
platforms ask. A chat that blocked or removed the bot is reported gone, not retried.

One sender means one message in flight: a caller's `on_sent` (the scheduler's journal line) runs
before the next message leaves, so a crash resends at most the one message that was in flight.
Time and sleep are injected, so tests run on a simulated clock.
(PTB's AIORateLimiter has no per-chat limit, no simulated clock and retries by sleeping inline.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.types import Reply

log = logging.getLogger(__name__)


class RetryLater(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Gone(Exception):
    """The chat blocked or removed the bot, or no longer exists."""


class Migrated(Exception):
    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Transient(Exception):
    """A network error, a timeout or a server error: worth another try."""


class Held(Exception):
    """Not sent on purpose (e.g. the channel's monthly quota is used up): try again later."""


@dataclass(frozen=True)
class Limits:
    overall: tuple[int, float] = (29, 1.0)  # a hair under 30: clocks differ, a 429 costs a pause
    group: tuple[int, float] = (20, 60.0)
    chat: tuple[int, float] = (1, 1.0)


class RateLimiter:
    """Sliding windows over send times: how long until a chat may send, and recording a send."""

    def __init__(
        self,
        limits: Limits = Limits(),
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self.now = now
        self.sleep = sleep
        self._overall: deque[float] = deque()
        # A chat's window exists while it holds a send time: looking at a chat creates none, and
        # one emptied is dropped (a morning's fan-out left 37,000 windows behind, 600 B each).
        self._per_chat: dict[str, deque[float]] = {}
        self._per_group: dict[str, deque[float]] = {}
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self.now() + seconds)

    @staticmethod
    def _wait(window: deque[float], limit: tuple[int, float], t: float) -> float:
        count, period = limit
        while window and t - window[0] >= period:
            window.popleft()
        return window[0] + period - t if len(window) >= count else 0.0

    def channel_wait(self) -> float:
        """Seconds until the channel as a whole may send (a 429 pause or the overall window)."""
        t = self.now()
        return max(self._paused_until - t, self._wait(self._overall, self.limits.overall, t))

    def chat_wait(self, chat_id: str, is_group: bool) -> float:
        t = self.now()
        wait = self._chat_window_wait(self._per_chat, chat_id, self.limits.chat, t)
        if is_group:
            group_wait = self._chat_window_wait(self._per_group, chat_id, self.limits.group, t)
            wait = max(wait, group_wait)
        return wait

    def _chat_window_wait(
        self, windows: dict[str, deque[float]], chat_id: str, limit: tuple[int, float], t: float
    ) -> float:
        window = windows.get(chat_id)
        if window is None:
            return 0.0
        wait = self._wait(window, limit, t)
        if not window:
            del windows[chat_id]
        return wait

    def unrecord_chat(self, chat_id: str, is_group: bool) -> None:
        """A send that failed delivered nothing to the chat: it does not use the chat's pace.
        (It keeps its place in the overall window: the platform may still have counted it.)"""
        for windows in (self._per_chat, self._per_group) if is_group else (self._per_chat,):
            if window := windows.get(chat_id):
                window.pop()

    def record(self, chat_id: str, is_group: bool) -> None:
        t = self.now()
        self._overall.append(t)
        self._per_chat.setdefault(chat_id, deque()).append(t)
        if is_group:
            self._per_group.setdefault(chat_id, deque()).append(t)


SendFn = Callable[[str, Reply], Awaitable[None]]
ChatHook = Callable[..., Awaitable[None]]
OnSent = Callable[[], Awaitable[None]]
MAX_IN_FLIGHT = 8  # replies to different chats may be on the wire together


@dataclass
class Stats:
    sent: int = 0
    rate_limited: int = 0  # 429s received and honoured
    network_retries: int = 0
    gone: int = 0
    failed: int = 0
    held: int = 0
    by_chat: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass(slots=True)  # one per queued message: 44,000 at once in a 100,000-chat tick
class _Envelope:
    chat_id: str
    is_group: bool
    reply: Reply
    done: asyncio.Future[str]
    on_sent: OnSent | None = None
    attempts: int = 0
    not_before: float = 0.0


class Outbox:
    """Messages in, one sender out. `deliver` returns "sent", "gone", "failed", "held" or
    "refused"; it never raises for the platform's reasons."""

    def __init__(
        self,
        send: SendFn,
        limiter: RateLimiter,
        on_gone: ChatHook,
        on_migrated: ChatHook,
        max_attempts: int = 6,
        max_backoff: float = 60.0,
    ) -> None:
        self.send = send
        self.limiter = limiter
        self.on_gone = on_gone
        self.on_migrated = on_migrated
        self.max_attempts = max_attempts
        self.max_backoff = max_backoff
        self.stats = Stats()
        # insertion order = round-robin order. Lists, not deques: a queue holds a message or
        # three, and an empty deque is several times a list's size (a fan-out queues every chat)
        self._queues: dict[str, list[_Envelope]] = {}
        self._wake = asyncio.Event()
        self._sender: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()
        self._busy: set[str] = set()  # chats with a message in flight
        self._push_in_flight = False
        self._asking: set[str] = set()  # chats with an answer queued (checked when looked at)
        self._fatal: BaseException | None = None

    # -- the callers' side --------------------------------------------------------------------

    def submit(
        self, chat_id: str, reply: Reply, is_group: bool = False, on_sent: OnSent | None = None
    ) -> asyncio.Future[str]:
        """Queue one message behind the chat's earlier ones; the future resolves to its outcome."""
        loop = asyncio.get_running_loop()
        envelope = _Envelope(chat_id, is_group, reply, loop.create_future(), on_sent)
        self._queues.setdefault(chat_id, []).append(envelope)
        if on_sent is None:
            self._asking.add(chat_id)
        self._wake.set()
        if self._sender is None or self._sender.done():
            self._sender = loop.create_task(self._run())
        return envelope.done

    async def deliver(
        self, chat_id: str, reply: Reply, is_group: bool = False, on_sent: OnSent | None = None
    ) -> str:
        return await self.submit(chat_id, reply, is_group, on_sent)

    @property
    def pending(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def close(self) -> None:
        if self._sender and not self._sender.done():
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender
        self._fail_all(asyncio.CancelledError())

    # -- the sender ---------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            while self._queues:
                if self._fatal is not None:
                    raise self._fatal
                envelope, wait = self._next_ready()
                if envelope is None:
                    await self._idle(wait)
                    continue
                self._dispatch(envelope)
            await asyncio.gather(*self._sending, return_exceptions=True)
            if self._fatal is not None:
                raise self._fatal
        except asyncio.CancelledError as e:
            for task in self._sending:
                task.cancel()
            self._fail_all(e)
            raise
        except BaseException as e:  # the process is dying: its callers see why, none waits forever
            self._fail_all(e)

    def _dispatch(self, envelope: _Envelope) -> None:
        """Send without waiting: a slow answer from one chat never holds the others. Only pushes
        (with on_sent) are kept to one in flight, which bounds a crash to one resend."""
        chat_id = envelope.chat_id
        self._busy.add(chat_id)
        if envelope.on_sent is not None:
            self._push_in_flight = True
        task = asyncio.get_running_loop().create_task(self._attempt(envelope))
        self._sending.add(task)

        def done(t: asyncio.Task[None]) -> None:
            self._sending.discard(t)
            self._busy.discard(chat_id)
            if envelope.on_sent is not None:
                self._push_in_flight = False
            if not t.cancelled() and isinstance(t.exception(), BaseException):
                error = t.exception()
                if not isinstance(error, Exception):  # a crash, not a platform's answer
                    self._fatal = error
            self._wake.set()

        task.add_done_callback(done)

    def _fail_all(self, error: BaseException) -> None:
        for queue in self._queues.values():
            for envelope in queue:
                if not envelope.done.done():
                    envelope.done.set_exception(error)
        self._queues.clear()

    def _next_ready(self) -> tuple[_Envelope | None, float]:
        """The first chat (round-robin) whose head may go now, or how long until one may."""
        channel_wait = self.limiter.channel_wait()
        if channel_wait > 0:
            return None, channel_wait
        now = self.limiter.now()
        soonest = float("inf")
        if len(self._sending) >= MAX_IN_FLIGHT:
            return None, float("inf")  # woken when one finishes
        # A chat with an answer queued goes before chats with only pushes: someone is waiting,
        # and behind a morning's fan-out the answer (and the chat's own push queued before it)
        # would otherwise wait its turn among thousands of chats.
        push: _Envelope | None = None  # the first push that may go, if no such chat may
        for chat_id, queue in self._queues.items():
            head = queue[0]
            if chat_id in self._busy or (head.on_sent is not None and self._push_in_flight):
                continue  # its message in flight: the chat's order holds
            asking = chat_id in self._asking
            if asking and not any(e.on_sent is None for e in queue):
                self._asking.discard(chat_id)  # its answers are out
                asking = False
            if push is not None and not asking:
                continue
            wait = max(head.not_before - now, self.limiter.chat_wait(chat_id, head.is_group))
            if wait <= 0 and asking:
                self._queues[chat_id] = self._queues.pop(chat_id)
                return head, 0.0
            if wait <= 0:
                push = head
                continue
            soonest = min(soonest, wait)
        if push is not None:
            # move the chat to the back: the next round starts with the others
            self._queues[push.chat_id] = self._queues.pop(push.chat_id)
            return push, 0.0
        return None, soonest

    async def _idle(self, wait: float) -> None:
        """Sleep until a chat may send, or until a new message arrives for another chat."""
        self._wake.clear()
        waker = asyncio.ensure_future(self._wake.wait())
        tasks: set[asyncio.Future[Any]] = {waker}
        if wait != float("inf"):  # inf: only messages in flight; their end wakes us
            tasks.add(asyncio.ensure_future(self.limiter.sleep(wait)))
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()

    def _finish(self, envelope: _Envelope, outcome: str) -> None:
        queue = self._queues.get(envelope.chat_id)
        if queue and queue[0] is envelope:
            del queue[0]
            if not queue:
                del self._queues[envelope.chat_id]
        if not envelope.done.done():
            envelope.done.set_result(outcome)

    def _drop_chat(self, chat_id: str, outcome: str) -> None:
        """The chat's head failed for good: what waits behind it keeps its order for later."""
        for envelope in self._queues.pop(chat_id, ()):
            if not envelope.done.done():
                envelope.done.set_result(outcome)

    async def _attempt(self, envelope: _Envelope) -> None:
        chat_id = envelope.chat_id
        self.limiter.record(chat_id, envelope.is_group)
        try:
            await self.send(chat_id, envelope.reply)
        except RetryLater as e:
            self.stats.rate_limited += 1
            self.limiter.pause(e.seconds)
            return  # stays at the head of its queue
        except Migrated as e:
            await self.on_migrated(chat_id, e.new_chat_id)
            queue = self._queues.pop(chat_id, [])
            for waiting in queue:
                waiting.chat_id = e.new_chat_id
            self._queues.setdefault(e.new_chat_id, [])[0:0] = queue
            return
        except Gone:
            self.stats.gone += 1
            await self.on_gone(chat_id)
            self._drop_chat(chat_id, "gone")
            return
        except Held:
            self.stats.held += 1  # logged by whoever holds it, once, not on every retry
            self._drop_chat(chat_id, "held")
            return
        except Transient as e:
            envelope.attempts += 1
            self.stats.network_retries += 1
            if envelope.attempts >= self.max_attempts:
                log.warning("Giving up on a message to %s for now: %s", chat_id, e)
                self.stats.failed += 1
                self._drop_chat(chat_id, "failed")
                return
            # 0.5, 1, 2, 4, 8 s: short, since the others flow meanwhile; a chat still failing
            # after that is left behind and retried, in order, at the next tick
            backoff = min(0.5 * 2.0 ** (envelope.attempts - 1), self.max_backoff)
            envelope.not_before = self.limiter.now() + backoff
            self.limiter.unrecord_chat(chat_id, envelope.is_group)
            return
        except Exception as e:  # a message the platform refuses for good (bad request): skip it
            log.warning("The platform refused a message to %s: %s", chat_id, e)
            self.stats.failed += 1
            self._finish(envelope, "refused")
            return
        self.stats.sent += 1
        self.stats.by_chat[chat_id] += 1
        if envelope.on_sent is not None:
            await envelope.on_sent()  # before the next send: at most one message in flight
        self._finish(envelope, "sent")
