"""Pushes end to end: the real PTB Application, the fake Bot API server, a simulated clock."""

import contextlib
from datetime import date, datetime, time, timedelta

import pytest

from bot.app import assemble
from bot.channels.outbox import PUSH_WINDOW, RateLimiter
from bot.clock import TZ, Clock
from bot.config import Config, TelegramConfig
from handlers import push_messages as render
from handlers.state import Subscription
from schedules import catalog
from schedules.meetings import MeetingRule
from schedules.plan_calendar import ItemRef
from schedules.pushes import Pause
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
    config = Config(TelegramConfig(TOKEN, fake.url), db_path=db)
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
        real_send, calls, answered, at_crash = bot.channel.outbox.send, [], [], []

        async def dying_send(chat_id, reply):
            calls.append(chat_id)
            nth = len(calls)  # several sends are on the wire together
            await real_send(chat_id, reply)  # Telegram has it …
            if nth == 12:
                at_crash.extend((len(calls), len(answered)))
                raise Crash()  # … and the process dies before writing that down
            answered.append(chat_id)

        bot.channel.outbox.send = dying_send
        with pytest.raises(Crash):
            await bot.scheduler.tick(at(date(2022, 8, 1)))
    # At the crash, never more than the window on the wire (the 12th among them). How many
    # reach the platform in all depends on the order answers come in: the chats already handed
    # to the outbox finish their sending, as after any error in a fan-out, and are journaled.
    started, finished = at_crash
    assert started - finished <= PUSH_WINDOW
    assert len(fake.sent) >= 12
    async with bot_on(fake, db) as bot:
        await bot.scheduler.tick(at(date(2022, 8, 1), "07:31"))
        await bot.scheduler.tick(at(date(2022, 8, 1), "07:32"))
    per_chat = {str(c): 0 for c in chats}
    for s in fake.sent:
        assert s.text.startswith("📚 Chủ đề sinh hoạt tháng 8/2022")
        per_chat[s.chat_id] += 1
    twice = [c for c, n in per_chat.items() if n == 2]
    assert min(per_chat.values()) == 1 and max(per_chat.values()) == 2  # all served, none lost
    assert calls[11] in twice and len(twice) <= PUSH_WINDOW  # only those in flight, again


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
            "📋 Từ 7:30 Chủ nhật, 31/7/2022 đến 9:00 Thứ Ba, 2/8/2022 có 2 nhắc việc chưa gửi "
            "tới được (bot tạm ngừng hoặc tin phải chờ), nay gửi gộp:"
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
        assert thanks.startswith("✅ Cảm ơn đồng chí! Đã ghi nhận hoàn thành “Báo cáo kết quả")
        record = bot.store.get("telegram", "501").done[ItemRef("kim-bang-35-2022", "bao-cao-dot-1")]
        assert record.by == "Đồng chí 501" and record.user_id == "501"
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


async def wish(bot, chat_id, text, now, callback=None):
    """The secretary writes (or presses), through the real conversation, at `now`."""
    from handlers.types import Incoming

    msg = Incoming("telegram", str(chat_id), str(chat_id), text=text, callback=callback)
    return await bot.conversation.handle(msg, now)


async def daily(bot, fake, first, last, hhmm="07:30"):
    """A tick at the reminder time every day; what each day's tick sent."""
    out = {}
    day = first
    while day <= last:
        before = len(fake.sent)
        await bot.scheduler.tick(at(day, hhmm))
        out[day] = [s.text for s in fake.sent[before:]]
        day += timedelta(days=1)
    return out


