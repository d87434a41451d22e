"""Simulated time: for the outbox and the fake server, a clock that sleeping advances at once;
for the conversation and the scheduler, a clock the test sets."""

import asyncio
from collections.abc import Callable
from datetime import datetime

from bot.clock import Clock


class SteppedClock(Clock):
    """What the conversation and the tick read as now: the moment the test set (`at`)."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.at = start

    def now(self) -> datetime:
        return self.at


class SimTime:
    """A clock that a sleep moves forward at once.

    With `busy` (true while work that takes no simulated time is in flight, such as a send to a
    fake server on 127.0.0.1), a sleep first waits in real time for that work to end and for what
    it wakes to run: on a real clock the send ends long before the sleep would, and whoever slept
    alongside it (the outbox sleeping until a failed chat's retry) is woken and cancels the sleep,
    which then never moves the clock. Without it, a busy machine, where the send takes longer,
    moved the clock by that retry's whole wait on every such race."""

    SETTLE_TURNS = 5  # the loop's turns for a finished send's wake-up to reach the sleeper

    def __init__(self, start: float = 1_000.0, busy: Callable[[], bool] | None = None) -> None:
        self.t = start
        self.slept = 0.0
        self.busy = busy

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        seconds = max(seconds, 0.0)
        if self.busy is not None:
            quiet = 0
            while quiet < self.SETTLE_TURNS:
                if self.busy():
                    quiet = 0
                    await asyncio.sleep(0.001)  # a condition, polled: real work in flight
                else:
                    quiet += 1
                    await asyncio.sleep(0)
        self.t += seconds
        self.slept += seconds
        await asyncio.sleep(0)


class HeldTime:
    """Simulated time that moves only when the test moves it: a sleeper waits until `advance`
    reaches its deadline, so a message held by a rate limit stays held while the test looks."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.t = start
        self._sleepers: list[tuple[float, asyncio.Future]] = []

    def now(self) -> float:
        return self.t

    @property
    def sleeping(self) -> int:
        return sum(1 for _, f in self._sleepers if not f.done())

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.t + seconds, future))
        await future

    def advance(self, seconds: float) -> None:
        self.t += seconds
        for deadline, future in self._sleepers:
            if deadline <= self.t and not future.done():
                future.set_result(None)
        self._sleepers = [(d, f) for d, f in self._sleepers if not f.done()]


def sends_in_flight(outbox) -> Callable[[], bool]:
    """For SimTime's `busy`: true while one of the outbox's sends is on the wire, counted around
    the outbox's own send (which still goes to the fake server)."""
    count = 0
    send = outbox.send

    async def counted(chat_id, reply) -> None:
        nonlocal count
        count += 1
        try:
            await send(chat_id, reply)
        finally:
            count -= 1

    outbox.send = counted
    return lambda: count > 0
