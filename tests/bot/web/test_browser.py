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

from bot.clock import parse_moment
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


def _body_text(browser) -> str:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        return browser.find_element(By.TAG_NAME, "body").text
    except (StaleElementReferenceException, NoSuchElementException):
        return ""  # the next page is on its way: no body yet, or it replaced the one found


async def page_says(browser, words: str) -> None:
    """Wait until the page says `words` (each look off the loop: a page still loading waits on
    this very server)."""
    body = ""
    for _ in range(300):
        body = await asyncio.to_thread(_body_text, browser)
        if words in body:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the page never said {words!r}: {body[:300]}")


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
        await page_says(browser, words)

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
        await act(browser.get, f"{base}/chi-bo")
        await shows("Mời chi bộ theo kế hoạch")
        await act(lambda: browser.find_element(By.NAME, "cell").send_keys("Chi bộ Thi Sơn"))
        await act(
            lambda: browser.find_element(By.XPATH, "//button[contains(., 'Tạo mã mời')]").click()
        )
        await shows("Mã mời cho Chi bộ Thi Sơn")
        await act(browser.save_screenshot, str(shots / "chi-bo.png"))


async def test_publish_the_tra_vinh_plan_from_its_docx_and_the_bot_answers_for_it(
    driver, tmp_path, browser, seeds
):
    """An operator who never saw YAML: the .docx uploaded, the four todos done on the form,
    ✅ Ban hành, the plan listed; a cell of the committee follows it and asks this month's topic."""
    from selenium.webdriver.common.by import By

    from tests.bot.plans.test_committees import arrived
    from tests.bot.plans.test_import_files import TRA_VINH_SEED, build_docx
    from tests.bot.web.test_plan_pages import FILLED, NEW

    shots = Path(os.environ.get("CHIBO_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    docx_file = tmp_path / "ke-hoach-60.docx"
    build_docx((seeds / TRA_VINH_SEED).read_text(encoding="utf-8"), docx_file)

    def act(fn, *args):
        return asyncio.to_thread(fn, *args)

    async def shows(words: str) -> None:
        await page_says(browser, words)

    def fill(name: str, value: str) -> None:
        field = browser.find_element(By.NAME, f"f:{name}")
        if field.tag_name == "select":
            field.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
        else:
            field.clear()
            field.send_keys(value)

    def tick_todos() -> int:
        boxes = browser.find_elements(By.CSS_SELECTOR, "input[name='xong']")
        for box in boxes:
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
            box.click()
        return len(boxes)

    def press(label: str) -> None:
        button = browser.find_element(By.XPATH, f"//button[contains(., '{label}')]")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()

    start = parse_moment("2022-11-07T08:00")  # within the plan: November has its topics
    async with running_site(driver, tmp_path, start) as (bot, cells, base):
        link = await login_link(driver, cells, "b")
        await act(browser.get, link)
        await act(lambda: browser.find_element(By.XPATH, "//button[text()='Đăng nhập']").click())
        await shows("Tình hình ngày")
        await act(browser.get, f"{base}/ke-hoach")
        await shows("Ban hành kế hoạch mới từ văn bản")
        upload = await act(browser.find_element, By.NAME, "tep")
        await act(upload.send_keys, str(docx_file))
        await act(press, "Đọc tệp")
        await shows("Còn 4 việc cần hoàn thiện")
        await act(browser.save_screenshot, str(shots / "ke-hoach-ban-nhap.png"))
        for name, value in FILLED.items():
            await act(fill, name, value)
        assert await act(tick_todos) == 4
        await act(press, "Lưu và kiểm tra")
        await shows("Bản kế hoạch hợp lệ")
        await act(press, "Ban hành")
        await shows(f"Đã ban hành 60-KH/ĐUK ({NEW})")
        await shows("Tháng 11/2022")
        await act(browser.save_screenshot, str(shots / "ke-hoach.png"))
        await act(browser.get, f"{base}/ke-hoach")
        await shows("60-KH/ĐUK")

        # the committee's cell is invited, follows it, and the bot answers from it
        invitation = next(
            m for m in await arrived(driver, cells.tv[1], 1) if m.text.startswith("📢")
        )
        user = driver.user_id(22)
        before = len(in_chat(driver, cells.tv[1]))
        driver.choose(cells.tv[1], user, invitation, "Theo 60-KH/ĐUK")
        await arrived(driver, cells.tv[1], before + 1)
        assert NEW in bot.store.get(driver.platform, cells.tv[1]).plan_ids
        before = len(in_chat(driver, cells.tv[1]))
        driver.say(cells.tv[1], user, "tháng này học gì")
        answer = (await arrived(driver, cells.tv[1], before + 1))[-1]
        assert answer.text.startswith("📚 Tháng 11/2022 — Trà Vinh 60-KH/ĐUK"), answer.text
        before = len(in_chat(driver, cells.tv[1]))
        driver.say(cells.tv[1], user, "xem tiếp")  # the second plan it follows: the new one
        answer = (await arrived(driver, cells.tv[1], before + 1))[-1]
        assert "Tháng 11/2022 — 60-KH/ĐUK (3 văn bản)" in answer.text, answer.text
        assert "Kết luận 21-KL/TW" in answer.text