async def test_a_pause_holds_every_push_and_the_day_after_lists_what_it_held(fake, tmp_path):
    """Trà Vinh, meeting on the 3rd, through the whole plan period; on 25/8 after the reminder the
    secretary pauses until 3/9: nothing is pushed 26/8–3/9, and on 4/9 one message lists what was
    held (September's topics, the 5/9 meeting) with that day's own reminder; nothing else moves."""
    async with bot_on(fake, tmp_path / "db.json") as bot:
        since = at(date(2022, 4, 30), "00:00")
        sub = await subscribe(bot, 42, ["tra-vinh-60-2022"], since, meeting_rule=MeetingRule(day=3))
        await bot.scheduler.tick(since)
        unpaused = bot.scheduler.due([sub], since, at(date(2022, 11, 30), "23:59"))
        sent = await daily(bot, fake, date(2022, 5, 1), date(2022, 8, 25))
        confirm = (await wish(bot, 42, "tạm ngưng nhắc đến 3/9", at(date(2022, 8, 25), "08:00")))[0]
        assert "Tạm dừng nhắc từ Thứ Sáu, 26/8/2022 đến hết Thứ Bảy, 3/9/2022" in confirm.text
        assert bot.store.get("telegram", "42").pause is None  # not before ✅ Lưu
        await wish(bot, 42, "", at(date(2022, 8, 25), "08:01"), callback="set:save")
        paused = bot.store.get("telegram", "42")
        assert paused.pause == Pause(date(2022, 8, 26), date(2022, 9, 3))
        sent |= await daily(bot, fake, date(2022, 8, 26), date(2022, 11, 30))
    held = [p for p in unpaused if date(2022, 8, 26) <= p.at.date() <= date(2022, 9, 3)]
    assert [(p.at.date(), p.kind.value) for p in held] == [
        (date(2022, 9, 1), "topics"),
        (date(2022, 9, 2), "meeting"),
    ]
    assert all(sent[d] == [] for d in (date(2022, 8, 26) + timedelta(days=i) for i in range(9)))
    (back,) = sent[date(2022, 9, 4)]
    assert back.startswith("🗓 Ngày mai (Thứ Hai, 5/9/2022) chi bộ sinh hoạt định kỳ.")
    assert "🔔 Nhắc việc đã bật lại. Trong thời gian tạm dừng (26/8/2022–3/9/2022)" in back
    for p in held:  # nothing lost silently
        assert render.brief(p) in back
    assert "Thứ Hai, 5/9/2022 (ngày mai)" in back
    # every other day of the period got exactly what it would have without the pause
    others = {p.at.date() for p in unpaused} - {p.at.date() for p in held} - {date(2022, 9, 4)}
    assert {d for d, texts in sent.items() if texts} == others | {date(2022, 9, 4)}


