"""Faults injected by the fake Bot API server: 5xx, connection resets, timeouts and 429s.

Nothing is lost, nothing doubled (no crash here), and one failing chat never stalls the others:
the fan-out keeps at least 90% of the healthy rate, measured on the simulated clock.
"""

import contextlib
from datetime import datetime

from tinydb import TinyDB

from bench.population import population
from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig
from bot.stores.tinydb.store import SCHEMA_VERSION, AtomicJSONStorage
from schedules import catalog
from tests.bot.harness import serving
from tests.bot.sim import SimTime, sends_in_flight

TOKEN = "123456:" + "F" * 35
CHATS = 600


def seed_db(path, n):
    subs = population(
        n,
        datetime(2022, 8, 1, tzinfo=TZ),
        plans=["tra-vinh-60-2022"],
        meetings=False,
        platform="telegram",
    )
    db = TinyDB(str(path), storage=AtomicJSONStorage)
    db.table("meta").insert({"schema": SCHEMA_VERSION})
    db.table("subscriptions").insert_multiple(s.to_dict() for s in subs)
    db.close()
    return {s.chat_id for s in subs}


@contextlib.asynccontextmanager
async def fan_out_bot(fake, db):
    sim = SimTime()
    fake.now = sim.now
    bot = assemble(
        Config(TelegramConfig(TOKEN, fake.url), db_path=db),
        catalog.load(),
        Clock(datetime(2022, 9, 1, tzinfo=TZ)),
        RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    # the client gives up on a send the fake holds (fake.fault_delay) long before it answers, and
    # never on a normal send, however busy the machine: a normal send given up on is sent twice
    sim.busy = sends_in_flight(bot.channel.outbox)  # a send takes no simulated time
    bot.channel.send_timeout = 1.5
    fake.fault_delay = 4.0
    async with serving(bot, receive=False):
        yield bot, sim


async def fan_out(fake, db):
    async with fan_out_bot(fake, db) as (bot, sim):
        await bot.scheduler.tick(datetime(2022, 8, 31, 23, 0, tzinfo=TZ))
        t0 = sim.now()
        report = await bot.scheduler.tick(datetime(2022, 9, 1, 7, 30, tzinfo=TZ))
        return report, sim.now() - t0, bot.channel.outbox.stats


async def test_faults_lose_nothing_double_nothing_and_keep_the_rate(fake, tmp_path):
    chats = seed_db(tmp_path / "healthy.json", CHATS)
    healthy_report, healthy_time, _ = await fan_out(fake, tmp_path / "healthy.json")
    assert healthy_report.sent == CHATS and len(fake.sent) == CHATS
    healthy_rate = CHATS / healthy_time

    fake.sent.clear()
    fake.flood_limit = (30, 1.0)  # and Telegram's own limit, judged on the same simulated clock
    fake.faults = {"5xx": 0.03, "reset": 0.02, "timeout": 0.01, "429": 0.001}
    seed_db(tmp_path / "faulty.json", CHATS)
    report, elapsed, stats = await fan_out(fake, tmp_path / "faulty.json")

    assert fake.faulted.get("5xx", 0) > 0 and fake.faulted.get("reset", 0) > 0
    assert fake.faulted.get("timeout", 0) > 0
    delivered = [s.chat_id for s in fake.sent]
    assert sorted(delivered) == sorted(chats)  # every chat exactly once: none lost, none doubled
    assert report.sent == CHATS and report.behind == []
    assert stats.network_retries >= sum(fake.faulted.get(k, 0) for k in ("5xx", "reset", "timeout"))
    rate = CHATS / elapsed
    # a failed send keeps its place in the overall window until its answer (the platform may
    # have counted it), and a held one holds its room while held: faults cost a little more
    assert rate >= 0.8 * healthy_rate, (rate, healthy_rate, fake.faulted)


async def test_a_chat_that_keeps_failing_does_not_hold_the_others(fake, tmp_path):
    chats = seed_db(tmp_path / "db.json", 60)
    broken = sorted(chats)[0]
    original = fake.api_sendMessage

    async def failing_for_one(params, request=None):
        if str(params["chat_id"]) == broken:
            return fake.error(502, "Bad Gateway")
        return await original(params, request)

    fake.api_sendMessage = failing_for_one
    report, elapsed, stats = await fan_out(fake, tmp_path / "db.json")
    assert sorted(s.chat_id for s in fake.sent) == sorted(chats - {broken})
    assert report.behind == [f"telegram:{broken}"]  # tried again next tick, in order
    assert stats.failed == 1
    # the others went at the healthy pace (59 messages at 29/s ≈ 2 s), not after the broken chat's
    # backoff (2 + 4 + 8 + 16 + 32 s)
    assert fake.sent[-1].at - fake.sent[0].at < 10
