"""Zalo's own ways, end to end: the real Zalo channel against the fake Zalo Bot API on 127.0.0.1.

What both channels share is in test_channels_e2e.py; here is what only Zalo does — replayed
updates, numbered choices that went stale, the front proxy's HTML 429, the monthly allowance —
and `serve()` with only a Zalo token, and with both tokens while Zalo is down.
"""

import asyncio
import contextlib
import logging
import re
from datetime import datetime

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.channels.zalo.api import utf16_len
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig, ZaloConfig
from handlers.state import Subscription
from handlers.types import Incoming, Reply
from schedules import catalog
from tests.bot.channels.test_every_channel import START
from tests.bot.drivers import ZaloDriver
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_zalo import FakeZalo, hex_id
from tests.bot.harness import serving
from tests.bot.processes import wait_until
from tests.bot.sim import SimTime, SteppedClock

CAT = catalog.load()
CHAT, USER = hex_id(0xA11CE), hex_id(0xA11CE, 16)


@contextlib.asynccontextmanager
async def zalo_bot(fake, db, sim=None, receive=True, clock=None, monthly_limit=3000, **config):
    sim = sim or SimTime()
    fake.now = sim.now
    bot = assemble(
        Config(
            zalo=ZaloConfig(fake.token, fake.base_url, monthly_limit=monthly_limit),
            db_path=db,
            **config,
        ),
        CAT,
        clock or Clock(START),
        RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    bot.channel.poll_timeout = 1
    async with serving(bot, receive=receive):
        yield bot


def polls_made(fake) -> int:
    return sum(1 for method, _ in fake.calls if method == "getUpdates")


async def fake_zalo():
    fake = FakeZalo()
    await fake.start()
    return fake


async def test_a_replayed_update_is_answered_once_even_after_a_restart(tmp_path):
    fake = await fake_zalo()
    fake.replay_last = True  # as some report of the live API
    try:
        async with zalo_bot(fake, tmp_path / "db.json") as bot:
            update = fake.text(CHAT, USER, "/kehoach")
            await fake.wait_sent(1)
            # the replay polled, taken in hand (the channel polls again only after that) and
            # handled: skipped, or answered a second time, which the count below would show
            await wait_until(lambda: fake.replayed >= 1, 10)
            polls = polls_made(fake)
            await wait_until(
                lambda: polls_made(fake) > polls and bot.channel.inbox.pending == 0, 10
            )
        assert fake.replayed >= 1
        fake.push(update)  # the same update once more, after a restart
        async with zalo_bot(fake, tmp_path / "db.json"):
            fake.text(CHAT, USER, "/help")
            await fake.wait_sent(2)
    finally:
        await fake.stop()
    assert len(fake.sent) == 2  # the plan list once, then the answer to /help
    assert sum(1 for s in fake.sent if "Đăng ký:" in s.text) == 1


async def test_numbers_out_of_range_or_from_a_stale_menu_get_a_clear_answer(tmp_path):
    fake = await fake_zalo()
    driver = ZaloDriver(fake)
    try:
        async with zalo_bot(fake, tmp_path / "db.json") as bot:
            driver.say(CHAT, USER, "/start")
            menu = (await driver.wait_sent(1))[-1]
            assert "Trả lời bằng số để chọn:" in menu.text and len(menu.choices) >= 5
            driver.say(CHAT, USER, "9")
            wrong = (await driver.wait_sent(2))[-1].text
            assert wrong.startswith(
                f"Không có lựa chọn số 9. Danh sách gần nhất có {len(menu.choices)}"
            )
            assert bot.store.get("zalo", CHAT) is None  # nothing was done
            bot.clock.advance_to(datetime(2022, 8, 22, 9, 0, tzinfo=TZ))  # two days later
            driver.say(CHAT, USER, "2")
            stale = (await driver.wait_sent(3))[-1].text
            assert stale.startswith(
                "Danh sách lựa chọn gần nhất đã cũ nên số 2 không còn dùng được."
            )
            assert bot.store.get("zalo", CHAT) is None
    finally:
        await fake.stop()


async def test_long_answers_are_split_under_2000_utf16_units(tmp_path):
    fake = await fake_zalo()
    try:
        async with zalo_bot(fake, tmp_path / "db.json") as bot:
            channel = bot.channel
            text = "\n".join(
                f"{i}. 📚 Nghị quyết số {i} về công tác xây dựng Đảng" for i in range(200)
            )
            assert await channel.send(CHAT, Reply(text)) == "sent"
    finally:
        await fake.stop()
    assert len(fake.sent) > 1 and all(utf16_len(s.text) <= 2000 for s in fake.sent)
    assert "\n".join(s.text for s in fake.sent) == text  # cut between lines, nothing lost


async def test_html_429_and_5xx_are_retried_and_nothing_is_lost(tmp_path):
    fake = await fake_zalo()
    sim = SimTime()
    fake.flood_limit = (5, 1.0)
    fake.fail_rate = 0.1
    chats = [hex_id(0xB000 + i) for i in range(30)]
    try:
        async with zalo_bot(fake, tmp_path / "db.json", sim=sim, receive=False) as bot:
            for chat in chats:
                await bot.store.save(
                    Subscription(
                        "zalo", chat, ("tra-vinh-60-2022",), created_at="2022-07-30T00:00:00+07:00"
                    )
                )
            await bot.scheduler.tick(datetime(2022, 7, 31, 8, 0, tzinfo=TZ))
            report = await bot.scheduler.tick(datetime(2022, 8, 1, 7, 30, tzinfo=TZ))
            stats = bot.channel.outbox.stats
    finally:
        await fake.stop()
    assert fake.too_many > 0 and fake.failures > 0
    assert stats.rate_limited == fake.too_many
    assert sorted(s.chat_id for s in fake.sent) == sorted(chats)  # each exactly once
    assert report.behind == []


async def test_the_monthly_allowance_warns_admins_and_holds_reminders_until_next_month(
    tmp_path, caplog
):
    fake = await fake_zalo()
    admin = hex_id(0xADD, 16)
    chats = [hex_id(0xC000 + i) for i in range(9)]
    caplog.set_level(logging.WARNING)
    clock = SteppedClock(datetime(2022, 7, 31, 8, 0, tzinfo=TZ))

    async def tick(bot, *moment):
        clock.at = datetime(*moment, tzinfo=TZ)
        return await bot.scheduler.tick(clock.at)

    try:
        async with zalo_bot(
            fake,
            tmp_path / "db.json",
            receive=False,
            clock=clock,
            monthly_limit=5,
            admins=frozenset({("zalo", admin)}),
        ) as bot:
            for chat in chats:
                await bot.store.save(
                    Subscription(
                        "zalo", chat, ("tra-vinh-60-2022",), created_at="2022-07-30T00:00:00+07:00"
                    )
                )
            await tick(bot, 2022, 7, 31, 8, 0)
            await bot.channel.send(chats[0], Reply("Một tin trong tháng 7"))  # counts for July
            report = await tick(bot, 2022, 8, 1, 7, 30)
            quota = bot.channel.quota
            # August: at 4 of 5 the admins are warned; at 5 the rest is held, not dropped
            assert quota.used == 5 and quota.held > 0
            # warned once at 80% or more: with several sends on the wire together, the count
            # when the first answer comes may already be past 4 (it is taken before sending)
            assert re.search(
                r"⚠️ Bot đã gửi [45]/5 tin Zalo trong tháng 2022-08 \((80|100)% hạn", caplog.text
            )
            assert caplog.text.count("⚠️ Bot đã gửi") == 1
            assert "hết hạn mức 5 tin tháng 2022-08" in caplog.text
            await tick(bot, 2022, 8, 1, 7, 31)  # held chats are tried each tick, logged once
            assert caplog.text.count("hết hạn mức 5 tin tháng 2022-08") == quota.held
            status = await bot.conversation.handle(
                Incoming("zalo", admin, admin, text="/tinhhinh"), clock.at
            )
            assert (
                f"Zalo: đã gửi 5/5 tin tháng 2022-08. ⚠️ {quota.held} chat có tin nhắc đang bị giữ"
                in status[0].text
            )
            held_chats = set(report.behind)
            assert held_chats and report.sent + len(held_chats) == len(chats)
            assert (
                "⚠️" in quota.status_line()
                and "Zalo: đã gửi 5/5 tin tháng 2022-08." in quota.status_line()
            )
            before = len(fake.sent)
            quota.limit = 50  # the operator took a larger plan and raised CHIBO_ZALO_MONTHLY_LIMIT
            await tick(bot, 2022, 9, 1, 7, 30)  # a new month: the held reminders go out
            sent_now = {s.chat_id for s in fake.sent[before:]}
            assert {k.split(":", 1)[1] for k in held_chats} <= sent_now
    finally:
        await fake.stop()


async def fast(_seconds):  # the tick loop's sleep: a real instant, the clock is the test's
    await asyncio.sleep(0.01)


async def serve_for(bot, config, until, timeout=10.0):
    stop = asyncio.Event()
    task = asyncio.create_task(bot.serve(config, stop))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while not until():
            assert loop.time() < deadline, "timed out"
            assert not task.done(), task.exception() if task.done() else ""
            await asyncio.sleep(0.01)
    finally:
        stop.set()
        await task


def ticked(bot, at: datetime) -> bool:
    """The Zalo scheduler's tick to `at` has ended: every send journaled, the state saved."""
    scheduler = bot.schedulers["zalo"]
    return scheduler.state.watermark == at and not scheduler.busy


async def test_run_with_only_a_zalo_token_subscribes_answers_and_pushes_july_once(tmp_path):
    fake = await fake_zalo()
    config = Config(zalo=ZaloConfig(fake.token, fake.base_url), db_path=tmp_path / "db")
    driver = ZaloDriver(fake)
    clock = SteppedClock(datetime(2022, 6, 30, 9, 0, tzinfo=TZ))

    def bot():
        b = assemble(config, CAT, clock, tick_every=60, sleep=fast)
        b.channel.poll_timeout = 1
        return b

    try:
        first = bot()
        driver.say(CHAT, USER, "/dangky tra-vinh-60-2022")
        driver.say(CHAT, USER, "thang nay hoc gi")
        await serve_for(first, config, lambda: len(fake.sent) >= 2)
        assert fake.sent[0].text.startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK")
        assert fake.sent[1].text.startswith("📚 Tháng 6/2022") or "Tháng 6" in fake.sent[1].text
        await first.close()  # as `chibo run` stops: what is in hand finished, the store closed

        second = bot()
        clock.at = datetime(2022, 7, 1, 7, 29, tzinfo=TZ)
        await serve_for(
            second, config, lambda: second.schedulers["zalo"].state.watermark == clock.at
        )
        assert len(fake.sent) == 2  # nothing before 7:30
        clock.at = datetime(2022, 7, 1, 7, 30, tzinfo=TZ)
        # stopped once the tick has ended, not when the fake has the push: a stop cancels a tick
        # whose last send the platform took but the journal does not hold yet, and the restart
        # sends that one again (docs/reliability.md: at most the one message in flight)
        await serve_for(
            second,
            config,
            lambda: len(fake.sent) >= 3 and ticked(second, clock.at),
        )
        await second.close()
        clock.at = datetime(2022, 7, 1, 9, 0, tzinfo=TZ)
        third = bot()  # a restart
        await serve_for(third, config, lambda: third.schedulers["zalo"].state.watermark == clock.at)
    finally:
        await fake.stop()
    july = [s for s in fake.sent if "Chủ đề sinh hoạt tháng 7/2022" in s.text]
    assert len(july) == 1 and len(fake.sent) == 3


async def test_both_tokens_one_process_and_a_zalo_outage_does_not_delay_telegram(tmp_path):
    zalo, telegram = FakeZalo(), FakeTelegram()
    await zalo.start()
    await telegram.start()
    zalo.fail_rate = 1.0  # Zalo answers every send with 502
    sim = SimTime()
    config = Config(
        TelegramConfig("123456:" + "D" * 35, telegram.url),
        ZaloConfig(zalo.token, zalo.base_url),
        db_path=tmp_path / "db.json",
    )
    bot = assemble(
        config,
        CAT,
        Clock(START),
        lambda _p: RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    try:
        async with serving(bot, receive=False):
            for platform, chat in (("telegram", "4242"), ("zalo", CHAT)):
                await bot.store.save(
                    Subscription(
                        platform,
                        chat,
                        ("tra-vinh-60-2022",),
                        created_at="2022-07-30T00:00:00+07:00",
                    )
                )
            await bot.tick(datetime(2022, 7, 31, 8, 0, tzinfo=TZ))
            zalo_tick = asyncio.create_task(
                bot.schedulers["zalo"].tick(datetime(2022, 8, 1, 7, 30, tzinfo=TZ))
            )
            report = await bot.schedulers["telegram"].tick(datetime(2022, 8, 1, 7, 30, tzinfo=TZ))
            assert report.sent == 1 and [s.chat_id for s in telegram.sent] == ["4242"]
            assert not zalo_tick.done() or (await zalo_tick).behind  # Zalo still trying, or behind
            zalo_report = await zalo_tick
    finally:
        await zalo.stop()
        await telegram.stop()
    assert zalo_report.behind == [f"zalo:{CHAT}"] and zalo.sent == []
