"""Calendar feeds: /lich in chat gives a private address (and the file on Telegram), the feed is a
valid iCalendar every event of which survives a round trip, UIDs stay and SEQUENCE goes up on a
change, a new address revokes the old; a committee's feed from the page; `chibo web link`."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from schedules.meetings import MeetingRule
from tests.bot.drivers import TelegramDriver
from tests.bot.plans.test_committees import KB, TV, last
from tests.bot.processes import start_chibo
from tests.bot.web.site import browser_session, logged_in, login_link, running_site

FEED = re.compile(r"http://\S+/lich/\S+\.ics")


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


def parsed(data: bytes) -> Calendar:
    cal = Calendar.from_ical(data)
    for event in cal.walk("VEVENT"):  # every event survives a round trip
        again = Calendar.from_ical(event.to_ical())
        assert again.to_ical() == event.to_ical()
    assert Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()
    return cal


async def test_a_cells_feed_holds_its_meetings_deadlines_alarms_and_topics(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        chat = cells.kb[1]
        sub = bot.store.get("telegram", chat)
        await bot.store.save(sub.but(meeting_rule=MeetingRule(day=5, at="19:30"), lead_days=(3, 1)))
        (text, document) = await last(driver, chat, chat, "/lich", count=2)
        url = FEED.search(text.text).group(0)
        assert "Google Calendar" in text.text
        assert document.raw.params.get("document") is not None or document.text == ""
        async with browser_session() as http, http.get(url) as r:
            assert r.status == 200 and r.headers["Content-Type"].startswith("text/calendar")
            data = await r.read()
        cal = parsed(data)
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
        events = cal.walk("VEVENT")
        uids = [str(e["UID"]) for e in events]
        assert len(uids) == len(set(uids))
        titles = [str(e["SUMMARY"]) for e in events]
        meetings = [e for e in events if str(e["SUMMARY"]).startswith("Họp chi bộ")]
        assert meetings
        first = meetings[0]["DTSTART"].dt
        assert (first.hour, first.minute) == (19, 30) and str(first.tzinfo) == "Asia/Ho_Chi_Minh"
        deadline = next(e for e in events if "bao-cao-dot-2" in str(e["UID"]))
        assert deadline["DTSTART"].dt == date(2022, 12, 14)
        alarms = [a["TRIGGER"].dt for a in deadline.walk("VALARM")]
        assert alarms == [
            timedelta(days=-3, hours=7, minutes=30),
            timedelta(days=-1, hours=7, minutes=30),
        ]
        assert any(t.startswith("Hạn: ") for t in titles)
        plan = bot.conversation.catalog.get(KB)
        if plan.topics:
            assert any(t.startswith("Chuyên đề tháng") for t in titles)
        assert all(e["SEQUENCE"] == 0 for e in events)

        # the chat moves a meeting: same UID, SEQUENCE 1
        moved = meetings[0]
        y, m = moved["DTSTART"].dt.year, moved["DTSTART"].dt.month
        sub = bot.store.get("telegram", chat)
        await bot.store.save(sub.with_meeting_on(date(y, m, 20), "08:00"))
        async with browser_session() as http, http.get(url) as r:
            again = parsed(await r.read())
        changed = {str(e["UID"]): e for e in again.walk("VEVENT")}
        assert changed[str(moved["UID"])]["SEQUENCE"] == 1
        assert changed[str(moved["UID"])]["DTSTART"].dt.day == 20
        assert sorted(changed) == sorted(uids)

        # a new address revokes the old one
        (renewed, _) = await last(driver, chat, chat, "/lich moi", count=2)
        new_url = FEED.search(renewed.text).group(0)
        assert new_url != url and "địa chỉ cũ thôi dùng được" in renewed.text
        async with browser_session() as http:
            async with http.get(url) as r:
                assert r.status == 404
            async with http.get(new_url) as r:
                assert r.status == 200


async def test_a_chat_without_a_plan_has_no_calendar(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        (reply,) = await last(driver, driver.chat_id(77), driver.user_id(77), "/lich")
        assert "chưa theo kế hoạch nào" in reply.text


async def test_a_committees_feed_from_the_page(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells)
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/lich") as r:
                page = await r.text()
            url = FEED.search(page).group(0)
            assert "Huyện ủy Kim Bảng" in page
            async with http.get(url) as r:
                cal = parsed(await r.read())
            uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
            assert uids and all(KB in u for u in uids) and not any(TV in u for u in uids)
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            async with http.post(
                f"{base}/lich/moi", data={"csrf": token, "owner": "dang-uy-khoi-tra-vinh"}
            ) as r:
                assert r.status == 403  # not their committee
            async with http.post(
                f"{base}/lich/moi", data={"csrf": token, "owner": "huyen-uy-kim-bang"}
            ) as r:
                assert r.status == 200 and url not in await r.text()
            async with http.get(url) as r:
                assert r.status == 404


async def run_chibo(*args: str, port: str) -> tuple[int, str, str]:
    process = await start_chibo(
        *args, stdout=asyncio.subprocess.PIPE, CHIBO_NOW="2022-12-01T08:00", CHIBO_WEB_PORT=port
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


async def test_chibo_web_link_prints_a_link_the_running_bot_accepts(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        plans = tmp_path / "plans"
        env = tmp_path / ".env"
        port = base.rsplit(":", 1)[1]
        env.write_text(
            f"CHIBO_DB={tmp_path / 'db.json'}\nCHIBO_PLANS_DIR={plans}\n",
            encoding="utf-8",
        )
        code, _, err = await run_chibo(
            "web", "link", "--as", "telegram:5", "--env", str(env), port=port
        )
        assert code == 2 and "không phải cán bộ quản trị" in err
        code, out, err = await run_chibo(
            "web", "link", "--as", f"telegram:{cells.ua}", "--env", str(env), port=port
        )
        assert code == 0, err
        link = out.strip()
        assert link.startswith(f"{base}/dang-nhap/")
        async with browser_session() as http:
            await logged_in(http, link)
            async with http.get(f"{base}/tinh-hinh") as r:
                assert r.status == 200 and KB in await r.text()
