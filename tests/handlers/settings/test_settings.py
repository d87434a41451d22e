"""/caidat and a value typed in: every change read back in full for ✅ Lưu before it is saved, a bad
value asked again with nothing lost, a question while a value is awaited answered (not taken for
the value), and in a group only the one who started a change answers its prompt."""

from __future__ import annotations

from schedules.meetings import MeetingRule


async def test_settings_are_confirmed_in_full_before_saving(chat):
    await chat.text("/dangky ky-loi-2022")
    menu = await chat.text("/caidat")
    assert "• Ngày họp: chưa đặt" in menu
    await chat.press("set:meeting")
    assert chat.last.force_reply
    confirm = await chat.text("mùng 1 hàng tháng")
    assert (
        "Ngày họp chi bộ: ngày 1 hằng tháng (trùng thứ Bảy, Chủ nhật hoặc ngày lễ thì lùi"
        in confirm
    )
    assert "Các kỳ tới: Thứ Hai, 5/9/2022; Thứ Hai, 3/10/2022; Thứ Ba, 1/11/2022." in confirm
    assert chat.store.get("test", "1").meeting_rule is None
    saved = await chat.press("set:save")
    assert saved.text.startswith("✅ Đã lưu.")
    assert chat.store.get("test", "1").meeting_rule == MeetingRule(day=1)


async def test_a_free_date_for_the_cells_own_session_and_its_deadline(chat):
    await chat.text("/dangky ky-loi-2022 Tân Phúc Thành 1")
    confirm = await chat.text("ngày sinh hoạt chuyên đề: thứ 5 tuần sau")
    assert "Thứ Năm, 25/8/2022" in confirm
    assert (
        "→ Gửi báo cáo chuyên đề “Tự soi, tự sửa” đã hoàn thành: chậm nhất Thứ Bảy, 20/8/2022."
        in confirm
    )
    await chat.press("set:save")
    assert chat.store.get("test", "1").cell_dates == {"hoi-nghi-chuyen-de": "2022-08-25"}


async def test_a_session_after_the_cells_deadline_is_warned(chat):
    await chat.text("/dangky ky-loi-2022 Tân Phúc Thành 3")
    confirm = await chat.text("chuyên đề: 15/9/2022")
    assert (
        "⚠️ Ngày này không kịp hạn “Sinh hoạt chuyên đề điểm để rút kinh nghiệm” (trước ngày 10/9/2022)."
        in confirm
    )


async def test_bad_values_are_asked_again_and_nothing_is_lost(chat):
    await chat.text("/dangky tra-vinh-60-2022")
    await chat.text("/caidat")
    await chat.press("set:reminder_time")
    again = await chat.text("25 giờ")
    assert again.startswith("⚠️ Không nhắc vào giờ đó được (không có giờ 25 giờ): giờ trong ngày")
    confirm = await chat.text("19h")
    assert "Giờ nhắc: 19:00" in confirm
    cancelled = await chat.press("set:cancel")
    assert cancelled.text == "Đã bỏ, không thay đổi gì."
    sub = chat.store.get("test", "1")
    assert (
        sub.reminder_time == "07:30"
        and sub.pending is None
        and sub.plan_ids == ("tra-vinh-60-2022",)
    )


async def test_a_question_while_a_value_is_awaited_is_answered_not_swallowed(chat):
    await chat.text("/dangky tra-vinh-60-2022")
    await chat.text("/caidat")
    await chat.press("set:meeting")
    answer = await chat.text("tháng này học gì")
    assert answer.startswith("📚 Tháng 8/2022 — Trà Vinh 60-KH/ĐUK")
    assert chat.store.get("test", "1").pending is None


async def test_in_a_group_only_the_one_who_started_a_change_answers_its_prompt(chat):
    chat.group_chat("-7", user="a1")
    await chat.text("/dangky tra-vinh-60-2022")
    await chat.text("/caidat")
    await chat.press("set:meeting")
    other = await chat.text("ngày 5 hằng tháng", user="a2")  # another admin, just talking
    assert not other.startswith("Xác nhận thay đổi")
    confirm = await chat.text("ngày 3 hằng tháng")
    assert confirm.startswith("Xác nhận thay đổi:\nNgày họp chi bộ: ngày 3 hằng tháng")
