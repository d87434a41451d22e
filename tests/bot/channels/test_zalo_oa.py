"""The Zalo OA channel end to end: the real bot (assemble, the shared webhook server, the real
Conversation and scheduler) against the fake OA platform on 127.0.0.1 (tests/bot/fake_zalo_oa.py),
on a clock the test moves."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.channels.zalo_oa.channel import ACK_LABEL, HELD_NOTE
from bot.channels.zalo_oa.tokens import RUNTIME_KEY
from bot.clock import TZ
from bot.config import Config, OATemplates, TelegramConfig, WebhookServer, ZaloOAConfig
from handlers.state import Subscription
from handlers.types import Button, Reply
from schedules import catalog
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_zalo_oa import APP_ID, APP_SECRET, SECRET_KEY, FakeOA, User
from tests.bot.processes import wait_until
from tests.bot.sim import SimTime, SteppedClock
from tests.ports import free_port

CAT = catalog.load()
USER, ADMIN = "8401234567890123456", "8409999999999999999"
PLAN = "tra-vinh-60-2022"
NO_TEMPLATES = OATemplates()


@contextlib.asynccontextmanager
async def oa_bot(
    tmp_path,
    start: datetime,
    budget: int = 0,
    seed: bool = True,
    templates: OATemplates = NO_TEMPLATES,
    **config,
):
    clock = SteppedClock(start)
    fake = await FakeOA(now=clock.now).start()
    port = free_port()
    fake.webhook_url = f"http://127.0.0.1:{port}/zalo-oa"
    section = ZaloOAConfig(
        APP_ID,
        APP_SECRET,
        SECRET_KEY,
        fake.issue()["refresh_token"] if seed else "",
        fake.url,
        fake.url,
        monthly_budget=budget,
        templates=templates,
    )
    cfg = Config(
        zalo_oa=section,
        webhook_server=WebhookServer("127.0.0.1", port),
        db_path=tmp_path / "db.json",
        **config,
    )
    sim = SimTime()
    bot = assemble(cfg, CAT, clock, RateLimiter(now=sim.now, sleep=sim.sleep), tick_every=None)
    stop = asyncio.Event()
    serving = asyncio.create_task(bot.serve(cfg, stop))
    try:
        await wait_until(lambda: "zalo-oa" in bot.ready, 10)
        await _listening(port)
        yield bot, fake, clock
    finally:
        stop.set()
        await serving
        await bot.close()
        await fake.stop()


async def _listening(port: int) -> None:
    for _ in range(500):
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the webhook server never listened")


def labels(message) -> list[str]:
    return [b["title"] for b in message.buttons]


async def test_follow_start_and_choose_a_plan_by_tapping_a_button(tmp_path):
    start = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)
    async with oa_bot(tmp_path, start) as (bot, fake, clock):
        await fake.follow(USER)  # following the OA greets with the plan choice
        [greeting] = await fake.wait_sent(USER, 1)
        assert "Chọn kế hoạch" in greeting.text
        kl = next(t for t in labels(greeting) if "Kỳ Lợi" in t)
        assert greeting.quota_type == "reply"  # inside the free window
        await fake.tap(USER, kl)
        done = (await fake.wait_sent(USER, 2))[-1]
        assert done.text.startswith("✅ Đã đăng ký Kỳ Lợi")
        assert bot.store.get("zalo-oa", USER).plan_ids
        await fake.say(USER, "han chot")
        answer = (await fake.wait_sent(USER, 3))[-1].text
        assert "Hạn: trước Thứ Năm, 25/8/2022" in answer
        assert fake.cost == 0 and set(fake.deliveries) == {200}


async def test_a_wrong_signature_is_refused_and_a_redelivery_is_answered_once(tmp_path):
    start = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)
    async with oa_bot(tmp_path, start) as (bot, fake, clock):
        fake._interacted(USER)
        forged = fake.event("user_send_text", USER, "/start")
        assert await fake.deliver(forged, secret_key="not-the-oa-key") == 403
        payload = await fake.say(USER, "/start")
        await fake.wait_sent(USER, 1)
        assert await fake.deliver(payload) == 200  # Zalo retries a delivery it thinks failed
        await fake.say(USER, "/help")
        await fake.wait_sent(USER, 2)
        # a chat's messages are answered in order: once /hanchot's answer is in, the redelivery
        # before it was handled too, and anything it caused is already sent
        await fake.say(USER, "/hanchot")
        sent = await fake.wait_sent(USER, 3)
        assert len(fake.to(USER)) == 3  # /start once, /help once, /hanchot; the forged one never
        assert "chưa đăng ký kế hoạch nào" in sent[-1].text


async def test_reminders_go_free_in_the_window_and_are_held_after_a_week_of_silence(tmp_path):
    first = datetime(2022, 6, 30, 12, 0, tzinfo=TZ)
    async with oa_bot(tmp_path, first, admins=frozenset({("zalo-oa", ADMIN)})) as (
        bot,
        fake,
        clock,
    ):
        await bot.store.save(Subscription("zalo-oa", USER, (PLAN,), created_at=first.isoformat()))
        await fake.say(USER, "xin chào")  # the user wrote on 30/6: the window is open
        await fake.wait_sent(USER, 1)
        await bot.scheduler.tick(first)
        clock.at = datetime(2022, 7, 1, 7, 30, tzinfo=TZ)
        await bot.scheduler.tick(clock.at)
        reminder = (await fake.wait_sent(USER, 2))[-1]
        assert "Chủ đề sinh hoạt tháng 7/2022" in reminder.text
        assert reminder.quota_type == "reply"
        assert ACK_LABEL in labels(reminder)

        # Silence until August: the next reminder cannot go out, and is held, not lost
        clock.at = datetime(2022, 8, 1, 7, 30, tzinfo=TZ)
        report = await bot.scheduler.tick(clock.at)
        assert report.behind == [f"zalo-oa:{USER}"]
        assert len(fake.to(USER)) == 2
        fake._interacted(ADMIN)
        await fake.say(ADMIN, "/tinhhinh")
        status = (await fake.wait_sent(ADMIN, 1))[-1].text
        assert "1 người có tin nhắc đang bị giữ" in status

        # The cell writes: told why, and the held reminder goes at the next tick, free
        clock.at += timedelta(hours=2)
        await fake.say(USER, "có gì mới không")
        await wait_until(lambda: any(m.text == HELD_NOTE for m in fake.to(USER)), 10)
        clock.at += timedelta(minutes=1)
        report = await bot.scheduler.tick(clock.at)
        assert report.behind == []
        august = [m for m in fake.to(USER) if "tháng 8/2022" in m.text]
        assert august and august[-1].quota_type == "reply"
        assert fake.cost == 0


async def test_paid_messages_stay_within_the_monthly_budget(tmp_path):
    first = datetime(2022, 6, 30, 12, 0, tzinfo=TZ)
    async with oa_bot(tmp_path, first, budget=110) as (bot, fake, clock):
        await bot.store.save(Subscription("zalo-oa", USER, (PLAN,), created_at=first.isoformat()))
        await fake.say(USER, "xin chào")
        await fake.wait_sent(USER, 1)
        channel = bot.channels["zalo-oa"]
        clock.at = first + timedelta(days=3)  # past 48 h, inside 7 days: paid
        outcomes = [await channel.send(USER, Reply(f"Tin {n}")) for n in range(3)]
        assert outcomes == ["sent", "sent", "held"]  # 2 × 55 đ fit in 110 đ, the third does not
        assert fake.cost == 110
        assert "đã chi 110 đ/110 đ" in channel.windows.status_line()


async def test_tokens_are_refreshed_before_expiry_and_after_a_revocation(tmp_path, caplog):
    start = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)
    telegram = FakeTelegram()
    await telegram.start()
    admins = frozenset({("telegram", "111"), ("zalo-oa", ADMIN)})
    tg = TelegramConfig("123456:" + "T" * 35, telegram.url)
    async with oa_bot(tmp_path, start, telegram=tg, admins=admins) as (bot, fake, clock):
        assert fake.refreshes == 1  # the seed refresh token, used once at start
        first = bot.store.runtime(RUNTIME_KEY)
        await fake.say(USER, "/help")
        await fake.wait_sent(USER, 1)
        clock.at += timedelta(hours=24, minutes=30)  # within an hour of expiry
        await fake.say(USER, "/help")
        await fake.wait_sent(USER, 2)
        assert fake.refreshes == 2
        second = bot.store.runtime(RUNTIME_KEY)
        assert second["refresh_token"] != first["refresh_token"]
        fake.revoke_access()  # −216: refreshed and sent again
        await fake.say(USER, "/help")
        await fake.wait_sent(USER, 3)
        assert fake.refreshes == 3
        # The refresh token dies (another App login took it): one log line, messages held
        fake.refresh_tokens.clear()
        fake.revoke_access()
        caplog.set_level(logging.ERROR)
        await fake.say(USER, "/help")
        await wait_until(lambda: "refreshing the token pair failed" in caplog.text, 10)
        [alert] = await telegram.wait_sent(1)  # the admins hear of it where they still can
        assert str(alert.chat_id) == "111" and "chạy lại “chibo oa login”" in alert.text
        assert len(fake.to(USER)) == 3
    await telegram.stop()


async def test_a_rate_limit_answer_pauses_the_channel_and_every_message_still_goes(tmp_path):
    start = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)
    async with oa_bot(tmp_path, start) as (bot, fake, clock):
        fake.rate_per_min = 2  # a smaller package than configured: the platform answers −32
        await fake.say(USER, "/help")
        await fake.wait_sent(USER, 1)
        channel = bot.channels["zalo-oa"]
        sends = asyncio.gather(*(channel.send(USER, Reply(f"Tin {n}")) for n in range(3)))
        await wait_until(lambda: fake.rate_limited >= 1, 10)
        assert len(fake.to(USER)) == 2
        clock.at += timedelta(minutes=1)  # the platform's minute passes
        assert await sends == ["sent", "sent", "sent"]
        assert [m.text for m in fake.to(USER)[1:]] == ["Tin 0", "Tin 1", "Tin 2"]
        assert channel.outbox.stats.rate_limited >= 1


async def test_more_than_five_choices_go_as_numbered_lines_and_a_number_presses_one(tmp_path):
    start = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)
    async with oa_bot(tmp_path, start) as (bot, fake, clock):
        channel = bot.channels["zalo-oa"]
        await fake.say(USER, "xin chào")
        await fake.wait_sent(USER, 1)
        many = Reply("Chọn kế hoạch:").with_buttons(
            *((Button(f"Kế hoạch {n}", f"x:{n}"),) for n in range(1, 8))
        )
        assert await channel.send(USER, many) == "sent"
        shown = fake.to(USER)[-1]
        assert shown.buttons == [] and "7. Kế hoạch 7" in shown.text
        few = Reply("Lưu thay đổi?").with_buttons(
            (Button("✅ Lưu", "s:y"), Button("✖️ Thôi", "s:n"))
        )
        assert await channel.send(USER, few) == "sent"
        assert labels(fake.to(USER)[-1]) == ["✅ Lưu", "✖️ Thôi"]
        assert channel._pressed(USER, "✖️ Thôi") == "s:n"  # a tap comes back as the label


async def test_unfollowing_stops_reminders_and_following_again_greets(tmp_path):
    start = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)
    async with oa_bot(tmp_path, start) as (bot, fake, clock):
        await bot.store.save(Subscription("zalo-oa", USER, (PLAN,), created_at=start.isoformat()))
        fake.users[USER] = User(follower=False)
        await fake.deliver(fake.event("unfollow", USER))
        await wait_until(lambda: not bot.store.get("zalo-oa", USER).active, 10)
        await fake.follow(USER)
        [greeting] = await fake.wait_sent(USER, 1)
        assert greeting.text.startswith("Chào đồng chí! Chat này đang theo kế hoạch: Trà Vinh")
        assert greeting.quota_type == "reply"
        assert bot.store.get("zalo-oa", USER).active  # reminders resume
