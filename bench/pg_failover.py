"""Three `chibo run` processes on one PostgreSQL database, the push sender killed with SIGKILL in
the middle of the 7:30 fan-out to N chats (default 10,000), through the fake Telegram server at
30/s. Reports lost and doubled messages, the takeover time and the delivery rate.

    python -m bench.pg_failover [CHATS]

Starts its own PostgreSQL from the machine's binaries (as the tests do).
"""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.pg import database
from tests.bot import test_pg_processes as scenario
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.processes import start_chibo, wait_until


async def run(n: int) -> None:
    fake = FakeTelegram()
    await fake.start()
    fake.flood_limit = (30, 1.0)
    try:
        with database() as url:
            await fan_out(url, n, fake)
    finally:
        await fake.stop()


async def fan_out(url: str, n: int, fake: FakeTelegram) -> None:
    scenario.CHATS = [str(100_000 + i) for i in range(n)]
    t0 = time.monotonic()
    await scenario.seed(url)
    print(f"{n} chats seeded in {time.monotonic() - t0:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        env = Path(tmp) / ".env"
        env.write_text(
            f"TELEGRAM_BOT_TOKEN={scenario.TOKEN}\nTELEGRAM_API_BASE_URL={fake.url}\n"
            f"CHIBO_DB={url}\n",
            encoding="utf-8",
        )
        procs = [
            await start_chibo("run", "--env", str(env), "--now", "2022-09-01T07:30")
            for _ in range(3)
        ]
        await wait_until(lambda: len(fake.sent) >= 1, 60)
        start = time.monotonic()
        await wait_until(lambda: len(fake.sent) >= n // 2, 3600)
        leader = scenario.sender_pid(url)
        killed_at = time.monotonic()
        next(p for p in procs if p.pid == leader).send_signal(signal.SIGKILL)
        sent_at_kill = len(fake.sent)
        await wait_until(lambda: len(fake.sent) > sent_at_kill, 60)
        takeover = time.monotonic() - killed_at
        await wait_until(lambda: len({s.chat_id for s in fake.sent}) >= n, 3600)
        elapsed = time.monotonic() - start
        await asyncio.sleep(2)
        for p in procs:
            if p.returncode is None:
                p.send_signal(signal.SIGTERM)
            await p.wait()
    per_chat = Counter(s.chat_id for s in fake.sent)
    print(
        f"fan-out to {n} chats, sender killed after {sent_at_kill}: lost "
        f"{n - len(per_chat)}, doubled {sum(c - 1 for c in per_chat.values())}; next message "
        f"{takeover:.1f} s after the kill; {len(fake.sent)} messages in {elapsed:.0f} s = "
        f"{len(fake.sent) / elapsed:.1f}/s; 429s {fake.too_many}"
    )


def main() -> None:
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))


if __name__ == "__main__":
    main()
