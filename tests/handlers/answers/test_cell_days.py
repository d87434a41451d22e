"""The cell's own days asked: its thematic session as the cell set it (or not set: said so, never
invented) and what is counted from it, a day asked "what if", the pilot cell's own deadline, a
cell typed in or without accents, the month's meeting when the rule's day is a holiday or weekend.
Asserted on the reply text, and that nothing is stored."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.clock import TZ
from handlers.state import Subscription
from schedules import meetings
from tests.handlers.conversing import SAVE, data


def ky_loi(cell: str, session: date | None) -> Subscription:
    dates = {"hoi-nghi-chuyen-de": session.isoformat()} if session else {}
    return Subscription("test", "1", ("ky-loi-2022",), cell_name=cell, cell_dates=dates)


@pytest.mark.parametrize(
    "question",
    [
        "khi nào chi bộ tổ chức hội nghị chuyên đề vậy",
        "hoi nghi chuyen de cua chi bo to chuc luc nao",
    ],
)
async def test_the_session_day_the_cell_set_is_answered_with_what_follows_from_it(chat, question):
    now = datetime(2022, 9, 2, 8, 0, tzinfo=TZ)
    chat.seed(ky_loi("Tân Phúc Thành 4", date(2022, 9, 15)))
    text = await chat(question, at=now)
    assert "của chi bộ: Thứ Năm, 15/9/2022 (còn 13 ngày)." in text
    assert "chậm nhất Thứ Hai, 19/9/2022: ngày 15/9/2022 kịp hạn" in text
    assert "tức chậm nhất Thứ Bảy, 10/9/2022" in text  # the report: 5 days before the session
    assert "Thứ Sáu, 9/9/2022" not in text  # the pilot cell's deadline is not this cell's
    assert SAVE not in data(chat.replies) and chat.sub.cell_dates == {
        "hoi-nghi-chuyen-de": "2022-09-15"
    }


async def test_a_day_asked_what_if_is_checked_against_the_deadline_for_holding_it(chat):
    now = datetime(2022, 9, 2, 8, 0, tzinfo=TZ)
    sub = ky_loi("Tân Phúc Thành 4", date(2022, 9, 15))
    chat.seed(sub)
    text = await chat("nếu dời hội nghị chuyên đề sang 21/9 thì có trễ hạn k", at=now)
    assert "Nếu tổ chức hội nghị sinh hoạt chuyên đề" in text
    assert "ngày chi bộ đã báo: Thứ Năm, 15/9/2022" in text
    assert "ngày 21/9/2022 trễ hạn 2 ngày" in text
    assert "(Thứ Tư, 21/9/2022), tức chậm nhất Thứ Sáu, 16/9/2022" in text
    assert (
        SAVE not in data(chat.replies) and chat.sub.cell_dates == sub.cell_dates
    )  # a question changes nothing


async def test_the_pilot_cell_without_a_day_gets_its_own_deadline_and_where_to_set_the_day(chat):
    now = datetime(2022, 8, 26, 8, 0, tzinfo=TZ)
    chat.seed(ky_loi("Tân Phúc Thành 3", None))
    text = await chat("sinh hoạt chuyên đề tổ chức hôm nào", at=now)
    assert "Chi bộ chưa báo ngày hội nghị sinh hoạt chuyên đề" in text and "/caidat" in text
    assert "chậm nhất Thứ Sáu, 9/9/2022" in text
    assert "19/9/2022" not in text


async def test_the_report_sent_to_the_party_committee_is_the_cells_own_not_the_committees(chat):
    # "gửi Đảng ủy" names the recipient of the cell's report (5 days before); the Đảng ủy's own
    # step to the Ban Tuyên giáo (3 days before) is an upper body's duty.
    now = datetime(2022, 9, 2, 8, 0, tzinfo=TZ)
    sub = ky_loi("Tân Phúc Thành 4", date(2022, 9, 15))
    chat.seed(sub)
    text = await chat("báo cáo chuyên đề nộp lên đảng ủy hạn cuối là hôm nào", at=now)
    assert "tức chậm nhất Thứ Bảy, 10/9/2022" in text
    assert "12/9/2022" not in text


@pytest.mark.parametrize(
    ("rule", "question", "now", "expected", "why"),
    [
        (
            "ngày 15 hằng tháng",
            "tháng 10 chi bộ họp ngày 15 à, hôm đó thứ bảy mà",
            datetime(2022, 10, 3, 9, 0, tzinfo=TZ),
            "🗓 Kỳ họp chi bộ tháng 10/2022: Thứ Hai, 17/10/2022 (còn 14 ngày; ngày 15/10/2022 "
            "là thứ bảy, nên lùi sang ngày làm việc kế tiếp).",
            "Thứ Bảy, 15/10/2022",
        ),
        (
            "thứ 6 đầu tiên hằng tháng",
            "hop chi bo thang 9 hom nao vay, mung 2 la quoc khanh",
            datetime(2022, 8, 25, 9, 0, tzinfo=TZ),
            "🗓 Kỳ họp chi bộ tháng 9/2022: Thứ Hai, 5/9/2022 (còn 11 ngày; ngày 2/9/2022 là "
            "ngày nghỉ lễ, nên lùi sang ngày làm việc kế tiếp).",
            "Thứ Sáu, 2/9/2022",
        ),
    ],
)
async def test_a_question_about_a_moved_meeting_day_gets_the_months_meeting_not_a_confirmation(
    chat, rule, question, now, expected, why
):
    sub = Subscription("test", "1", ("tra-vinh-60-2022",), meeting_rule=meetings.parse_rule(rule))
    chat.seed(sub)
    text = await chat(question, at=now)
    assert expected in text
    assert why not in text  # the holiday or weekend is never called a meeting day
    assert SAVE not in data(chat.replies) and chat.sub.meeting_days == {}


@pytest.mark.parametrize(
    "text",
    [
        "buổi sinh hoạt chuyên đề chi bộ mình hôm nào vậy",
        "chi bo to chuc hoi nghi chuyen de ngay nao",
        "hội nghị chuyên đề của chi bộ bao giờ diễn ra",
    ],
)
async def test_the_cells_own_session_is_answered_from_the_day_it_set(chat, text):
    reply = await chat.ask("ky-loi-2022", text, "2022-09-05T08:00", hoi_nghi_chuyen_de="2022-09-14")
    assert "của chi bộ: Thứ Tư, 14/9/2022 (còn 9 ngày)" in reply.text, reply.text
    assert not reply.text.startswith("Kỳ Lợi — “Tự soi, tự sửa”:\n⏰ Gửi kế hoạch")


async def test_a_session_day_not_set_is_said_so_never_invented(chat):
    reply = await chat.ask(
        "ky-loi-2022", "còn bao nhiêu ngày nữa đến ngày chuyên đề", "2022-09-05T08:00"
    )
    assert "Chi bộ chưa báo ngày hội nghị sinh hoạt chuyên đề" in reply.text, reply.text


async def test_the_deadline_to_register_the_session_is_still_the_deadline(chat):
    reply = await chat.ask(
        "ky-loi-2022", "hạn gửi kế hoạch chuyên đề của chi bộ ngày nào", "2022-08-10T08:00"
    )
    assert "Gửi kế hoạch tổ chức sinh hoạt chuyên đề" in reply.text
    assert "Thứ Tư, 24/8/2022" in reply.text and "📅 Chi bộ chưa báo ngày" not in reply.text


@pytest.mark.parametrize(
    "text", ["chi bo minh khac gi chi bo khac", "how is our cell different from the others?"]
)
async def test_the_pilot_cell_asking_how_it_differs_sees_both_deadlines(chat, text):
    reply = await chat.ask("ky-loi-2022", text, "2022-08-16T10:10", cell="Tân Phúc Thành 3")
    assert "Tân Phúc Thành 3 là chi bộ điểm" in reply.text
    assert "Thứ Sáu, 9/9/2022 — còn 24 ngày" in reply.text and "Các chi bộ còn lại" in reply.text


async def test_the_pilot_cell_asking_its_own_duty_sees_only_its_own(chat):
    reply = await chat.ask(
        "ky-loi-2022", "chi bộ điểm làm gì", "2022-08-16T10:10", cell="Tân Phúc Thành 3"
    )
    assert "Thứ Sáu, 9/9/2022" in reply.text and "19/9/2022" not in reply.text


async def test_next_week_shows_the_cells_own_session(chat):
    reply = await chat.ask(
        "ky-loi-2022",
        "tuần tới chi bộ có việc gì",
        "2022-09-08T08:00",
        cell="Tân Phúc Thành 2",
        hoi_nghi_chuyen_de="2022-09-15",
    )
    assert "Thứ Năm, 15/9/2022" in reply.text


async def test_a_pilot_cell_typed_without_accents(chat):
    reply = await chat.ask(
        "ky-loi-2022",
        "chi bo tan phuc thanh 3 phai xong sinh hoat diem truoc ngay may",
        "2022-08-29T08:00",
        cell="Tân Phúc Thành 1",
    )
    assert "Thứ Sáu, 9/9/2022" in reply.text
