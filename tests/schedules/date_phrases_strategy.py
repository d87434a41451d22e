"""Hypothesis strategies shared by the date property tests: dates from year 0 to far beyond 9999
written the ways secretaries write them, alone or inside a question, and the moment they are read.
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from bot.clock import TZ

# Every part may be out of range on its own: day 0 and 32, month 0 and 13, year 0 and 99999.
DAYS = st.integers(0, 32)
MONTHS = st.integers(0, 13)
YEARS = st.one_of(
    st.sampled_from([0, 1, 2, 9998, 9999, 10000, 99999]),  # the ends of the calendar and beyond
    st.sampled_from([99, 100, 1900, 1930, 2022, 2024, 2100]),  # short forms, old and near years
    st.integers(0, 99999),
)

FORMS = (
    "{d}/{m}/{y}",
    "{d}-{m}-{y}",
    "{d}.{m}.{y}",
    "{y}-{m:02d}-{d:02d}",
    "ngày {d} tháng {m} năm {y}",
    "mùng {d} tháng {m} năm {y}",
    "{d}/{m} năm {y}",
    "{d}/{m}",
    "tháng {m}/{y}",
    "tháng {m} năm {y}",
    "{m}/{y}",
    "T{m}/{y}",
    "năm {y}",
    "cuối năm {y}",
    "đầu năm {y}",
    "6 tháng đầu năm {y}",
    "6 tháng cuối năm {y}",
    "quý {q}/{y}",
    "quý {q} năm {y}",
    "cuối quý {q} năm {y}",
    "cuối tháng {m}/{y}",
    "trước ngày {d}/{m}/{y}",
    "từ nay đến {d}/{m}/{y}",
    "tháng {m} với tháng {m2} năm {y}",
    "{d}/{m}/{y} lúc {h}h",
    "thứ {w} ngày {d}/{m}/{y}",
    "tuần sau năm {y}",
    "{n} tháng tới",
    "{n} năm nữa",
    "{d}/{m}/{y} họp chi bộ, vậy tháng sau họp hôm nào",
)

ASKING = ("", "hạn nộp ", "có hạn gì ", "học gì ", "họp ngày nào ", "nộp gì ", "ai dự ")
AFTER = ("", " có gì", " học gì", " nộp gì?", " có hạn gì không", " hằng tháng", " nhé")


@st.composite
def phrases(draw: st.DrawFn) -> str:
    """One date phrase built from a drawn date, as typed."""
    form = draw(st.sampled_from(FORMS))
    return form.format(
        d=draw(DAYS),
        m=draw(MONTHS),
        m2=draw(MONTHS),
        y=draw(YEARS),
        q=draw(st.integers(0, 5)),
        h=draw(st.integers(0, 25)),
        w=draw(st.integers(1, 8)),
        n=draw(st.integers(0, 99999)),
    )


@st.composite
def questions(draw: st.DrawFn) -> str:
    """A date phrase inside a question or a statement, as a chat message."""
    return draw(st.sampled_from(ASKING)) + draw(phrases()) + draw(st.sampled_from(AFTER))


# The moment a message is read: the real clock's, within the bot's years of use and either side.
MOMENTS = st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31)).map(
    lambda d: d.replace(tzinfo=TZ)
)