async def test_muted_until_turned_back_on_then_what_is_still_due_comes_first(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await subscribe(bot, 501, ["kim-bang-35-2022"], at(date(2022, 6, 1), "00:00"))
        await bot.scheduler.tick(at(date(2022, 6, 1), "07:00"))
        replies = await wish(bot, 501, "đừng nhắc nữa", at(date(2022, 6, 1), "07:10"))
        assert replies[0].text.startswith("Xác nhận thay đổi:\nTắt nhắc: từ Thứ Tư, 1/6/2022")
        await wish(bot, 501, "", at(date(2022, 6, 1), "07:11"), callback="set:save")
        sent = await daily(bot, fake, date(2022, 6, 1), date(2022, 6, 12))
        assert not any(sent.values())  # 7/6 and 11/6 (bao-cao-dot-1: 7 and 3 days) held
        listing = await wish(bot, 501, "/lichnhac", at(date(2022, 6, 12), "08:00"))
        assert listing[0].text.startswith("🔕 Nhắc việc đang tắt")
        replies = await wish(bot, 501, "nhắc lại đi", at(date(2022, 6, 12), "09:00"))
        assert "Bật nhắc lại: từ Thứ Hai, 13/6/2022" in replies[0].text
        await wish(bot, 501, "", at(date(2022, 6, 12), "09:01"), callback="set:save")
        sent = await daily(bot, fake, date(2022, 6, 13), date(2022, 12, 31))
    first = sent[date(2022, 6, 13)]
    assert len(first) == 1
    assert first[0].startswith("⏰ Còn 1 ngày: Báo cáo kết quả đợt sinh hoạt chính trị")
    assert "🔔 Nhắc việc đã bật lại. Trong thời gian tạm dừng (1/6/2022–12/6/2022)" in first[0]
    assert "hạn cuối Thứ Ba, 14/6/2022 (ngày mai)" in first[0]
    days_sent = sorted(d for d, texts in sent.items() if texts)
    assert days_sent == [
        date(2022, 6, 13),
        date(2022, 6, 14),
        *(date(2022, 12, d) for d in (7, 11, 13, 14)),
    ]


@pytest.mark.parametrize(
    "until, expected",
    [
        ("hour", [(datetime(2022, 6, 7, 9, 5, tzinfo=TZ), "Còn 7 ngày")]),
        ("day", [(at(date(2022, 6, 8)), "Còn 6 ngày")]),
        ("week", []),  # Monday 13/6 reminds it anyway ("Còn 1 ngày"): not twice
    ],
)
async def test_a_snoozed_reminder_comes_back_once_when_asked(fake, tmp_path, until, expected):
    """Kim Bang's first report (last day 14/6), pressed 💤 under its 7-day reminder."""
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await subscribe(bot, 501, ["kim-bang-35-2022"], at(date(2022, 6, 1), "00:00"))
        await bot.scheduler.tick(at(date(2022, 6, 1)))
        await bot.scheduler.tick(at(date(2022, 6, 7)))
        (reminder,) = fake.sent
        data = f"snz:{until}:202206070730"
        assert data in reminder.buttons
        (ok,) = await wish(bot, 501, "", datetime(2022, 6, 7, 8, 5, tzinfo=TZ), callback=data)
        assert ok.text.startswith("💤 Được, tôi sẽ gửi lại tin nhắc lúc 7:30 Thứ Ba, 7/6/2022 vào")
        got = []
        moments = sorted(
            {at(date(2022, 6, d), hhmm) for d in range(7, 21) for hhmm in ("07:30", "09:04")}
            | {datetime(2022, 6, 7, 9, m, tzinfo=TZ) for m in (5, 6)}
        )
        for moment in moments[1:]:
            before = len(fake.sent)
            await bot.scheduler.tick(moment)
            got += [(moment, s.text.split(":", 1)[0][2:]) for s in fake.sent[before:]]
    regular = [
        (at(date(2022, 6, 11)), "Còn 3 ngày"),
        (at(date(2022, 6, 13)), "Còn 1 ngày"),
        (at(date(2022, 6, 14)), "Hôm nay là ngày cuối"),
    ]
    assert got == sorted(expected + regular)  # the snoozed one once, at the time asked


async def test_a_chat_left_behind_gets_the_rest_later_and_nothing_it_already_had(fake, tmp_path):
    failing = True
    original = fake.api_sendMessage

    async def refuse_august_topics(params, request=None):
        if failing and "📚 Chủ đề sinh hoạt tháng 8/2022" in params["text"]:
            return fake.error(502, "Bad Gateway")
        return await original(params, request)

    fake.api_sendMessage = refuse_august_topics
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await subscribe(
            bot,
            9,
            ["tra-vinh-60-2022"],
            at(date(2022, 7, 1), "00:00"),
            meeting_rule=MeetingRule(day=3),
        )
        bot.scheduler.grace = timedelta(hours=72)  # each morning its own message, none summarised
        await bot.scheduler.tick(at(date(2022, 7, 30)))
        # three mornings at once (31/7, 1/8, 2/8): the first goes, the second keeps failing
        report = await bot.scheduler.tick(at(date(2022, 8, 2), "08:00"))
        assert report.behind == ["telegram:9"]
        assert [s.text[:40] for s in fake.sent] == [fake.sent[0].text[:40]]
        failing = False
        await bot.scheduler.tick(at(date(2022, 8, 2), "08:01"))
    texts = [s.text for s in fake.sent]
    assert len(texts) == 3  # 31/7 once, then 1/8 and 2/8 in order
    assert texts[0].startswith("🗓 Còn 3 ngày đến kỳ sinh hoạt chi bộ (Thứ Tư, 3/8/2022).")
    assert "📚 Chủ đề sinh hoạt tháng 8/2022" in texts[1]
    assert texts.count(texts[0]) == 1  # what it already had is not sent again


def test_the_rate_limiter_keeps_no_window_for_a_chat_it_only_looked_at_or_that_went_quiet():
    t = [0.0]
    limiter = RateLimiter(now=lambda: t[0])
    assert limiter.chat_wait("1", is_group=True) == 0.0
    assert not limiter._per_chat and not limiter._per_group  # looking created nothing
    limiter.record("1", is_group=True)
    assert limiter.chat_wait("1", is_group=True) == 1.0  # 1 message a second per chat
    t[0] = 61.0  # past both the chat's second and the group's minute
    assert limiter.chat_wait("1", is_group=True) == 0.0
    assert not limiter._per_chat and not limiter._per_group  # a chat gone quiet holds nothing


async def test_a_committee_group_after_downtime_is_told_each_push_once_and_resumes_in_one(
    fake, tmp_path
):
    """A roster's cells each get the same pushes: after a downtime the summary says each once,
    and the next minute's message is one for the whole group, crash-safe per cell."""
    from handlers.state import CellFollow

    cells = tuple(CellFollow(n) for n in ("Tân Phúc Thành 3", "Đông Yên", "Hải Phong"))
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await subscribe(
            bot, -19, ["ky-loi-2022"], at(date(2022, 8, 1), "00:00"), is_group=True, roster=cells
        )
        await bot.scheduler.tick(at(date(2022, 8, 15)))
        # down from 15/8 until 23/8 09:00: 17/8 and 21/8 are past the grace, 23/8 07:30 is not
        await bot.scheduler.tick(at(date(2022, 8, 23), "09:00"))
        summary, late = fake.sent[-2].text, fake.sent[-1].text
        assert len(fake.sent) == 2
        assert " có 2 nhắc việc chưa gửi tới được (bot tạm ngừng hoặc tin phải chờ)" in summary
        assert summary.count("Gửi kế hoạch tổ chức sinh hoạt chuyên đề") == 2  # not once a cell
        assert late.startswith("⏰ Còn 1 ngày: Gửi kế hoạch tổ chức sinh hoạt chuyên đề")
        assert "Chưa đánh dấu xong (3 chi bộ): Chi bộ Tân Phúc Thành 3, Chi bộ Đông Yên, " in late
        await bot.scheduler.tick(at(date(2022, 8, 23), "10:00"))  # nothing sent twice
        await bot.scheduler.tick(at(date(2022, 8, 24)))
        assert len(fake.sent) == 3 and fake.sent[-1].text.startswith("⏰ Hôm nay là ngày cuối")
