"""Pushes end to end: the real PTB Application, the fake Bot API server, a simulated clock."""

import contextlib
from datetime import date, datetime, time, timedelta

import pytest

from bot.app import assemble
from bot.clock import TZ, Clock
from bot.config import Config
from bot.outbox import RateLimiter
from handlers import pushes as render
from handlers.state import Subscription
from schedules import catalog
from schedules.meetings import MeetingRule
from tests.bot.fake_telegram import private
from tests.bot.harness import serving
from tests.bot.sim import SimTime

TOKEN = "123456:" + "B" * 35
CAT = catalog.load()


class Crash(BaseException):
    """The process dies: nothing after it runs, not even `finally` bookkeeping of the tick."""


@contextlib.asynccontextmanager
async def bot_on(fake, db, sim=None, polling=False):
    sim = sim or SimTime()
    config = Config(token=TOKEN, api_base_url=fake.url, db_path=db)
    bot = assemble(
        config,
        CAT,
        Clock(datetime(2022, 1, 1, tzinfo=TZ)),
        RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    bot.channel.poll_timeout = 1
    async with serving(bot, receive=polling):
        yield bot


def at(day: date, hhmm: str = "07:30") -> datetime:
    h, m = hhmm.split(":")
    return datetime.combine(day, time(int(h), int(m)), TZ)


async def subscribe(bot, chat_id, plans, since, **settings):
    sub = Subscription(
        "telegram", str(chat_id), tuple(plans), created_at=since.isoformat(), **settings
    )
    await bot.store.save(sub)
    return sub


PERIODS = {  # plan: (cell settings, first day, last day, pushes expected over the period)
    "tra-vinh-60-2022": (
        {"meeting_rule": MeetingRule(day=3)},
        date(2022, 4, 1),
        date(2022, 11, 30),
        40,  # April's meeting predates the plan (18/4); the quarters' ends are reminded
    ),
    "kim-bang-35-2022": ({}, date(2022, 4, 1), date(2022, 12, 31), 9),
    "thai-nguyen-49-2022": ({}, date(2022, 2, 19), date(2022, 12, 31), 21),
    "nq21-huyen-2022": ({}, date(2022, 10, 1), date(2023, 1, 2), 7),
    "ky-loi-2022": (
        {
            "cell_name": "Chi bộ Tân Phúc Thành 3",
            "cell_dates": {"hoi-nghi-chuyen-de": "2022-09-08"},
        },
        date(2022, 8, 1),
        date(2022, 9, 30),
        13,  # the session itself (5/9, 7/9, 8/9) instead of the deadline it holds on 8/9, 9/9
    ),
}


@pytest.mark.parametrize("plan_id", sorted(PERIODS))
async def test_a_cell_through_the_whole_period_gets_every_push_once_on_time(
    fake, tmp_path, plan_id
):
    settings, first, last, count = PERIODS[plan_id]
    async with bot_on(fake, tmp_path / "db.json") as bot:
        since = at(first - timedelta(days=1), "00:00")
        sub = await subscribe(bot, 42, [plan_id], since, **settings)
        await bot.scheduler.tick(since)  # the first tick ever only sets the watermark
        expected = bot.scheduler.due([sub], since, at(last, "23:59"))
        assert len(expected) == count
        got = []
        day = first
        while day <= last:
            for moment in (at(day, "07:00"), at(day), at(day, "18:00")):  # ticks before, at, after
                before = len(fake.sent)
                await bot.scheduler.tick(moment)
                got += [(moment, s.text) for s in fake.sent[before:]]
            day += timedelta(days=1)
        by_minute: dict[datetime, list] = {}
        for p in expected:
            by_minute.setdefault(p.at, []).append(p)
        # one message a minute with something due, at 07:30 of its day, in order, nothing else …
        assert [moment for moment, _ in got] == sorted(by_minute)
        for moment, text in got:  # … holding each push due then, once
            for p in by_minute[moment]:
                assert text.count(render.render(p, sub).text) == 1
        assert all(s.chat_id == "42" for s in fake.sent)


async def test_kill_and_restart_in_the_middle_of_a_fan_out(fake, tmp_path):
    db = tmp_path / "db.json"
    chats = range(1001, 1031)
    async with bot_on(fake, db) as bot:
        for c in chats:
            await subscribe(bot, c, ["tra-vinh-60-2022"], at(date(2022, 7, 30), "00:00"))
        await bot.scheduler.tick(at(date(2022, 7, 31), "08:00"))
        real_send, calls = bot.channel.outbox.send, []

        async def dying_send(chat_id, reply):
            calls.append(chat_id)
            await real_send(chat_id, reply)  # Telegram has it …
            if len(calls) == 12:
                raise Crash()  # … and the process dies before writing that down

        bot.channel.outbox.send = dying_send
        with pytest.raises(Crash):
            await bot.scheduler.tick(at(date(2022, 8, 1)))
    assert len(fake.sent) == 12
    async with bot_on(fake, db) as bot:
        await bot.scheduler.tick(at(date(2022, 8, 1), "07:31"))
        await bot.scheduler.tick(at(date(2022, 8, 1), "07:32"))
    per_chat = {str(c): 0 for c in chats}
    for s in fake.sent:
        assert s.text.startswith("📚 Chủ đề sinh hoạt tháng 8/2022")
        per_chat[s.chat_id] += 1
    assert sorted(per_chat.values()) == [1] * 29 + [2]  # all served; only the one in flight twice
    assert per_chat[calls[-1]] == 2


async def test_restart_after_a_day_of_downtime_is_late_not_lost_and_not_a_flood(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await subscribe(
            bot,
            7,
            ["tra-vinh-60-2022"],
            at(date(2022, 7, 1), "00:00"),
            meeting_rule=MeetingRule(day=3),
        )
        await bot.scheduler.tick(at(date(2022, 7, 30)))
        # down from 30/7 until 2/8 09:00: 31/7 and 1/8 are past the 24 h grace, 2/8 07:30 is not
        await bot.scheduler.tick(at(date(2022, 8, 2), "09:00"))
        summary, late = fake.sent[-2].text, fake.sent[-1].text
        assert len(fake.sent) == 2
        assert summary.startswith(
            "📋 Bot tạm ngừng từ 7:30 Chủ nhật, 31/7/2022 đến 9:00 Thứ Ba, 2/8/2022. "
            "Trong thời gian đó có 2 nhắc việc:"
        )
        assert "• 31/7/2022: 🗓 Còn 3 ngày đến kỳ sinh hoạt chi bộ (Thứ Tư, 3/8/2022)." in summary
        assert "• 1/8/2022: 📚 Chủ đề sinh hoạt tháng 8/2022" in summary
        assert late.startswith("🗓 Ngày mai (Thứ Tư, 3/8/2022) chi bộ sinh hoạt định kỳ.")
        assert late.endswith("(Nhắc muộn: lẽ ra gửi lúc 7:30 Thứ Ba, 2/8/2022.)")
        await bot.scheduler.tick(at(date(2022, 8, 3)))
        assert fake.sent[-1].text.startswith(
            "🗓 Hôm nay (Thứ Tư, 3/8/2022) chi bộ sinh hoạt định kỳ."
        )
        assert len(fake.sent) == 3


async def test_a_429_storm_is_honoured_and_nothing_is_lost_or_doubled(fake, tmp_path):
    sim = SimTime()
    fake.now = sim.now
    fake.flood_limit, fake.retry_after = (5, 1.0), 2
    async with bot_on(fake, tmp_path / "db.json", sim) as bot:
        for c in range(2001, 2041):
            await subscribe(bot, c, ["tra-vinh-60-2022"], at(date(2022, 7, 30), "00:00"))
        await bot.scheduler.tick(at(date(2022, 7, 31)))
        report = await bot.scheduler.tick(at(date(2022, 8, 1)))
        stats = bot.channel.outbox.stats
    assert report.sent == 40 and report.behind == []
    assert sorted(s.chat_id for s in fake.sent) == [str(c) for c in range(2001, 2041)]
    assert fake.too_many > 0 and stats.rate_limited == fake.too_many and stats.failed == 0
    assert sim.slept >= fake.retry_after  # waited, in simulated time, as Telegram asked


async def test_a_blocked_chat_is_marked_inactive_and_not_retried(fake, tmp_path):
    fake.blocked.add("3001")
    async with bot_on(fake, tmp_path / "db.json") as bot:
        for c in (3001, 3002):
            await subscribe(
                bot,
                c,
                ["tra-vinh-60-2022"],
                at(date(2022, 7, 30), "00:00"),
                meeting_rule=MeetingRule(day=3),
            )
        await bot.scheduler.tick(at(date(2022, 7, 30)))
        for day in (date(2022, 7, 31), date(2022, 8, 1), date(2022, 8, 2)):
            await bot.scheduler.tick(at(day))
        assert bot.store.get("telegram", "3001").active is False
    attempts = [p for m, p in fake.calls if m == "sendMessage" and str(p["chat_id"]) == "3001"]
    assert len(attempts) == 1
    assert len([s for s in fake.sent if s.chat_id == "3002"]) == 3


async def test_a_migrated_group_keeps_its_subscription_and_gets_its_push(fake, tmp_path):
    fake.migrated["-555"] = -100555
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await subscribe(
            bot,
            -555,
            ["tra-vinh-60-2022"],
            at(date(2022, 7, 30), "00:00"),
            is_group=True,
            meeting_rule=MeetingRule(day=3),
        )
        await bot.scheduler.tick(at(date(2022, 7, 30)))
        await bot.scheduler.tick(at(date(2022, 7, 31)))
        await bot.scheduler.tick(at(date(2022, 8, 1)))
        assert bot.store.get("telegram", "-555") is None
        assert bot.store.get("telegram", "-100555").plan_ids == ("tra-vinh-60-2022",)
    assert [s.chat_id for s in fake.sent] == ["-100555", "-100555"]
    assert fake.sent[1].text.startswith("📚 Chủ đề sinh hoạt tháng 8/2022")
    assert any(
        m == "pinChatMessage" for m, _ in fake.calls
    )  # the month's topics, pinned in the group
    to_old = [p for m, p in fake.calls if m == "sendMessage" and str(p["chat_id"]) == "-555"]
    assert len(to_old) == 1


async def test_an_acknowledged_deadline_stops_its_reminders(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json", polling=True) as bot:
        await subscribe(bot, 501, ["kim-bang-35-2022"], at(date(2022, 6, 1), "00:00"))
        await bot.scheduler.tick(at(date(2022, 6, 1)))
        await bot.scheduler.tick(at(date(2022, 6, 7)))
        reminder = fake.sent[-1]
        assert reminder.text.startswith("⏰ Còn 7 ngày: Báo cáo kết quả đợt sinh hoạt chính trị")
        assert reminder.buttons == [
            "done:kim-bang-35-2022:bao-cao-dot-1",
            *(f"snz:{until}:202206070730" for until in ("hour", "day", "week")),
        ]
        fake.press(private(501), 501, reminder, "done:kim-bang-35-2022:bao-cao-dot-1")
        thanks = (await fake.wait_sent(2))[-1].text
        assert thanks.startswith(
            "✅ Cảm ơn đồng chí Đồng chí 501! Đã ghi nhận hoàn thành “Báo cáo kết quả"
        )
        record = bot.store.get("telegram", "501").done["kim-bang-35-2022|bao-cao-dot-1"]
        assert record["by"] == "Đồng chí 501" and record["user_id"] == "501"
        for day in (date(2022, 6, 11), date(2022, 6, 13), date(2022, 6, 14)):
            await bot.scheduler.tick(at(day))
        assert len(fake.sent) == 2  # no more reminders of that deadline


async def test_pushes_folded_into_one_message_lead_with_the_months_topics(fake, tmp_path):
    """Meeting on the 4th: its 3-day reminder falls on the 1st with the month's topics. One
    message, the topics first (through the whole period: every month where they meet)."""
    async with bot_on(fake, tmp_path / "db.json") as bot:
        since = at(date(2022, 4, 30), "00:00")
        await subscribe(bot, 77, ["tra-vinh-60-2022"], since, meeting_rule=MeetingRule(day=4))
        await bot.scheduler.tick(since)
        day = date(2022, 5, 1)
        while day <= date(2022, 11, 30):
            await bot.scheduler.tick(at(day))
            day += timedelta(days=1)
    firsts = [s for s in fake.sent if "📚 Chủ đề sinh hoạt" in s.text]
    assert len(firsts) == 7
    folded = [s for s in firsts if "🗓 Còn 3 ngày đến kỳ sinh hoạt chi bộ" in s.text]
    assert len(folded) == 5  # May, July, August, October, November (not 6/6, 5/9: moved)
    assert all(s.text.startswith("📚 Chủ đề sinh hoạt tháng ") for s in firsts)
