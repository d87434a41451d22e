"""Fan-out of a monthly announcement through a channel's fake Bot API server, in real time.

Telegram's fake enforces 30 messages a second (429 beyond it); Zalo's fake answers an HTML 429
beyond the rate we hold ourselves to (the platform publishes none). With --faults, the fake also
answers 3% of sends with 5xx and resets 2% of connections (Telegram), or 5% 5xx (Zalo). Reports
the rate against the channel's limit, exactly-once delivery and memory.

    python -m bench.fanout [CHATS] [--kenh telegram|zalo] [--faults]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from tinydb import TinyDB

from bench.population import population
from bot.app import assemble
from bot.channels.zalo.channel import ZALO_LIMITS
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig, ZaloConfig
from bot.stores.tinydb.store import SCHEMA_VERSION, AtomicJSONStorage
from schedules import catalog
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_zalo import FakeZalo
from tests.bot.harness import serving


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(db_path: Path, n: int, platform: str) -> None:
    subs = population(
        n, datetime(2022, 8, 1, tzinfo=TZ), plans=["tra-vinh-60-2022"], meetings=False
    )
    db = TinyDB(str(db_path), storage=AtomicJSONStorage)
    db.table("meta").insert({"schema": SCHEMA_VERSION})
    db.table("subscriptions").insert_multiple({**s.to_dict(), "platform": platform} for s in subs)
    db.close()


async def run(n: int, kenh: str, faults: bool) -> None:
    if kenh == "zalo":
        fake, limit = FakeZalo(), ZALO_LIMITS.overall[0]
        fake.flood_limit = (limit + 1, 1.0)
        fake.fail_rate = 0.05 if faults else 0.0
    else:
        fake, limit = FakeTelegram(), 30
        fake.flood_limit = (30, 1.0)
        if faults:
            fake.faults = {"5xx": 0.03, "reset": 0.02}
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "chibo.json"
        seed(db_path, n, kenh)
        before = rss_mb()
        config = (
            Config(zalo=ZaloConfig(fake.token, fake.base_url), db_path=db_path)
            if kenh == "zalo"
            else Config(TelegramConfig("123456:" + "C" * 35, fake.url), db_path=db_path)
        )
        bot = assemble(
            config, catalog.load(), Clock(datetime(2022, 9, 1, tzinfo=TZ)), tick_every=None
        )
        print(
            f"{n} {kenh} subscriptions loaded: peak RSS {rss_mb():.0f} MB "
            f"({rss_mb() - before:.0f} MB for the store); file {db_path.stat().st_size / 1e6:.1f} MB"
        )
        async with serving(bot, receive=False):
            await bot.scheduler.tick(datetime(2022, 8, 31, 23, 0, tzinfo=TZ))
            t0 = time.monotonic()
            report = await bot.scheduler.tick(datetime(2022, 9, 1, 7, 30, tzinfo=TZ))
            elapsed = time.monotonic() - t0
            stats = bot.channel.outbox.stats
    await fake.stop()
    per_chat = Counter(s.chat_id for s in fake.sent)
    rate = len(fake.sent) / elapsed
    print(
        f"fan-out{' with faults' if faults else ''}: {len(fake.sent)} messages to "
        f"{len(per_chat)} chats in {elapsed:.1f} s = {rate:.1f}/s ({rate / limit:.0%} of {limit}/s); "
        f"chats served twice: {sum(1 for c in per_chat.values() if c > 1)}; missed: "
        f"{n - len(per_chat)}; 429s {fake.too_many} (honoured {stats.rate_limited}); "
        f"retries {stats.network_retries}; failed {stats.failed}; behind {len(report.behind)}; "
        f"peak RSS {rss_mb():.0f} MB"
    )


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.fanout")
    p.add_argument("chats", nargs="?", type=int, default=10_000)
    p.add_argument("--kenh", choices=["telegram", "zalo"], default="telegram")
    p.add_argument("--faults", action="store_true")
    args = p.parse_args()
    asyncio.run(run(args.chats, args.kenh, args.faults))


if __name__ == "__main__":
    main()
