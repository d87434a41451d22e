"""One rate-limited way out for every message: Telegram's limits respected by construction.

About 30 messages a second overall, 20 a minute per group, 1 a second per chat. A 429 pauses every
sender for its retry_after; network errors retry with backoff; a chat that blocked or removed the
bot is reported gone, not retried. Time and sleep are injected, so tests run on a simulated clock.
(PTB's AIORateLimiter has no per-chat limit and no simulated clock, hence this small class.)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

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
    """A network error or timeout: worth another try."""


@dataclass(frozen=True)
class Limits:
    overall: tuple[int, float] = (29, 1.0)  # a hair under 30: clocks differ, a 429 costs a pause
    group: tuple[int, float] = (20, 60.0)
    chat: tuple[int, float] = (1, 1.0)


class RateLimiter:
    """Sliding windows over send times; acquire() waits until all three windows have room."""

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
        self._per_chat: dict[str, deque[float]] = defaultdict(deque)
        self._per_group: dict[str, deque[float]] = defaultdict(deque)
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self.now() + seconds)

    @staticmethod
    def _wait(window: deque[float], limit: tuple[int, float], t: float) -> float:
        count, period = limit
        while window and t - window[0] >= period:
            window.popleft()
        return window[0] + period - t if len(window) >= count else 0.0

    async def acquire(self, chat_id: str, is_group: bool) -> None:
        while True:
            t = self.now()
            waits = [
                self._paused_until - t,
                self._wait(self._overall, self.limits.overall, t),
                self._wait(self._per_chat[chat_id], self.limits.chat, t),
            ]
            if is_group:
                waits.append(self._wait(self._per_group[chat_id], self.limits.group, t))
            wait = max(waits)
            if wait <= 0:
                self._overall.append(t)
                self._per_chat[chat_id].append(t)
                if is_group:
                    self._per_group[chat_id].append(t)
                return
            await self.sleep(wait)


SendFn = Callable[[str, Reply], Awaitable[None]]
ChatHook = Callable[..., Awaitable[None]]


@dataclass
class Stats:
    sent: int = 0
    rate_limited: int = 0  # 429s received and honoured
    network_retries: int = 0
    gone: int = 0
    failed: int = 0
    by_chat: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class Outbox:
    def __init__(
        self,
        send: SendFn,
        limiter: RateLimiter,
        on_gone: ChatHook,
        on_migrated: ChatHook,
        max_attempts: int = 6,
    ) -> None:
        self.send = send
        self.limiter = limiter
        self.on_gone = on_gone
        self.on_migrated = on_migrated
        self.max_attempts = max_attempts
        self.stats = Stats()

    async def deliver(self, chat_id: str, reply: Reply) -> str:
        """Send one message. Returns "sent", "gone" or "failed"; never raises for Telegram's reasons."""
        attempts = 0
        while True:
            await self.limiter.acquire(chat_id, chat_id.startswith("-"))
            try:
                await self.send(chat_id, reply)
            except RetryLater as e:
                self.stats.rate_limited += 1
                self.limiter.pause(e.seconds)
                continue
            except Migrated as e:
                await self.on_migrated(chat_id, e.new_chat_id)
                chat_id = e.new_chat_id
                continue
            except Gone:
                self.stats.gone += 1
                await self.on_gone(chat_id)
                return "gone"
            except Transient as e:
                attempts += 1
                self.stats.network_retries += 1
                if attempts >= self.max_attempts:
                    log.warning("Giving up on a message to %s for now: %s", chat_id, e)
                    self.stats.failed += 1
                    return "failed"
                await self.limiter.sleep(min(2.0**attempts, 60.0))
                continue
            except Exception as e:  # a message Telegram refuses for good (bad request): skip it
                log.warning("Telegram refused a message to %s: %s", chat_id, e)
                self.stats.failed += 1
                return "refused"
            self.stats.sent += 1
            self.stats.by_chat[chat_id] += 1
            return "sent"
