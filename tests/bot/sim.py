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
