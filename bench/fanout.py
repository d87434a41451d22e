"""Fan-out of a monthly announcement through a channel's fake Bot API server, in real time.

Telegram's fake enforces 30 messages a second (429 beyond it); Zalo's fake answers an HTML 429
beyond the rate we hold ourselves to (the platform publishes none). With --faults, the fake also
answers 3% of sends with 5xx and resets 2% of connections (Telegram), or 5% 5xx (Zalo). Reports
the rate against the channel's limit, exactly-once delivery and memory.

With --rtt the fake answers each call a round trip later (half before it counts the call, as the
platform counts at arrival, half after). Also measured: an answer to another chat every second
during the fan-out (p99), and the event loop's largest stall (a 10 ms timer's largest gap).

With --pg the chats are in a throwaway PostgreSQL (bench/pg.py); with --for S only the first S
seconds of the fan-out are measured (100,000 chats take an hour at Telegram's pace).

    python -m bench.fanout [CHATS] [--kenh telegram|zalo] [--faults] [--rtt MS] [--pg] [--for S]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import multiprocessing
import resource
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiohttp import web
from tinydb import TinyDB

from bench.pg import database
from bench.population import population
from bot.app import assemble
from bot.channels.zalo.channel import ZALO_LIMITS
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig, ZaloConfig
from bot.stores.backend import open_backend
from bot.stores.postgres.store import PgStore
from bot.stores.tinydb.store import SCHEMA_VERSION, AtomicJSONStorage
from handlers.types import Reply
from schedules import catalog
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_zalo import FakeZalo
from tests.bot.harness import serving


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(db_path: Path, n: int, platform: str) -> None:
    subs = population(
        n,
        datetime(2022, 8, 1, tzinfo=TZ),
        plans=["tra-vinh-60-2022"],
        meetings=False,
        platform=platform,  # the channel's own chat ids: another's are refused
    )
    db = TinyDB(str(db_path), storage=AtomicJSONStorage)
    db.table("meta").insert({"schema": SCHEMA_VERSION})
    db.table("subscriptions").insert_multiple({**s.to_dict(), "platform": platform} for s in subs)
    db.close()


class _Remote:
    """A fake server a round trip away: half before the call is counted, half after."""

    rtt = 0.0

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(self.rtt / 2)
        response: web.StreamResponse = await super()._dispatch(request)  # type: ignore[misc]
        await asyncio.sleep(self.rtt / 2)
        return response


class RemoteTelegram(_Remote, FakeTelegram):
    pass


class RemoteZalo(_Remote, FakeZalo):
    pass


@dataclass
class Delivered:
    """What the fake server recorded, fetched from its process at the end."""

    sent: list[tuple[str, str]]  # (chat id, text) in order of arrival
    too_many: int


def _serve_fake(kenh: str, rtt: float, faults: bool, conn: Connection) -> None:
    """The fake platform in a process of its own: what it keeps (every message sent) and the
    collections its objects cause are not the bot's memory nor the bot's loop stalls."""

    async def serve() -> None:
        fake: Any
        if kenh == "zalo":
            fake = RemoteZalo()
            fake.flood_limit = (ZALO_LIMITS.overall[0] + 1, 1.0)
            fake.fail_rate = 0.05 if faults else 0.0
        else:
            fake = RemoteTelegram()
            fake.flood_limit = (30, 1.0)
            if faults:
                fake.faults = {"5xx": 0.03, "reset": 0.02}
        fake.rtt = rtt
        await fake.start()
        conn.send((fake.url, fake.token if kenh == "zalo" else "", getattr(fake, "base_url", "")))
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # told to stop
        conn.send(Delivered([(str(m.chat_id), m.text) for m in fake.sent], fake.too_many))
        await fake.stop()

    asyncio.run(serve())


class FakeProcess:
    """The fake platform's process: its address while it runs, what it recorded at the end."""

    def __init__(self, kenh: str, rtt: float, faults: bool) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=_serve_fake, args=(kenh, rtt, faults, child), daemon=True
        )
        self._process.start()
        self.url, self.token, self.base_url = self._conn.recv()

    def finish(self) -> Delivered:
        self._conn.send("stop")
        delivered: Delivered = self._conn.recv()
        self._process.join(10)
        return delivered


