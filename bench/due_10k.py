"""The due computation as the scheduler runs it, off the event loop: bench.population (one cell
name per chat, the real mix), every chat on one channel's scheduler (the worst case: one
thread does it all). Targets for 10,000 chats: the busiest tick (1/10/2022 7:30) median
≤ 100 ms, a quiet minute ≤ 5 ms. Also: building the buckets at start, and a chat's change.

    python -m bench.due_10k [CHATS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.population import population
from bot.clock import TZ
from bot.scheduling.roster import Changes
from bot.scheduling.scheduler import Scheduler
from bot.stores.tinydb.journal import Journal
from bot.stores.tinydb.push_state import PushState
from handlers.state import MemoryStore
from schedules import catalog

BUSIEST = datetime(2022, 10, 1, 7, 30, tzinfo=TZ)  # topics, quarters, meetings, Kỳ Lợi's dates


class NoChannel:
    platform = "zalo"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(n: int = 10_000) -> None:
    store = MemoryStore()
    for sub in population(n, datetime(2022, 1, 1, tzinfo=TZ), platform="zalo"):
        store._subs[sub.key] = sub
    with tempfile.TemporaryDirectory() as tmp:
        state = PushState(Path(tmp) / "push.json")
        scheduler = Scheduler(
            store, catalog.load(), NoChannel(), state, Journal(Path(tmp) / "journal"), TZ
        )
        t0 = time.perf_counter()
        scheduler.chats.apply(scheduler.chats.take())
        build = time.perf_counter() - t0

        def tick(end: datetime) -> tuple[float, float, int]:
            state.watermark = end - timedelta(minutes=1)
            t0 = time.perf_counter()
            scheduler.planner.due(scheduler.chats.roster, state.watermark, end)
            due_only = time.perf_counter() - t0
            t0 = time.perf_counter()
            report, *_ = scheduler._prepare(Changes({}), end)
            return due_only, time.perf_counter() - t0, report.pushes

        busy = [tick(BUSIEST) for _ in range(11)]
        quiet = [tick(datetime(2022, 10, 1, 12, 1, tzinfo=TZ)) for _ in range(11)]
        sub = store.all()[n // 2]
        t0 = time.perf_counter()
        for minute in range(100):
            changed = sub.but(reminder_time=f"06:{minute % 60:02d}")
            scheduler.chats.apply(Changes({changed.key: changed}))
        change = (time.perf_counter() - t0) / 100
        print(
            f"due computation, {n} chats on one scheduler: buckets built at start {ms(build)}; "
            f"busiest tick ({BUSIEST:%d/%m/%Y %H:%M}, {busy[0][2]} pushes): due "
            f"{ms(statistics.median(b[0] for b in busy))}, due and rendered (the scheduler's "
            f"whole off-loop part) median {ms(statistics.median(b[1] for b in busy))}, max "
            f"{ms(max(b[1] for b in busy))}; quiet minute median "
            f"{ms(statistics.median(q[1] for q in quiet))}; one chat's change "
            f"{change * 1e6:.0f} µs"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
