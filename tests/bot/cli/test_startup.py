"""Start-up when the Bot API is down: retried with backoff, one log line per attempt, no crash."""

import logging
from datetime import datetime

from bot.app import assemble
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig
from schedules import catalog
from tests.bot.fake_telegram import FakeTelegram
from tests.ports import free_port

TOKEN = "123456:" + "U" * 35


async def test_an_unreachable_api_is_retried_until_it_answers(tmp_path, caplog):
    port = free_port()
    config = Config(TelegramConfig(TOKEN, f"http://127.0.0.1:{port}"), db_path=tmp_path / "db")
    waits: list[float] = []
    server = FakeTelegram()

    async def sleep(seconds: float) -> None:  # simulated: the server comes up after 3 attempts
        waits.append(seconds)
        if len(waits) == 3:
            await server.start(port)

    bot = assemble(config, catalog.load(), Clock(datetime(2022, 8, 1, tzinfo=TZ)), tick_every=None)
    bot.channel.sleep = sleep
    caplog.set_level(logging.INFO)
    try:
        await bot.channel.start()
        assert [m for m, _ in server.calls][:1] == ["getMe"]
    finally:
        await bot.close()
        await server.stop()
    assert waits == [1, 2, 5]
    attempts = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert [r.getMessage().split(":")[0] for r in attempts] == [
        f"Telegram Bot API unreachable (attempt {n}" for n in (1, 2, 3)
    ]
    assert all(r.exc_info is None for r in caplog.records)  # a line each, no traceback
