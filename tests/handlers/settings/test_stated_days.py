"""A meeting or thematic-session day stated in passing, through the real Conversation: read back
for ✅ Lưu (nothing changed before it), saved as /caidat saves it, then reminded by the Planner.
Questions and bare dates keep their answers. The sentences are not the corpus's."""

from datetime import date, datetime, timedelta

import pytest

from bot.clock import TZ
from handlers.push_messages import render
from handlers.recipients import recipient_of
from handlers.state import Subscription
from schedules import catalog, meetings
from schedules.meetings import MovedMeeting
from schedules.pushes import Planner, PushKind
from tests.handlers.conversing import SAVE, data

CAT = catalog.load()
EVENT = "hoi-nghi-chuyen-de"  # Kỳ Lợi's thematic session, the day each cell fixes itself


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def subscription(
    plan: str, rule: str | None = "ngày 5 hằng tháng", group: bool = False
) -> Subscription:
    return Subscription(
        "test",
        "1",
        (plan,),
        cell_name="Tân Phúc Thành 2",
        meeting_rule=meetings.parse_rule(rule) if rule else None,
        is_group=group,
        created_at="2022-01-01T00:00:00+07:00",
    )


# (plan, now, the chat's rule, what the secretary says, the day read back, its hour)
MEETINGS = [
    ("kim-bang-35-2022", "2022-06-08T08:00", "ngày 5 hằng tháng",
     "thứ 4 tuần sau chi bộ mình họp nha", date(2022, 6, 15), None),
    ("kim-bang-35-2022", "2022-06-08T08:00", "ngày 5 hằng tháng",
     "chi bo hop 20/6 nhe ca nha", date(2022, 6, 20), None),
    ("kim-bang-35-2022", "2022-06-08T08:00", None,
     "Thông báo: 14h30 chiều 17/6 chi bộ họp", date(2022, 6, 17), "14:30"),
    ("tra-vinh-60-2022", "2022-07-01T08:00", "ngày 3 hằng tháng",
     "họp chi bộ tháng 7 vào ngày 12 nhé", date(2022, 7, 12), None),
    ("tra-vinh-60-2022", "2022-07-01T08:00", "ngày 3 hằng tháng",
     "kỳ họp tháng này dời sang 22/7", date(2022, 7, 22), None),
    ("tra-vinh-60-2022", "2022-07-01T08:00", "ngày 3 hằng tháng",
     "họp ngày 11/7 chứ không phải 3/7 đâu", date(2022, 7, 11), None),
    ("thai-nguyen-49-2022", "2022-09-05T08:00", "thứ 6 đầu tiên hằng tháng",
     "sinh hoạt chi bộ tháng 10 vào 7h tối thứ 3 ngày 11/10", date(2022, 10, 11), "19:00"),
    ("thai-nguyen-49-2022", "2022-09-05T08:00", "thứ 6 đầu tiên hằng tháng",
     "Our cell meeting 20/9, 8am", date(2022, 9, 20), "08:00"),
    ("kim-bang-35-2022", "2022-06-08T08:00", "ngày 5 hằng tháng",
     "chuyển kỳ họp tháng 6 sang thứ 6 tuần sau", date(2022, 6, 17), None),
    ("kim-bang-35-2022", "2022-06-08T08:00", "ngày 5 hằng tháng",
     "lịch sinh hoạt chi bộ tháng 6: 17/6", date(2022, 6, 17), None),
    ("kim-bang-35-2022", "2022-06-08T08:00", "ngày 5 hằng tháng",
     "Xin thông báo: Chi bộ họp lúc 19h30 thứ Sáu 17/6/2022 tại hội trường",
     date(2022, 6, 17), "19:30"),
]  # fmt: skip


