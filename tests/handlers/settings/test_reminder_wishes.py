"""Wishes about reminders (and a new meeting rule), in plain words, through the real Conversation:
each change read back for ✅ Lưu (nothing changed before it), then saved; a wish said beside a
reason is the wish, whatever topic word or hour the reason carries; a question about how the
reminders are set is answered and changes nothing; what will be pushed, from the same Planner."""

from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from bot.clock import TZ
from handlers.state import Subscription
from schedules import catalog, meetings
from schedules.pushes import Pause
from tests.handlers.conversing import SAVE, data

CAT = catalog.load()
CORPUS = Path(__file__).parents[2] / "data" / "questions_v2.yaml"
WISHES = [
    e for e in yaml.safe_load(CORPUS.read_text(encoding="utf-8")) if e["kind"] == "settings_wish"
]


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def chat_of(entry: dict, **changes) -> Subscription:
    cell = entry["cell"]
    rule = meetings.parse_rule(cell["meeting"]) if cell.get("meeting") else None
    return Subscription(
        "test",
        "1",
        (entry["plan"],),
        cell_name=cell.get("name"),
        meeting_rule=rule,
        cell_dates=dict(cell.get("dates") or {}),
        is_group="group" in entry["style"],
        created_at="2022-01-01T00:00:00+07:00",
        **changes,
    )


def check_strings(entry: dict, text: str) -> None:
    for s in entry["must"]:
        assert s in text, (entry["q"], s, text)
    for group in entry.get("must_any") or ():
        assert any(s in text for s in group), (entry["q"], group, text)
    for s in entry["must_not"]:
        assert s not in text, (entry["q"], s, text)


def test_the_corpus_has_wishes_of_every_kind():
    assert len(WISHES) == 26
    assert {e["expects"] for e in WISHES} == {"confirm", "answer"}


@pytest.mark.parametrize("entry", WISHES, ids=[e["q"] for e in WISHES])
async def test_a_wish_from_the_blind_corpus(chat, entry):
    sub = chat_of(entry)
    now = moment(entry["today"])
    chat.seed(sub)
    replies = await chat.send(entry["q"], at=now)
    text = "\n".join(r.text for r in replies)
    check_strings(entry, text)
    after = chat.sub
    # Nothing changes before ✅ Lưu: the reminder settings are as they were.
    assert (after.reminder_time, after.lead_days, after.pause) == (
        sub.reminder_time,
        sub.lead_days,
        sub.pause,
    )
    if entry["expects"] != "confirm":
        assert SAVE not in data(replies)
        return
    if SAVE in data(replies):
        assert text.startswith("Xác nhận thay đổi:")
        return
    # Only a wish to turn reminders back on, in a chat where they are on, has nothing to confirm:
    # the same wish in a muted chat is read back for ✅ Lưu.
    assert "không có gì phải đổi" in text
    muted = chat_of(entry, pause=Pause(date(2022, 1, 1)))
    chat.seed(muted)
    replies = await chat.send(entry["q"], at=now)
    assert SAVE in data(replies)
    check_strings(entry, "\n".join(r.text for r in replies))


async def test_in_a_group_only_those_who_may_change_settings_change_reminders(chat):
    group = Subscription("test", "1", ("kim-bang-35-2022",), is_group=True)
    now = datetime(2022, 6, 2, 8, 0, tzinfo=TZ)
    for wish in (
        "đừng nhắc nữa",
        "nhắc lúc 6h",
        "nhắc trước 3 ngày",
        "từ mai nhắc nhóm lúc 8h nhé",
    ):
        chat.seed(group)
        replies = await chat.send(wish, at=now, admin=False)
        assert replies[0].text.startswith("Xin lỗi, chỉ quản trị viên của nhóm")
        assert chat.sub.pending is None
    chat.seed(group)
    replies = await chat.send("mấy ngày tới nhắc gì", at=now, admin=False)  # anyone may ask
    assert replies[0].text.startswith(("🔔 Tin nhắc", "Từ nay đến hết"))


