"""The same scenarios on every channel: the real adapters against fake Bot API servers on 127.0.0.1.

Telegram offers choices as buttons, Zalo as numbered lines answered by number; a test body says
"choose ✅ Lưu" and the driver does what a user of that channel would do.
"""

import contextlib
from datetime import date, datetime, time

import aiohttp

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import TZ, Clock, parse_moment
from bot.config import Webhook, WebhookServer
from handlers.state import Subscription
from schedules import catalog
from tests.bot.fake_zalo import SECRET_HEADER
from tests.bot.harness import serving
from tests.bot.processes import wait_until
from tests.bot.sim import SimTime
from tests.ports import free_port

START = parse_moment("2022-08-20T08:00")
CAT = catalog.load()


@contextlib.asynccontextmanager
async def running(driver, db, start=START, receive=True, sim=None, **config):
    sim = sim or SimTime()
    bot = assemble(
        driver.config(db, **config),
        CAT,
        Clock(start),
        lambda _platform: RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    for channel in bot.channels.values():
        channel.poll_timeout = 1
    async with serving(bot, receive=receive):
        yield bot


def texts(driver, chat):
    return [m.text for m in driver.sent if m.chat == chat]


async def test_subscribe_by_choice_ask_and_change_settings(driver, tmp_path):
    chat, user = driver.chat_id(501), driver.user_id(501)
    async with running(driver, tmp_path / "db.json") as bot:
        driver.say(chat, user, "/start")
        start = (await driver.wait_sent(1))[-1]
        assert "Chọn kế hoạch" in start.text
        driver.choose(chat, user, start, "Kỳ Lợi")
        done = (await driver.wait_sent(2))[-1]
        assert done.text.startswith("✅ Đã đăng ký Kỳ Lợi")
        [chosen] = bot.store.get(driver.platform, chat).plan_ids  # Kỳ Lợi's, or a copy of it
        assert bot.conversation.catalog.get(chosen).short_name.startswith("Kỳ Lợi")

        driver.say(chat, user, "han chot")
        answer = (await driver.wait_sent(3))[-1].text
        assert "Hạn: trước Thứ Năm, 25/8/2022 — chậm nhất Thứ Tư, 24/8/2022 (còn 4 ngày)" in answer

        driver.say(chat, user, "tên chi bộ: Tân Phúc Thành 3")
        confirm = (await driver.wait_sent(4))[-1]
        assert "Tên chi bộ: Chi bộ Tân Phúc Thành 3" in confirm.text
        assert bot.store.get(driver.platform, chat).cell_name is None  # nothing saved yet
        driver.choose(chat, user, confirm, "Lưu")
        saved = (await driver.wait_sent(5))[-1]
        assert saved.text.startswith("✅ Đã lưu.")
        assert bot.store.get(driver.platform, chat).cell_name == "Chi bộ Tân Phúc Thành 3"


async def test_in_a_group_only_what_is_addressed_to_the_bot_is_answered(driver, tmp_path):
    chat, secretary, member = driver.chat_id(77, group=True), driver.user_id(1), driver.user_id(2)
    if driver.platform == "telegram":
        driver.fake.admins[chat] = [1]
    async with running(driver, tmp_path / "db.json") as bot:
        driver.say(chat, secretary, "tháng này học gì")  # chatter among members: not for the bot
        driver.say(chat, secretary, "/dangky tra-vinh-60-2022", mention=True)
        reply = (await driver.wait_sent(1))[-1]
        assert reply.text.startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK cho nhóm này.")
        driver.say(chat, member, "/huy", mention=True)
        refusal = (await driver.wait_sent(2))[-1].text
        assert refusal.startswith("Xin lỗi, chỉ quản trị viên")
        assert bot.store.get(driver.platform, chat).plan_ids == ("tra-vinh-60-2022",)
        driver.say(chat, member, "thang nay hoc gi", mention=True)
        topics = (await driver.wait_sent(3))[-1].text
        assert topics.startswith("📚 Tháng 8/2022 — Trà Vinh 60-KH/ĐUK")
    assert len(driver.sent) == 3


async def test_reminders_once_at_7_30_across_a_restart(driver, tmp_path):
    db, chat = tmp_path / "db.json", driver.chat_id(42)
    first = datetime(2022, 6, 30, 12, 0, tzinfo=TZ)
    async with running(driver, db, receive=False) as bot:
        await bot.store.save(
            Subscription(driver.platform, chat, ("tra-vinh-60-2022",), created_at=first.isoformat())
        )
        await bot.scheduler.tick(first)  # the first tick ever sets the watermark
        await bot.scheduler.tick(datetime(2022, 7, 1, 7, 29, tzinfo=TZ))
        assert driver.sent == []
        await bot.scheduler.tick(datetime(2022, 7, 1, 7, 30, tzinfo=TZ))
    async with running(driver, db, receive=False) as bot:  # a restart, then later ticks
        for hhmm in ((7, 31), (8, 0), (18, 0)):
            await bot.scheduler.tick(datetime.combine(date(2022, 7, 1), time(*hhmm), TZ))
    pushed = texts(driver, chat)
    assert len(pushed) == 1  # July's topics, once, folded with whatever else was due at 7:30
    assert pushed[0].count("📚 Chủ đề sinh hoạt tháng 7/2022 — Trà Vinh 60-KH/ĐUK") == 1


async def test_webhook_refuses_a_wrong_secret_and_answers_a_redelivery_once(driver, tmp_path):
    port, secret = free_port(), "s3cret-" + "x" * 20
    chat, user = driver.chat_id(601), driver.user_id(601)
    path = f"/{driver.platform}"
    header = "X-Telegram-Bot-Api-Secret-Token" if driver.platform == "telegram" else SECRET_HEADER
    config = {
        "webhook": Webhook(f"https://bot.example.vn{path}", secret),
        "webhook_server": WebhookServer("127.0.0.1", port),
    }
    async with running(driver, tmp_path / "db.json", **config) as bot:
        runner = await bot._start_webhooks(bot_config := driver.config(tmp_path / "x", **config))
        assert bot_config.webhook_server.port == port
        try:
            driver.say(chat, user, "/start")
            update = driver.fake.updates.pop()
            url = f"http://127.0.0.1:{port}{path}"
            async with aiohttp.ClientSession() as http:
                async with http.post(url, json=update, headers={header: "wrong"}) as r:
                    assert r.status == 403
                for _ in range(2):  # the platform resends an update it thinks was not received
                    async with http.post(url, json=update, headers={header: secret}) as r:
                        assert r.status == 200
            # Zalo answers a delivery once it is journaled, before the reply: wait for both
            # deliveries to be handled (the journal emptied), then count the replies
            inbox = getattr(bot.channel, "inbox", None)
            await wait_until(
                lambda: texts(driver, chat) and (inbox is None or not inbox.pending), 10
            )
            replies = texts(driver, chat)
        finally:
            await runner.cleanup()
    assert len(replies) == 1 and "Chọn kế hoạch" in replies[0]
