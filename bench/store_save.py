"""How long a save takes with 10,000 chats in the database: one save alone, and 20 concurrent
saves (the evening rush: many cells changing settings at once). Durable saves: each is on disk
(fsync) when its await returns. Also the cost of encoding the whole file three ways, and, with
--baseline, TinyDB's own upsert (which re-reads and re-parses the file on every write).

    python -m bench.store_save [CHATS] [--baseline] [--pg]
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.pg import database
from bench.population import population
from bench.stats import pct
from bot.clock import TZ
from bot.stores.postgres.store import PgStore
from bot.stores.tinydb.store import SCHEMA_VERSION, AtomicJSONStorage, TinyStore, _Texts, render
from handlers.state import Subscription

NOW = datetime(2022, 7, 5, 8, 0, tzinfo=TZ)


def realistic(n: int) -> list[Subscription]:
    """bench.population: one cell name per chat, the 5 plans, meeting rules, own dates."""
    return population(n, NOW)


def write_initial(path: Path, subs: list[Subscription]) -> None:
    tables = {
        "subscriptions": {str(i + 1): s.to_dict() for i, s in enumerate(subs)},
        "meta": {"1": {"schema": SCHEMA_VERSION}},
    }
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")


def ms(values: list[float]) -> str:
    return f"p50 {pct(values, 50) * 1000:.1f} ms, p99 {pct(values, 99) * 1000:.1f} ms"


async def timed(coro) -> float:
    t0 = time.perf_counter()
    await coro
    return time.perf_counter() - t0


async def save_times(
    store, subs: list[Subscription], singles: int, rounds: int, per_round=None
) -> None:
    """One save at a time, then rounds of 20 at once; `per_round()` counts what a round cost."""
    one = [
        await timed(store.save(subs[i * 37 % len(subs)].but(reminder_time="06:00")))
        for i in range(singles)
    ]
    print(f"one save ({singles} in a row): {ms(one)}")
    each, totals, costs = [], [], []
    for r in range(rounds):
        batch = [subs[(r * 20 + k) * 13 % len(subs)].but(reminder_time="19:00") for k in range(20)]
        before = per_round() if per_round else 0
        t0 = time.perf_counter()
        each += await asyncio.gather(*(timed(store.save(s)) for s in batch))
        totals.append(time.perf_counter() - t0)
        costs.append((per_round() if per_round else 0) - before)
    line = f"20 concurrent saves ({rounds} rounds): each {ms(each)}; all 20 done in {ms(totals)}"
    if per_round:
        line += f"; file rewrites per round: {min(costs)}–{max(costs)}"
    print(line)


async def measure(path: Path, subs: list[Subscription], singles: int, rounds: int) -> None:
    t0 = time.perf_counter()
    store = TinyStore(path, NOW)
    print(f"open: {time.perf_counter() - t0:.2f} s for {len(store.all())} chats")
    writes = []
    original = store._write_snapshot

    def counting(snapshot):
        writes.append(1)
        original(snapshot)

    store._write_snapshot = counting
    await save_times(store, subs, singles, rounds, lambda: len(writes))
    store.close()


async def measure_pg(url: str, subs: list[Subscription], singles: int, rounds: int) -> None:
    """The same saves on PostgreSQL (bench/pg.py: a throwaway server, fsync off as in the tests,
    so this is the store's own cost, not the disk's), the chats seeded by COPY."""
    store = await PgStore.open(url)
    try:
        t0 = time.perf_counter()
        await store.replace_all(subs, {})
        print(f"seeded by COPY in {time.perf_counter() - t0:.1f} s")
        await save_times(store, subs, singles, rounds)
    finally:
        await store.aclose()


def encoders(path: Path) -> None:
    tables = json.loads(path.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    json.dumps(tables, ensure_ascii=False).encode()
    whole = time.perf_counter() - t0
    texts = _Texts(tables)
    t0 = time.perf_counter()
    render(texts.snapshot())
    joined = time.perf_counter() - t0
    line = f"encode the whole file: json.dumps {whole * 1000:.0f} ms; joining the kept per-document bytes {joined * 1000:.0f} ms"
    try:
        import orjson  # not a dependency: measured only when present
    except ImportError:
        line += "; orjson not installed"
    else:
        t0 = time.perf_counter()
        orjson.dumps(tables)
        line += f"; orjson {(time.perf_counter() - t0) * 1000:.0f} ms"
    print(line)


def baseline(path: Path, subs: list[Subscription], n: int) -> None:
    from tinydb import Query, TinyDB

    db = TinyDB(str(path), storage=AtomicJSONStorage)
    q, times = Query(), []
    for i in range(n):
        sub = subs[i * 41 % len(subs)].but(reminder_time="06:00")
        t0 = time.perf_counter()
        db.table("subscriptions").upsert(
            sub.to_dict(), (q.platform == sub.platform) & (q.chat_id == sub.chat_id)
        )
        times.append(time.perf_counter() - t0)
    print(f"baseline, TinyDB upsert ({n} in a row): {ms(times)}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 10_000
    subs = realistic(n)
    if "--pg" in sys.argv:
        with database() as url:
            print(f"{n} chats on PostgreSQL")
            asyncio.run(measure_pg(url, subs, singles=200, rounds=10))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chibo.json"
        write_initial(path, subs)
        print(f"{n} chats, database file {path.stat().st_size / 1e6:.1f} MB")
        encoders(path)
        asyncio.run(measure(path, subs, singles=100, rounds=10))
        if "--baseline" in sys.argv:
            baseline(path, subs, 5)


if __name__ == "__main__":
    main()
