"""Fan-out of a monthly announcement to 10,000 chats through the fake Bot API server, which enforces
Telegram's limit (30 messages a second, answering 429 beyond it). Reports the rate, the 429s,
exactly-once delivery and memory. Real time: about five and a half minutes for 10,000 chats.

    python -m bench.fanout [CHATS]
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from tinydb import TinyDB

from bench.population import population
from bot.app import assemble
from bot.clock import TZ, Clock
from bot.config import Config
from bot.storage import SCHEMA_VERSION, AtomicJSONStorage
from schedules import catalog
from tests.bot.fake_telegram import FakeTelegram


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(n: int) -> None:
    fake = FakeTelegram()
    fake.flood_limit = (30, 1.0)
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "chibo.json"
        subs = population(
            n, datetime(2022, 8, 1, tzinfo=TZ), plans=["tra-vinh-60-2022"], meetings=False
        )
        db = TinyDB(str(db_path), storage=AtomicJSONStorage)
        db.table("meta").insert({"schema": SCHEMA_VERSION})
        db.table("subscriptions").insert_multiple(s.to_dict() for s in subs)
        db.close()
        before = rss_mb()
        config = Config(token="123456:" + "C" * 35, api_base_url=fake.url, db_path=db_path)
        bot = assemble(
            config, catalog.load(), Clock(datetime(2022, 9, 1, tzinfo=TZ)), tick_every=None
        )
        print(
            f"{n} subscriptions loaded: process peak RSS {rss_mb():.0f} MB "
            f"({rss_mb() - before:.0f} MB more than before the store opened); "
            f"database file {db_path.stat().st_size / 1e6:.1f} MB"
        )
        async with bot.app:
            await bot.scheduler.tick(datetime(2022, 8, 31, 23, 0, tzinfo=TZ))
            t0 = time.monotonic()
            report = await bot.scheduler.tick(datetime(2022, 9, 1, 7, 30, tzinfo=TZ))
            elapsed = time.monotonic() - t0
        stats = bot.adapter.outbox.stats
        bot.close()
    await fake.stop()
    per_chat = Counter(s.chat_id for s in fake.sent)
    rate = len(fake.sent) / elapsed
    print(
        f"fan-out: {len(fake.sent)} messages to {len(per_chat)} chats in {elapsed:.1f} s = {rate:.1f}/s "
        f"({rate / 30:.0%} of Telegram's 30/s); chats served twice: {sum(1 for c in per_chat.values() if c > 1)}; "
        f"chats missed: {n - len(per_chat)}; 429s received {fake.too_many}, all honoured "
        f"(outbox saw {stats.rate_limited}, failed {stats.failed}); chats left behind: {len(report.behind)}; "
        f"peak RSS {rss_mb():.0f} MB"
    )


def main() -> None:
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))


if __name__ == "__main__":
    main()
