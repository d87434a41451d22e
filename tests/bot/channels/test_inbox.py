"""Receiving fetches on while a reply is held: a chat whose answer waits its 1 message a second
(it has just had its 7:30 push) delays no other chat, and one chat's updates are still answered
in the order they came. Both channels, the real adapters against their fake servers, on a clock
that moves only when the test moves it."""

from __future__ import annotations

import contextlib

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import Clock, parse_moment
from handlers.types import Reply
from schedules import catalog
from tests.bot.harness import serving
from tests.bot.processes import wait_until
from tests.bot.sim import HeldTime

START = parse_moment("2022-08-20T08:00")
PUSH = "🔔 Nhắc việc sáng nay"


def assembled(driver, tmp_path, time: HeldTime):
    """The bot on tmp_path's store (the same one on each call: a restart), its outbox and its
    retries on the held clock, its channel polling with a short timeout."""
    bot = assemble(
        driver.config(tmp_path / "db.json"),
        catalog.load(),
        Clock(START),
        lambda _platform: RateLimiter(now=time.now, sleep=time.sleep),
        tick_every=None,
        sleep=time.sleep,
    )
    channel = bot.channels[driver.platform]
    channel.poll_timeout = 1
    channel.sleep = time.sleep
    return bot


@contextlib.asynccontextmanager
async def running(driver, tmp_path, time: HeldTime):
    bot = assembled(driver, tmp_path, time)
    channel = bot.channels[driver.platform]
    async with serving(bot):
        yield channel


async def pushed(channel, chat: str) -> None:
    """The chat's 7:30 push, sent now: its next message may go a second later."""

    async def journaled() -> None:
        return None

    assert await channel.send(chat, Reply(PUSH), on_sent=journaled) == "sent"


def texts(driver, chat: str) -> list[str]:
    return [m.text for m in driver.sent if m.chat == chat and m.text != PUSH]


async def test_a_reply_held_by_its_chats_pace_does_not_delay_another_chats_answer(driver, tmp_path):
    time = HeldTime()
    held, other = driver.chat_id(801), driver.chat_id(802)
    async with running(driver, tmp_path, time) as channel:
        await pushed(channel, held)
        driver.say(held, driver.user_id(801), "/help")
        await wait_until(lambda: time.sleeping, 10)  # its answer waits for the chat's next second
        t0 = time.now()
        driver.say(other, driver.user_id(802), "/help")
        await wait_until(lambda: texts(driver, other), 10)
        # answered with no simulated time gone by, while the first chat's answer is still held
        assert time.now() == t0
        assert texts(driver, held) == []
        time.advance(1.0)
        await wait_until(lambda: texts(driver, held), 10)
        assert texts(driver, held) == texts(driver, other)  # the same question, the same answer
        order = [m.chat for m in driver.sent if m.text != PUSH]
        assert order == [other, held]


async def test_one_chats_updates_are_answered_in_the_order_they_came(driver, tmp_path):
    time = HeldTime()
    chat, user = driver.chat_id(811), driver.user_id(811)
    async with running(driver, tmp_path, time) as channel:
        await pushed(channel, chat)
        # each message arrives while the answer to the one before is held, each in a fetch of
        # its own: the later ones are in hand before the first is answered
        for n, text in enumerate(
            ["/dangky tra-vinh-60-2022", "thang nay hoc gi", "/dangky tra-vinh-60-2022"], 1
        ):
            driver.say(chat, user, text)
            await wait_until(lambda n=n: channel.inbox.pending == n, 10)
        for n in range(1, 4):
            await wait_until(lambda: time.sleeping, 10)
            time.advance(1.0)
            await wait_until(lambda n=n: len(texts(driver, chat)) == n, 10)
        await wait_until(lambda: channel.inbox.pending == 0, 10)
    first, second, third = texts(driver, chat)
    assert first.startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK")
    assert "Tháng 8/2022" in second  # answered as a subscriber: after the subscription
    assert third.startswith("Chat này đã theo")
