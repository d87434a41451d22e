"""The cell's meetings asked: the next one with its hour, the meetings of a coming period, the
meeting after a month whose meeting is past, a month asked beside a meeting rule stated (that
rule, not the one saved; holidays and weekends moved; nothing saved). Asserted on the reply text."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import TZ
from schedules import meetings
from tests.handlers import corpus_v2


@pytest.mark.parametrize(
    "text",
    [
        "when is our next meeting?",
        "when do we meet next",
        "cuộc họp tiếp theo lúc mấy giờ",
        "mấy giờ họp vậy ad",
    ],
)
async def test_the_next_meeting_is_given_with_its_hour(text):
    rule = "thứ 5 cuối cùng hằng tháng lúc 14h"
    said = await corpus_v2.reply_text("tra-vinh-60-2022", text, "2022-06-01T08:00", rule)
    assert "Thứ Năm, 30/6/2022 lúc 14:00" in said


@pytest.mark.parametrize(
    "text", ["lịch họp chi bộ 2 tháng tới", "2 thang toi chi bo hop nhung ngay nao"]
)
async def test_the_meetings_of_the_coming_months_are_listed_not_a_meeting_moved(chat, text):
    reply = await chat.ask("tra-vinh-60-2022", text, "2022-06-10T08:00")
    assert "Kỳ họp chi bộ tháng 7/2022: Thứ Ba, 5/7/2022" in reply.text, reply.text
    assert "Kỳ họp chi bộ tháng 8/2022: Thứ Sáu, 5/8/2022" in reply.text
    assert "tháng 6/2022" not in reply.text and "Lưu" not in reply.text  # June's is past


@pytest.mark.parametrize(
    "text",
    [
        "mình họp ngày 5 hằng tháng, tháng 6 có bị lùi không",
        "chi bo hop ngay 5 hang thang. thang 6 co phai lui ko",
    ],
)
async def test_a_clause_stating_the_rule_is_no_second_date(chat, text):
    # 5/6/2022 is a Sunday: the meeting moves to Monday 6/6
    reply = await chat.ask("tra-vinh-60-2022", text, "2022-05-20T08:00")
    assert "Kỳ họp chi bộ tháng 6/2022: Thứ Hai, 6/6/2022" in reply.text, reply.text
    assert "hai mốc" not in reply.text


async def test_the_meeting_after_a_month_whose_meeting_is_past(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "tháng 7 họp rồi, kỳ tới họp hôm nào", "2022-07-20T08:00"
    )
    assert "Thứ Sáu, 5/8/2022" in reply.text and "5/7/2022" not in reply.text


NOW = datetime(2022, 8, 20, 9, 0, tzinfo=TZ)


@pytest.mark.parametrize("saved", [None, "ngày 20 hằng tháng"])
async def test_the_month_asked_is_answered_from_the_rule_stated_not_the_one_saved(chat, saved):
    rule = meetings.parse_rule(saved) if saved else None
    chat.follows("nq21-huyen-2022", rule=saved)
    replies = await chat.send(
        "Chi bộ mình họp ngày 10 hằng tháng, tháng 9 có bị lùi không?", at=NOW
    )
    said = replies[0].text
    assert "Thứ Hai, 12/9/2022" in said and "10/9/2022 là thứ bảy" in said, said
    assert "Tính theo lịch đồng chí nêu: ngày 10 hằng tháng" in said
    assert "lịch này chưa lưu" in said and "đã lưu" not in said  # never sounds saved
    assert chat.sub.meeting_rule == rule  # told, not saved


async def test_a_holiday_month_asked_beside_the_rule_moves_past_the_holidays(chat):
    chat.follows("nq21-huyen-2022", rule=None)
    now = datetime(2022, 8, 25, 9, 0, tzinfo=TZ)
    replies = await chat.send("chi bo hop mung 2 hang thang, thang 9 thi hop hom nao", at=now)
    # 2/9 (Quốc khánh, with 1/9 off in 2022), then the weekend: Monday 5/9
    assert "Thứ Hai, 5/9/2022" in replies[0].text, replies[0].text
