"""Every date reader, fed dates from year 0 to far beyond 9999 and the phrases built from them,
answers with a date or a reason — never an exception (a year like 9999 raised in the answers)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings

from handlers import time_read
from handlers.lexicon import words_of
from handlers.router import asks_when, route
from schedules import meetings, vi_dates
from tests.schedules.date_phrases_strategy import MOMENTS, phrases, questions

FAST = settings(max_examples=150, deadline=None)


def _asks(clause: str) -> bool:
    return asks_when(words_of(clause))


@FAST
@given(text=phrases(), now=MOMENTS)
def test_a_phrase_is_read_or_refused(text: str, now: datetime) -> None:
    for found in (vi_dates.parse(text, now), vi_dates.find(text, now)):
        assert found is None or isinstance(found, vi_dates.When | vi_dates.NotUnderstood)
    for _, when in vi_dates.find_all(text, now):
        assert when.start <= when.end
        when.text(), when.iso()  # what answers show of it


@FAST
@given(text=questions(), now=MOMENTS)
def test_a_message_is_read_or_refused(text: str, now: datetime) -> None:
    when, error = time_read.read(text, now, _asks)
    assert when is None or error is None
    if when is not None:
        when.text()
    time_read.stated_rule(text)
    time_read.asked_part(text, _asks)
    vi_dates.clock_times(time_read.wished_part(text))
    vi_dates.take_clock(text)
    meetings.parse_rule(text)
    route(text, now)


def test_year_9999_is_refused_with_a_reason() -> None:
    now = datetime.fromisoformat("2026-12-07T08:00+07:00")
    for text in ("hạn nộp 31/12/9999", "cuối năm 9999", "quý 4/9999"):
        when, error = time_read.read(text, now, _asks)
        assert when is None and error and "9999" in error, (text, when, error)
