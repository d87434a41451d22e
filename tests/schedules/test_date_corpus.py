"""Every phrase of the date corpus resolves to its expected answer."""

from pathlib import Path

import pytest
import yaml

from bot.clock import parse_moment
from schedules import vi_dates

CORPUS = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "date_phrases.yaml").read_text("utf-8")
)
CASES = [
    (ref, phrase, str(expected))
    for ref, items in CORPUS.items()
    for phrase, expected in items.items()
]


def test_corpus_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize("ref, phrase, expected", CASES, ids=[f"{r[:10]}|{p}" for r, p, _ in CASES])
def test_phrase(ref, phrase, expected):
    result = vi_dates.parse(phrase, parse_moment(ref))
    if expected == "error":
        assert isinstance(result, vi_dates.NotUnderstood)
        assert result.message  # said in Vietnamese, never empty
    else:
        assert isinstance(result, vi_dates.When), result
        assert result.iso() == expected


def test_times_of_day_for_the_reminder_hour():
    """One time-of-day parser: every time said, in order, in the words secretaries use."""
    from datetime import time

    from schedules.vi_dates import NotUnderstood, clock_times

    said = {
        "nhắc lúc 5h30 sáng": [time(5, 30)],
        "chuyển giờ nhắc sang 5 giờ rưỡi sáng": [time(5, 30)],
        "doi gio nhac sang 8h toi": [time(20, 0)],
        "từ giờ nhắc tôi lúc 6 giờ chiều nhé": [time(18, 0)],
        "nhắc tôi lúc 6h": [time(6, 0)],  # "tôi" is me, not evening
        "remind me at 6am instead": [time(6, 0)],
        "7pm": [time(19, 0)],
        "bot nhắc lúc 7h30 sớm quá, cho 8h15 đi": [time(7, 30), time(8, 15)],
        "ngày 6 âm lịch": [],  # "âm" is lunar, not a.m.
        "could you remind the group at 6:45 pm": [time(18, 45)],  # minutes with pm
        "nhắc lúc 3 rưỡi chiều dc ko": [time(15, 30)],  # a half hour without "giờ"
        "11 rưỡi trưa": [time(11, 30)],
        "ngày 15 tối 8h": [time(20, 0)],  # a bare number is a day, not a time
        "nhắc trước 5p": [],
    }
    for text, expected in said.items():
        assert clock_times(text) == expected, text
    assert clock_times("25 giờ") == NotUnderstood("không có giờ 25 giờ")
    assert clock_times("13:10 pm") == NotUnderstood("không có giờ 13:10 pm")
