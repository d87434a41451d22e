"""The scheduler keeps its chats bucketed by reminder minute, updated as chats change (not walked
every tick): each change must still reach the pushes. The real PTB Application, the fake Bot
API server, a simulated clock; assertions on what the chats receive."""

import contextlib
import gc
from datetime import date, datetime, time

import pytest

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig
from bot.scheduling.roster import ChatRoster
from handlers.state import MemoryStore, Subscription
from schedules import catalog
from schedules.meetings import MeetingRule
from schedules.pushes import Planner
from tests.bot.harness import serving
from tests.bot.sim import SimTime

TOKEN = "123456:" + "R" * 35
CAT = catalog.load()
PLAN = "tra-vinh-60-2022"
AUGUST = "📚 Chủ đề sinh hoạt tháng 8/2022"


@contextlib.asynccontextmanager
async def bot_on(fake, db):
    sim = SimTime()
    bot = assemble(
        Config(TelegramConfig(TOKEN, fake.url), db_path=db),
        CAT,
        Clock(datetime(2022, 1, 1, tzinfo=TZ)),
        RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    async with serving(bot, receive=False):
        yield bot


def at(day: date, hhmm: str = "07:30") -> datetime:
    h, m = hhmm.split(":")
    return datetime.combine(day, time(int(h), int(m)), TZ)


def sub(chat_id, since: datetime, **settings) -> Subscription:
    return Subscription("telegram", str(chat_id), (PLAN,), created_at=since.isoformat(), **settings)


def received(fake, since: int = 0) -> list[tuple[str, str]]:
    return [(s.chat_id, s.text.split("\n")[0]) for s in fake.sent[since:]]


async def test_a_chat_that_moves_its_reminder_time_is_pushed_at_the_new_time_only(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        subscribed = at(date(2022, 7, 30), "00:00")
        for chat in (1, 2):
            await bot.store.save(sub(chat, subscribed))
        await bot.scheduler.tick(at(date(2022, 7, 31), "06:00"))  # buckets built: both at 7:30
        await bot.scheduler.tick(at(date(2022, 7, 31), "20:00"))
        await bot.store.save(bot.store.get("telegram", "1").but(reminder_time="19:00"))
        await bot.scheduler.tick(at(date(2022, 8, 1)))
        assert [chat for chat, _ in received(fake)] == ["2"]
        await bot.scheduler.tick(at(date(2022, 8, 1), "19:00"))
        assert [chat for chat, _ in received(fake)] == ["2", "1"]
        assert all(text.startswith(AUGUST) for _, text in received(fake))
        # and back: the old bucket must not keep a stale copy of the chat
        await bot.store.save(bot.store.get("telegram", "1").but(reminder_time="07:30"))
        for moment in (at(date(2022, 8, 2)), at(date(2022, 8, 2), "19:00")):
            await bot.scheduler.tick(moment)
        assert len(fake.sent) == 2  # nothing due on 2/8 without a meeting rule …
        await bot.store.save(bot.store.get("telegram", "1").but(meeting_rule=MeetingRule(day=3)))
        await bot.scheduler.tick(at(date(2022, 8, 2), "19:30"))
        await bot.scheduler.tick(at(date(2022, 8, 3)))
        # … and the meeting rule set on 2/8 at 19:30 shows on 3/8 at 7:30, in the chat's bucket
        assert received(fake, 2) == [
            ("1", "🗓 Hôm nay (Thứ Tư, 3/8/2022) chi bộ sinh hoạt định kỳ.")
        ]


async def test_a_chat_subscribed_mid_morning_gets_what_is_due_after_it_subscribed(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await bot.store.save(sub(1, at(date(2022, 7, 30), "00:00")))
        await bot.scheduler.tick(at(date(2022, 8, 1), "06:00"))
        await bot.scheduler.tick(at(date(2022, 8, 1), "07:00"))  # the roster holds chat 1 only
        await bot.store.save(sub(2, at(date(2022, 8, 1), "07:10")))
        await bot.scheduler.tick(at(date(2022, 8, 1), "07:30"))
        assert sorted(chat for chat, _ in received(fake)) == ["1", "2"]
        assert all(text.startswith(AUGUST) for _, text in received(fake))
        # subscribed after 7:30: nothing from this morning, the next morning's reminder on time
        await bot.store.save(sub(3, at(date(2022, 8, 1), "07:45"), meeting_rule=MeetingRule(day=3)))
        await bot.scheduler.tick(at(date(2022, 8, 1), "08:00"))
        assert len(fake.sent) == 2
        await bot.scheduler.tick(at(date(2022, 8, 2)))
        assert received(fake, 2) == [
            ("3", "🗓 Ngày mai (Thứ Tư, 3/8/2022) chi bộ sinh hoạt định kỳ.")
        ]


async def test_unsubscribed_blocked_and_migrated_chats_leave_their_bucket(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        for chat in (1, 2, 3, -100):
            await bot.store.save(sub(chat, at(date(2022, 7, 30), "00:00"), is_group=chat < 0))
        await bot.scheduler.tick(at(date(2022, 7, 31), "06:00"))
        await bot.scheduler.tick(at(date(2022, 7, 31), "08:00"))  # all four in the 7:30 bucket
        await bot.store.save(bot.store.get("telegram", "1").but(plan_ids=()))  # /huy
        await bot.store.save(bot.store.get("telegram", "2").but(active=False))  # blocked the bot
        await bot.store.migrate("telegram", "-100", "-1001234")  # a group became a supergroup
        await bot.scheduler.tick(at(date(2022, 8, 1)))
        assert sorted(chat for chat, _ in received(fake)) == ["-1001234", "3"]


class WithoutNotices:
    """A store that does not tell of changes (a store from elsewhere): the roster compares."""

    def __init__(self) -> None:
        self._inner = MemoryStore()

    def get(self, platform, chat_id):
        return self._inner.get(platform, chat_id)

    def all(self):
        return self._inner.all()

    async def save(self, s):
        await self._inner.save(s)

    async def migrate(self, platform, old, new):
        await self._inner.migrate(platform, old, new)


async def test_a_store_without_change_notices_is_followed_all_the_same():
    store = WithoutNotices()
    planner = Planner(CAT.plans, TZ)
    chats = ChatRoster(store, "telegram", planner)
    await store.save(sub(1, at(date(2022, 7, 30), "00:00")))
    chats.apply(chats.take())
    window = (at(date(2022, 8, 1), "07:29"), at(date(2022, 8, 1)))
    assert [p.recipient for p in planner.due(chats.roster, *window)] == ["telegram:1"]
    await store.save(store.get("telegram", "1").but(reminder_time="19:00"))
    await store.save(sub(2, at(date(2022, 7, 30), "00:00")))
    chats.apply(chats.take())
    assert [p.recipient for p in planner.due(chats.roster, *window)] == ["telegram:2"]
    evening = (at(date(2022, 8, 1), "18:59"), at(date(2022, 8, 1), "19:00"))
    assert [p.recipient for p in planner.due(chats.roster, *evening)] == ["telegram:1"]


async def test_chats_prepared_ahead_in_chunks_and_changed_afterwards_are_all_pushed(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        subscribed = at(date(2022, 7, 30), "00:00")
        for chat in range(1, 6):
            await bot.store.save(sub(chat, subscribed))
        # as `chibo run` does on becoming the sender
        await bot.scheduler.warm_up(at(date(2022, 7, 31), "06:00"), chunk=2)
        await bot.store.save(bot.store.get("telegram", "1").but(reminder_time="19:00"))
        await bot.store.save(sub(6, subscribed))
        await bot.scheduler.tick(at(date(2022, 8, 1)))  # the first tick: the watermark was set
        assert sorted(chat for chat, _ in received(fake)) == ["2", "3", "4", "5", "6"]
        await bot.scheduler.tick(at(date(2022, 8, 1), "19:00"))
        assert [chat for chat, _ in received(fake, 5)] == ["1"]
        assert all(text.startswith(AUGUST) for _, text in received(fake))


async def test_the_cyclic_collector_runs_again_after_a_tick_even_a_failed_one(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await bot.store.save(sub(1, at(date(2022, 7, 30), "00:00")))
        await bot.scheduler.tick(at(date(2022, 7, 31)))
        await bot.scheduler.tick(at(date(2022, 8, 1)))
        assert gc.isenabled() and [chat for chat, _ in received(fake)] == ["1"]

        def broken(*args):
            raise RuntimeError("a planner bug")

        bot.scheduler.planner.due = broken
        with pytest.raises(RuntimeError):
            await bot.scheduler.tick(at(date(2022, 8, 2)))
        assert gc.isenabled()


async def test_chats_prepared_ahead_by_a_warm_up_that_failed_half_way_are_still_all_pushed(
    fake, tmp_path
):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        subscribed = at(date(2022, 7, 30), "00:00")
        for chat in range(1, 6):
            await bot.store.save(sub(chat, subscribed))
        planner, prepared = bot.scheduler.chats.planner, []

        class FailingOnTheFourth:
            def prepare(self, recipient):
                if len(prepared) == 3:
                    raise RuntimeError("a planner bug")
                prepared.append(recipient)
                return planner.prepare(recipient)

        bot.scheduler.chats.planner = FailingOnTheFourth()
        with pytest.raises(RuntimeError):
            await bot.scheduler.warm_up(at(date(2022, 7, 31), "06:00"), chunk=2)
        bot.scheduler.chats.planner = planner
        await bot.scheduler.tick(at(date(2022, 8, 1)))
        assert sorted(chat for chat, _ in received(fake)) == ["1", "2", "3", "4", "5"]
