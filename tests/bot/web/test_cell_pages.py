"""Chi bộ over HTTP: the committee's cells by name — a committee group's roster cells among them,
with every chat following each — renamed and merged into the chats' stored names and the rosters'
entries, an invitation code whose Telegram link (or the code typed) subscribes a new chat under the
cell's name, its QR code; scope and CSRF. And Tình hình: every chat that reaches a cell, on the
page and in the exported table."""

from __future__ import annotations

import csv
import io
import re

import pytest

from handlers.state import CellFollow, Subscription
from schedules.meetings import parse_rule
from schedules.plan_calendar import ItemRef
from tests.bot.drivers import TelegramDriver
from tests.bot.plans.test_committees import KB, KB_DUE, TV, arrived, in_chat
from tests.bot.web.site import browser_session, logged_in, login_link, running_site
from tests.marks import marked

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CODE = re.compile(r"https://t\.me/chibo_test_bot\?start=([A-Z0-9]{8})")


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


async def test_cells_are_listed_renamed_and_merged_within_the_committee(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)  # Huyện ủy Kim Bảng
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


GROUP_TITLE = "Bí thư các chi bộ Kim Bảng"


async def committee_group(bot, driver) -> str:
    """Kim Bảng's committee group: a roster holding Kim Bang 1 and 2 (also followed in their
    secretaries' private chats, 2 spelled otherwise) and Kim Bang 4, followed nowhere else, who
    has set a meeting day and marked the open deadline."""
    group = driver.chat_id(40, group=True)
    four = CellFollow(
        "Kim Bang 4",
        meeting_rule=parse_rule("ngày 5 hằng tháng"),
        done=marked(KB, KB_DUE, "Đồng chí Tư", "2022-11-29T08:00:00+07:00", "44"),
    )
    await bot.store.save(
        Subscription(
            driver.platform,
            group,
            (KB,),
            is_group=True,
            title=GROUP_TITLE,
            created_at="2022-11-01T08:00:00+07:00",
            roster=(CellFollow("Kim Bang 1"), CellFollow("Kim Bảng 2"), four),
        )
    )
    return group


async def test_roster_cells_are_listed_with_their_chats_and_renamed_everywhere(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        group = await committee_group(bot, driver)
        link = await login_link(driver, cells)
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/chi-bo") as r:
                page = await r.text()
            rows = {  # a row's cell name (its last word) → the row's words
                re.search(r"<strong>.* (\w+)</strong>", row).group(1): " ".join(
                    re.sub(r"<[^>]+>", " ", row).split()
                )
                for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
            }
            # one row per cell, its private chat and the committee group both named
            assert (
                "Telegram (chat riêng) Telegram (nhóm cấp ủy, Bí thư các chi bộ Kim Bảng)"
                in (rows["1"])
            )
            assert "cũng viết: Chi bộ Kim Bảng 2" in rows["2"]
            assert "Telegram (chat riêng)" not in rows["4"] and "nhóm cấp ủy" in rows["4"]
            assert page.count("<strong>Chi bộ Kim Bang 1</strong>") == 1
            token = CSRF.search(page).group(1)
            url = f"{base}/chi-bo/doi-ten"
            async with http.post(
                url, data={"csrf": token, "old": "Chi bộ Kim Bang 1", "new": "???"}
            ) as r:
                assert "không có chữ hay số nào để nhận ra chi bộ" in await r.text()
            async with http.post(
                url, data={"csrf": token, "old": "Chi bộ Kim Bang 1", "new": "Chi bộ Kim Bảng 1"}
            ) as r:
                assert "thành “Chi bộ Kim Bảng 1” cho 2 chat" in await r.text()
            assert bot.store.get("telegram", cells.kb[0]).cell_name == "Chi bộ Kim Bảng 1"
            roster = bot.store.get("telegram", group).roster
            assert [c.name for c in roster] == ["Kim Bảng 1", "Kim Bảng 2", "Kim Bang 4"]

            # Kim Bang 4 was Kim Bảng 1 written otherwise: one cell, its day and mark kept
            async with http.post(
                url, data={"csrf": token, "old": "Chi bộ Kim Bang 4", "new": "Chi bộ Kim Bảng 1"}
            ) as r:
                page = await r.text()
            assert "thành “Chi bộ Kim Bảng 1” cho 1 chat" in page
            assert "<strong>Chi bộ Kim Bang 4</strong>" not in page
            roster = bot.store.get("telegram", group).roster
            assert [c.name for c in roster] == ["Kim Bảng 1", "Kim Bảng 2"]
            one = roster[0]
            assert one.meeting_rule is not None and one.meeting_rule.describe().startswith("ngày 5")
            assert one.done[ItemRef(KB, KB_DUE)].by == "Đồng chí Tư"
            # upper up, two cells now, each reached through its private chat and the group
            async with http.get(f"{base}/tinh-hinh/{KB}") as r:
                status = await r.text()
            assert "2 chi bộ đang theo, qua 3 chat (1 nhóm)" in status


async def test_the_status_page_and_table_name_every_chat_reaching_a_cell(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        await committee_group(bot, driver)
        link = await login_link(driver, cells)
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/tinh-hinh/{KB}") as r:
                page = await r.text()
            assert "3 chi bộ đang theo, qua 3 chat (1 nhóm)" in page
            assert "<strong>2/3</strong> đã hoàn thành" in page
            missing = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", page)
            assert missing == [
                (
                    "Chi bộ Kim Bang 2",
                    "Telegram (chat riêng); Telegram (nhóm cấp ủy “Bí thư các chi bộ Kim Bảng”)",
                )
            ]
            async with http.get(f"{base}/tinh-hinh") as r:
                overview = await r.text()
            assert "<td>3</td><td>3 (1 nhóm)</td>" in overview
            async with http.get(f"{base}/tinh-hinh/{KB}/bang.csv") as r:
                table = list(csv.DictReader(io.StringIO((await r.read()).decode("utf-8-sig"))))
        rows = {r["Chi bộ"]: r for r in table if r["Mã việc"] == KB_DUE}
        assert set(rows) == {
            "Chi bộ Kim Bang 1",
            "Chi bộ Kim Bang 2",
            "Chi bộ Kim Bang 3",
            "Chi bộ Kim Bang 4",
        }
        two = rows["Chi bộ Kim Bang 2"]
        assert two["Nhận tin qua"] == f"qua chat riêng và nhóm cấp ủy “{GROUP_TITLE}”"
        assert two["Mã chat"] == f"{cells.kb[1]}, {driver.chat_id(40, group=True)}"
        assert two["Nhóm"] == "không, có" and two["Đã hoàn thành"] == "chưa"
        assert rows["Chi bộ Kim Bang 4"]["Nhận tin qua"] == f"qua nhóm cấp ủy “{GROUP_TITLE}”"
        assert rows["Chi bộ Kim Bang 4"]["Người đánh dấu"] == "Đồng chí Tư"
        assert rows["Chi bộ Kim Bang 3"]["Trạng thái chat"] == "đã chặn bot"
