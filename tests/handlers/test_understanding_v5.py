"""Questions in words of our own for each kind the fifth (blind) corpus found missing (issue 11):
date arithmetic asked as such, the cell's own thematic session, a meeting period asked, a
question inside a chatty message. Asserted on the reply text."""

import pytest

from tests.handlers.test_understanding_more import ask

# ── date arithmetic: which date a phrase of time is ────────────────────────────────────────


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
async def test_a_date_phrase_asked_as_such_gets_its_date(text, day):
    reply = await ask("tra-vinh-60-2022", text, "2022-10-11T08:00")
    assert day in reply.text, reply.text
    assert "Hạn:" not in reply.text and "Thời gian:" not in reply.text  # no deadline answered


async def test_a_period_asked_as_a_date_is_given_as_its_days():
    reply = await ask("tra-vinh-60-2022", "tuần sau là ngày nào", "2022-10-11T08:00")
    assert "Thứ Hai, 17/10/2022" in reply.text and "Chủ nhật, 23/10/2022" in reply.text


# ── the meetings of a coming period: asked, never a day stated ─────────────────────────────


@pytest.mark.parametrize(
    "text", ["lịch họp chi bộ 2 tháng tới", "2 thang toi chi bo hop nhung ngay nao"]
)
async def test_the_meetings_of_the_coming_months_are_listed_not_a_meeting_moved(text):
    reply = await ask("tra-vinh-60-2022", text, "2022-06-10T08:00")
    assert "Kỳ họp chi bộ tháng 7/2022: Thứ Ba, 5/7/2022" in reply.text, reply.text
    assert "Kỳ họp chi bộ tháng 8/2022: Thứ Sáu, 5/8/2022" in reply.text
    assert "tháng 6/2022" not in reply.text and "Lưu" not in reply.text  # June's is past


async def test_a_day_that_many_months_ahead_is_still_one_day():
    reply = await ask("tra-vinh-60-2022", "2 tháng nữa là ngày nào", "2022-06-10T08:00")
    assert "Thứ Tư, 10/8/2022" in reply.text and "–" not in reply.text


# ── the cell's own thematic session: its day as the cell set it, or not set ─────────────────


@pytest.mark.parametrize(
    "text",
    [
        "buổi sinh hoạt chuyên đề chi bộ mình hôm nào vậy",
        "chi bo to chuc hoi nghi chuyen de ngay nao",
        "hội nghị chuyên đề của chi bộ bao giờ diễn ra",
    ],
)
async def test_the_cells_own_session_is_answered_from_the_day_it_set(text):
    reply = await ask("ky-loi-2022", text, "2022-09-05T08:00", hoi_nghi_chuyen_de="2022-09-14")
    assert "của chi bộ: Thứ Tư, 14/9/2022 (còn 9 ngày)" in reply.text, reply.text
    assert not reply.text.startswith("Kỳ Lợi — “Tự soi, tự sửa”:\n⏰ Gửi kế hoạch")


async def test_a_session_day_not_set_is_said_so_never_invented():
    reply = await ask(
        "ky-loi-2022", "còn bao nhiêu ngày nữa đến ngày chuyên đề", "2022-09-05T08:00"
    )
    assert "Chi bộ chưa báo ngày hội nghị sinh hoạt chuyên đề" in reply.text, reply.text


async def test_the_deadline_to_register_the_session_is_still_the_deadline():
    reply = await ask(
        "ky-loi-2022", "hạn gửi kế hoạch chuyên đề của chi bộ ngày nào", "2022-08-10T08:00"
    )
    assert "Gửi kế hoạch tổ chức sinh hoạt chuyên đề" in reply.text
    assert "Thứ Tư, 24/8/2022" in reply.text and "📅 Chi bộ chưa báo ngày" not in reply.text


# ── the meeting rule stated in one clause, a month asked in the next ───────────────────────


@pytest.mark.parametrize(
    "text",
    [
        "mình họp ngày 5 hằng tháng, tháng 6 có bị lùi không",
        "chi bo hop ngay 5 hang thang. thang 6 co phai lui ko",
    ],
)
async def test_a_clause_stating_the_rule_is_no_second_date(text):
    # 5/6/2022 is a Sunday: the meeting moves to Monday 6/6
    reply = await ask("tra-vinh-60-2022", text, "2022-05-20T08:00")
    assert "Kỳ họp chi bộ tháng 6/2022: Thứ Hai, 6/6/2022" in reply.text, reply.text
    assert "hai mốc" not in reply.text


# ── a chatty message: the clause that asks decides, not the one told as past ───────────────


async def test_the_question_inside_a_chatty_message_is_answered_not_the_meeting_told_done():
    reply = await ask(
        "kim-bang-35-2022",
        "Chào bot, tuần trước chi bộ họp xong rồi, mọi người hỏi báo cáo đợt 2 hạn khi nào, "
        "mình không nhớ. Bot xem giúp nhé",
        "2022-07-20T08:00",
    )
    assert "(đợt 2)" in reply.text and "Thứ Tư, 14/12/2022 — còn 147 ngày" in reply.text
    assert "Kỳ họp" not in reply.text, reply.text


# ── which deadlines, asked beside a guess about the plan's start or end ────────────────────


@pytest.mark.parametrize(
    "text",
    [
        "tháng 12 kế hoạch này có hạn gì không hay sắp kết thúc rồi",
        "thang 12 co han nao ko hay ke hoach moi bat dau",
    ],
)
async def test_which_deadlines_asked_beside_a_guess_lists_the_deadlines(text):
    reply = await ask("kim-bang-35-2022", text, "2022-11-20T08:00")
    assert reply.text.startswith("⏰ Hạn trong tháng 12/2022"), reply.text
    assert "14/12/2022" in reply.text and "Trạng thái:" not in reply.text
