"""Simulated time for the outbox and the fake server: sleeping advances it instantly."""

import asyncio


class SimTime:
    def __init__(self, start: float = 1_000.0) -> None:
        self.t = start
        self.slept = 0.0

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
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
