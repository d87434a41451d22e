"""Dates and deadlines asked: two clauses (a time told as past, the time asked), what is coming up,
a period or a part of a month (asked back when bare), a deadline named by shared words or by the
document it cites, date arithmetic, the plan's first or last month, the committee's session told
apart from the cell's. Asserted on the reply text."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import TZ
from tests.handlers import corpus_v2


@pytest.mark.parametrize(
    "text",
    ["@chibo_helper_bot 19/5", "Bot ơi, 19/5", "ad ơi 19/5", "trợ lý 19/5"],
)
async def test_a_date_after_a_call_to_the_bot_is_asked_back(chat, text):
    # Trà Vinh's quarterly report is what a date phrase used to list as "due" on any day.
    now = datetime(2022, 5, 10, 9, 0, tzinfo=TZ)
    chat.follows("tra-vinh-60-2022", rule=None, is_group=True)
    said = await chat(text, at=now)
    assert said.startswith("📅 Thứ Năm, 19/5/2022. Đồng chí muốn hỏi gì về ngày này?")
    assert "Báo cáo kết quả" not in said


async def test_the_words_asking_still_get_the_days_deadlines(chat):
    now = datetime(2022, 2, 21, 8, 0, tzinfo=TZ)
    chat.follows("thai-nguyen-49-2022", rule=None)
    said = await chat("Trợ lý ơi 27/2 có hạn gì", at=now)
    assert "(lần 1)" in said


async def test_a_bare_period_without_documents_to_study_is_asked_back(chat):
    now = datetime(2022, 11, 20, 9, 0, tzinfo=TZ)
    chat.follows("nq21-huyen-2022", rule=None)
    said = await chat("quý 4", at=now)
    assert said.startswith("📅 Quý IV/2022 (1/10/2022–31/12/2022). Đồng chí muốn hỏi gì")
    assert "“quý IV/2022 có hạn gì?”" in said
    assert "Đánh giá" not in said


async def test_a_bare_month_with_documents_to_study_still_shows_them(chat):
    now = datetime(2022, 6, 1, 9, 0, tzinfo=TZ)
    chat.follows("tra-vinh-60-2022", rule=None)
    said = await chat("tháng 7", at=now)
    assert "Đồng chí muốn hỏi gì" not in said
    assert "04-NQ/TW" in said  # the first document July lists


@pytest.mark.parametrize(
    ("text", "meeting"),
    [
        ("tuần trước họp rồi. Tháng sau họp ngày nào", "Thứ Sáu, 5/8/2022"),
        ("họp tháng 9 ngày mấy, tháng 8 lỡ mất rồi", "Thứ Hai, 5/9/2022"),
        ("thang nay hop xong roi con thang 10 hop hom nao", "Thứ Tư, 5/10/2022"),
    ],
)
async def test_the_clause_that_asks_gives_the_time(chat, text, meeting):
    reply = await chat.ask("kim-bang-35-2022", text, "2022-07-20T08:00")
    assert meeting in reply.text and "hai mốc" not in reply.text


async def test_a_past_clause_before_a_deadline_question_is_not_a_second_date(chat):
    reply = await chat.ask(
        "kim-bang-35-2022",
        "hôm qua nộp bc xong rồi vậy tuần sau có hạn gì không",
        "2022-07-20T08:00",
    )
    assert "Hạn trong tuần sau (25/7/2022–31/7/2022)" in reply.text


async def test_a_clause_told_done_without_run_on_words_is_still_a_clause(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "hôm qua họp rồi thì tháng sau họp hôm nào", "2022-07-20T08:00"
    )
    assert "Thứ Sáu, 5/8/2022" in reply.text and "hai mốc" not in reply.text


@pytest.mark.parametrize(
    "text",
    ["đã nộp bc đợt 1 hôm 10/6 rồi, đợt 2 hạn khi nào", "nộp đợt 1 xong rồi, đợt 2 nộp khi nào"],
)
async def test_what_a_done_clause_names_is_not_what_is_asked(chat, text):
    reply = await chat.ask("kim-bang-35-2022", text, "2022-07-20T08:00")
    assert "(đợt 2)" in reply.text and "Thứ Tư, 14/12/2022 — còn 147 ngày" in reply.text
    assert "(đợt 1)" not in reply.text and "10/6/2022" not in reply.text


async def test_two_times_both_asked_are_still_asked_back(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "tháng 8 họp ngày nào, tháng 9 họp ngày nào", "2022-07-20T08:00"
    )
    assert "hai mốc thời gian" in reply.text


@pytest.mark.parametrize(
    "text", ["vài hôm nữa chi bộ phải chuẩn bị gì", "sắp tới có gì ko ad", "anything coming up?"]
)
async def test_the_days_ahead_are_the_deadlines_coming(text):
    said = await corpus_v2.reply_text("kim-bang-35-2022", text, "2022-12-10T08:00")
    assert "Việc sắp đến hạn" in said and "Thứ Tư, 14/12/2022" in said


@pytest.mark.parametrize(
    "text",
    [
        "đăng ký kế hoạch sinh hoạt chuyên đề còn mấy ngày nữa",
        "dang ky to chuc hoi nghi chuyen de con nhieu ngay ko",
        "còn bao lâu nữa phải đăng ký thời gian hội nghị",
    ],
)
async def test_registering_a_session_date_is_a_deadline_asked_not_a_subscription(chat, text):
    reply = await chat.ask("ky-loi-2022", text, "2022-08-20T08:00")
    assert "Thứ Tư, 24/8/2022 — còn 4 ngày" in reply.text
    assert "Chọn kế hoạch" not in reply.text


async def test_a_wish_to_subscribe_is_still_one(chat):
    reply = await chat.ask("ky-loi-2022", "đăng ký theo dõi kế hoạch Kim Bảng", "2022-08-20T08:00")
    assert "/dangky kim-bang-35-2022" in reply.text and "Hạn:" not in reply.text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("@trolychibo_bot giữa tháng 10", "Giữa tháng 10/2022 (11/10/2022–20/10/2022)"),
        ("đầu tháng sau", "Đầu tháng 10/2022 (1/10/2022–10/10/2022)"),
        ("Bot ơi cuối tháng này", "Cuối tháng 9/2022 (21/9/2022–30/9/2022)"),
    ],
)
async def test_a_bare_part_of_a_month_is_asked_back_not_listed(chat, text, said):
    reply = await chat.ask("tra-vinh-60-2022", text, "2022-09-12T09:00")
    assert said in reply.text and "muốn hỏi gì" in reply.text
    assert "Hạn trong" not in reply.text and "📚" not in reply.text


async def test_a_bare_month_still_shows_what_is_studied_in_it(chat):
    reply = await chat.ask("tra-vinh-60-2022", "tháng 10", "2022-09-12T09:00")
    assert reply.text.startswith("📚 Tháng 10/2022")


@pytest.mark.parametrize(
    "text", ["QĐ 37 phải học xong khi nào", "quan triet ket luan 21 xong truoc ngay may"]
)
async def test_a_document_abbreviation_names_the_deadline_citing_it(chat, text):
    reply = await chat.ask("thai-nguyen-49-2022", text, "2022-02-21T10:00")
    assert "Quy định 37-QĐ/TW" in reply.text and "Chủ nhật, 27/2/2022 — còn 6 ngày" in reply.text
    assert "19/6/2022" not in reply.text


async def test_a_document_no_deadline_cites_keeps_its_own_answer(chat):
    reply = await chat.ask("tra-vinh-60-2022", "nghị quyết 04 học khi nào", "2022-06-01T08:00")
    assert "04-NQ/TW" in reply.text and "Hạn:" not in reply.text


async def test_southern_bua_is_the_day_asked(chat):
    reply = await chat.ask(
        "ky-loi-2022", "tháng 8 họp rồi, tháng 9 họp bữa nào", "2022-08-17T08:00"
    )
    assert "Thứ Hai, 5/9/2022" in reply.text and "hai mốc" not in reply.text
    due = await chat.ask(
        "ky-loi-2022", "dang ky thoi gian hoi nghi con may bua", "2022-08-17T08:00"
    )
    assert "Thứ Tư, 24/8/2022 — còn 7 ngày" in due.text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("cuối tuần này là ngày mấy", "Chủ nhật, 16/10/2022"),  # a period's end
        ("cuoi thang sau la ngay bao nhieu", "Thứ Tư, 30/11/2022"),
        ("đầu tháng sau là ngày mấy", "Thứ Ba, 1/11/2022"),  # its start
        ("10 ngày nữa là ngày nào", "Thứ Sáu, 21/10/2022"),  # a count of days ahead
        ("3 tuần nữa là ngày nào vậy bot", "Thứ Ba, 1/11/2022"),
    ],
)
async def test_a_date_phrase_asked_as_such_gets_its_date(chat, text, day):
    reply = await chat.ask("tra-vinh-60-2022", text, "2022-10-11T08:00")
    assert day in reply.text, reply.text
    assert "Hạn:" not in reply.text and "Thời gian:" not in reply.text  # no deadline answered


async def test_a_period_asked_as_a_date_is_given_as_its_days(chat):
    reply = await chat.ask("tra-vinh-60-2022", "tuần sau là ngày nào", "2022-10-11T08:00")
    assert "Thứ Hai, 17/10/2022" in reply.text and "Chủ nhật, 23/10/2022" in reply.text


async def test_a_day_that_many_months_ahead_is_still_one_day(chat):
    reply = await chat.ask("tra-vinh-60-2022", "2 tháng nữa là ngày nào", "2022-06-10T08:00")
    assert "Thứ Tư, 10/8/2022" in reply.text and "–" not in reply.text


async def test_the_question_inside_a_chatty_message_is_answered_not_the_meeting_told_done(chat):
    reply = await chat.ask(
        "kim-bang-35-2022",
        "Chào bot, tuần trước chi bộ họp xong rồi, mọi người hỏi báo cáo đợt 2 hạn khi nào, "
        "mình không nhớ. Bot xem giúp nhé",
        "2022-07-20T08:00",
    )
    assert "(đợt 2)" in reply.text and "Thứ Tư, 14/12/2022 — còn 147 ngày" in reply.text
    assert "Kỳ họp" not in reply.text, reply.text


@pytest.mark.parametrize(
    "text",
    [
        "tháng 12 kế hoạch này có hạn gì không hay sắp kết thúc rồi",
        "thang 12 co han nao ko hay ke hoach moi bat dau",
    ],
)
async def test_which_deadlines_asked_beside_a_guess_lists_the_deadlines(chat, text):
    reply = await chat.ask("kim-bang-35-2022", text, "2022-11-20T08:00")
    assert reply.text.startswith("⏰ Hạn trong tháng 12/2022"), reply.text
    assert "14/12/2022" in reply.text and "Trạng thái:" not in reply.text


async def test_until_the_end_of_the_year_lists_what_is_due_in_it_only(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "từ nay tới cuối năm có hạn nào không", "2022-11-01T08:00"
    )
    assert "14/12/2022" in reply.text and "14/6/2022" not in reply.text


async def test_an_empty_quarter_says_so_and_gives_the_next_deadline_not_a_guess(chat):
    reply = await chat.ask("thai-nguyen-49-2022", "quý 3 nộp báo cáo gì", "2022-07-05T08:00")
    assert "không có hạn nào" in reply.text and "Hạn gần nhất sau đó" in reply.text
    assert "19/12/2022" in reply.text and "30/9/2022" not in reply.text


async def test_the_committees_session_is_told_apart_from_the_cells(chat):
    reply = await chat.ask(
        "ky-loi-2022",
        "ban chấp hành đảng ủy sinh hoạt chuyên đề xong trước ngày mấy",
        "2022-08-20T08:00",
    )
    assert "Thứ Hai, 5/9/2022" in reply.text and "19/9/2022" not in reply.text


async def test_the_number_of_a_period_is_not_evidence_for_an_item_worded_with_it(chat):
    reply = await chat.ask("kim-bang-35-2022", "quý 4 có hạn gì", "2022-09-01T08:00")
    assert "Hạn trong quý IV/2022" in reply.text and "14/12/2022" in reply.text


@pytest.mark.parametrize(
    ("text", "month", "number"),
    [
        ("tháng cuối cùng của kế hoạch học những văn bản gì", "Tháng 11/2022", "52-KH/ĐUK"),
        ("which documents in the final month of the plan", "Tháng 11/2022", "21-KL/TW"),
        ("thang dau tien cua ke hoach hoc gi", "Tháng 4/2022", "18-CTr/TU"),
    ],
)
async def test_the_plans_first_or_last_month_is_that_month_whatever_today_is(
    chat, text, month, number
):
    reply = await chat.ask("tra-vinh-60-2022", text, "2022-07-15T08:00")
    assert reply.text.startswith(f"📚 {month}") and number in reply.text
