"""Three `chibo run` processes on one PostgreSQL database, the sender killed with SIGKILL in the
middle of the 7:30 fan-out: nothing lost, at most the pushes in flight (the outbox's window) sent
twice.

(The issue's figure is 10,000 chats; the suite uses 240 so it stays quick — the fan-out runs at
Telegram's 30/s — and bench/pg_failover.py runs the full size by hand.)"""

import signal
from collections import Counter
from datetime import datetime

import psycopg

from bot.channels.outbox import PUSH_WINDOW
from bot.clock import TZ
from bot.stores.backend import open_store
from bot.stores.postgres.leadership import lock_id
from handlers.state import Subscription
from tests.bot.processes import start_chibo, wait_until

TOKEN = "123456:" + "M" * 35
CHATS = [str(100_000 + i) for i in range(240)]


def sender_pid(url: str) -> int | None:
    """The process holding the telegram push lock, from its connection's application_name."""
    key = lock_id("push:telegram")
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            """SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)
               WHERE l.locktype = 'advisory' AND l.classid = %s AND l.objid = %s""",
            ((key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF),
        ).fetchone()
    return int(row[0].split("-", 1)[1]) if row else None


def tick_completed(url: str) -> bool:
    """The telegram scheduler's state, as the last completed tick saved it: past the seeded 7:29."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT watermark, behind FROM chibo_push_state WHERE platform = 'telegram'"
        ).fetchone()
    return row is not None and row[0] > datetime(2022, 9, 1, 7, 29, tzinfo=TZ) and not row[1]


async def seed(url: str) -> None:
    store = await open_store(url, datetime(2022, 8, 31, tzinfo=TZ))
    try:
        for chat in CHATS:
            await store.save(
                Subscription(
                    "telegram", chat, ("tra-vinh-60-2022",), created_at="2022-08-01T00:00:00+07:00"
                )
            )
        async with store.pool.connection() as conn:  # the last tick ended at 7:29
            await conn.execute(
                "INSERT INTO chibo_push_state (platform, watermark) VALUES ('telegram', %s)",
                (datetime(2022, 9, 1, 7, 29, tzinfo=TZ),),
            )
    finally:
        await store.aclose()


async def test_three_processes_one_killed_mid_fan_out(fake, pg_url, tmp_path):
    fake.flood_limit = (30, 1.0)
    await seed(pg_url)
    env = tmp_path / ".env"
    env.write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nTELEGRAM_API_BASE_URL={fake.url}\nCHIBO_DB={pg_url}\n",
        encoding="utf-8",
    )
    processes = [
        await start_chibo("run", "--env", str(env), "--now", "2022-09-01T07:30") for _ in range(3)
    ]
    try:
        await wait_until(lambda: len(fake.sent) >= 60, 40)
        leader = sender_pid(pg_url)
        victim = next(p for p in processes if p.pid == leader)
        victim.send_signal(signal.SIGKILL)
        await victim.wait()
        await wait_until(lambda: len({s.chat_id for s in fake.sent}) == len(CHATS), 60)
        # the standby's tick completed (its watermark saved past 7:29, no chat behind): a resend
        # beyond those in flight would have been part of that tick
        await wait_until(lambda: tick_completed(pg_url), 60)
        assert sender_pid(pg_url) not in (None, leader)  # a standby took over
    finally:
        for p in processes:
            if p.returncode is None:
                p.send_signal(signal.SIGTERM)
        logs = [(await p.communicate())[1].decode() for p in processes]
    per_chat = Counter(s.chat_id for s in fake.sent)
    assert set(per_chat) == set(CHATS)  # nothing lost
    doubled = sum(n - 1 for n in per_chat.values())
    assert doubled <= PUSH_WINDOW, per_chat.most_common(3)  # at most the window doubled
    assert all(s.text.startswith("📚 Chủ đề sinh hoạt tháng 9/2022") for s in fake.sent)
    survivors = [p for p in processes if p.pid != leader]
    assert all(p.returncode == 0 for p in survivors), logs
