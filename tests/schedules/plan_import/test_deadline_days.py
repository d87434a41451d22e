"""Which day is a deadline's last: "trước ngày X" leaves X−1, "chậm nhất ngày X" and "hạn chót
ngày X" leave X itself. A plan's `before` is the day the last day comes before, and the calendar a
chat is reminded by (schedules.plan_calendar) counts down to the day before it."""

from datetime import date

import pytest

from schedules import plan_import
from schedules.model import Plan
from schedules.plan_calendar import Cell, dues
from schedules.plan_import import evidence

HEAD = "ĐẢNG ỦY XÃ AN BÌNH\nSố: 12-KH/ĐU\nKẾ HOẠCH\nvề sinh hoạt chuyên đề năm 2022\n"


def _deadline(sentence: str) -> dict:
    text = f"{HEAD}1. Thời gian: từ tháng 8/2022 đến tháng 12/2022.\n2. {sentence}\n"
    draft = plan_import.build(text, "plan.txt").data
    assert evidence.problems(draft, text) == []
    (only,) = draft["deadlines"]
    assert only["quote"] in " ".join(text.split())
    return only


@pytest.mark.parametrize(
    ("sentence", "before"),
    [
        ("Các chi bộ gửi báo cáo về Đảng ủy trước ngày 20/9/2022.", "20/9/2022"),
        ("Các chi bộ gửi báo cáo về Đảng ủy chậm nhất ngày 20/9/2022.", "21/9/2022"),
        ("Các chi bộ gửi báo cáo về Đảng ủy chậm nhất là ngày 31/8/2022.", "1/9/2022"),
        ("Các chi bộ nộp báo cáo, hạn chót ngày 31/12/2022.", "1/1/2023"),
    ],
)
def test_the_last_day_is_the_one_the_words_give(sentence, before):
    assert _deadline(sentence)["before"] == before


def test_a_chi_bo_is_reminded_up_to_the_day_chậm_nhất_names():
    """The draft, finished by a person, is a plan whose last day is the day written."""
    text = f"{HEAD}1. Thời gian: từ tháng 8/2022 đến tháng 12/2022.\n2. Các chi bộ gửi báo cáo về Đảng ủy chậm nhất ngày 20/9/2022.\n"
    data = {
        **plan_import.build(text, "plan.txt").data,
        "short_name": "An Bình",
        "title": "Kế hoạch sinh hoạt chuyên đề",
        "issuer": "Đảng ủy xã An Bình",
        "applies_to": "Các chi bộ",
        "todo": [],
    }
    plan = Plan.model_validate(data)
    (due,) = dues(plan, Cell())
    assert due.last_day == date(2022, 9, 20)
    assert due.quote.endswith("chậm nhất ngày 20/9/2022.")