@pytest.mark.parametrize("plan,now,rule,text,day,hour", MEETINGS, ids=[m[3] for m in MEETINGS])
async def test_a_meeting_day_stated_is_read_back_saved_and_reminded(
    chat, plan, now, rule, text, day, hour
):
    before = chat.at(now).seed(subscription(plan, rule))
    said = await chat(text)
    buttons = data(chat.replies)
    assert SAVE in buttons, said
    assert said.startswith("Xác nhận thay đổi:\nKỳ họp tháng")
    from schedules import vi_format

    assert vi_format.full(day) in said
    if hour:
        assert f"lúc {vi_format.clock(hour)}" in said
    assert chat.sub.meeting_days == before.meeting_days  # nothing stored before ✅ Lưu

    saved = await chat(callback=SAVE)
    assert saved.startswith("✅ Đã lưu.")
    assert chat.sub.meeting_days == {(day.year, day.month): MovedMeeting(day, hour)}
    assert chat.sub.meeting_rule == before.meeting_rule  # a one-off, not a new monthly rule
    assert vi_format.full(day) in saved  # the summary shows the day kept

    # The Planner reminds the day said (3 days, 1 day, the morning), not the rule's day that month.
    start = datetime.combine(day - timedelta(days=10), datetime.min.time(), TZ)
    pushes = Planner(CAT.plans, TZ).between([recipient_of(chat.sub)], start, start + timedelta(20))
    month = [p for p in pushes if p.item_id == f"meeting@{day.year}-{day.month:02d}"]
    assert [(p.lead, p.day) for p in month] == [(3, day), (1, day), (0, day)]
    morning = render(month[-1], chat.sub).text
    assert vi_format.full(day) in morning
    if hour:
        assert vi_format.clock(hour) in morning

    # And asked afterwards, that month's meeting is that day.
    answer = await chat(f"tháng {day.month} họp chi bộ ngày nào")
    assert vi_format.full(day) in answer


@pytest.mark.parametrize(
    "now,text,day",
    [
        ("2022-08-26T08:00", "buổi chuyên đề của chi bộ mình tổ chức ngày 15/9 nhé", date(2022, 9, 15)),
        ("2022-08-26T08:00", "chi bộ chốt sinh hoạt chuyên đề vào thứ 3 tuần sau", date(2022, 8, 30)),
        ("2022-08-26T08:00", "hoi nghi chuyen de chi bo to chuc 9/9", date(2022, 9, 9)),
        ("2022-08-26T08:00", "chuyên đề tự soi tự sửa sinh hoạt vào 12/9", date(2022, 9, 12)),
        ("2022-08-26T08:00", "Thông báo: 14h ngày 6/9 sinh hoạt chuyên đề", date(2022, 9, 6)),
    ],
)  # fmt: skip
async def test_a_session_day_stated_is_the_plans_cell_event(chat, now, text, day):
    chat.at(now).seed(subscription("ky-loi-2022", None))
    said = await chat(text)
    buttons = data(chat.replies)
    assert SAVE in buttons, said
    assert "Hội nghị sinh hoạt chuyên đề" in said
    assert "chậm nhất" in said  # the deadlines counted from the session, read back with it
    assert ("giờ 14:00 không có trong tin nhắc" in said) == ("14h" in text)  # the day is kept
    assert chat.sub.cell_dates == {}
    await chat(callback=SAVE)
    assert chat.sub.cell_dates == {EVENT: day.isoformat()}
    assert chat.sub.meeting_days == {}  # the session is not the monthly meeting
    start = datetime.combine(day - timedelta(days=5), datetime.min.time(), TZ)
    pushes = Planner(CAT.plans, TZ).between([recipient_of(chat.sub)], start, start + timedelta(10))
    events = [(p.lead, p.day) for p in pushes if p.kind is PushKind.EVENT]
    assert events == [(3, day), (1, day), (0, day)]


QUESTIONS = [
    "14/6 họp chi bộ à",
    "chi bộ họp 14/6 phải không",
    "ngày 20/6 có họp chi bộ ko",
    "thứ 6 tuần sau họp chi bộ hả",
    "14/6 họp chi bộ?",
    "có phải 14/6 họp chi bộ",
    "họp chi bộ tháng này ngày mấy",
    "kỳ họp tới khi nào",
    "is our meeting on 14/6",
    "15/6",
    "thứ 6 tuần sau",
    "20/6 nộp báo cáo tổng hợp nhé",  # "hợp", not "họp": a deadline, nothing to set
    "tuần sau họp chi bộ nhé",  # a week, not a day: nothing to set without asking
    "chi bộ mình họp ngày 20 hằng tháng à",
    "nhắc trước 2 ngày trước khi họp chi bộ",  # about the reminders' lead, not a day
    "Trợ lý ơi, cho hỏi 14/6 họp chi bộ",
    "mai họp chi bộ đúng không",
]