async def test_a_wish_saved_changes_what_the_planner_pushes(chat):
    from handlers.recipients import recipient_of
    from schedules.pushes import Planner

    sub = Subscription("test", "1", ("kim-bang-35-2022",), created_at="2022-06-01T00:00:00+07:00")
    now = datetime(2022, 6, 2, 8, 0, tzinfo=TZ)
    chat.seed(sub)
    for wish, field, value in (
        ("chuyển giờ nhắc sang 5 giờ rưỡi sáng", "reminder_time", "05:30"),
        ("báo trước 2 ngày thôi", "lead_days", (2,)),
    ):
        await chat.send(wish, at=now)
        await chat.send(callback=SAVE, at=now)
        assert getattr(chat.sub, field) == value
    end = datetime(2022, 12, 31, 23, 59, tzinfo=TZ)
    pushes = Planner(CAT.plans, TZ).between([recipient_of(chat.sub)], now, end)
    assert [(p.at.strftime("%d/%m %H:%M"), p.lead) for p in pushes] == [
        ("12/06 05:30", 2),
        ("12/12 05:30", 2),
    ]
    listing = await chat.send("/lichnhac", at=datetime(2022, 12, 8, 9, 0, tzinfo=TZ))
    assert "• Thứ Hai, 12/12/2022: ⏰ Báo cáo kết quả" in listing[0].text
    assert "(gửi lúc 5:30)" in listing[0].text


def test_pause_and_snoozes_are_stored_and_old_data_without_them_loads():
    from schedules.pushes import Snooze

    of = datetime(2022, 6, 7, 7, 30, tzinfo=TZ)
    sub = Subscription(
        "test",
        "1",
        ("kim-bang-35-2022",),
        pause=Pause(date(2022, 6, 8), date(2022, 6, 14)),
        snoozes=(Snooze(of, datetime(2022, 6, 8, 7, 30, tzinfo=TZ)),),
    )
    assert Subscription.from_dict(sub.to_dict()) == sub
    old = {"platform": "test", "chat_id": "1", "plan_ids": ["kim-bang-35-2022"]}
    loaded = Subscription.from_dict(old)
    assert loaded.pause is None and loaded.snoozes == ()
    muted = Subscription.from_dict({**old, "pause": {"from": "2022-06-08", "until": None}})
    assert muted.pause == Pause(date(2022, 6, 8))


async def _saved(chat, text: str, now: datetime, sub: Subscription | None = None):
    """The read-back of a wish, and the chat as stored once ✅ Lưu is pressed."""
    chat.seed(sub or Subscription("test", "1", ("tra-vinh-60-2022",)))
    replies = await chat.send(text, at=now)
    assert SAVE in data(replies), (text, replies[0].text)
    await chat.send(callback=SAVE, at=now)
    return replies[0].text, chat.sub


@pytest.mark.parametrize(
    ("wish", "hour"),
    [
        ("could you remind the group at 6:45 pm", "18:45"),  # English, with minutes and pm
        ("sau này nhắc chi bộ lúc 5 rưỡi chiều nhé", "17:30"),  # the object between verb and hour
        ("bot nhắc anh em vào 9 giờ tối được không", "21:00"),  # a polite question is a wish
        ("nhắc lúc 3 rưỡi chiều dc ko", "15:30"),  # a half hour without "giờ"
    ],
)
async def test_the_hour_wished_in_other_words_is_read_back_and_saved(chat, wish, hour):
    text, after = await _saved(chat, wish, datetime(2022, 6, 2, 10, 0, tzinfo=TZ))
    assert f"Giờ nhắc: {hour.lstrip('0')}" in text
    assert after.reminder_time == hour


