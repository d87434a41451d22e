"""Zalo within its real limits: a pool of bots in one process, user and group caps per bot, the
platform's "Quota exceeded", refused polls that never stop the bot, groups as Zalo writes them.
The real channels against the fake Zalo Bot API (several bots on one server)."""

import asyncio
import contextlib
import logging
import time
from datetime import datetime

import pytest

from bot.app import assemble
from bot.channels.outbox import PUSH_WINDOW, RateLimiter
from bot.channels.zalo.channel import ZaloChannel
from bot.clock import TZ, Clock
from bot.config import Config, Webhook, ZaloConfig
from handlers.state import Subscription
from handlers.types import Incoming
from schedules import catalog
from tests.bot.channels.test_every_channel import START
from tests.bot.channels.test_zalo import SteppedClock
from tests.bot.fake_zalo import BOT_NAME, FakeZalo, hex_id
from tests.bot.harness import serving
from tests.bot.processes import wait_until
from tests.bot.sim import SimTime

CAT = catalog.load()
BOT2_ID = "2233445566778899001"
TOKEN2 = f"{BOT2_ID}:Pq7-OTHERsecret_4w2ZyXwVuTsR"
ADMIN = hex_id(0xAD0, 16)
GROUP, GROUP2 = hex_id(0x6A), hex_id(0x6B)


def user(n: int) -> str:
    return hex_id(0x500 + n, 16)