async def stall_watch(gaps: list[tuple[float, float]], stop: asyncio.Event) -> None:
    """A 10 ms timer: how late each turn comes is how long the loop was held (gap, when)."""
    start = last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.01)
        now = time.perf_counter()
        gaps.append((now - last - 0.01, last - start))
        last = now


class Collections:
    """The cyclic collector's passes over 20 ms: (generation, ms, seconds since start)."""

    def __init__(self) -> None:
        self.slow: list[tuple[int, float, float]] = []
        self._start = self._began = time.perf_counter()

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._began = now
        elif (took := now - self._began) > 0.02:
            self.slow.append((info["generation"], took * 1000, self._began - self._start))

    def __str__(self) -> str:
        return ", ".join(f"gen {g} {ms:.0f} ms at {at:.1f} s" for g, ms, at in self.slow) or "none"


def vm_rss_mb() -> float:
    """Resident memory now (ru_maxrss is the peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def all_queued(bot: Any, t0: float, at: list[float]) -> None:
    """When every chat's push is queued — held by the tick's fan-out until its chat's turn —
    and the resident memory then."""
    while bot.scheduler.fan_out is None:
        await asyncio.sleep(0.005)
    at.append(time.perf_counter() - t0)
    at.append(vm_rss_mb())


async def answers_meanwhile(
    bot: Any, kenh: str, took: list[float], rss: list[tuple[float, float]], stop: asyncio.Event
) -> None:
    """Once a second, an answer to a chat outside the fan-out: from queued to accepted; and the
    resident memory then (MB, seconds since start)."""
    chat = "9" * 16 if kenh == "zalo" else "999999"
    start = time.perf_counter()
    while not stop.is_set():
        rss.append((vm_rss_mb(), time.perf_counter() - start))
        t0 = time.perf_counter()
        await bot.channel.send(chat, Reply("Đã nhận."))
        took.append(time.perf_counter() - t0)
        await asyncio.sleep(1.0)


async def seed_pg(url: str, n: int, platform: str) -> None:
    """The population in PostgreSQL through the store's own bulk path (`chibo db copy`'s)."""
    subs = population(
        n,
        datetime(2022, 8, 1, tzinfo=TZ),
        plans=["tra-vinh-60-2022"],
        meetings=False,
        platform=platform,
    )
    store = await PgStore.open(url)
    try:
        await store.replace_all(subs, {})
    finally:
        await store.aclose()


async def run(n: int, kenh: str, faults: bool, rtt: float, pg: bool, seconds: float | None) -> None:
    limit = ZALO_LIMITS.overall[0] if kenh == "zalo" else 30
    fake = FakeProcess(kenh, rtt, faults)
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        db_path = Path(tmp) / "chibo.json"
        url = stack.enter_context(database("fanout")) if pg else None
        before = rss_mb()
        backend = None
        if url is None:
            seed(db_path, n, kenh)
        else:
            await seed_pg(url, n, kenh)
            backend = await open_backend(url, datetime(2022, 8, 31, 23, 0, tzinfo=TZ))
        config = (
            Config(zalo=ZaloConfig(fake.token, fake.base_url), db_path=db_path, db_url=url)
            if kenh == "zalo"
            else Config(TelegramConfig("123456:" + "C" * 35, fake.url), db_path=db_path, db_url=url)
        )
        bot = assemble(
            config,
            catalog.load(),
            Clock(datetime(2022, 8, 31, 23, 0, tzinfo=TZ)),
            tick_every=None,
            backend=backend,
        )
        print(
            f"{n} {kenh} subscriptions loaded ({'PostgreSQL' if pg else 'TinyDB'}): peak RSS "
            f"{rss_mb():.0f} MB ({rss_mb() - before:.0f} MB for the store)"
        )
        async with serving(bot, receive=False):
            # as `chibo run` starts: every chat prepared, the start-up heap frozen, a first tick
            t, warm, warm_gaps = time.perf_counter(), asyncio.Event(), []
            watch = asyncio.ensure_future(stall_watch(warm_gaps, warm))
            warm_collections = Collections()
            gc.callbacks.append(warm_collections)
            await bot._warm_up(kenh)
            gc.callbacks.remove(warm_collections)
            warm.set()
            await watch
            print(
                f"start-up preparation {time.perf_counter() - t:.2f} s, loop stall max "
                f"{max(warm_gaps)[0] * 1000:.0f} ms; RSS {vm_rss_mb():.0f} MB; "
                f"collector passes over 20 ms: {warm_collections}"
            )
            stop, gaps, took, queued, rss = asyncio.Event(), [], [], [], []
            collections = Collections()
            gc.callbacks.append(collections)
            t0 = time.monotonic()
            watchers = [
                asyncio.ensure_future(stall_watch(gaps, stop)),
                asyncio.ensure_future(answers_meanwhile(bot, kenh, took, rss, stop)),
                asyncio.ensure_future(all_queued(bot, time.perf_counter(), queued)),
            ]
            tick = asyncio.ensure_future(bot.scheduler.tick(datetime(2022, 9, 1, 7, 30, tzinfo=TZ)))
            done, _ = await asyncio.wait([tick], timeout=seconds)
            elapsed = time.monotonic() - t0
            if not done:  # measured for `seconds`: the rest of the fan-out is not waited for
                tick.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await tick
            report = tick.result() if done else None
            stop.set()
            await asyncio.gather(*watchers[:2])
            watchers[2].cancel()
            stats = bot.channel.outbox.stats
    gc.callbacks.remove(collections)
    delivered = fake.finish()
    pushes = [chat for chat, text in delivered.sent if text != "Đã nhận."]
    per_chat = Counter(pushes)
    rate = len(pushes) / elapsed
    took.sort()
    stall, stall_at = max(gaps)
    p99 = took[min(len(took) - 1, int(len(took) * 0.99))] if took else float("nan")
    print(
        f"fan-out{' with faults' if faults else ''} at {rtt * 1000:.0f} ms round trip: "
        f"{len(pushes)} messages to "
        f"{len(per_chat)} chats in {elapsed:.1f} s = {rate:.1f}/s ({rate / limit:.0%} of {limit}/s); "
        f"chats served twice: {sum(1 for c in per_chat.values() if c > 1)}; not served: "
        f"{n - len(per_chat)}; 429s {delivered.too_many} (honoured {stats.rate_limited}); "
        f"retries {stats.network_retries}; failed {stats.failed}; "
        f"behind {len(report.behind) if report else 'not finished'}; "
        f"peak RSS {rss_mb():.0f} MB (sampled each second: largest {max(rss)[0]:.0f} MB at "
        f"{max(rss)[1]:.0f} s, last {rss[-1][0]:.0f} MB); answers meanwhile {len(took)}, p99 {p99 * 1000:.0f} ms, "
        f"max {max(took, default=0) * 1000:.0f} ms; loop stall max {stall * 1000:.0f} ms at "
        f"{stall_at:.1f} s; tick → all queued {queued[0] if queued else float('nan'):.2f} s, "
        f"RSS then {queued[1] if queued else float('nan'):.0f} MB; collector passes over 20 ms: "
        f"{collections}"
    )


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.fanout")
    p.add_argument("chats", nargs="?", type=int, default=10_000)
    p.add_argument("--kenh", choices=["telegram", "zalo"], default="telegram")
    p.add_argument("--faults", action="store_true")
    p.add_argument("--rtt", type=float, default=0.0, help="round trip to the fake, in ms")
    p.add_argument("--pg", action="store_true", help="the chats in PostgreSQL (bench/pg.py)")
    p.add_argument(
        "--for", dest="seconds", type=float, help="measure this many seconds of the fan-out only"
    )
    args = p.parse_args()
    asyncio.run(run(args.chats, args.kenh, args.faults, args.rtt / 1000, args.pg, args.seconds))


if __name__ == "__main__":
    main()
