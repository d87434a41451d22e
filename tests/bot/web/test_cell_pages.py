"""Chi bộ over HTTP: the committee's cells by name, renamed and merged into the chats' stored names,
an invitation code whose Telegram link (or the code typed) subscribes a new chat under the cell's
name, its QR code; scope and CSRF."""

from __future__ import annotations

import re

import pytest

from tests.bot.drivers import TelegramDriver
from tests.bot.plans.test_committees import KB, TV, arrived, in_chat
from tests.bot.web.site import browser_session, logged_in, login_link, running_site

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CODE = re.compile(r"https://t\.me/chibo_test_bot\?start=([A-Z0-9]{8})")


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


async def test_cells_are_listed_renamed_and_merged_within_the_committee(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)  # Huyện ủy Kim Bang
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/chi-bo") as r:
                page = await r.text()
            assert r.status == 200
            assert "Chi bộ Kim Bang 1" in page and "Chi bộ Kim Bang 3" in page
            assert "đã chặn bot" in page and "Trà Vinh" not in page
            token = CSRF.search(page).group(1)
            url = f"{base}/chi-bo/doi-ten"
            async with http.post(url, data={"old": "Chi bộ Kim Bang 1", "new": "KB 1"}) as r:
                assert r.status == 403
            async with http.post(
                url, data={"csrf": token, "old": "Chi bộ Kim Bang 1", "new": "Chi bộ Kim Bảng 1"}
            ) as r:
                assert "Đã đổi “Chi bộ Kim Bang 1” thành “Chi bộ Kim Bảng 1” cho 1 chat" in (
                    await r.text()
                )
            # two spellings of one cell: the second merged into the first
            async with http.post(
                url, data={"csrf": token, "old": "Chi bộ Kim Bang 2", "new": "Chi bộ Kim Bảng 1"}
            ) as r:
                page = await r.text()
            assert "<strong>Chi bộ Kim Bang 2</strong>" not in page
            names = {bot.store.get("telegram", c).cell_name for c in cells.kb}
            assert names == {"Chi bộ Kim Bảng 1"}
            # another committee's cell is not touched from here
            async with http.post(
                url, data={"csrf": token, "old": "Chi bộ Trà Vinh 1", "new": "X"}
            ) as r:
                assert "Không có chat nào mang tên" in await r.text()
            assert bot.store.get("telegram", cells.tv[0]).cell_name == "Chi bộ Trà Vinh 1"


async def test_an_invitation_link_subscribes_a_new_chat_as_its_cell(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/chi-bo") as r:
                token = CSRF.search(await r.text()).group(1)
            async with http.post(
                f"{base}/chi-bo/moi", data={"csrf": token, "plan": TV, "cell": "Chi bộ X"}
            ) as r:
                assert r.status == 404  # not this committee's plan
            async with http.post(
                f"{base}/chi-bo/moi", data={"csrf": token, "plan": KB, "cell": "Chi bộ Thi Sơn"}
            ) as r:
                page = await r.text()
            code = CODE.search(page).group(1)
            assert f"/start {code}" in page
            async with http.get(f"{base}/chi-bo/moi/{code}.png") as r:
                assert r.status == 200 and r.content_type == "image/png"
                assert (await r.read()).startswith(b"\x89PNG")
        async with browser_session() as other:
            await logged_in(other, await login_link(driver, cells, "b"))
            async with other.get(f"{base}/chi-bo/moi/{code}.png") as r:
                assert r.status == 404

        # Telegram opens the deep link as "/start CODE" in a new chat
        chat = driver.chat_id(31)
        driver.say(chat, driver.user_id(31), f"/start {code}")
        (reply,) = await arrived(driver, chat, 1)
        assert reply.text.startswith("✅ Đã đăng ký"), reply.text
        sub = bot.store.get("telegram", chat)
        assert sub.plan_ids == (KB,) and sub.cell_name == "Chi bộ Thi Sơn"
        # a code typed in lower case (Zalo) works too; an unknown one is the usual greeting
        other_chat = driver.chat_id(32)
        driver.say(other_chat, driver.user_id(32), f"/start {code.lower()}")
        await arrived(driver, other_chat, 1)
        assert bot.store.get("telegram", other_chat).cell_name == "Chi bộ Thi Sơn"
        third = driver.chat_id(33)
        driver.say(third, driver.user_id(33), "/start KHONGCO")
        (hello,) = await arrived(driver, third, 1)
        assert "Chào đồng chí" in hello.text and bot.store.get("telegram", third) is None
        assert in_chat(driver, cells.kb[0]) == []
