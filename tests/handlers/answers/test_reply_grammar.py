"""Grammar every answer keeps (issue 11): one time style (7:30, 19:30), "Hạn ngày 10/8/2022" and
never "Hạn trong 10/8/2022", no "kế hoạch Kế hoạch", no brackets doubled or nested, a weekday
meeting rule never speaks of weekends, and the district is Kim Bảng."""

import re
from datetime import datetime

import pytest

from bot.clock import TZ
from handlers import answers
from handlers.router import route
from schedules import catalog
from schedules.meetings import MeetingRule
from schedules.plan_calendar import Cell
from tests.handlers.sweep_inputs import corpus_phrases

OFFENCES = {
    "kế hoạch Kế hoạch": re.compile(r"[Kk]ế hoạch Kế hoạch"),
    "brackets doubled": re.compile(r"\(\(|\)\)|\)\s*\("),
    "brackets nested": re.compile(r"\([^()]*\([^()]*\)[^()]*\)"),
    "Hạn trong a date": re.compile(r"Hạn trong \d{1,2}/\d{1,2}/\d{4}"),
    "time as 19h30": re.compile(r"\b\d{1,2}h\d{0,2}\b"),
    "Kim Bang without its diacritics": re.compile(r"Kim Bang\b"),
}


def _nested(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth > 1:
            return True
    return False


def offences(text: str) -> list[str]:
    found = [name for name, rx in OFFENCES.items() if rx.search(text)]
    if _nested(text) and "brackets nested" not in found:
        found.append("brackets nested")
    return found


def test_the_checker_catches_each_offence():
    assert offences("Tháng 8/2022 nằm ngoài kế hoạch Kế hoạch thực hiện 42") == [
        "kế hoạch Kế hoạch"
    ]
    assert offences("Hồ Chí Minh (19/5/1890 - 19/5/2022) (19/5).") == ["brackets doubled"]
    assert offences("sau ngày 27/10/2022 (ngày của (42) Chương trình).") == ["brackets nested"]
    assert offences("(tính từ 42-CTr/TU (10/2022) đến (năm 2030).)") == ["brackets nested"]
    assert offences("⏰ Hạn trong 10/8/2022 — X:") == ["Hạn trong a date"]
    assert offences("lúc 19h30") == ["time as 19h30"] and offences("lúc 19h") == ["time as 19h30"]
    assert offences("Hạn ngày Thứ Tư, 10/8/2022, lúc 19:30 — Kim Bảng 35-KH/HU") == []


@pytest.mark.parametrize("when", ["2022-03-01T08:00", "2022-08-20T08:00", "2023-06-01T08:00"])
def test_no_answer_to_any_corpus_question_breaks_the_grammar(when):
    now = datetime.fromisoformat(when).replace(tzinfo=TZ)
    plans = catalog.load().sorted()
    found: dict[str, str] = {}
    for q in corpus_phrases():
        intent = route(q, now)
        for chosen in [[p] for p in plans] + [plans]:
            text = answers.answer(intent, chosen, Cell(), now.date()).text
            for name in offences(text):
                found.setdefault(name, f"{q!r}: {text}")
    assert found == {}


async def test_a_weekday_meeting_rule_is_shown_with_one_time_style_and_no_weekend(chat):
    chat.follows("kim-bang-35-2022", rule="thứ 6 đầu tiên hằng tháng lúc 19h30")
    text = await chat.text("ngày họp chi bộ", at="2022-08-10T08:00")
    assert text == (
        "🗓 Kỳ họp chi bộ tới: Thứ Hai, 5/9/2022 lúc 19:30 (còn 26 ngày; ngày 2/9/2022 là ngày "
        "nghỉ lễ, nên lùi sang ngày làm việc kế tiếp).\n"
        "Lịch họp của chi bộ: Thứ Sáu đầu tiên của tháng, lúc 19:30 (trùng ngày lễ thì lùi sang "
        "ngày làm việc kế tiếp). Đổi trong /caidat."
    )


def test_a_day_of_the_month_may_fall_on_a_weekend_and_says_so():
    rule = MeetingRule(day=3, at="07:30")
    assert rule.describe() == (
        "ngày 3 hằng tháng, lúc 7:30 (trùng thứ Bảy, Chủ nhật hoặc ngày lễ thì lùi sang ngày làm "
        "việc kế tiếp)"
    )


async def test_deadlines_of_a_span_without_a_name_say_from_and_to(chat):
    chat.follows("kim-bang-35-2022", rule="ngày 3 hằng tháng")
    text = await chat.text("từ giờ đến 20/9 có hạn gì", at="2022-08-20T08:00")
    assert "Hạn từ 20/8/2022 đến 20/9/2022 — Kim Bảng 35-KH/HU" in text, text
    assert offences(text) == []
