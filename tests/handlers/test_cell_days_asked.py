"""The cell's own days asked about (issue 11, cell dates): its thematic session and what is
counted from it, a day asked "what if", and the month's meeting when the rule's day is a holiday
or weekend. Through the real Conversation, asserting the reply text and that nothing is stored."""

from datetime import date, datetime

import pytest

from bot.clock import TZ
from handlers.conversation import Conversation
from handlers.state import MemoryStore, Subscription
from handlers.types import Incoming
from schedules import catalog, meetings

CAT = catalog.load()
SAVE = "set:save"


async def ask(sub: Subscription, text: str, now: datetime) -> tuple[str, list[str], Subscription]:
    store = MemoryStore()
    await store.save(sub)
    conv = Conversation(CAT, store)
    replies = await conv.handle(Incoming("test", "1", "u1", text=text), now)
    data = [b.data for r in replies for row in r.buttons for b in row]
    return "\n".join(r.text for r in replies), data, store.get("test", "1")


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
async def test_the_session_day_the_cell_set_is_answered_with_what_follows_from_it(question):
    now = datetime(2022, 9, 2, 8, 0, tzinfo=TZ)
    text, data, after = await ask(ky_loi("Tân Phúc Thành 4", date(2022, 9, 15)), question, now)
    assert "của chi bộ: Thứ Năm, 15/9/2022 (còn 13 ngày)." in text
    assert "chậm nhất Thứ Hai, 19/9/2022: ngày 15/9/2022 kịp hạn" in text
    assert "tức chậm nhất Thứ Bảy, 10/9/2022" in text  # the report: 5 days before the session
    assert "Thứ Sáu, 9/9/2022" not in text  # the pilot cell's deadline is not this cell's
    assert SAVE not in data and after.cell_dates == {"hoi-nghi-chuyen-de": "2022-09-15"}


async def test_a_day_asked_what_if_is_checked_against_the_deadline_for_holding_it():
    now = datetime(2022, 9, 2, 8, 0, tzinfo=TZ)
    sub = ky_loi("Tân Phúc Thành 4", date(2022, 9, 15))
    text, data, after = await ask(sub, "nếu dời hội nghị chuyên đề sang 21/9 thì có trễ hạn k", now)
    assert "Nếu tổ chức hội nghị sinh hoạt chuyên đề" in text
    assert "ngày chi bộ đã báo: Thứ Năm, 15/9/2022" in text
    assert "ngày 21/9/2022 trễ hạn 2 ngày" in text
    assert "(Thứ Tư, 21/9/2022), tức chậm nhất Thứ Sáu, 16/9/2022" in text
    assert SAVE not in data and after.cell_dates == sub.cell_dates  # a question changes nothing


async def test_the_pilot_cell_without_a_day_gets_its_own_deadline_and_where_to_set_the_day():
    now = datetime(2022, 8, 26, 8, 0, tzinfo=TZ)
    text, _, _ = await ask(
        ky_loi("Tân Phúc Thành 3", None), "sinh hoạt chuyên đề tổ chức hôm nào", now
    )
    assert "Chi bộ chưa báo ngày hội nghị sinh hoạt chuyên đề" in text and "/caidat" in text
    assert "chậm nhất Thứ Sáu, 9/9/2022" in text
    assert "19/9/2022" not in text


async def test_the_report_sent_to_the_party_committee_is_the_cells_own_not_the_committees():
    # "gửi Đảng ủy" names the recipient of the cell's report (5 days before); the Đảng ủy's own
    # step to the Ban Tuyên giáo (3 days before) is an upper body's duty.
    now = datetime(2022, 9, 2, 8, 0, tzinfo=TZ)
    sub = ky_loi("Tân Phúc Thành 4", date(2022, 9, 15))
    text, _, _ = await ask(sub, "báo cáo chuyên đề nộp lên đảng ủy hạn cuối là hôm nào", now)
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
    rule, question, now, expected, why
):
    sub = Subscription("test", "1", ("tra-vinh-60-2022",), meeting_rule=meetings.parse_rule(rule))
    text, data, after = await ask(sub, question, now)
    assert expected in text
    assert why not in text  # the holiday or weekend is never called a meeting day
    assert SAVE not in data and after.meeting_days == {}
