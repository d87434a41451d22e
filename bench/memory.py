"""Where a process's memory goes per chat: the chats of bench.population read from a TinyDB file
by the store, then prepared for the scheduler, measured with tracemalloc stage by stage, with the
biggest allocation sites of each stage.

    python -m bench.memory [CHATS] [--top N]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

from bench.population import population, write_db
from bot.clock import TZ
from bot.scheduling.roster import Changes
from bot.scheduling.scheduler import Scheduler
from bot.stores.tinydb.journal import Journal
from bot.stores.tinydb.push_state import PushState
from bot.stores.tinydb.store import TinyStore
from schedules import catalog

BUSIEST = datetime(2022, 10, 1, 7, 30, tzinfo=TZ)


class NoChannel:
    def __init__(self, platform: str) -> None:
        self.platform = platform


def stage(name: str, before: tracemalloc.Snapshot, n: int, top: int) -> tracemalloc.Snapshot:
    gc.collect()
    after = tracemalloc.take_snapshot()
    diff = after.compare_to(before, "lineno")
    total = sum(d.size_diff for d in diff)
    print(f"{name}: {total / 1e6:.1f} MB, {total / n:.0f} B a chat")
    for d in diff[:top]:
        print(f"    {d.size_diff / 1e6:7.2f} MB  {d.traceback[0]}")
    return after


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.memory")
    p.add_argument("chats", nargs="?", type=int, default=10_000)
    p.add_argument("--top", type=int, default=6)
    args = p.parse_args()
    since = datetime(2022, 9, 1, tzinfo=TZ)
    cat = catalog.load()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "chibo.json"
        write_db(db, population(args.chats, since))
        gc.collect()
        tracemalloc.start()
        snap = tracemalloc.take_snapshot()
        store = TinyStore(db, datetime.now(TZ), owner=True)
        snap = stage("store (Subscriptions + kept JSON)", snap, args.chats, args.top)
        schedulers = []
        for platform in ("telegram", "zalo"):
            state = PushState(Path(tmp) / f"{platform}.json")
            scheduler = Scheduler(
                store, cat, NoChannel(platform), state, Journal(Path(tmp) / platform), TZ
            )
            scheduler.chats.apply(scheduler.chats.take())
            state.watermark = BUSIEST - timedelta(minutes=1)
            schedulers.append(scheduler)
        snap = stage("schedulers (Recipients + prepared Chats)", snap, args.chats, args.top)
        held = [s._prepare(Changes({}), BUSIEST) for s in schedulers]
        stage(
            f"the busiest tick's messages ({sum(len(h[2]) for h in held)} chats)",
            snap,
            args.chats,
            args.top,
        )
        store.close()


if __name__ == "__main__":
    main()
