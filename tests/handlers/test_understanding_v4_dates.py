"""Dates and deadlines — questions in words of our own for each kind the fourth (blind) corpus found missing (issue 11):
two-clause messages telling a past time and asking another, the next meeting asked in English,
what is coming up, a deadline named with "đăng ký" in it or by a document's abbreviation, the
pilot cell's own deadline, a bare period. Asserted on the reply text."""

import pytest

from tests.handlers import corpus_v2
from tests.handlers.test_understanding_more import ask

# ── two clauses: a time told as past, and the time asked ────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "meeting"),
    [
        ("tuần trước họp rồi. Tháng sau họp ngày nào", "Thứ Sáu, 5/8/2022"),
        ("họp tháng 9 ngày mấy, tháng 8 lỡ mất rồi", "Thứ Hai, 5/9/2022"),
        ("thang nay hop xong roi con thang 10 hop hom nao", "Thứ Tư, 5/10/2022"),
    ],
)
async def test_the_clause_that_asks_gives_the_time(text, meeting):
    reply = await ask("kim-bang-35-2022", text, "2022-07-20T08:00")
    assert meeting in reply.text and "hai mốc" not in reply.text


async def test_a_past_clause_before_a_deadline_question_is_not_a_second_date():
    reply = await ask(
        "kim-bang-35-2022",
        "hôm qua nộp bc xong rồi vậy tuần sau có hạn gì không",
        "2022-07-20T08:00",
    )
    assert "Hạn trong tuần sau (25/7/2022–31/7/2022)" in reply.text


async def test_a_clause_told_done_without_run_on_words_is_still_a_clause():
    reply = await ask(
        "kim-bang-35-2022", "hôm qua họp rồi thì tháng sau họp hôm nào", "2022-07-20T08:00"
    )
    assert "Thứ Sáu, 5/8/2022" in reply.text and "hai mốc" not in reply.text


@pytest.mark.parametrize(
    "text",
    ["đã nộp bc đợt 1 hôm 10/6 rồi, đợt 2 hạn khi nào", "nộp đợt 1 xong rồi, đợt 2 nộp khi nào"],
)
async def test_what_a_done_clause_names_is_not_what_is_asked(text):
    reply = await ask("kim-bang-35-2022", text, "2022-07-20T08:00")
    assert "(đợt 2)" in reply.text and "Thứ Tư, 14/12/2022 — còn 147 ngày" in reply.text
    assert "(đợt 1)" not in reply.text and "10/6/2022" not in reply.text


async def test_two_times_both_asked_are_still_asked_back():
    reply = await ask(
        "kim-bang-35-2022", "tháng 8 họp ngày nào, tháng 9 họp ngày nào", "2022-07-20T08:00"
    )
    assert "hai mốc thời gian" in reply.text


# ── the next meeting, asked in English or by its hour ───────────────────────────────────────


async def _asked(plan: str, text: str, at: str, meeting: str | None = None, cell=None) -> str:
    """The reply's text (with its buttons' labels) to a chat with this meeting rule and cell."""
    entry = {"q": text, "plan": plan, "today": at, "expects": "answer"}
    entry["cell"] = {"name": cell, "meeting": meeting, "dates": {}}
    return (await corpus_v2.ask(entry)).text


@pytest.mark.parametrize(
    "text",
    [
        "when is our next meeting?",
        "when do we meet next",
        "cuộc họp tiếp theo lúc mấy giờ",
        "mấy giờ họp vậy ad",
    ],
)
async def test_the_next_meeting_is_given_with_its_hour(text):
    rule = "thứ 5 cuối cùng hằng tháng lúc 14h"
    said = await _asked("tra-vinh-60-2022", text, "2022-06-01T08:00", rule)
    assert "Thứ Năm, 30/6/2022 lúc 14:00" in said


# ── what is coming up ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "text", ["vài hôm nữa chi bộ phải chuẩn bị gì", "sắp tới có gì ko ad", "anything coming up?"]
)
async def test_the_days_ahead_are_the_deadlines_coming(text):
    said = await _asked("kim-bang-35-2022", text, "2022-12-10T08:00")
    assert "Việc sắp đến hạn" in said and "Thứ Tư, 14/12/2022" in said


# ── a deadline named with "đăng ký" in it, and its days left ────────────────────────────────


