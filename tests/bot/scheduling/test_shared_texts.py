"""A tick renders what all chats of a plan share once (handlers.push_messages.Renders) and fills in what
is each chat's own: two chats must never get each other's text. The real PTB Application, the
fake Bot API server, a simulated clock; assertions on what each chat receives."""

from datetime import date

from handlers.state import Subscription
from schedules.meetings import MeetingRule
from tests.bot.scheduling.test_due_buckets import PLAN, at, bot_on

SUBSCRIBED = at(date(2022, 9, 30), "00:00")


def chat(chat_id: int, **settings) -> Subscription:
    return Subscription(
        "telegram", str(chat_id), (PLAN,), created_at=SUBSCRIBED.isoformat(), **settings
    )


def texts_of(fake, chat_id: int) -> str:
    return "\n\n".join(s.text for s in fake.sent if s.chat_id == str(chat_id))


async def test_chats_pushed_alike_the_same_minute_still_read_their_own_meeting_and_pin(
    fake, tmp_path
):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        for sub in (
            chat(1, meeting_rule=MeetingRule(day=4, at="07:30")),
            chat(2, meeting_rule=MeetingRule(day=4, at="19:30")),
            chat(3, meeting_rule=MeetingRule(weekday=1, nth=1, at="19:30")),  # Tuesday 4/10 too
            chat(4, meeting_rule=MeetingRule(day=2, shift_off_days=False)),
            chat(-1004, is_group=True, meeting_rule=MeetingRule(day=4, at="07:30")),
        ):
            await bot.store.save(sub)
        await bot.scheduler.tick(at(date(2022, 9, 30)))
        await bot.scheduler.tick(at(date(2022, 10, 1)))
    meeting = "Còn 3 ngày đến kỳ sinh hoạt chi bộ (Thứ Ba, 4/10/2022 lúc {})"
    assert meeting.format("7:30") in texts_of(fake, 1)
    assert "19:30" not in texts_of(fake, 1)
    for evening in (2, 3):
        assert meeting.format("19:30") in texts_of(fake, evening)
        assert "lúc 7:30" not in texts_of(fake, evening)
    assert "Ngày mai (Chủ nhật, 2/10/2022) chi bộ sinh hoạt định kỳ." in texts_of(fake, 4)
    assert meeting.format("7:30") in texts_of(fake, -1004)
    # the same month's topics for all five, pinned in the group only
    assert all(
        texts_of(fake, c).startswith("📚 Chủ đề sinh hoạt tháng 10/2022")
        for c in (1, 2, 3, 4, -1004)
    )
    pinned = [str(p["chat_id"]) for m, p in fake.calls if m == "pinChatMessage"]
    assert pinned == ["-1004"]


def ky_loi(chat_id: int, name: str, session: str) -> Subscription:
    return Subscription(
        "telegram",
        str(chat_id),
        ("ky-loi-2022",),
        cell_name=name,
        cell_dates={"hoi-nghi-chuyen-de": session},
        created_at=at(date(2022, 9, 1), "00:00").isoformat(),
    )


async def test_cells_whose_own_name_or_dates_differ_read_their_own_deadlines(fake, tmp_path):
    async with bot_on(fake, tmp_path / "db.json") as bot:
        await bot.store.save(ky_loi(1, "Chi bộ Tân Phúc Thành 3", "2022-09-16"))  # the pilot
        await bot.store.save(ky_loi(2, "Chi bộ Ấp Chợ", "2022-09-16"))
        await bot.store.save(ky_loi(3, "Chi bộ Ấp Đình", "2022-09-20"))
        await bot.scheduler.tick(at(date(2022, 9, 5)))
        await bot.scheduler.tick(at(date(2022, 9, 6)))
        pilot = "⏰ Còn 3 ngày: Sinh hoạt chuyên đề điểm để rút kinh nghiệm"
        assert pilot in texts_of(fake, 1)
        assert pilot not in texts_of(fake, 2) + texts_of(fake, 3)
        before = len(fake.sent)
        await bot.scheduler.tick(at(date(2022, 9, 8)))
    # the report is due 5 days before each cell's own session: 11/9 for one, 15/9 for the other
    report = "Gửi báo cáo chuyên đề “Tự soi, tự sửa” đã hoàn thành"
    on_8 = {s.chat_id: s.text for s in fake.sent[before:]}
    assert f"⏰ Còn 3 ngày: {report}" in on_8["2"] and "11/9/2022" in on_8["2"]
    assert f"⏰ Còn 7 ngày: {report}" in on_8["3"] and "15/9/2022" in on_8["3"]
    assert "11/9/2022" not in on_8["3"]
