"""A call retried with back-off while what it needs (the store, the platform) is down."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

# Seconds between attempts at a failed store write or platform call, then every minute.
BACKOFF = (1, 2, 5, 10, 30, 60)

Sleep = Callable[[float], Awaitable[None]]


async def durably(
    what: str,
    call: Callable[[], Awaitable[Any]],
    sleep: Sleep,
    errors: type[Exception] | tuple[type[Exception], ...] = Exception,
) -> Any:
    """`call` (a store write, or a platform call that may find it unreachable) retried with
    back-off until it succeeds, one log line an attempt ("<what> (attempt 2: …); retrying in 2 s"):
    a database or network that is down for a while pauses receiving rather than ending the bot."""
    attempt = 0
    while True:
        try:
            return await call()
        except errors as e:
            wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
            attempt += 1
            log.warning("%s (attempt %d: %s); retrying in %d s", what, attempt, e, wait)
            await sleep(wait)
