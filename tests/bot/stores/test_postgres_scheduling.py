"""The scheduler on PostgreSQL: the same exactly-once bodies as on TinyDB, and the election of
one sender per channel among processes sharing the database."""

import asyncio
import contextlib
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.app import assemble
from bot.channels.outbox import PUSH_WINDOW, RateLimiter
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig
from bot.stores.backend import open_backend, open_store
from handlers.state import Subscription
from schedules import catalog
from tests.bot.harness import serving
from tests.bot.sim import SimTime

TOKEN = "123456:" + "P" * 35
CAT = catalog.load()


class Crash(BaseException):
    """The process dies: nothing after it runs."""


def at(day: date, hhmm: str = "07:30") -> datetime:
    h, m = hhmm.split(":")
    return datetime.combine(day, time(int(h), int(m)), TZ)


@pytest.fixture(params=["tinydb", "postgres"])
def database(request, tmp_path):
    if request.param == "tinydb":
        return str(tmp_path / "db.json")
    return request.getfixturevalue("pg_url")


@contextlib.asynccontextmanager
async def bot_on(fake, database, sim=None):
    sim = sim or SimTime()
    backend = await open_backend(database, datetime(2022, 1, 1, tzinfo=TZ))
    on_file = not database.startswith("postgresql")  # TinyDB's side files sit beside its file
    bot = assemble(
        Config(TelegramConfig(TOKEN, fake.url), **({"db_path": Path(database)} if on_file else {})),
        CAT,
        Clock(datetime(2022, 1, 1, tzinfo=TZ)),
        RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
        backend=backend,
    )
    async with serving(bot, receive=False):
        await bot.scheduler.reload()
        yield bot


async def test_a_whole_period_once_on_either_store(fake, database):
    first, last = date(2022, 8, 1), date(2022, 9, 30)
    async with bot_on(fake, database) as bot:
        since = at(first - timedelta(days=1), "00:00")
        sub = Subscription(
            "telegram",
            "42",
            ("ky-loi-2022",),
            cell_name="Chi bộ Tân Phúc Thành 3",
            cell_dates={"hoi-nghi-chuyen-de": "2022-09-08"},
            created_at=since.isoformat(),
        )
        await bot.store.save(sub)
        await bot.scheduler.tick(since)
        expected = bot.scheduler.due([sub], since, at(last, "23:59"))
        day = first
        while day <= last:
            for moment in (at(day, "07:00"), at(day), at(day, "18:00")):
                await bot.scheduler.tick(moment)
            day += timedelta(days=1)
    minutes = sorted({p.at for p in expected})
    assert len(fake.sent) == len(minutes) > 5  # one message a minute with something due


async def test_kill_mid_fan_out_and_restart_on_either_store(fake, database):
    chats = [str(c) for c in range(1001, 1021)]
    async with bot_on(fake, database) as bot:
        for c in chats:
            await bot.store.save(
                Subscription(
                    "telegram",
                    c,
                    ("tra-vinh-60-2022",),
                    created_at=at(date(2022, 7, 30), "00:00").isoformat(),
                )
            )
        await bot.scheduler.tick(at(date(2022, 7, 31), "08:00"))
        real_send, calls = bot.channel.outbox.send, []

        async def dying_send(chat_id, reply):
            calls.append(chat_id)
            nth = len(calls)  # several sends are on the wire together
            await real_send(chat_id, reply)
            if nth == 8:
                raise Crash()

        bot.channel.outbox.send = dying_send
        with pytest.raises(Crash):
            await bot.scheduler.tick(at(date(2022, 8, 1)))
    async with bot_on(fake, database) as bot:
        await bot.scheduler.tick(at(date(2022, 8, 1), "07:31"))
    per_chat = {c: 0 for c in chats}
    for s in fake.sent:
        per_chat[s.chat_id] += 1
    twice = [c for c, n in per_chat.items() if n == 2]
    assert min(per_chat.values()) == 1 and max(per_chat.values()) == 2  # all served, none lost
    assert calls[7] in twice and len(twice) <= PUSH_WINDOW  # only those in flight, again


async def test_one_sender_is_elected_and_a_standby_takes_over(fake, pg_url):
    sim = SimTime()

    async def process():
        backend = await open_backend(pg_url, datetime(2022, 1, 1, tzinfo=TZ))
        return assemble(
            Config(TelegramConfig(TOKEN, fake.url), db_url=pg_url),
            CAT,
            Clock(datetime(2022, 1, 1, tzinfo=TZ)),
            RateLimiter(now=sim.now, sleep=sim.sleep),
            tick_every=None,
            backend=backend,
        )

    one, two = await process(), await process()
    try:
        for bot in (one, two):
            bot.ready.add("telegram")
        assert await one._elect() is True and one.leading == {"telegram"}
        assert await two._elect() is False and two.leading == set()
        await one.leadership.close()  # the sender's connection dies with its process
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10  # the server frees its lock once it sees it gone
        while not await two._elect():
            assert loop.time() < deadline, "timed out"
            await asyncio.sleep(0.01)
        assert two.leading == {"telegram"}
    finally:
        await one.close()
        await two.close()


def test_chibo_due_reads_the_postgresql_store(pg_url, tmp_path, capsys):
    from bot.cli import main

    async def seed():
        store = await open_store(pg_url, datetime(2022, 7, 1, tzinfo=TZ))
        await store.save(
            Subscription("zalo", "ab12", ("tra-vinh-60-2022",), created_at="2022-07-01T00:00+07:00")
        )
        await store.aclose()

    asyncio.run(seed())
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_DB={pg_url}\n", encoding="utf-8")
    code = main(["due", "--from", "2022-08-01", "--to", "2022-08-02", "--env", str(env)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "→ zalo:ab12" in out and "📚 Chủ đề sinh hoạt tháng 8/2022" in out
