"""Router latency per message after warm-up, over the question corpus. Target: under 5 ms."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from bot.clock import parse_moment
from handlers.router import route

DATA = yaml.safe_load(
    (Path(__file__).parents[1] / "tests" / "data" / "questions.yaml").read_text("utf-8")
)


def main(rounds: int = 20) -> None:
    now = parse_moment(DATA["reference"])
    questions = list(DATA["questions"])
    for q in questions:  # warm-up: vocabulary, compiled patterns
        route(q, now)
    samples = []
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            route(q, now)
            samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p99 = samples[int(len(samples) * 0.99)]
    print(
        f"router: {len(samples)} messages, mean {statistics.mean(samples):.2f} ms, "
        f"p50 {samples[len(samples) // 2]:.2f} ms, p99 {p99:.2f} ms, max {samples[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
