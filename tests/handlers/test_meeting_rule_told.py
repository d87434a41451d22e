"""A meeting rule stated in the question with a month asked: that month's meeting, from the rule
given (whatever the chat saved, or without one), holidays and weekends moved; nothing saved."""

from datetime import datetime

import pytest

from bot.clock import TZ
from handlers.state import Subscription
from schedules import meetings
from tests.handlers.test_reminder_wishes import ask

NOW = datetime(2022, 8, 20, 9, 0, tzinfo=TZ)


@pytest.mark.parametrize("saved", [None, "ngày 20 hằng tháng"])
async def test_the_month_asked_is_answered_from_the_rule_stated_not_the_one_saved(saved):
    rule = meetings.parse_rule(saved) if saved else None
    sub = Subscription("test", "1", ("nq21-huyen-2022",), meeting_rule=rule)
    replies, store, _ = await ask(
        sub, "Chi bộ mình họp ngày 10 hằng tháng, tháng 9 có bị lùi không?", NOW
    )
    said = replies[0].text
    assert "Thứ Hai, 12/9/2022" in said and "10/9/2022 là thứ bảy" in said, said
    assert "Theo lịch đồng chí nêu: ngày 10 hằng tháng" in said
    assert store.get("test", "1").meeting_rule == rule  # told, not saved


async def test_a_holiday_month_asked_beside_the_rule_moves_past_the_holidays():
    sub = Subscription("test", "1", ("nq21-huyen-2022",))
    now = datetime(2022, 8, 25, 9, 0, tzinfo=TZ)
    replies, _, _ = await ask(sub, "chi bo hop mung 2 hang thang, thang 9 thi hop hom nao", now)
    # 2/9 (Quốc khánh, with 1/9 off in 2022), then the weekend: Monday 5/9
    assert "Thứ Hai, 5/9/2022" in replies[0].text, replies[0].text
