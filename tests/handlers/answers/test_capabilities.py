"""One capability per row, each from a kind the third (blind) corpus found missing: the reply
carries what is asked and not its neighbour's answer."""

from __future__ import annotations

import pytest

CASES = {
    # a period asked as a list lists it; "còn" (remaining) is not a word of "các chi bộ còn lại"
    "period_list": (
        "ky-loi-2022",
        "từ hôm nay đến hết tháng 9 còn các hạn gì",
        "2022-08-21T08:00",
        "Tân Phúc Thành 1",
        ["24/8/2022", "19/9/2022"],
        [],
    ),
    # asking words after "chi bộ" are not a cell's name: the pilot cell keeps its own deadline
    "not_a_cell_name": (
        "ky-loi-2022",
        "đến 10/9 chi bộ còn phải nộp gì",
        "2022-09-05T08:00",
        "Tân Phúc Thành 3",
        ["Thứ Sáu, 9/9/2022"],
        ["19/9/2022"],
    ),
    # next year's duties are not the target worded "hoàn thành tốt nhiệm vụ"
    "next_year": (
        "nq21-huyen-2022",
        "năm tới chi bộ phải hoàn thành những gì",
        "2022-12-10T08:00",
        None,
        ["2023"],
        ["📊"],
    ),
    # an occasion named by its day
    "occasion": (
        "thai-nguyen-49-2022",
        "ngày sinh chủ tịch Hồ Chí Minh năm 1890 kỷ niệm mấy năm",
        "2022-05-01T08:00",
        None,
        ["132 năm", "19/5/2022"],
        [],
    ),
    # a deadline checked by the plan's own date, with "hôm nay" beside it: that deadline, today
    "plan_date_and_today": (
        "thai-nguyen-49-2022",
        "bc lần 2 nộp trước 20/6 phải ko, hôm nay còn kịp ko",
        "2022-06-19T07:00",
        None,
        ["(lần 2)", "hôm nay"],
        ["(lần 3)"],
    ),
    # a named cell is never told the pilot cell's own deadline
    "not_the_pilot": (
        "ky-loi-2022",
        "chi bộ sinh hoạt chuyên đề xong trước ngày nào?",
        "2022-09-01T08:00",
        "Tân Phúc Thành 2",
        ["19/9/2022"],
        ["Thứ Sáu, 9/9/2022"],
    ),
    # whom to send one named report to: that report, its recipient and its day
    "one_report": (
        "thai-nguyen-49-2022",
        "báo cáo tổng kết học tập quán triệt nộp cho ai, hạn ngày nào",
        "2022-02-21T08:00",
        None,
        ["Ban Tuyên giáo Tỉnh ủy", "27/2/2022"],
        ["(lần 2)"],
    ),
    # a listed document asked by its subject, in a month or not; a month alone is its whole list
    "subject_in_month": (
        "tra-vinh-60-2022",
        "tháng 8 có văn bản nào nói về trách nhiệm người đứng đầu",
        "2022-07-20T08:00",
        None,
        ["724-QĐ/TU"],
        ["41-KH/TU"],
    ),
    "subject_without_number": (
        "tra-vinh-60-2022",
        "quy định về tự giác đi đầu gương mẫu học vào tháng nào",
        "2022-04-20T08:00",
        None,
        ["2400-QĐ/TU", "tháng 5/2022"],
        [],
    ),
    "month_alone": (
        "tra-vinh-60-2022",
        "tháng 7 học gì",
        "2022-06-20T08:00",
        None,
        ["04-NQ/TW", "11-CTr/TU", "31-KH/ĐUK"],
        [],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_each_capability_answers_what_is_asked(chat, case):
    plan, text, at, cell, present, absent = CASES[case]
    reply = await chat.ask(plan, text, at, cell)
    assert all(p in reply.text for p in present), reply.text
    assert not any(a in reply.text for a in absent), reply.text