@pytest.mark.parametrize(
    "text",
    [
        "đăng ký kế hoạch sinh hoạt chuyên đề còn mấy ngày nữa",
        "dang ky to chuc hoi nghi chuyen de con nhieu ngay ko",
        "còn bao lâu nữa phải đăng ký thời gian hội nghị",
    ],
)
async def test_registering_a_session_date_is_a_deadline_asked_not_a_subscription(text):
    reply = await ask("ky-loi-2022", text, "2022-08-20T08:00")
    assert "Thứ Tư, 24/8/2022 — còn 4 ngày" in reply.text
    assert "Chọn kế hoạch" not in reply.text


async def test_a_wish_to_subscribe_is_still_one():
    reply = await ask("ky-loi-2022", "đăng ký theo dõi kế hoạch Kim Bảng", "2022-08-20T08:00")
    assert "/dangky kim-bang-35-2022" in reply.text and "Hạn:" not in reply.text


# ── a bare part of a month is asked back ─────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("@trolychibo_bot giữa tháng 10", "Giữa tháng 10/2022 (11/10/2022–20/10/2022)"),
        ("đầu tháng sau", "Đầu tháng 10/2022 (1/10/2022–10/10/2022)"),
        ("Bot ơi cuối tháng này", "Cuối tháng 9/2022 (21/9/2022–30/9/2022)"),
    ],
)
async def test_a_bare_part_of_a_month_is_asked_back_not_listed(text, said):
    reply = await ask("tra-vinh-60-2022", text, "2022-09-12T09:00")
    assert said in reply.text and "muốn hỏi gì" in reply.text
    assert "Hạn trong" not in reply.text and "📚" not in reply.text


async def test_a_bare_month_still_shows_what_is_studied_in_it():
    reply = await ask("tra-vinh-60-2022", "tháng 10", "2022-09-12T09:00")
    assert reply.text.startswith("📚 Tháng 10/2022")


# ── a deadline named by the document it cites ────────────────────────────────────────────────


@pytest.mark.parametrize(
    "text", ["QĐ 37 phải học xong khi nào", "quan triet ket luan 21 xong truoc ngay may"]
)
async def test_a_document_abbreviation_names_the_deadline_citing_it(text):
    reply = await ask("thai-nguyen-49-2022", text, "2022-02-21T10:00")
    assert "Quy định 37-QĐ/TW" in reply.text and "Chủ nhật, 27/2/2022 — còn 6 ngày" in reply.text
    assert "19/6/2022" not in reply.text


async def test_a_document_no_deadline_cites_keeps_its_own_answer():
    reply = await ask("tra-vinh-60-2022", "nghị quyết 04 học khi nào", "2022-06-01T08:00")
    assert "04-NQ/TW" in reply.text and "Hạn:" not in reply.text


# ── what the pilot cell does apart ───────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "text", ["chi bo minh khac gi chi bo khac", "how is our cell different from the others?"]
)
async def test_the_pilot_cell_asking_how_it_differs_sees_both_deadlines(text):
    reply = await ask("ky-loi-2022", text, "2022-08-16T10:10", cell="Tân Phúc Thành 3")
    assert "Tân Phúc Thành 3 là chi bộ điểm" in reply.text
    assert "Thứ Sáu, 9/9/2022 — còn 24 ngày" in reply.text and "Các chi bộ còn lại" in reply.text


async def test_the_pilot_cell_asking_its_own_duty_sees_only_its_own():
    reply = await ask(
        "ky-loi-2022", "chi bộ điểm làm gì", "2022-08-16T10:10", cell="Tân Phúc Thành 3"
    )
    assert "Thứ Sáu, 9/9/2022" in reply.text and "19/9/2022" not in reply.text


async def test_southern_bua_is_the_day_asked():
    reply = await ask("ky-loi-2022", "tháng 8 họp rồi, tháng 9 họp bữa nào", "2022-08-17T08:00")
    assert "Thứ Hai, 5/9/2022" in reply.text and "hai mốc" not in reply.text
    due = await ask("ky-loi-2022", "dang ky thoi gian hoi nghi con may bua", "2022-08-17T08:00")
    assert "Thứ Tư, 24/8/2022 — còn 7 ngày" in due.text
