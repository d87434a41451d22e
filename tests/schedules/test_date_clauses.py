"""A date inside a longer sentence: a day and its month named apart, and a date said not to be
meant. Both were refused as "two dates" before the stated-meeting wish needed them."""

from datetime import date, datetime

import pytest

from bot.clock import TZ
from schedules import vi_dates

NOW = datetime(2022, 7, 1, 8, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    "text,day",
    [
        ("tháng này họp ngày 8", date(2022, 7, 8)),
        ("thang sau hop mung 2 nhe", date(2022, 8, 2)),
        ("tháng 10 họp ngày 11/10", date(2022, 10, 11)),
        ("họp ngày 15/7 chứ không phải 14/7", date(2022, 7, 15)),
        ("tháng này họp ngày 8 nhé, không phải ngày 5", date(2022, 7, 8)),
        ("thay vì 20/7, họp 22/7", date(2022, 7, 22)),
        ("lịch họp tháng 7: 19/7", date(2022, 7, 19)),  # "7: 19" is no time of day
    ],
)
def test_one_day_is_meant(text, day):
    assert vi_dates.find(text, NOW) == vi_dates.When("day", day, day)


@pytest.mark.parametrize(
    "text,message",
    [
        ("tháng 6 họp ngày 31", "ngày 31/6/2022 không tồn tại"),
        ("tháng 7 hay 3/8", "có hai mốc thời gian"),  # a day outside the month: still two
        ("không phải 14/7", None),  # nothing else named: the date is all there is
    ],
)
def test_what_is_still_refused_or_kept(text, message):
    found = vi_dates.find(text, NOW)
    if message is None:
        assert found == vi_dates.When("day", date(2022, 7, 14), date(2022, 7, 14))
    else:
        assert isinstance(found, vi_dates.NotUnderstood) and found.message.startswith(message)
