"""Questions in words of our own for each kind the third (blind) corpus found missing (issue 11):
topics the plans do not state, months without a list, Telex leftovers, a period asked as a list,
the plan's own number and start, targets asked one or all. Asserted on the reply text."""

import pytest

from tests.handlers.test_understanding_more import ask

# ── what the plan does not say ───────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("plan", "text", "said"),
    [
        ("ky-loi-2022", "sinh hoạt chuyên đề họp ở phòng họp nào vậy", "địa điểm"),
        ("kim-bang-35-2022", "khi nào tiến hành đại hội chi bộ", "đại hội chi bộ"),
        ("thai-nguyen-49-2022", "nộp bản mềm báo cáo lần 2 được không", "bản mềm"),
        ("tra-vinh-60-2022", "cho xin link tải các nghị quyết tháng này", "tệp văn bản"),
        ("ky-loi-2022", "đảng viên đi làm xa thì có được miễn sinh hoạt không", "làm ăn xa"),
    ],
)
async def test_a_topic_no_plan_states_is_said_plainly(plan, text, said):
    reply = await ask(plan, text, "2022-08-20T08:00")
    assert "không nêu" in reply.text and said in reply.text


async def test_a_soft_copy_question_gives_the_addresses_the_plan_does_give():
    reply = await ask("kim-bang-35-2022", "gửi bản mềm báo cáo đợt 2 được ko", "2022-06-01T08:00")
    assert "không nêu" in reply.text and "Ban Tuyên giáo Huyện ủy" in reply.text


async def test_how_long_a_study_lasts_is_the_plan_line_that_says_it():
    reply = await ask(
        "thai-nguyen-49-2022", "quán triệt Quy định 37 mất bao lâu", "2022-02-20T08:00"
    )
    assert "1/2 ngày" in reply.text and "không nêu" not in reply.text


async def test_a_plan_without_monthly_documents_or_targets_says_it_has_none():
    month = await ask("kim-bang-35-2022", "thang 8 hoc tai lieu gi", "2022-08-01T08:00")
    assert "không ghi văn bản học theo từng tháng" in month.text
    targets = await ask("ky-loi-2022", "kế hoạch đặt ra chỉ tiêu gì", "2022-08-20T08:00")
    assert "không có chỉ tiêu bằng số" in targets.text
    outside = await ask("tra-vinh-60-2022", "tháng 1 năm 2023 học gì", "2022-12-20T08:00")
    assert "nằm ngoài" in outside.text and "không ghi văn bản học nào" in outside.text


# ── Telex leftovers, the plan's own months, English ─────────────────────────────────────────


async def test_telex_tone_keys_left_at_word_ends_are_read_as_the_words():
    reply = await ask("tra-vinh-60-2022", "thangs 7 hocj nhungx gi", "2022-06-20T08:00")
    assert reply.text.startswith("📚 Tháng 7/2022") and "04-NQ/TW" in reply.text
    due = await ask(
        "ky-loi-2022", "ngayf nao het hanj gui ke hoach sinh hoat chuyen de", "2022-08-20T08:00"
    )
    assert "24/8/2022" in due.text


async def test_english_this_is_not_a_telex_leftover():
    reply = await ask("tra-vinh-60-2022", "which documents this month", "2022-05-03T08:00")
    assert reply.text.startswith("📚 Tháng 5/2022")


@pytest.mark.parametrize(
    ("text", "month", "number"),
    [
        ("tháng cuối cùng của kế hoạch học những văn bản gì", "Tháng 11/2022", "52-KH/ĐUK"),
        ("which documents in the final month of the plan", "Tháng 11/2022", "21-KL/TW"),
        ("thang dau tien cua ke hoach hoc gi", "Tháng 4/2022", "18-CTr/TU"),
    ],
)
async def test_the_plans_first_or_last_month_is_that_month_whatever_today_is(text, month, number):
    reply = await ask("tra-vinh-60-2022", text, "2022-07-15T08:00")
    assert reply.text.startswith(f"📚 {month}") and number in reply.text


async def test_the_meeting_after_a_month_whose_meeting_is_past():
    reply = await ask("kim-bang-35-2022", "tháng 7 họp rồi, kỳ tới họp hôm nào", "2022-07-20T08:00")
    assert "Thứ Sáu, 5/8/2022" in reply.text and "5/7/2022" not in reply.text


# ── the plan itself: its number, its start, its issuing; another plan's document ─────────────


@pytest.mark.parametrize(
    ("plan", "text", "fact"),
    [
        ("kim-bang-35-2022", "kế hoạch ban hành hồi tháng mấy vậy", "tháng 4 năm 2022"),
        ("thai-nguyen-49-2022", "đợt sinh hoạt chính trị bắt đầu lúc nào", "từ 2/2022"),
        ("ky-loi-2022", "kế hoạch sinh hoạt chuyên đề của xã số mấy ngày nào", "không ghi số"),
        ("kim-bang-35-2022", "kh 35 can cu vao van ban nao", "07-HD/TU"),
    ],
)
async def test_a_question_about_the_plan_itself_is_not_a_deadline_sharing_its_words(
    plan, text, fact
):
    reply = await ask(plan, text, "2022-08-20T08:00")
    assert reply.text.startswith("🗂") and fact in reply.text and "⏰" not in reply.text


async def test_another_issuers_document_with_the_same_number_is_not_that_plan():
    reply = await ask(
        "kim-bang-35-2022", "53-KH/ĐUK của Trà Vinh là kế hoạch gì", "2022-06-01T08:00"
    )
    assert "ngày 3/3/2022" in reply.text and "Trả lời theo Trà Vinh" in reply.text
    assert "35-KH/TU" not in reply.text


# ── targets one or all, the theme, a month's content asked with the meeting's words ──────────


async def test_one_target_asked_is_answered_alone_and_all_when_all_are_asked():
    one = await ask(
        "nq21-huyen-2022", "tới 2030 tỉ lệ chi bộ có cấp ủy là bao nhiêu", "2022-11-01T08:00"
    )
    assert "trên 90%" in one.text and "25%" not in one.text and "3%" not in one.text
    every = await ask("nq21-huyen-2022", "liệt kê tất cả chỉ tiêu giúp tôi", "2022-11-01T08:00")
    assert all(v in every.text for v in ("3%", "25%", "trên 90%", "01 - 02"))


async def test_the_theme_of_the_campaign_is_the_theme_not_the_plan_header():
    reply = await ask("kim-bang-35-2022", "chủ đề của đợt sinh hoạt lần này", "2022-05-01T08:00")
    assert "Tự soi, tự sửa" in reply.text and not reply.text.startswith("🗂")


async def test_what_the_meeting_studies_in_a_month_is_the_months_content():
    reply = await ask(
        "tra-vinh-60-2022", "sinh hoạt chi bộ tháng 8 học nội dung gì", "2022-07-20T08:00"
    )
    assert reply.text.startswith("📚 Tháng 8/2022")


# ── one capability per row: the reply carries what is asked and not its neighbour ─────────────

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
async def test_each_capability_answers_what_is_asked(case):
    plan, text, at, cell, present, absent = CASES[case]
    reply = await ask(plan, text, at, cell)
    assert all(p in reply.text for p in present), reply.text
    assert not any(a in reply.text for a in absent), reply.text
