"""Replies a secretary can trust: every reply does what it says or says plainly what it did not do.
Each trap seen when the bot was tried as a new user would, through the real Conversation; asserted
on the reply text and on the chat as stored."""

from __future__ import annotations

import pytest

from tests.handlers.conversing import SAVE, labels


async def test_the_answer_to_the_bots_own_question_after_start_is_that_setting(chat):
    await chat.send("/start")
    await chat.press("Kim Bảng")
    asked = chat.last.text
    assert "ngày họp chi bộ hằng tháng" in asked and "Chi bộ họp ngày nào?" in asked
    assert chat.sub.meeting_rule is None
    readback = await chat.text("ngày 3 hằng tháng")
    assert readback.startswith("Xác nhận thay đổi:\nNgày họp chi bộ: ngày 3 hằng tháng"), readback
    assert "✅ Lưu" in labels(chat.last)
    assert "đã lưu" not in readback.lower() and chat.sub.meeting_rule is None
    saved = await chat.reply(callback=SAVE)
    assert saved.text.startswith("✅ Đã lưu.")
    assert chat.sub.meeting_rule is not None and chat.sub.meeting_rule.day == 3


async def test_a_question_instead_of_the_answer_is_answered_and_nothing_saved(chat):
    await chat.send("/start")
    await chat.press("Kim Bảng")
    reply = await chat("tháng này học gì")
    assert "Xác nhận thay đổi" not in reply and chat.sub.meeting_rule is None


@pytest.mark.parametrize("said", ["ok", "cảm ơn", "🙏", "oke ạ", "cam on bot nhieu nha", "👍"])
async def test_thanks_and_ok_are_answered_like_a_person_and_save_nothing(chat, said):
    chat.follows("tra-vinh-60-2022")
    await chat.text("nhắc trước 3 ngày")
    assert "✅ Lưu" in labels(chat.last)
    before = chat.sub.lead_days
    reply = await chat.text(said)
    assert "chưa hiểu" not in reply and "tháng này học gì" not in reply, reply
    assert len(reply) < 200, reply
    assert "chưa được lưu" in reply and "✅ Lưu" in reply  # the change still waits, and says so
    assert chat.sub.lead_days == before


async def test_thanks_with_nothing_waiting_is_a_line(chat):
    chat.follows("tra-vinh-60-2022")
    assert await chat.text("cảm ơn ạ") == "Dạ, không có gì ạ. Cần gì đồng chí cứ nhắn."


async def test_a_dated_one_off_reminder_does_not_offer_to_change_the_daily_hour(chat):
    chat.follows("tra-vinh-60-2022")
    reply = await chat.text("nhắc lúc 8h ngày 15/9")
    assert "Thứ Năm, 15/9/2022" in reply and "Không có gì thay đổi" in reply, reply
    assert "✅ Lưu" not in labels(chat.last) and "Xác nhận" not in reply
    assert chat.sub.reminder_time == "07:30" and chat.sub.pending is None


@pytest.mark.parametrize(
    ("wish", "why"),
    [
        ("nhắc trước 40 ngày", "nhiều nhất 30 ngày"),
        ("nhắc lúc 25h", "giờ trong ngày chỉ từ 0:00 đến 23:59"),
    ],
)
async def test_out_of_range_values_are_refused_with_why(chat, wish, why):
    chat.follows("tra-vinh-60-2022")
    before = (chat.sub.lead_days, chat.sub.reminder_time)
    reply = await chat.text(wish)
    assert reply.startswith("⚠️") and why in reply and "Không có gì thay đổi" in reply, reply
    assert (chat.sub.lead_days, chat.sub.reminder_time) == before


async def test_a_cell_name_without_diacritics_is_kept_as_typed(chat):
    chat.follows("tra-vinh-60-2022")
    reply = await chat.text("ten chi bo: Chi bo Phong Kinh te")
    assert "Tên chi bộ: Chi bo Phong Kinh te" in reply and "Chi bộ Phong Kinh te" not in reply
    await chat.reply(callback=SAVE)
    assert chat.sub.cell_name == "Chi bo Phong Kinh te"


async def test_a_cell_name_with_diacritics_gets_the_usual_prefix(chat):
    chat.follows("tra-vinh-60-2022")
    reply = await chat.text("tên chi bộ: Phòng Kinh tế")
    assert "Tên chi bộ: Chi bộ Phòng Kinh tế" in reply


