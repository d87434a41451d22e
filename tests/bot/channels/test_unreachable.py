"""A send refused before it was written (the platform unreachable: a connect error) never reached
the platform, so it uses no place in the channel's rate window: once the platform is back, the
retries go at once, as many as the window holds. A send that was answered, even with an error,
keeps its place (test_faults_both.py). The real Telegram and Zalo channels against their fake
servers, which stop listening and drop their connections; time held by the test."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo.channel import ZaloChannel
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig, ZaloConfig
from handlers.types import Reply
from schedules import catalog
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_zalo import FakeZalo, hex_id
from tests.bot.harness import serving
from tests.bot.processes import wait_until
from tests.bot.sim import HeldTime

TOKEN = "123456:" + "U" * 35
START = datetime(2022, 8, 1, 7, 30, tzinfo=TZ)


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_sends_refused_at_connect_use_no_place_in_the_rate_window(tmp_path, platform):
    held = HeldTime()
    fake: FakeTelegram | FakeZalo = FakeTelegram() if platform == "telegram" else FakeZalo()
    await fake.start()
    fake.now = held.now
    if isinstance(fake, FakeTelegram):
        limits, config = TelegramChannel.default_limits, Config(TelegramConfig(TOKEN, fake.url))
        chats = [str(100 + i) for i in range(limits.overall[0])]
    else:
        limits = ZaloChannel.default_limits
        config = Config(zalo=ZaloConfig(fake.token, fake.base_url))
        chats = [hex_id(0xC000 + i) for i in range(limits.overall[0])]
    config = Config(config.telegram, zalo=config.zalo, db_path=tmp_path / "db.json")
    bot = assemble(
        config,
        catalog.load(),
        Clock(START),
        RateLimiter(limits, now=held.now, sleep=held.sleep),
        tick_every=None,
    )
    channel = bot.channels[platform]
    try:
        async with serving(bot, receive=False):
            await fake.go_down()
            sends = [
                asyncio.ensure_future(channel.send(chat, Reply("Nhắc việc: nộp báo cáo tháng")))
                for chat in chats
            ]
            # a whole window's worth, each refused at connect at the same moment
            await wait_until(lambda: channel.outbox.stats.network_retries >= len(chats), 20)
            began = held.now()
            await fake.come_back()
            held.advance(0.5)  # the first retry's back-off: each chat may send again
            # all delivered while the clock stands at the first retry: had the refused sends
            # been counted, the window would have held every retry until a second after them
            await wait_until(lambda: len(fake.sent) == len(chats), 20)
            assert await asyncio.gather(*sends) == ["sent"] * len(chats)
            assert held.now() == began + 0.5
    finally:
        await fake.stop()
    assert sorted(str(s.chat_id) for s in fake.sent) == sorted(chats)
