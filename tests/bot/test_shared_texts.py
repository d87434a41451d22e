"""A tick renders what all chats of a plan share once (handlers.pushes.Renders) and fills in what
is each chat's own: two chats must never get each other's text. The real PTB Application, the
fake Bot API server, a simulated clock; assertions on what each chat receives."""

from datetime import date

from handlers.state import Subscription
from schedules.meetings import MeetingRule
from tests.bot.test_due_buckets import PLAN, at, bot_on

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
