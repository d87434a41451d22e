"""The bot with its web page, on the fake Telegram server, with the two committees of
tests/bot/plans/test_committees.py and their cells."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from pathlib import Path

import aiohttp

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import Clock
from bot.config import WebConfig
from schedules import catalog
from tests.bot.harness import serving
from tests.bot.plans.test_committees import START, Cells, committees_yaml, last
from tests.bot.sim import SimTime
from tests.ports import free_port

LINK = re.compile(r"http://\S+/dang-nhap/\S+")


@contextlib.asynccontextmanager
async def running_site(driver, tmp_path: Path, start: datetime = START):
    plans = tmp_path / "plans"
    plans.mkdir(exist_ok=True)
    committees_yaml(driver, plans)
    sim = SimTime()
    port = free_port()
    config = driver.config(
        tmp_path / "db.json",
        plans_dir=plans,
        committees_file=plans / "committees.yaml",
        web=WebConfig(port, "127.0.0.1"),
    )
    bot = assemble(
        config,
        catalog.load(),
        Clock(start),
        lambda _platform: RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    for channel in bot.channels.values():
        channel.poll_timeout = 1
    cells = Cells(driver)
    await cells.save(bot, driver.platform)
    async with serving(bot):
        runner = await bot._start_web(config)
        assert runner is not None
        try:
            yield bot, cells, config.web.base_url
        finally:
            await runner.cleanup()


def browser_session() -> aiohttp.ClientSession:
    """A client that keeps cookies for 127.0.0.1, as a browser does, and follows no redirect
    unless asked."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def login_link(driver, cells: Cells, admin: str = "a") -> str:
    chat, user = (cells.a, cells.ua) if admin == "a" else (cells.b, cells.ub)
    (reply,) = await last(driver, chat, user, "/web")
    found = LINK.search(reply.text)
    assert found, reply.text
    return found.group(0)


async def logged_in(http: aiohttp.ClientSession, link: str) -> None:
    async with http.post(link, allow_redirects=False) as r:
        assert r.status == 303, await r.text()