@pytest.mark.parametrize(
    "text",
    [
        "bot đang nhắc lúc 7h30 phải không",  # checks the hour that is
        "nhắc tôi lúc 8h ngày 15/9 nộp báo cáo",  # a dated one-off, not the daily hour
        "mai nhắc gì lúc 7h30",  # what is reminded
    ],
)
async def test_what_is_not_an_hour_wish_changes_nothing(chat, text):
    sub = Subscription("test", "1", ("tra-vinh-60-2022",))
    chat.seed(sub)
    replies = await chat.send(text, at=datetime(2022, 6, 2, 10, 0, tzinfo=TZ))
    assert "Giờ nhắc:" not in replies[0].text or SAVE not in data(replies)
    assert chat.sub.reminder_time == sub.reminder_time


async def test_several_lead_days_and_english_lead_days_are_read_back_each_with_its_unit(chat):
    now = datetime(2022, 6, 2, 10, 0, tzinfo=TZ)
    text, after = await _saved(chat, "nhắc trc 14 ngày với 3 ngày nha", now)
    assert "Nhắc trước hạn: 14 ngày, 3 ngày." in text  # not "14, 3 ngày": the comma is a decimal
    assert after.lead_days == (14, 3)
    text, after = await _saved(chat, "please remind us 5 days before the deadline", now)
    assert "Nhắc trước hạn: 5 ngày." in text
    assert after.lead_days == (5,)


async def test_turning_everything_off_in_other_words_mutes_the_chat(chat):
    text, after = await _saved(
        chat, "tắt hết nhắc nhở giùm", datetime(2022, 6, 2, 10, 0, tzinfo=TZ)
    )
    assert text.startswith("Xác nhận thay đổi:\nTắt nhắc: từ Thứ Sáu, 3/6/2022")
    assert after.pause == Pause(date(2022, 6, 3), None)


@pytest.mark.parametrize(
    ("wish", "days"),
    [
        # "thôi" ends the clause ("only"); the next clause's "nhắc" is not "thôi nhắc" / "thôi nhận"
        ("Nhắc trước 2 ngày thôi, nhắc sớm quá mọi người lơ là", (2,)),
        ("báo trc 4 hôm thôi, nhận nhiều tin quá", (4,)),
        # a grumble after the count ("đừng nhắc …") is no pause: the count says lead days
        ("nhắc trước 2 ngày là được, đừng nhắc liên tục", (2,)),
    ],
)
async def test_a_lead_days_wish_with_a_grumble_is_lead_days_never_leaving_or_pausing(
    chat, wish, days
):
    sub = Subscription("test", "1", ("thai-nguyen-49-2022",))
    now = datetime(2022, 5, 5, 8, 0, tzinfo=TZ)
    text, after = await _saved(chat, wish, now, sub)
    assert f"Nhắc trước hạn: {days[0]} ngày." in text
    assert after.lead_days == days and after.pause is None and after.plan_ids == sub.plan_ids


async def test_an_english_pause_for_a_week_is_read_back_as_a_pause(chat):
    now = datetime(2022, 6, 1, 10, 0, tzinfo=TZ)
    text, after = await _saved(chat, "please pause the reminders for two weeks", now)
    assert "Tạm dừng nhắc từ" in text
    assert after.pause is not None and (after.pause.end - after.pause.start).days == 13


@pytest.mark.parametrize("wish", ["ngừng nhắc nhé", "ngung nhac giup minh", "bot ngừng nhắc đi"])
async def test_stop_reminding_mutes_and_never_offers_to_leave_a_plan(chat, wish):
    # "ngừng nhắc" (stop reminding) is one letter from "ngừng nhận" (leave the plan): never near
    sub = Subscription("test", "1", ("tra-vinh-60-2022", "kim-bang-35-2022"))
    text, after = await _saved(chat, wish, datetime(2022, 6, 2, 10, 0, tzinfo=TZ), sub)
    assert text.startswith("Xác nhận thay đổi:\nTắt nhắc: từ Thứ Sáu, 3/6/2022")
    assert after.pause == Pause(date(2022, 6, 3), None) and after.plan_ids == sub.plan_ids


