"""Simulated time for the outbox and the fake server: sleeping advances it instantly."""

import asyncio
from collections.abc import Callable


class SimTime:
    """`settled`, when given, says whether nothing is on the wire: a sleep then waits (in real
    time) for it before moving the clock, so a round trip takes no simulated time. Without it a
    sleep begun while messages are on the wire jumps the clock before their answers land, and
    they are counted as arriving a whole sleep later than they did."""

    def __init__(self, start: float = 1_000.0, settled: Callable[[], bool] | None = None) -> None:
        self.t = start
        self.slept = 0.0
        self.settled = settled

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        while self.settled is not None and not self.settled():
            await asyncio.sleep(0.001)  # real time: the answers on their way land first
        seconds = max(seconds, 0.0)
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
