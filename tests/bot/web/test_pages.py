"""The web page over HTTP, on the real server `chibo run` starts: logging in by a one-time link,
the status of a committee's plans, the nudge, the export, scope and CSRF."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest

from bot.web import auth
from handlers.types import UserRef
from tests.bot.drivers import TelegramDriver
from tests.bot.plans.test_committees import KB, KB_DUE, START, TV, in_chat, settle
from tests.bot.processes import wait_until
from tests.bot.web.site import browser_session, logged_in, login_link, running_site

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


async def test_a_login_link_is_sent_without_preview_opens_a_button_and_works_once(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)
        sent = [s for s in driver.fake.sent if s.chat_id == cells.a][-1]
        assert sent.params.get("link_preview_options") in (
            {"is_disabled": True},
            '{"is_disabled": true}',
        ), sent.params
        async with browser_session() as http:
            for _ in range(2):  # looking at the page (a link preview would) spends nothing
                async with http.get(link) as r:
                    page = await r.text()
                    assert r.status == 200 and "Đăng nhập</button>" in page
                    assert 'method="post"' in page
            async with http.get(f"{base}/tinh-hinh") as r:
                assert r.status == 401 and "/web" in await r.text()
            async with http.post(link, allow_redirects=False) as r:
                assert r.status == 303 and r.headers["Location"] == "/tinh-hinh"
                cookie = r.headers["Set-Cookie"]
                assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            async with http.get(f"{base}/tinh-hinh") as r:
                assert r.status == 200 and "Kim Bảng" in await r.text()
        async with browser_session() as other:  # the same link a second time
            async with other.post(link, allow_redirects=False) as r:
                assert r.status == 410 and "đã dùng rồi hoặc đã quá 10 phút" in await r.text()
            async with other.get(f"{base}/tinh-hinh") as r:
                assert r.status == 401


async def test_an_expired_or_forged_link_logs_nobody_in(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        key = await auth.key_of(bot.store)
        user = UserRef("telegram", cells.ua)
        old = auth.login_token(key, user, "A", START - timedelta(minutes=11))
        forged = auth.login_token(b"x" * 32, user, "A", START)
        async with browser_session() as http:
            for token in (old, forged, "rác"):
                async with http.post(f"{base}/dang-nhap/{token}", allow_redirects=False) as r:
                    assert r.status == 410
            async with http.get(f"{base}/tinh-hinh") as r:
                assert r.status == 401


async def test_web_is_refused_to_a_cell_and_said_in_a_group(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        from tests.bot.plans.test_committees import last

        (reply,) = await last(driver, cells.kb[1], cells.kb[1], "/web")
        assert "/dang-nhap/" not in reply.text


async def test_status_page_shows_only_the_committees_own_plans_with_chart(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/tinh-hinh") as r:
                page = await r.text()
            assert KB in page and TV not in page
            async with http.get(f"{base}/tinh-hinh/{KB}") as r:
                page = await r.text()
            assert r.status == 200
            assert "<svg" in page and "1/2" in page
            assert "Chi bộ Kim Bang 2" in page and "Telegram (chat riêng" in page
            assert "Đã chặn hoặc xóa bot" in page and "Chi bộ Kim Bang 3" in page
            assert "Trà Vinh" not in page
            for path in (f"/tinh-hinh/{TV}", f"/tinh-hinh/{TV}/bang.csv", "/tinh-hinh/khong-co"):
                async with http.get(base + path) as r:
                    assert r.status == 404, path
                    assert "phạm vi quản lý" in await r.text()


async def test_nudge_from_the_page_goes_out_once_and_needs_csrf(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/tinh-hinh/{KB}") as r:
                token = CSRF.search(await r.text()).group(1)
            url = f"{base}/tinh-hinh/{KB}/nhac"
            async with http.post(url, data={"item": KB_DUE}) as r:
                assert r.status == 403 and "tải lại trang" in await r.text()
            async with http.post(url, data={"item": KB_DUE, "csrf": "sai"}) as r:
                assert r.status == 403
            assert in_chat(driver, cells.kb[1]) == []
            async with http.post(url, data={"item": KB_DUE, "csrf": token}) as r:
                page = await r.text()
            assert "Đã xếp hàng nhắc 1 chat" in page and "Chi bộ Kim Bang 2" in page
            await wait_until(lambda: len(in_chat(driver, cells.kb[1])) == 1, 10)
            (nudged,) = in_chat(driver, cells.kb[1])
            assert "Huyện ủy Kim Bảng nhắc" in nudged.text and "Đã hoàn thành" in nudged.choices[0]
            assert in_chat(driver, cells.kb[0]) == []  # it marked the deadline done
            async with http.post(url, data={"item": KB_DUE, "csrf": token}) as r:
                assert "Mỗi việc chỉ nhắc một lần" in await r.text()
            await settle(bot)
            assert len(in_chat(driver, cells.kb[1])) == 1


async def test_export_has_real_dates_and_a_filter(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/tinh-hinh/{KB}/bang.xlsx") as r:
                assert r.status == 200
                assert "attachment" in r.headers["Content-Disposition"]
                data = await r.read()
            async with http.get(f"{base}/tinh-hinh/{KB}/bang.csv") as r:
                text = (await r.read()).decode("utf-8-sig")
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet.auto_filter.ref == sheet.dimensions
        days = [row[4].value for row in sheet.iter_rows(min_row=2) if row[4].value]
        assert days and all(isinstance(d, date) for d in days)
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == sheet.max_row
        assert {r[5] for r in rows[1:]} >= {"Chi bộ Kim Bang 1", "Chi bộ Kim Bang 2"}
        assert all(r[0] == KB for r in rows[1:])


async def test_logout_needs_csrf_and_ends_the_session(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/tinh-hinh") as r:
                token = CSRF.search(await r.text()).group(1)
            async with http.post(f"{base}/dang-xuat", data={}) as r:
                assert r.status == 403
            async with http.post(f"{base}/dang-xuat", data={"csrf": token}) as r:
                assert r.status == 200 and "Đã đăng xuất" in await r.text()
            async with http.get(f"{base}/tinh-hinh") as r:
                assert r.status == 401
