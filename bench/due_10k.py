"""Due computation for 10,000 subscriptions across all plans, one tick. Target: under 100 ms."""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta

from bench.population import population
from bot.clock import TZ
from handlers.pushes import Recipients
from schedules import catalog
from schedules.pushes import Planner


def main(n: int = 10_000) -> None:
    cat = catalog.load()
    subs = population(n, datetime(2022, 1, 1, tzinfo=TZ))
    planner = Planner(cat.plans, TZ)
    recipients = Recipients()  # as the scheduler keeps it between ticks
    end = datetime(2022, 9, 1, 7, 30, tzinfo=TZ)  # the busiest minute: topics, quarters, meetings
    start = end - timedelta(minutes=1)

    def one_tick():
        t0 = time.perf_counter()
        due = planner.between(recipients.of(subs), start, end)
        return (time.perf_counter() - t0) * 1000, len(due)

    cold, count = one_tick()
    warm = [one_tick()[0] for _ in range(10)]
    quiet_end = datetime(2022, 9, 1, 12, 1, tzinfo=TZ)
    t0 = time.perf_counter()
    planner.between(recipients.of(subs), quiet_end - timedelta(minutes=1), quiet_end)
    quiet = (time.perf_counter() - t0) * 1000
    print(
        f"due computation, {n} subscriptions, tick ending {end:%Y-%m-%d %H:%M}: {count} pushes due; "
        f"first tick {cold:.0f} ms, then median {statistics.median(warm):.0f} ms "
        f"(max {max(warm):.0f} ms); a quiet minute {quiet:.0f} ms"
    )


if __name__ == "__main__":
    main()
