"""`chibo run` as a real process, its database holding CHATS chats from bench.population (Zalo
and Telegram), against the fake Zalo and Telegram Bot API servers run in this process:

- start-up: from spawning the process to its first poll of each platform;
- resident memory (VmRSS, and the peak VmHWM) after the busiest tick was computed;
- answer latency of one Telegram chat asking "tháng này học gì" (time from the update being
  available on the fake server to the answer reaching it): idle; while 20 other chats subscribe
  within one second; and during the busiest tick, 1/10/2022 7:30 (the process runs on the
  rehearsal clock, started at 7:29:40, so its second tick is that one);
- the same question to a bare PTB echo bot (bench/echo_bot.py), same fake server, same driver.

With --pg the chats are in PostgreSQL instead of a TinyDB file: a throwaway server from the
machine's binaries (bench/pg.py), seeded by COPY through PgStore.replace_all (the store's own
schema, the path `chibo db copy` takes), and `chibo run` gets CHIBO_DB=postgresql://….

    python -m bench.live [CHATS] [--startup-only] [--no-echo] [--pg]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.pg import database
from bench.population import population, write_db
from bench.stats import pct
from bot.clock import TZ
from bot.stores.postgres.store import PgStore
from handlers.state import Subscription
from tests.bot.fake_telegram import FakeTelegram, private
from tests.bot.fake_zalo import FakeZalo

ROOT = Path(__file__).resolve().parents[1]
TG_TOKEN = "123456:" + "L" * 35
ASKERS = [424242 + i for i in range(10)]  # taking turns: a chat gets at most 1 message a second
QUESTION = "tháng này học gì"
REHEARSAL = "2022-10-01T07:29:40"  # the busiest tick comes a minute after start


def ms(values: list[float]) -> str:
    return (
        f"median {statistics.median(values) * 1000:.1f} ms, p99 {pct(values, 99) * 1000:.1f} ms, "
        f"max {max(values) * 1000:.1f} ms ({len(values)} answers)"
    )


def memory(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def first_call(fake, method: str, t0: float, timeout: float = 300) -> float:
    while not any(m == method for m, _ in fake.calls):
        if time.monotonic() - t0 > timeout:
            raise RuntimeError(f"no {method} within {timeout} s")
        await asyncio.sleep(0.005)
    return time.monotonic() - t0


_turn = 0


FETCHED: dict[int, float] = {}  # update id → when the bot fetched it


def watch_fetches(fake: FakeTelegram) -> None:
    original = fake.api_getUpdates

    async def recording(params):
        ready = await original(params)
        for u in ready:
            FETCHED.setdefault(u["update_id"], time.monotonic())
        return ready

    fake.api_getUpdates = recording


# (waited to be fetched, fetched to answered, since the chat's previous message), > 0.5 s: an
# answer 1 s after its own chat's push waits the platform's pace, which no receiving changes
SLOW: list[tuple[float, float, float]] = []


async def ask(fake: FakeTelegram, text: str = QUESTION, timeout: float = 60) -> float:
    global _turn
    _turn += 1
    uid = ASKERS[_turn % len(ASKERS)]
    chat = str(uid)
    seen = len(fake.sent)
    t0 = time.monotonic()
    update = fake.text(private(uid), uid, text)
    deadline = t0 + timeout
    while True:
        for s in fake.sent[seen:]:
            if s.chat_id == chat:
                if s.at - t0 > 0.5:
                    fetched = FETCHED.get(update["update_id"], s.at)
                    before = [p.at for p in fake.sent if p.chat_id == chat and p.at < s.at]
                    pace = s.at - max(before) if before else float("nan")
                    SLOW.append((fetched - t0, s.at - fetched, pace))
                return s.at - t0
        if time.monotonic() > deadline:
            raise RuntimeError("no answer")
        await asyncio.sleep(0.001)


async def idle_latency(fake: FakeTelegram, n: int, text: str = QUESTION) -> list[float]:
    out = []
    for _ in range(n):
        out.append(await ask(fake, text))
        await asyncio.sleep(0.12)
    return out


async def while_subscribing(fake: FakeTelegram, rounds: int, first_chat: int) -> list[float]:
    """Each round, 20 new chats send /dangky within one second while the asker keeps asking."""
    out: list[float] = []
    for r in range(rounds):

        async def subscribers(base: int) -> None:
            for k in range(20):
                uid = base + k
                fake.text(private(uid), uid, "/dangky tra-vinh-60-2022")
                await asyncio.sleep(0.05)

        task = asyncio.create_task(subscribers(first_chat + 20 * r))
        t0 = time.monotonic()
        while time.monotonic() - t0 < 1.0:
            out.append(await ask(fake))
            await asyncio.sleep(0.1)
        await task
        await asyncio.sleep(0.5)
    return out


async def spawn(args: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("TELEGRAM_", "CHIBO_", "ZALO_"))
            },
            **env,
        },
    )


async def stop(proc: asyncio.subprocess.Process) -> str:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    try:
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    except TimeoutError:
        proc.kill()
        _, err = await proc.communicate()
    return err.decode()


async def seed_pg(url: str, subs: list[Subscription]) -> None:
    t0 = time.monotonic()
    store = await PgStore.open(url)
    try:
        await store.replace_all(subs, {})
    finally:
        await store.aclose()
    print(f"  seeded PostgreSQL with {len(subs)} chats in {time.monotonic() - t0:.1f} s")


async def chibo(n: int, startup_only: bool, pg: bool) -> list[float]:
    tg, zalo = FakeTelegram(), FakeZalo()
    watch_fetches(tg)
    await tg.start()
    await zalo.start()
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        since = datetime(2022, 9, 1, tzinfo=TZ)
        askers = [
            Subscription(
                "telegram",
                str(uid),
                ("tra-vinh-60-2022",),
                cell_name=f"Chi bộ Đo Lường {uid}",
                created_at=since.isoformat(),
            )
            for uid in ASKERS
        ]
        subs = [*population(n, since), *askers]
        if pg:
            db = stack.enter_context(database())
            await seed_pg(db, subs)
            where = "PostgreSQL"
        else:
            db = Path(tmp) / "chibo.json"
            write_db(db, subs)
            where = f"{db.stat().st_size / 1e6:.1f} MB database file"
        env = Path(tmp) / ".env"
        env.write_text(
            f"TELEGRAM_BOT_TOKEN={TG_TOKEN}\nTELEGRAM_API_BASE_URL={tg.url}\n"
            f"ZALO_BOT_TOKEN={zalo.token}\nZALO_API_BASE_URL={zalo.base_url}\n"
            f"CHIBO_DB={db}\nCHIBO_ZALO_MONTHLY_LIMIT=0\n"
        )
        print(f"chibo run, {n} chats ({where})")
        t0 = time.monotonic()
        proc = await spawn(["-m", "bot", "run", "--env", str(env), "--now", REHEARSAL], {})
        try:
            first_tg = await first_call(tg, "getUpdates", t0)
            first_zalo = await first_call(zalo, "getUpdates", t0)
            print(
                f"  start-up to first poll: Telegram {first_tg:.2f} s, Zalo {first_zalo:.2f} s; "
                f"memory then {memory(proc.pid)[0]:.0f} MB"
            )
            idle: list[float] = []
            if not startup_only:
                await asyncio.sleep(2)  # the first tick (1 s after start) sets the watermark
                idle = await idle_latency(tg, 60)
                print(f"  answer, idle: {ms(idle)}")
                busy = await while_subscribing(tg, 10, 700_000)
                print(f"  answer while 20 chats subscribe in one second: {ms(busy)}")
            # the busiest tick: second tick, 61 s after start (rehearsal clock from 7:29:40)
            while time.monotonic() - t0 < 58:
                await asyncio.sleep(0.2)
            during: list[float] = []
            if not startup_only:
                while time.monotonic() - t0 < 80:
                    during.append(await ask(tg))
                    await asyncio.sleep(0.1)
                print(f"  answer during the busiest tick (s 58–80 after start): {ms(during)}")
                if SLOW:
                    print(
                        "  slow answers (waiting to be fetched + then to be answered; since "
                        "the chat's previous message): "
                        + ", ".join(f"{a:.2f}+{b:.2f} s; {c:.2f} s" for a, b, c in SLOW[:8])
                    )
            else:
                await asyncio.sleep(22)
            rss, peak = memory(proc.pid)
            print(f"  memory after the busiest tick: RSS {rss:.0f} MB, peak {peak:.0f} MB")
            print(f"  pushes on the wire by s 80: Telegram {len(tg.sent)}, Zalo {len(zalo.sent)}")
        finally:
            log = await stop(proc)
        for line in log.splitlines():
            if any(
                w in line for w in ("computed in", "Traceback", "ERROR", "took", "WARNING", "tick")
            ):
                print("  log:", line[-160:])
    await tg.stop()
    await zalo.stop()
    return idle


async def echo() -> list[float]:
    tg = FakeTelegram()
    await tg.start()
    t0 = time.monotonic()
    proc = await spawn(["-m", "bench.echo_bot", TG_TOKEN, tg.url], {})
    try:
        first = await first_call(tg, "getUpdates", t0)
        await asyncio.sleep(2)
        idle = await idle_latency(tg, 60)
        print(f"PTB echo bot: start-up to first poll {first:.2f} s; answer, idle: {ms(idle)}")
    finally:
        await stop(proc)
    await tg.stop()
    return idle


async def run(n: int, startup_only: bool, with_echo: bool, pg: bool) -> None:
    ours = await chibo(n, startup_only, pg)
    if with_echo and ours:
        base = await echo()
        print(
            f"answer latency, median: chibo {statistics.median(ours) * 1000:.1f} ms vs PTB echo "
            f"{statistics.median(base) * 1000:.1f} ms = "
            f"{statistics.median(ours) / statistics.median(base):.2f}×"
        )


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.live")
    p.add_argument("chats", nargs="?", type=int, default=10_000)
    p.add_argument("--startup-only", action="store_true")
    p.add_argument("--no-echo", action="store_true")
    p.add_argument("--pg", action="store_true", help="the chats in PostgreSQL, not TinyDB")
    args = p.parse_args()
    asyncio.run(run(args.chats, args.startup_only, not args.no_echo, args.pg))


if __name__ == "__main__":
    main()
