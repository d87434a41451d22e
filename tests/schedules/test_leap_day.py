"""29/2 without a year: the year chosen as for 28/2, then on to the next leap year (issue 8)."""

import pytest

from bot.cli import main
from bot.clock import parse_moment
from schedules import vi_dates


@pytest.mark.parametrize(
    "today, expected",
    [
        ("2022-08-10T08:00", "2024-02-29"),  # crashed: no 29/2 in 2021, 2022 or 2023
        ("2026-03-01T08:00", "2028-02-29"),  # crashed too
        ("2025-01-05T08:00", "2028-02-29"),  # was 29/2/2024, more than ten months back
        ("2025-08-10T08:00", "2028-02-29"),
        ("2024-02-10T09:00", "2024-02-29"),
        ("2024-02-29T09:00", "2024-02-29"),
        ("2024-08-10T08:00", "2024-02-29"),  # within six months after it: that one
        ("2024-09-10T08:00", "2028-02-29"),  # later: 28/2 would be next year's, so the next leap
        ("2023-12-31T08:00", "2024-02-29"),
        ("2099-06-01T08:00", "2104-02-29"),  # 2100 is not a leap year
    ],
)
def test_29_february_without_a_year(today, expected):
    now = parse_moment(today)
    for phrase in ("29/2", "ngày 29/2", "29-2", "ngày 29 tháng 2", "mùng 29 tháng hai"):
        result = vi_dates.parse(phrase, now)
        assert isinstance(result, vi_dates.When), (phrase, result)
        assert result.iso() == expected, phrase


def test_cli_answers_29_2_instead_of_crashing(capsys):
    assert main(["parse-date", "--today", "2022-08-10T08:00", "29/2"]) == 0
    assert capsys.readouterr().out.strip() == "2024-02-29"


@pytest.mark.parametrize(
    "phrase, reason",
    [
        ("31/4", "ngày 31/4 không tồn tại"),
        ("30/2", "ngày 30/2 không tồn tại"),
        ("ngày 31 tháng 6", "ngày 31/6 không tồn tại"),
        ("29/2/2023", "ngày 29/2/2023 không tồn tại"),
        ("32/1", "ngày 32/1 không tồn tại"),
        ("0/5", "ngày 0/5 không tồn tại"),
        ("5/13", "không có tháng 13"),
    ],
)
def test_days_that_never_exist_are_refused_in_vietnamese(phrase, reason):
    for today in ("2022-08-10T08:00", "2024-02-29T08:00", "2025-12-31T08:00"):
        result = vi_dates.parse(phrase, parse_moment(today))
        assert result == vi_dates.NotUnderstood(reason)


@pytest.mark.parametrize("phrase", ["năm 0000", "tháng 1/0000", "1/0000", "T1/0000"])
def test_year_0000_is_refused_not_a_crash(phrase):
    result = vi_dates.parse(phrase, parse_moment("2022-07-05T08:00"))
    assert result == vi_dates.NotUnderstood("không có năm 0000")
