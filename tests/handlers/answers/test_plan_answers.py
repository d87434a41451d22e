"""Answers a plan holds, asked in words of our own (not the blind corpus's): a session's programme
asked without “trình tự”. Asserted on the reply text."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "cho xin kịch bản hội nghị chuyên đề của chi bộ",
        "buổi sinh hoạt chuyên đề chi bộ tổ chức gồm mấy phần vậy",
        "chuong trinh hop chuyen de o chi bo ra sao",
        "what's the agenda for our cell's session?",
        "buổi hội nghị chuyên đề chi bộ diễn ra như thế nào",
    ],
)
async def test_the_cells_programme_asked_in_other_words_is_its_agenda(chat, text):
    reply = await chat.ask("ky-loi-2022", text, "2022-09-01T08:00", cell="Chi bộ thôn Tân Phong")
    for part in ("Mở đầu", "Tiến hành sinh hoạt", "Kết thúc"):
        assert part in reply.text, reply.text
    assert "chi bộ điểm" not in reply.text  # the session's name alone asks about the pilot


async def test_a_plan_without_a_model_agenda_says_so_and_gives_the_forms_it_names(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "kịch bản buổi sinh hoạt chính trị thế nào", "2022-06-01T08:00"
    )
    assert "không có trình tự" in reply.text
    assert "tọa đàm" in reply.text  # the plan's own “Hình thức: …”, said as such
    assert "Mở đầu" not in reply.text  # never another plan's agenda


@pytest.mark.parametrize(
    ("plan", "text", "said"),
    [
        ("thai-nguyen-49-2022", "chi bộ phải sinh hoạt chính trị mấy lần 1 tháng", ["hằng tháng"]),
        ("kim-bang-35-2022", "sh chuyen de chi bo bao lau mot lan", ["hằng quý"]),
        ("tra-vinh-60-2022", "how often do we study this?", ["hằng tháng", "11/2022"]),
        ("thai-nguyen-49-2022", "kế hoạch tổ chức vào những dịp nào trong năm", ["3/2", "19/5"]),
        ("kim-bang-35-2022", "thời gian tổ chức đợt này ra sao", ["hằng tháng", "cao điểm"]),
    ],
)
async def test_when_the_activity_is_held_comes_from_the_plan_not_its_report_deadlines(
    chat, plan, text, said
):
    reply = await chat.ask(plan, text, "2022-05-10T08:00")
    assert [s for s in said if s not in reply.text] == [], reply.text
    assert "⏰" not in reply.text  # no list of report deadlines
    assert "Tháng 1" not in reply.text  # "1 tháng", "một lần" are no month


async def test_a_report_asked_how_often_gives_each_of_its_deadlines(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "báo cáo kết quả nộp mấy tháng 1 lần", "2022-05-10T08:00"
    )
    assert "14/6/2022" in reply.text and "14/12/2022" in reply.text


async def test_a_plan_of_one_session_says_it_sets_no_repeat_and_gives_its_deadline(chat):
    reply = await chat.ask(
        "ky-loi-2022",
        "hội nghị chuyên đề bao lâu một lần",
        "2022-08-25T08:00",
        cell="Chi bộ thôn Tân Phong",
    )
    assert "không nêu lịch tổ chức định kỳ" in reply.text and "19/9/2022" in reply.text


async def test_a_question_giving_the_cells_session_day_is_answered_with_it_and_saves_nothing(chat):
    reply = await chat.ask(
        "ky-loi-2022",
        "nếu chi bộ tổ chức hội nghị chuyên đề hôm 14/9 thì báo cáo phải nộp chậm nhất ngày mấy",
        "2022-09-01T08:00",
        cell="Chi bộ thôn Tân Phong",
    )
    assert "9/9/2022" in reply.text  # five days before 14/9: the last day is 9/9
    assert "/caidat" not in reply.text
    assert "Lưu" not in [b.label for row in reply.buttons for b in row]
    assert chat.sub is not None and chat.sub.cell_dates == {}
    # what it says to type to keep the day does read it back for ✅ Lưu
    saving = await chat.reply("chi bộ sinh hoạt chuyên đề ngày 14/9", at="2022-09-01T08:05")
    assert any("Lưu" in b.label for row in saving.buttons for b in row), saving.text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("sh chuyen de ngay 21/9 co tre han ko", "trễ hạn 2 ngày"),
        ("chi bộ hội nghị chuyên đề 18/9 có kịp không", "kịp hạn"),
    ],
)
async def test_the_day_given_is_checked_against_the_deadline_to_hold_the_session(chat, text, said):
    reply = await chat.ask("ky-loi-2022", text, "2022-09-01T08:00", cell="Chi bộ thôn Hải Phong")
    assert said in reply.text and "19/9/2022" in reply.text, reply.text


async def test_a_horizon_asked_gives_what_the_plan_sets_for_that_year(chat):
    reply = await chat.ask(
        "nq21-huyen-2022", "tới năm 2030 chi bộ phải đạt những gì", "2022-12-01T08:00"
    )
    assert "trên 90%" in reply.text and "01 tổ chức" in reply.text
    assert "2023" not in reply.text  # another year's milestone is not this year's


async def test_a_year_the_plan_sets_nothing_for_is_said_so_with_the_years_it_does_set(chat):
    reply = await chat.ask("nq21-huyen-2022", "chi tieu nam 2027 la gi", "2022-12-01T08:00")
    assert "không nêu chỉ tiêu hay mốc riêng cho năm 2027" in reply.text
    assert "hằng năm" in reply.text and "3%" in reply.text  # the yearly targets hold that year too


async def test_the_milestones_by_year_are_listed_by_year(chat):
    reply = await chat.ask(
        "nq21-huyen-2022", "kế hoạch có các mốc theo năm thế nào", "2022-12-01T08:00"
    )
    assert reply.text.index("Năm 2023") < reply.text.index("Năm 2030")


async def test_a_plan_without_targets_asked_a_years_target_says_it_has_none(chat):
    reply = await chat.ask("kim-bang-35-2022", "chỉ tiêu năm 2022 là bao nhiêu", "2022-06-01T08:00")
    assert "không có chỉ tiêu" in reply.text


async def test_a_horizon_the_plan_sets_nothing_for_is_said_so_with_its_milestones(chat):
    reply = await chat.ask("nq21-huyen-2022", "by 2027 what must we reach", "2022-12-01T08:00")
    assert "không nêu chỉ tiêu hay mốc riêng cho năm 2027" in reply.text
    assert "Năm 2023" in reply.text and "Năm 2030" in reply.text


@pytest.mark.parametrize(
    ("plan", "text", "kind"),
    [
        ("thai-nguyen-49-2022", "bao giờ hết hạn gửi tham luận", "nộp bài tham luận"),
        ("tra-vinh-60-2022", "han dk sinh hoat chinh tri la khi nao", "đăng ký"),
    ],
)
async def test_a_kind_of_deadline_the_plan_does_not_set_is_said_so_not_replaced(
    chat, plan, text, kind
):
    reply = await chat.ask(plan, text, "2022-06-01T08:00")
    assert f"không nêu hạn {kind}" in reply.text
    assert "⏰" not in reply.text  # no deadline of another kind in its place


async def test_a_kind_the_plan_does_set_keeps_its_deadline(chat):
    reply = await chat.ask("ky-loi-2022", "hạn dk thời gian hn chuyên đề", "2022-08-15T08:00")
    assert "24/8/2022" in reply.text and "không nêu hạn" not in reply.text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("hn chuyên đề", ["hoi", "nghi", "chuyen", "de"]),
        ("hn nộp bc", ["han", "nop", "bao", "cao"]),
        ("dk thg 9", ["dang", "ky", "thang", "9"]),
        ("vb nào sh cb", ["van", "ban", "nao", "sinh", "hoat", "chi", "bo"]),
    ],
)
def test_chat_shorthand_is_read_by_what_follows_it(typed, read):
    from handlers.lexicon import words_of

    assert words_of(typed) == read


async def test_how_many_days_before_the_session_gives_each_step_the_cells_first(chat):
    reply = await chat.ask(
        "ky-loi-2022",
        "báo cáo phải nộp trước bao nhiêu ngày so với hội nghị của chi bộ",
        "2022-08-20T08:00",
        cell="Chi bộ thôn Tây Yên",
    )
    assert "trước 5 ngày" in reply.text and "trước 3 ngày" in reply.text
    assert reply.text.index("trước 5 ngày") < reply.text.index("trước 3 ngày")
    assert "25/8/2022" not in reply.text  # the registration deadline is another question