async def test_reading_on_after_every_page_claims_no_change(chat):
    chat.follows("nq21-huyen-2022")
    first = await chat.text("chỉ tiêu")
    assert "Trang 1/2" in first
    await chat.text("xem tiếp")
    for again in ("xem hết", "xem tiếp"):
        reply = await chat.text(again)
        assert "đã thay đổi" not in reply and "không còn trang nào nữa" in reply, reply


async def test_reading_on_after_an_answer_that_fitted_says_so(chat):
    chat.follows("ky-loi-2022")
    await chat.text("trình tự sinh hoạt chuyên đề")
    reply = await chat.text("xem tiếp")
    assert reply == "Câu trả lời trước đã hiện đủ, không còn trang nào nữa."


async def test_a_snooze_past_the_reminders_day_says_it_will_not_be_resent_and_why(chat):
    """Kim Bảng's first report, last day 14/6/2022: its last-day reminder snoozed to tomorrow."""
    chat.follows("kim-bang-35-2022")
    reply = await chat.text(callback="snz:day:202206140730", at="2022-06-14T08:00")
    assert "sẽ không được gửi lại" in reply and "Thứ Ba, 14/6/2022" in reply, reply
    assert "đã qua" in reply and "tôi sẽ gửi lại" not in reply
    assert chat.sub.snoozes == ()


async def test_a_snooze_before_the_day_is_resent(chat):
    chat.follows("kim-bang-35-2022")
    reply = await chat.text(callback="snz:day:202206070730", at="2022-06-07T08:00")
    assert reply.startswith("💤 Được, tôi sẽ gửi lại tin nhắc lúc 7:30 Thứ Ba, 7/6/2022 vào")
    assert len(chat.sub.snoozes) == 1


@pytest.mark.parametrize(
    ("name", "thanks"),
    [
        ("Bạn", "✅ Cảm ơn đồng chí! Đã ghi nhận"),
        ("Đồng chí 501", "✅ Cảm ơn đồng chí! Đã ghi nhận"),
        ("Nguyễn Văn A", "✅ Cảm ơn đồng chí Nguyễn Văn A! Đã ghi nhận"),
    ],
)
async def test_thanks_for_a_done_item_never_names_a_placeholder(chat, name, thanks):
    from handlers.button_data import Ref
    from handlers.buttons import MarkDone
    from handlers.types import Incoming

    chat.follows("kim-bang-35-2022")
    data = MarkDone(Ref("kim-bang-35-2022"), Ref("bao-cao-dot-1")).button("✅").data
    msg = Incoming("test", chat.chat_id, "u1", callback=data, user_name=name)
    (reply,) = await chat.conversation.handle(msg, chat.now.replace(month=6, day=7))
    assert reply.text.startswith(thanks), reply.text
    assert "Bạn!" not in reply.text and "Đồng chí 501" not in reply.text or name == "Nguyễn Văn A"


def test_a_day_past_is_said_plainly():
    from datetime import date

    from handlers.answers.named import status

    assert status(date(2022, 9, 20), date(2022, 6, 18)) == "đã quá hạn 94 ngày"


async def test_lichnhac_shows_the_seven_days_it_promises_and_the_next_push_apart(chat):
    chat.follows("tra-vinh-60-2022")
    said = await chat.text("/lichnhac", at="2022-05-10T08:00")
    assert said.startswith("Từ nay đến hết Thứ Ba, 17/5/2022, không có tin nhắc nào."), said
    assert "Tin nhắc kế tiếp:\n• Thứ Tư, 1/6/2022: 📚" in said


async def test_lichnhac_says_an_item_reminded_several_times_once(chat):
    chat.follows("ky-loi-2022", cell="Chi bộ thôn Tân Phong")
    said = await chat.text("/lichnhac", at="2022-08-20T08:00")
    assert said.count("Gửi kế hoạch tổ chức sinh hoạt chuyên đề của chi bộ") == 1, said
    assert "Nhắc: Chủ nhật, 21/8/2022 (trước 3 ngày); Thứ Ba, 23/8/2022 (trước 1 ngày)" in said


async def test_a_question_typed_at_the_cell_name_prompt_is_answered_not_taken_for_the_name(chat):
    await chat.send("/start")
    await chat.press("Kỳ Lợi")
    assert "Gõ tên chi bộ" in chat.last.text
    reply = await chat("han chot")
    assert "Tên chi bộ" not in reply and "24/8/2022" in reply, reply
    assert chat.sub.cell_name is None and chat.sub.pending is None