@pytest.mark.parametrize("text", QUESTIONS)
async def test_questions_and_bare_dates_keep_their_answers(chat, text):
    before = chat.at("2022-06-08T08:00").seed(subscription("kim-bang-35-2022"))
    said = await chat(text)
    buttons = data(chat.replies)
    assert SAVE not in buttons and "Xác nhận thay đổi" not in said, said
    assert chat.sub == before


async def test_in_a_group_only_those_who_may_change_settings_set_the_day(chat):
    before = chat.at("2022-06-08T08:00").seed(subscription("kim-bang-35-2022", group=True))
    said = await chat("@trolychibo_bot 16/6 họp chi bộ nhé", admin=False)
    buttons = data(chat.replies)
    assert said.startswith("Xin lỗi, chỉ quản trị viên của nhóm") and SAVE not in buttons
    assert chat.sub == before
    said = await chat("@trolychibo_bot 16/6 họp chi bộ nhé", admin=True)
    buttons = data(chat.replies)
    assert SAVE in buttons


@pytest.mark.parametrize(
    "text,answer",
    [
        ("ngày 3/6 chi bộ họp nhé", "Thứ Sáu, 3/6/2022 đã qua"),
        ("30/2 họp chi bộ nha", "ngày 30/2 không tồn tại"),
        ("họp chi bộ ngày 31 tháng 6 nhé", "không tồn tại"),
        ("thứ 5 ngày 14/6 họp chi bộ", "là Thứ Ba, không phải Thứ Năm"),
    ],
)
async def test_a_past_or_impossible_day_gets_a_clear_answer(chat, text, answer):
    before = chat.at("2022-06-08T08:00").seed(subscription("kim-bang-35-2022"))
    said = await chat(text)
    buttons = data(chat.replies)
    assert answer in said and SAVE not in buttons, said
    assert chat.sub == before


async def test_a_session_in_a_plan_without_one_is_said_plainly(chat):
    before = chat.at("2022-08-26T08:00").seed(subscription("tra-vinh-60-2022", "ngày 3 hằng tháng"))
    said = await chat("ngày 8/9 chi bộ mình sinh hoạt chuyên đề")
    buttons = data(chat.replies)
    assert "không có buổi sinh hoạt chuyên đề nào do chi bộ tự đặt ngày" in said
    assert "ngày họp: 8/9" in said and SAVE not in buttons
    assert chat.sub == before


async def test_a_meeting_set_without_a_rule_is_not_invented_for_other_months(chat):
    chat.at("2022-06-08T08:00").seed(subscription("kim-bang-35-2022", None))
    await chat("19h30 ngày 16/6 họp chi bộ nhé")
    await chat(callback=SAVE)
    answer = await chat("lần họp tới ngày mấy")
    assert "Thứ Năm, 16/6/2022 lúc 19:30" in answer and "chưa đặt lịch họp hằng tháng" in answer
    chat.now = at("2022-06-20T08:00")  # past it: no other month is made up
    answer = await chat("lần họp tới ngày mấy")
    assert "chưa đặt ngày họp hằng tháng" in answer


def test_stored_moved_meetings_keep_their_hour_and_old_ones_load():
    sub = subscription("kim-bang-35-2022").with_meeting_on(date(2022, 6, 16), "19:30")
    assert Subscription.from_dict(sub.to_dict()) == sub
    old = {**sub.to_dict(), "meeting_days": ["2022-09-15"]}
    assert Subscription.from_dict(old).meeting_days == {(2022, 9): MovedMeeting(date(2022, 9, 15))}


@pytest.mark.parametrize(
    "text,rule",
    [
        ("từ tháng sau chi bộ họp ngày 20 hằng tháng nhé", "ngày 20 hằng tháng"),
        (
            "chi bo minh hop thu 6 dau tien moi thang luc 14h",
            "Thứ Sáu đầu tiên của tháng, lúc 14:00",
        ),
    ],
)
async def test_a_monthly_rule_stated_changes_the_rule_not_one_meeting(chat, text, rule):
    chat.at("2022-06-08T08:00").seed(subscription("kim-bang-35-2022"))
    said = await chat(text)
    buttons = data(chat.replies)
    assert SAVE in buttons and f"Ngày họp chi bộ: {rule}" in said, said
    await chat(callback=SAVE)
    assert chat.sub.meeting_rule.describe().startswith(rule) and chat.sub.meeting_days == {}