async def fast(_seconds):  # back-off on a real instant: the test waits on conditions instead
    await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def pool(fake, db, *, users_cap=50, groups_cap=3, clock=None, second=True, **config):
    sim = SimTime()
    fake.now = sim.now
    first = ZaloConfig(fake.token, fake.base_url, users_cap=users_cap, groups_cap=groups_cap)
    more = (
        (
            ZaloConfig(
                TOKEN2,
                fake.base_url,
                bot_name="Bot Chi bộ Hai",
                key=f"zalo-{BOT2_ID}",
                users_cap=users_cap,
                groups_cap=groups_cap,
                share_link="https://zalo.me/s/chibo-hai",
            ),
        )
        if second
        else ()
    )
    bot = assemble(
        Config(zalo=first, zalo_pool=more, db_path=db, **config),
        CAT,
        clock or Clock(START),
        lambda platform: RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    for channel in bot.channels.values():
        channel.poll_timeout = 1
    async with serving(bot):
        yield bot


async def start_fake() -> tuple[FakeZalo, FakeZalo]:
    fake = FakeZalo()
    await fake.start()
    return fake, fake.add_bot(TOKEN2)


def texts_to(fake: FakeZalo, chat: str) -> list[str]:
    return [s.text for s in fake.sent if s.chat_id == chat]


async def test_two_bots_answer_and_the_fourth_user_is_pointed_to_the_second(tmp_path):
    one, two = await start_fake()
    try:
        async with pool(
            one, tmp_path / "db.json", users_cap=3, admins=frozenset({("zalo", ADMIN)})
        ) as bot:
            assert set(bot.channels) == {"zalo", f"zalo-{BOT2_ID}"}
            for n in range(1, 5):
                one.text(user(n), user(n), "/dangky tra-vinh-60-2022")
            two.text(user(9), user(9), "/dangky tra-vinh-60-2022")
            await wait_until(lambda: texts_to(one, user(4)) and texts_to(two, user(9)), 20)
            await wait_until(lambda: len(texts_to(one, ADMIN)) >= 2, 10)
            for n in range(1, 4):
                assert texts_to(one, user(n))[0].startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK")
            assert texts_to(two, user(9))[0].startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK")
            [full] = texts_to(one, user(4))
            assert "đã phục vụ đủ 3 người" in full
            assert "“Bot Chi bộ Hai”: https://zalo.me/s/chibo-hai" in full
            assert bot.store.get("zalo", user(4)) is None  # not subscribed on the full bot
            assert bot.store.get(f"zalo-{BOT2_ID}", user(9)) is not None
            warned = "\n".join(texts_to(one, ADMIN))
            assert "Zalo: đã có 3/3 người dùng (100% giới hạn" in warned
            assert "Zalo đã đủ 3 người dùng" in warned and "Bot Chi bộ Hai" in warned
            one.text(user(4), user(4), "tháng này học gì")  # each message gets its answer
            await wait_until(lambda: len(texts_to(one, user(4))) == 2, 10)
            assert texts_to(one, ADMIN).count(texts_to(one, ADMIN)[-1]) == 1  # told once
    finally:
        await one.stop()


async def test_when_no_bot_has_room_the_newcomer_is_sent_to_the_committee(tmp_path):
    one, _ = await start_fake()
    try:
        async with pool(one, tmp_path / "db.json", users_cap=1, second=False) as bot:
            one.text(user(1), user(1), "/start")
            one.text(user(2), user(2), "/start")
            await wait_until(lambda: texts_to(one, user(2)), 10)
            [full] = texts_to(one, user(2))
            assert "liên hệ cấp ủy" in full and bot.store.get("zalo", user(2)) is None
    finally:
        await one.stop()


async def test_a_group_mention_subscribes_and_a_fourth_group_is_told_the_bot_is_full(tmp_path):
    one, two = await start_fake()
    try:
        async with pool(one, tmp_path / "db.json", groups_cap=1) as bot:
            one.mention(GROUP, user(1), BOT_NAME, "/dangky tra-vinh-60-2022")
            await wait_until(lambda: texts_to(one, GROUP), 10)
            assert texts_to(one, GROUP)[0].startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK")
            sub = bot.store.get("zalo", GROUP)
            assert sub is not None and sub.is_group and sub.plan_ids == ("tra-vinh-60-2022",)
            one.mention(GROUP2, user(2), BOT_NAME, "/dangky tra-vinh-60-2022")
            await wait_until(lambda: texts_to(one, GROUP2), 10)
            [full] = texts_to(one, GROUP2)
            assert "đã tham gia đủ 1 nhóm" in full and "“Bot Chi bộ Hai”" in full
            assert bot.store.get("zalo", GROUP2) is None
            two.mention(GROUP2, user(2), "Bot Chi bộ Hai", "/dangky tra-vinh-60-2022")
            await wait_until(lambda: texts_to(two, GROUP2), 10)
            assert bot.store.get(f"zalo-{BOT2_ID}", GROUP2) is not None
    finally:
        await one.stop()


async def test_single_bot_data_carries_over_to_a_pool_and_admins_reach_every_bot(tmp_path):
    one, two = await start_fake()
    db = tmp_path / "db.json"
    old = user(7)
    clock = Clock(START)
    try:
        async with pool(one, db, second=False) as bot:  # a deployment from before pools
            one.text(old, old, "/dangky tra-vinh-60-2022")
            await wait_until(lambda: texts_to(one, old), 10)
            await bot.store.set_runtime("zalo:members", None)  # as data kept before the count
        async with pool(
            one, db, clock=clock, admins=frozenset({("zalo", ADMIN)}), users_cap=3
        ) as bot:
            assert bot.store.get("zalo", old).plan_ids == ("tra-vinh-60-2022",)
            assert old in bot.channels["zalo"].caps.users  # still served, still counted
            two.text(user(8), user(8), "/dangky tra-vinh-60-2022")
            await wait_until(lambda: texts_to(two, user(8)), 10)
            two.text(ADMIN, ADMIN, "/tinhhinh")  # an admin named once reaches the second bot
            await wait_until(lambda: texts_to(two, ADMIN), 10)
            status = texts_to(two, ADMIN)[0]
            assert "Zalo: 1/3 người dùng, 0/3 nhóm." in status
            assert "Zalo Bot Chi bộ Hai: 2/3 người dùng, 0/3 nhóm." in status  # with the admin
            assert "Zalo Bot Chi bộ Hai: đã gửi" in status and "Zalo: đã gửi" in status
            two.text(ADMIN, ADMIN, "/thongbao Họp giao ban lúc 8h thứ Hai.")
            await wait_until(
                lambda: (
                    any("Họp giao ban" in t for t in texts_to(one, old))
                    and any("Họp giao ban" in t for t in texts_to(two, user(8)))
                ),
                10,
            )  # each chat through the bot it is on
            assert not any("Họp giao ban" in t for t in texts_to(one, user(8)))
    finally:
        await one.stop()


async def test_sends_refused_as_quota_exceeded_are_held_and_shown(tmp_path, caplog):
    one, _ = await start_fake()
    caplog.set_level(logging.WARNING)
    chats = [hex_id(0xC100 + i) for i in range(5)]
    at = datetime(2022, 8, 1, 7, 30, tzinfo=TZ)
    clock = SteppedClock(datetime(2022, 7, 31, 8, 0, tzinfo=TZ))

    async def tick(bot, moment):
        clock.at = moment
        return await bot.scheduler.tick(moment)

    try:
        async with pool(
            one,
            tmp_path / "db.json",
            second=False,
            clock=clock,
            admins=frozenset({("zalo", ADMIN)}),
        ) as bot:
            for chat in chats:
                await bot.store.save(
                    Subscription(
                        "zalo", chat, ("tra-vinh-60-2022",), created_at="2022-07-30T00:00:00+07:00"
                    )
                )
            await tick(bot, datetime(2022, 7, 31, 8, 0, tzinfo=TZ))
            one.quota_exceeded = True
            report = await tick(bot, at)
            assert report.sent == 0 and len(report.behind) == len(chats)
            # the sends on the wire together when the first refusal came, then held for the month
            refusals = one.quota_refusals
            assert 1 <= refusals <= PUSH_WINDOW
            for minute in range(31, 40):  # each tick tries the held chats: none reaches Zalo
                await tick(bot, at.replace(minute=minute))
            assert one.quota_refusals == refusals
            quota = bot.channel.quota
            assert quota.held == len(chats)
            assert caplog.text.count("nền tảng báo hết hạn mức tháng 2022-08") == 1
            status = await bot.conversation.handle(
                Incoming("zalo", ADMIN, ADMIN, text="/tinhhinh"), at
            )
            assert "Nền tảng Zalo báo hết hạn mức tháng này" in status[0].text
            one.quota_exceeded = False
            await tick(bot, at.replace(hour=14))  # a probe 6 hours later goes out
            assert quota.refused_at is None
            await tick(bot, at.replace(hour=14, minute=1))
            assert {s.chat_id for s in one.sent} == set(chats)  # held, never dropped
    finally:
        await one.stop()


async def test_refused_polls_never_stop_the_bot_and_are_logged_once_each(tmp_path, caplog):
    one, _ = await start_fake()
    caplog.set_level(logging.WARNING)
    faults = ["html_429", "json_403", "not_json", "json_500", "reset", "json_429"]
    one.poll_faults = list(faults)
    try:
        async with pool(one, tmp_path / "db.json", second=False) as bot:
            bot.channel.sleep = fast
            await wait_until(lambda: not one.poll_faults, 10)
            one.text(user(1), user(1), "/start")
            await wait_until(lambda: texts_to(one, user(1)), 10)
    finally:
        await one.stop()
    lines = [r.getMessage() for r in caplog.records if "getUpdates failed" in r.getMessage()]
    assert len(lines) == len(faults)
    assert "attempt 1" in lines[0] and "retrying in 1 s" in lines[0]
    assert "retrying in 2 s" in lines[1]


@pytest.mark.real_poll_gap
async def test_a_poll_that_returns_at_once_is_never_repeated_in_a_hot_loop(tmp_path):
    one, _ = await start_fake()
    one.max_poll_wait = 0  # every idle poll answers at once
    try:
        async with pool(one, tmp_path / "db.json", second=False):
            before = len(one.calls)
            started = time.monotonic()
            await asyncio.sleep(3.0)
            elapsed = time.monotonic() - started
            polls = sum(1 for m, _ in one.calls[before:] if m == "getUpdates")
    finally:
        await one.stop()
    assert polls <= elapsed + 1  # at most one a second


async def test_a_webhook_is_answered_once_the_update_is_journaled(tmp_path):
    one, _ = await start_fake()
    secret = "webhook-secret-0123456789"
    db = tmp_path / "db.json"
    try:
        bot = assemble(
            Config(
                zalo=ZaloConfig(
                    one.token, one.base_url, Webhook("https://chibo.example.vn/zalo", secret)
                ),
                db_path=db,
            ),
            CAT,
            Clock(START),
            tick_every=None,
        )
        channel = bot.channel
        assert isinstance(channel, ZaloChannel)
        from aiohttp import web

        app = web.Application()
        path, handler = channel.webhook_route()
        app.router.add_post(path, handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        try:
            await channel.start()
            await channel.receive()
            one.slow_next, one.slow_seconds = 1, 3.0  # the reply's send hangs for 3 seconds
            update = one.text(user(1), user(1), "/start")
            one.updates.remove(update)
            started = time.monotonic()
            status = await one.deliver_webhook(f"http://127.0.0.1:{port}{path}", update=update)
            answered = time.monotonic() - started
            assert status == 200 and answered < 2.0  # before the reply went out
            assert bot.store.runtime("zalo:inbox")  # journaled
            await wait_until(lambda: texts_to(one, user(1)), 10)
        finally:
            await bot.close()
            await runner.cleanup()
    finally:
        await one.stop()


async def test_a_voice_message_gets_the_sticker_answer_even_from_an_admin(tmp_path):
    one, _ = await start_fake()
    try:
        async with pool(
            one, tmp_path / "db.json", second=False, admins=frozenset({("zalo", ADMIN)})
        ):
            one.event("message.sticker.received", user(1), user(1), sticker="0e07", url="https://s")
            one.event("message.voice.received", ADMIN, ADMIN, url="https://x/voice.aac")
            await wait_until(lambda: texts_to(one, user(1)) and texts_to(one, ADMIN), 10)
            assert texts_to(one, ADMIN) == texts_to(one, user(1))
            assert texts_to(one, ADMIN)[0].startswith("Tôi chỉ đọc được tin nhắn chữ.")
    finally:
        await one.stop()


async def test_chibo_status_shows_each_bot_against_its_caps(tmp_path, capsys):
    from bot.cli import main

    one, two = await start_fake()
    db = tmp_path / "db.json"
    try:
        async with pool(one, db, users_cap=3):
            one.text(user(1), user(1), "/dangky tra-vinh-60-2022")
            two.mention(GROUP, user(2), "Bot Chi bộ Hai", "/dangky tra-vinh-60-2022")
            await wait_until(lambda: texts_to(one, user(1)) and texts_to(two, GROUP), 10)
    finally:
        await one.stop()
    env = tmp_path / ".env"
    env.write_text(
        f"ZALO_BOT_TOKEN={one.token},{TOKEN2}\nZALO_BOT_NAME=,Bot Chi bộ Hai\n"
        f"CHIBO_ZALO_USERS_PER_BOT=3\nCHIBO_DB={db}\n",
        encoding="utf-8",
    )
    code = main(
        ["status", "--plan", "tra-vinh-60-2022", "--today", "2022-08-20T08:00"]
        + ["--env", str(env)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Zalo: 1/3 người dùng, 0/3 nhóm." in out
    assert "Zalo Bot Chi bộ Hai: 0/3 người dùng, 1/3 nhóm." in out
    assert "Zalo Bot Chi bộ Hai: đã gửi 1/3000 tin tháng" in out
