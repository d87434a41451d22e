"""One rate-limited way out per channel: the platform's limits respected by construction.

Every message a channel sends — replies, pushes, announcements — waits in its chat's queue and
leaves through one sender task. Each chat is strictly in order: one message of a chat on the wire
at a time. Across chats several messages are on the wire together, so the pace is the platform's
limit, not one round trip per message: pushes (messages with `on_sent`, the scheduler's journal
line) hold one of PUSH_WINDOW slots from the moment they leave until their `on_sent` has
returned, which bounds what a crash can resend to PUSH_WINDOW messages.

Which chat goes next is kept in two heaps of ready times (a chat's head may leave when its own
retry time and the chat's limits allow): answers to people first, in a lane of their own, then
pushes round-robin. The cost of a choice grows with the log of the queue, not with the queue.

A failed send goes back to the head of its chat's queue with its own retry time (exponential
backoff) while other chats keep flowing. A 429 holds back pushes for its retry-after, as the
platforms ask; answers keep their lane (one that got a 429 itself waits its retry-after alone).
A chat that blocked or removed the bot is reported gone, not retried.
Time and sleep are injected, so tests run on a simulated clock.
(PTB's AIORateLimiter has no per-chat limit, no simulated clock and retries by sleeping inline.)
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


class NotSent(Transient):
    """No connection to the platform was made (refused, timed out connecting, no free connection
    in the pool): the request never left, so the platform counted nothing. Worth another try."""


class Held(Exception):
    """Not sent on purpose (e.g. the channel's monthly quota is used up): try again later."""


@dataclass(frozen=True)
class Limits:
    overall: tuple[int, float] = (29, 1.0)  # a hair under 30: clocks differ, a 429 costs a pause
    group: tuple[int, float] = (20, 60.0)
    chat: tuple[int, float] = (1, 1.0)


class RateLimiter:
    """Sliding windows over send times: how long until a chat may send, and recording a send.

    The platform counts a message when it arrives, somewhere between our send and its answer;
    the network's jitter moves that moment, so sends spaced a window apart can arrive closer
    together, and a strict window there answers 429. The overall window therefore counts a send
    in flight as arriving now, and an answered one at its answer less half the fastest round
    trip seen (the answer's way back takes at least that): the latest it can have arrived.
    Every arrival is then inside our window whenever it is inside the platform's, so the
    platform never sees more than our count, whatever the jitter; the price (the margin) is
    that each send holds its place for about half a round trip longer than the window. The
    per-chat windows count from the send (a chat has one message on the wire at a time)."""

    def __init__(
        self,
        limits: Limits = Limits(),
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self.now = now
        self.sleep = sleep
        self._overall: deque[float] = deque()  # answer times of the sends answered
        self._in_flight = 0  # sends not yet answered: each counts as arriving now
        self._fastest = float("inf")  # the shortest round trip seen
        # A chat's window exists while it holds a send time: looking at a chat creates none, and
        # one emptied is dropped (a morning's fan-out left 37,000 windows behind, 600 B each).
        self._per_chat: dict[str, deque[float]] = {}
        self._per_group: dict[str, deque[float]] = {}
        # every send of the last period, oldest first: which windows may have gone idle
        self._chat_sends: deque[tuple[float, str]] = deque()
        self._group_sends: deque[tuple[float, str]] = deque()
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self.now() + seconds)

    @staticmethod
    def _wait(window: deque[float], limit: tuple[int, float], t: float) -> float:
        count, period = limit
        while window and window[0] + period <= t:  # the same sum as below: a full window
            window.popleft()  # never answers 0 by rounding
        return window[0] + period - t if len(window) >= count else 0.0

    def channel_wait(self) -> float:
        """Seconds until the channel as a whole may send (the overall window); infinite while
        the sends in flight alone fill it (the end of one wakes the sender)."""
        count, period = self.limits.overall
        room = count - self._in_flight
        if room <= 0:
            return float("inf")
        window, t = self._overall, self.now()
        self._wait(window, (count, period), t)  # drops what has left the window
        if len(window) < room:
            return 0.0
        return window[len(window) - room] + period - t

    def push_wait(self) -> float:
        """Seconds pushes are still held back by a 429 (answers are not)."""
        return max(0.0, self._paused_until - self.now())

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

    @property
    def in_flight(self) -> int:
        """Sends made and not yet answered (nor known never to have left)."""
        return self._in_flight

    def unsent(self, chat_id: str, is_group: bool) -> None:
        """A send that never left (no connection was made): the platform counted nothing, so it
        holds no place in any window."""
        self._in_flight -= 1
        self.unrecord_chat(chat_id, is_group)

    def landed(self, sent_at: float) -> None:
        """A send made at `sent_at` was answered (whatever the answer: the platform may have
        counted it)."""
        t = self.now()
        self._in_flight -= 1
        self._fastest = min(self._fastest, t - sent_at)
        bisect.insort(self._overall, t - self._fastest / 2)  # kept in time order

    def record(self, chat_id: str, is_group: bool) -> float:
        """A send leaves now: returns its time, for `landed`."""
        t = self.now()
        self._in_flight += 1
        self._per_chat.setdefault(chat_id, deque()).append(t)
        self._forget_idle(self._per_chat, self._chat_sends, self.limits.chat[1], t)
        self._chat_sends.append((t, chat_id))
        if is_group:
            self._per_group.setdefault(chat_id, deque()).append(t)
            self._forget_idle(self._per_group, self._group_sends, self.limits.group[1], t)
            self._group_sends.append((t, chat_id))
        return t

    @staticmethod
    def _forget_idle(
        windows: dict[str, deque[float]], sends: deque[tuple[float, str]], period: float, t: float
    ) -> None:
        """Drop the windows of chats that have sent nothing for a whole period: a fan-out sends
        one message to each of thousands of chats, and each one's window, never looked at
        again, stayed for the life of the process (400 B a chat)."""
        while sends and sends[0][0] + period <= t:
            _, chat_id = sends.popleft()
            window = windows.get(chat_id)
            if window is not None and (not window or window[-1] + period <= t):
                del windows[chat_id]


SendFn = Callable[[str, Reply], Awaitable[None]]
ChatHook = Callable[..., Awaitable[None]]
OnSent = Callable[[], Awaitable[None]]
PUSH_WINDOW = 8  # pushes on the wire or awaiting their journal line: what a crash may resend
ANSWER_WINDOW = 8  # answers to different chats on the wire together


@dataclass
class Stats:
    sent: int = 0
    rate_limited: int = 0  # 429s received and honoured
    network_retries: int = 0
    gone: int = 0
    failed: int = 0
    held: int = 0


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
    """Messages in, one sender out, several messages on the wire (one per chat). `deliver` returns "sent", "gone", "failed", "held" or
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
        # Lists, not deques: a queue holds a message or three, and an empty deque is several
        # times a list's size (a fan-out queues every chat)
        self._queues: dict[str, list[_Envelope]] = {}
        # (ready time, order, chat, token): a chat not on the wire with a queue is in one heap;
        # an entry whose token is not the chat's current one is stale and skipped when met
        self._answer_lane: list[tuple[float, int, str, int]] = []
        self._push_lane: list[tuple[float, int, str, int]] = []
        self._token: dict[str, tuple[int, bool]] = {}  # chat -> (token, in the answer lane)
        self._order = itertools.count()
        self._window_full: list[str] = []  # answer-lane chats whose head push awaits a slot
        self._wake = asyncio.Event()
        self._sender: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()
        self._busy: set[str] = set()  # chats with a message in flight
        self._pushes_in_flight = 0
        self._answers_in_flight = 0
        self._fatal: BaseException | None = None
        self._timer: asyncio.Future[None] | None = None  # the sender's sleep, and its end
        self._timer_deadline = 0.0

    # -- the callers' side --------------------------------------------------------------------

    def submit(
        self, chat_id: str, reply: Reply, is_group: bool = False, on_sent: OnSent | None = None
    ) -> asyncio.Future[str]:
        """Queue one message behind the chat's earlier ones; the future resolves to its outcome."""
        loop = asyncio.get_running_loop()
        envelope = _Envelope(chat_id, is_group, reply, loop.create_future(), on_sent)
        self._queues.setdefault(chat_id, []).append(envelope)
        scheduled = self._token.get(chat_id)
        if scheduled is None or (on_sent is None and not scheduled[1]):
            self._schedule(chat_id)  # new, or its answer moves it to the answer lane
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
            if self._timer is not None:
                self._timer.cancel()
            self._fail_all(e)
            raise
        except BaseException as e:  # the process is dying: its callers see why, none waits forever
            self._fail_all(e)

    def _dispatch(self, envelope: _Envelope) -> None:
        """Send without waiting: a slow answer from one chat never holds the others."""
        chat_id = envelope.chat_id
        push = envelope.on_sent is not None
        self._busy.add(chat_id)
        sent_at = self.limiter.record(chat_id, envelope.is_group)  # now: the next choice sees it
        if push:
            self._pushes_in_flight += 1
        else:
            self._answers_in_flight += 1
        task = asyncio.get_running_loop().create_task(self._attempt(envelope, sent_at))
        self._sending.add(task)

        def done(t: asyncio.Task[None]) -> None:
            self._sending.discard(t)
            self._busy.discard(chat_id)
            if push:
                self._pushes_in_flight -= 1
                waiting, self._window_full = self._window_full, []
                for other in waiting:
                    self._schedule(other)
            else:
                self._answers_in_flight -= 1
            if not t.cancelled() and isinstance(t.exception(), BaseException):
                error = t.exception()
                if not isinstance(error, Exception):  # a crash, not a platform's answer
                    self._fatal = error
            self._schedule(envelope.chat_id)  # its next message, if any (a migrated chat's too)
            self._wake.set()

        task.add_done_callback(done)

    def _schedule(self, chat_id: str) -> None:
        """Put a chat that may send into its lane at the time its head may leave."""
        queue = self._queues.get(chat_id)
        if not queue or chat_id in self._busy:
            self._token.pop(chat_id, None)
            return
        head = queue[0]
        now = self.limiter.now()
        ready = max(head.not_before, now + self.limiter.chat_wait(chat_id, head.is_group))
        # A chat with an answer queued goes before chats with only pushes: someone is waiting,
        # and behind a morning's fan-out the answer (and the chat's own push queued before it)
        # would otherwise wait its turn among thousands of chats.
        asking = any(e.on_sent is None for e in queue)
        token = next(self._order)
        self._token[chat_id] = (token, asking)
        lane = self._answer_lane if asking else self._push_lane
        heapq.heappush(lane, (ready, token, chat_id, token))

    def _fail_all(self, error: BaseException) -> None:
        for queue in self._queues.values():
            for envelope in queue:
                if not envelope.done.done():
                    envelope.done.set_exception(error)
        self._queues.clear()
        self._answer_lane.clear()
        self._push_lane.clear()
        self._token.clear()
        self._window_full.clear()

    def _take(self, lane: list[tuple[float, int, str, int]], now: float) -> _Envelope | float:
        """The head of the first chat in the lane that may send now, or how long until one may."""
        while lane:
            ready, _, chat_id, token = lane[0]
            current = self._token.get(chat_id)
            if current is None or current[0] != token:
                heapq.heappop(lane)  # stale: the chat was rescheduled, sent or emptied since
                continue
            if ready > now:
                return ready - now
            heapq.heappop(lane)
            head = self._queues[chat_id][0]
            if head.on_sent is not None and self._pushes_in_flight >= PUSH_WINDOW:
                del self._token[chat_id]  # a push ahead of an answer: waits for a slot
                self._window_full.append(chat_id)
                continue
            del self._token[chat_id]
            return head
        return float("inf")

    def _next_ready(self) -> tuple[_Envelope | None, float]:
        """The next message that may go now (answers first), or how long until one may."""
        channel_wait = self.limiter.channel_wait()
        if channel_wait > 0:
            return None, channel_wait
        now = self.limiter.now()
        soonest = float("inf")
        if self._answers_in_flight < ANSWER_WINDOW:
            taken = self._take(self._answer_lane, now)
            if isinstance(taken, _Envelope):
                return taken, 0.0
            soonest = taken
        if self._pushes_in_flight < PUSH_WINDOW:
            paused = self.limiter.push_wait()
            if paused > 0:
                return None, min(soonest, paused)
            taken = self._take(self._push_lane, now)
            if isinstance(taken, _Envelope):
                return taken, 0.0
            soonest = min(soonest, taken)
        return None, soonest  # inf: woken when a message in flight finishes or one arrives

    async def _idle(self, wait: float) -> None:
        """Sleep until a chat may send, or until a message arrives or one in flight ends. The
        timer outlives a wake that comes first: with several messages in flight the sender is
        woken often, and a timer started anew each time is a sleep begun again (and, on a
        simulated clock, time counted again)."""
        self._wake.clear()
        waker = asyncio.ensure_future(self._wake.wait())
        tasks: set[asyncio.Future[Any]] = {waker}
        if wait != float("inf"):  # inf: only messages in flight; their end wakes us
            deadline = self.limiter.now() + wait
            timer = self._timer
            if timer is None or timer.done() or self._timer_deadline > deadline:
                if timer is not None:
                    timer.cancel()
                self._timer = timer = asyncio.ensure_future(self.limiter.sleep(wait))
                self._timer_deadline = deadline
            tasks.add(timer)
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waker.cancel()

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

    async def _attempt(self, envelope: _Envelope, sent_at: float) -> None:
        chat_id = envelope.chat_id
        try:
            try:
                await self.send(chat_id, envelope.reply)
            except NotSent:
                self.limiter.unsent(chat_id, envelope.is_group)
                raise
            except BaseException:
                self.limiter.landed(sent_at)
                raise
            self.limiter.landed(sent_at)
        except RetryLater as e:
            self.stats.rate_limited += 1
            self.limiter.pause(e.seconds)  # pushes wait; an answer waits on its own
            if envelope.on_sent is None:
                envelope.not_before = self.limiter.now() + e.seconds
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
            if not isinstance(e, NotSent):  # that one's windows were released as it failed
                self.limiter.unrecord_chat(chat_id, envelope.is_group)
            return
        except Exception as e:  # a message the platform refuses for good (bad request): skip it
            log.warning("The platform refused a message to %s: %s", chat_id, e)
            self.stats.failed += 1
            self._finish(envelope, "refused")
            return
        self.stats.sent += 1
        if envelope.on_sent is not None:
            await envelope.on_sent()  # its slot is held until the journal line is written
        self._finish(envelope, "sent")
