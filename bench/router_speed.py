"""Router and answer latency per message after warm-up. Target: under 5 ms.

Messages: both question corpora with random typos, random text and 5,000-character pastes
(tests/handlers/sweep_inputs.py), each routed and answered for one plan, as a chat sees it.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime

from bench.stats import pct
from bot.clock import TZ
from handlers import answers
from handlers.router import route
from schedules import catalog
from schedules.plan_calendar import Cell
from tests.handlers.sweep_inputs import messages

NOW = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)


def _time(fn, texts: list[str], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for t in texts:
            t0 = time.perf_counter()
            fn(t)
            samples.append((time.perf_counter() - t0) * 1000)
    return sorted(samples)


def _show(name: str, samples: list[float]) -> None:
    print(
        f"{name}: {len(samples)} messages, mean {statistics.mean(samples):.2f} ms, "
        f"p50 {pct(samples, 50):.2f} ms, p99 {pct(samples, 99):.2f} ms, max {samples[-1]:.2f} ms"
    )


def main(rounds: int = 3) -> None:
    plans = catalog.load().sorted()
    texts = [m[:500] for m in messages()]  # the conversation routes a message's first 500 chars
    cell = Cell()

    def answered(text: str) -> None:
        intent = route(text, NOW)
        for plan in plans:
            answers.answer(intent, [plan], cell, NOW.date())

    for t in texts:  # warm-up: vocabulary, compiled patterns, per-plan fact indexes
        answered(t)
    _show("router", _time(lambda t: route(t, NOW), texts, rounds))
    _show("router + answer, all 5 plans", _time(answered, texts, rounds))


if __name__ == "__main__":
    main()
