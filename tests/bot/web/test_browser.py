"""A real browser on the web page: Debian's chromium, driven by Selenium through the system's
chromedriver (never a downloaded one). Logs in by the link /web sent, opens the status of a
plan, presses the nudge and sees the cell reminded.

Screenshots of the pages go to the test's folder, or to CHIBO_SCREENSHOTS (docs/img, for the
operator's guide) when it is set."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from tests.bot.drivers import TelegramDriver
from tests.bot.plans.test_committees import KB, in_chat
from tests.bot.processes import wait_until
from tests.bot.web.site import login_link, running_site

CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1100,1400",
)

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") and os.path.exists(CHROMEDRIVER)),
    reason="no chromium / chromium-driver: apt-get install -y chromium chromium-driver",
)


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    chrome = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    chrome.set_page_load_timeout(60)
    yield chrome
    chrome.quit()


async def test_log_in_by_link_open_the_status_and_nudge(driver, tmp_path, browser):
    from selenium.webdriver.common.by import By

    shots = Path(os.environ.get("CHIBO_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    def act(fn, *args):  # Selenium blocks: off the loop the server runs on
        return asyncio.to_thread(fn, *args)

    async def shows(words: str) -> None:
        """Wait until the page says `words` (each look off the loop too: a page still loading
        waits on this very server)."""
        for _ in range(300):
            body = await act(lambda: browser.find_element(By.TAG_NAME, "body").text)
            if words in body:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"the page never said {words!r}: {body[:300]}")

    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)
        await act(browser.get, link)
        button = await act(browser.find_element, By.XPATH, "//button[text()='Đăng nhập']")
        await act(button.click)
        await shows("Tình hình ngày")
        await act(browser.save_screenshot, str(shots / "tinh-hinh.png"))
        plan = await act(browser.find_element, By.CSS_SELECTOR, f"a[href='/tinh-hinh/{KB}']")
        await act(plan.click)
        await shows("Số chi bộ đã hoàn thành")
        await shows("Chi bộ Kim Bang 2")
        assert await act(browser.find_elements, By.TAG_NAME, "svg")
        await act(browser.save_screenshot, str(shots / "ke-hoach-tinh-hinh.png"))
        nudge = await act(
            browser.find_element, By.XPATH, "//button[contains(., 'Nhắc các chi bộ')]"
        )
        await act(nudge.click)
        await shows("Đã xếp hàng nhắc 1 chat")
        await wait_until(lambda: len(in_chat(driver, cells.kb[1])) == 1, 10)
        assert "nhắc" in in_chat(driver, cells.kb[1])[0].text
        await act(browser.get, f"{base}/lich")
        await shows("Lịch cho điện thoại")
        await act(browser.save_screenshot, str(shots / "lich.png"))
