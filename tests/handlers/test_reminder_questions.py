"""Questions about the reminders, and wishes said beside a reason, through the real
Conversation: a question about how they are set is answered and changes nothing; a wish in one
clause is the message, whatever topic word or hour its reason clause carries. Also the month's
study asked in Central Vietnamese or with an English month name, as the standard words ask it."""

from datetime import datetime

import pytest

from bot.clock import TZ
from handlers.state import Subscription
from schedules import meetings
from tests.handlers.test_reminder_wishes import SAVE, _saved, ask, buttons

NOW = datetime(2022, 6, 2, 10, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    "text",
    [
        "bot nhắc lúc mấy giờ thế?",
        "hiện bot dang nhac vao may gio",
        "giờ nhắc là mấy giờ vậy ad",
        "trợ lý đang nhắc thế nào, mình quên rồi",
    ],
)
async def test_a_question_about_how_reminders_are_set_is_answered_and_changes_nothing(text):
    sub = Subscription("test", "1", ("tra-vinh-60-2022",), reminder_time="18:15", lead_days=(3, 1))
    replies, store, _ = await ask(sub, text, NOW)
    said = replies[0].text
    assert "18:15" in said and "3 ngày, 1 ngày" in said and "đang bật" in said, said
    assert SAVE not in buttons(replies) and "Xác nhận" not in said
    after = store.get("test", "1")
    assert after.reminder_time == "18:15" and after.lead_days == (3, 1) and after.pause is None


async def test_a_stop_wish_beside_a_stop_word_lookalike_is_still_a_stop():
    # "đừng" and "đang" are one letter apart: each is its own word, never the other's typo
    text, after = await _saved("đừng nhắc trong nhóm này nữa nhé", NOW)
    assert "Tắt nhắc" in text and after.pause is not None


@pytest.mark.parametrize(
    "wish",
    [
        "tắt nhắc việc giúp mình, cả chi bộ đang viết bài thu hoạch",
        "tạm dừng nhắc 1 tuần, anh em bận thu hoạch lúa",
    ],
)
async def test_a_pause_wish_wins_over_a_topic_word_in_its_reason(wish):
    text, after = await _saved(wish, NOW)
    assert "thu hoạch" not in text and ("Tắt nhắc" in text or "Tạm dừng" in text), text
    assert after.pause is not None and after.pause.start > NOW.date()


@pytest.mark.parametrize(
    ("wish", "hour"),
    [
        ("cho nhắc lúc 6h chiều nhé, 8h tối tôi ngủ rồi", "18:00"),
        ("nhắc 6 giờ sáng đi, 7 giờ là tôi đã đi làm", "06:00"),
    ],
)
async def test_the_hour_wished_not_the_hour_in_the_reason_is_saved(wish, hour):
    text, after = await _saved(wish, NOW)
    assert f"Giờ nhắc: {hour.lstrip('0')}" in text, text
    assert after.reminder_time == hour


async def test_what_will_be_pushed_reaches_the_next_push_when_the_week_is_quiet():
    sub = Subscription("test", "1", ("kim-bang-35-2022",))
    quiet = datetime(2022, 11, 20, 9, 0, tzinfo=TZ)
    replies, _, _ = await ask(sub, "sắp tới trợ lý sẽ nhắc những việc gì?", quiet)
    said = replies[0].text
    # the week to 27/11 is quiet; the next push, 7 days before the 14/12 report, is listed
    assert "đến hết Thứ Tư, 7/12/2022" in said and "• Thứ Tư, 7/12/2022:" in said, said
    assert "hạn cuối Thứ Tư, 14/12/2022 (trước 7 ngày)" in said
    # a period named is kept as named, quiet or not
    replies, _, _ = await ask(sub, "tuần này nhắc gì", quiet)
    assert "không có tin nhắc nào" in replies[0].text and "14/12" not in replies[0].text


async def test_a_new_meeting_rule_asked_to_be_updated_is_read_back_and_saved():
    # "cập nhật" is one letter from English "what": a wish, not a question about the meeting
    sub = Subscription(
        "test", "1", ("thai-nguyen-49-2022",), meeting_rule=meetings.parse_rule("ngày 3 hằng tháng")
    )
    now = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)
    text, after = await _saved(
        "từ nay chi bộ họp vào ngày 10 hằng tháng, nhờ bot cập nhật lại", now, sub
    )
    assert "Ngày họp chi bộ: ngày 10 hằng tháng" in text and "12/9/2022" in text, text
    assert after.meeting_rule == meetings.parse_rule("ngày 10 hằng tháng")


@pytest.mark.parametrize(
    "central",
    ["tháng ni học chi rứa", "thang ni chi bo minh hoc chi", "tháng 9 ni hc chi rứa ad?"],
)
async def test_central_vietnamese_asks_what_is_studied_as_the_standard_words_do(central):
    # "ni" is "này", "chi" is "gì" after "học", "rứa" is "vậy"; "chi bộ" is still the cell
    sub = Subscription("test", "1", ("tra-vinh-60-2022",))
    now = datetime(2022, 9, 6, 8, 0, tzinfo=TZ)
    standard, _, _ = await ask(sub, "tháng 9 học gì", now)
    replies, _, _ = await ask(sub, central, now)
    assert "KH/" in standard[0].text
    assert replies[0].text == standard[0].text


@pytest.mark.parametrize(
    "english", ["topics for october?", "what is the topic of the october meeting"]
)
async def test_a_month_named_alone_in_english_asks_that_month_as_the_vietnamese_does(english):
    sub = Subscription("test", "1", ("tra-vinh-60-2022",))
    now = datetime(2022, 9, 6, 8, 0, tzinfo=TZ)
    standard, _, _ = await ask(sub, "tháng 10 học gì", now)
    replies, _, _ = await ask(sub, english, now)
    assert "tháng 10" in standard[0].text.lower() and "KH/" in standard[0].text
    assert replies[0].text == standard[0].text