# -- wishes beside a reason, and questions about the reminders, which change nothing --

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
async def test_a_question_about_how_reminders_are_set_is_answered_and_changes_nothing(chat, text):
    sub = Subscription("test", "1", ("tra-vinh-60-2022",), reminder_time="18:15", lead_days=(3, 1))
    chat.seed(sub)
    replies = await chat.send(text, at=NOW)
    said = replies[0].text
    assert "18:15" in said and "3 ngày, 1 ngày" in said and "đang bật" in said, said
    assert SAVE not in data(replies) and "Xác nhận" not in said
    after = chat.sub
    assert after.reminder_time == "18:15" and after.lead_days == (3, 1) and after.pause is None


async def test_a_stop_wish_beside_a_stop_word_lookalike_is_still_a_stop(chat):
    # "đừng" and "đang" are one letter apart: each is its own word, never the other's typo
    text, after = await _saved(chat, "đừng nhắc trong nhóm này nữa nhé", NOW)
    assert "Tắt nhắc" in text and after.pause is not None


@pytest.mark.parametrize(
    "wish",
    [
        "tắt nhắc việc giúp mình, cả chi bộ đang viết bài thu hoạch",
        "tạm dừng nhắc 1 tuần, anh em bận thu hoạch lúa",
    ],
)
async def test_a_pause_wish_wins_over_a_topic_word_in_its_reason(chat, wish):
    text, after = await _saved(chat, wish, NOW)
    assert "thu hoạch" not in text and ("Tắt nhắc" in text or "Tạm dừng" in text), text
    assert after.pause is not None and after.pause.start > NOW.date()


@pytest.mark.parametrize(
    ("wish", "hour"),
    [
        ("cho nhắc lúc 6h chiều nhé, 8h tối tôi ngủ rồi", "18:00"),
        ("nhắc 6 giờ sáng đi, 7 giờ là tôi đã đi làm", "06:00"),
    ],
)
async def test_the_hour_wished_not_the_hour_in_the_reason_is_saved(chat, wish, hour):
    text, after = await _saved(chat, wish, NOW)
    assert f"Giờ nhắc: {hour.lstrip('0')}" in text, text
    assert after.reminder_time == hour


async def test_what_will_be_pushed_reaches_the_next_push_when_the_week_is_quiet(chat):
    sub = Subscription("test", "1", ("kim-bang-35-2022",))
    quiet = datetime(2022, 11, 20, 9, 0, tzinfo=TZ)
    chat.seed(sub)
    replies = await chat.send("sắp tới trợ lý sẽ nhắc những việc gì?", at=quiet)
    said = replies[0].text
    # the week to 27/11 is quiet, and said so (the 7 days /lichnhac promises, not 17); the next
    # push, 7 days before the 14/12 report, is listed apart
    assert "Từ nay đến hết Chủ nhật, 27/11/2022, không có tin nhắc nào." in said, said
    assert "Tin nhắc kế tiếp:\n• Thứ Tư, 7/12/2022:" in said, said
    assert "hạn cuối Thứ Tư, 14/12/2022 (trước 7 ngày)" in said
    # a period named is kept as named, quiet or not
    chat.seed(sub)
    replies = await chat.send("tuần này nhắc gì", at=quiet)
    assert "không có tin nhắc nào" in replies[0].text and "14/12" not in replies[0].text


async def test_a_new_meeting_rule_asked_to_be_updated_is_read_back_and_saved(chat):
    # "cập nhật" is one letter from English "what": a wish, not a question about the meeting
    sub = Subscription(
        "test", "1", ("thai-nguyen-49-2022",), meeting_rule=meetings.parse_rule("ngày 3 hằng tháng")
    )
    now = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)
    text, after = await _saved(
        chat, "từ nay chi bộ họp vào ngày 10 hằng tháng, nhờ bot cập nhật lại", now, sub
    )
    assert "Ngày họp chi bộ: ngày 10 hằng tháng" in text and "12/9/2022" in text, text
    assert after.meeting_rule == meetings.parse_rule("ngày 10 hằng tháng")
