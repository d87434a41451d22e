"""The platform-neutral conversation: what a secretary sees, and what is stored."""

from datetime import datetime

import pytest

from bot.clock import TZ
from handlers.conversation import Conversation
from handlers.state import MemoryStore
from handlers.types import Incoming, UserRef
from schedules import catalog
from schedules.meetings import MeetingRule

NOW = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)


class Chat:
    def __init__(self, conv, chat_id="1", group=False, admin=True, user="u1"):
        self.conv, self.chat_id, self.group, self.admin, self.user = (
            conv,
            chat_id,
            group,
            admin,
            user,
        )
        self.last = None

    async def say(self, text="", callback=None, addressed=True, user=None):
        msg = Incoming(
            "test",
            self.chat_id,
            user or self.user,
            text=text,
            callback=callback,
            is_group=self.group,
            addressed=addressed,
            is_group_admin=self.admin,
        )
        replies = await self.conv.handle(msg, NOW)
        if replies:
            self.last = replies[-1]
        return replies

    async def text(self, text, **kw):
        replies = await self.say(text, **kw)
        assert len(replies) == 1
        return replies[0].text

    async def press(self, data):
        assert any(b.data == data for row in self.last.buttons for b in row), data
        return await self.say(callback=data)


@pytest.fixture
def conv():
    async def admin_check(msg):
        return msg.is_group_admin

    return Conversation(
        catalog.load(),
        MemoryStore(),
        bot_admins={UserRef("test", "boss")},
        is_chat_admin=admin_check,
    )


async def test_subscribe_by_buttons_then_ask(conv):
    chat = Chat(conv)
    assert "Chọn kế hoạch" in await chat.text("/start")
    [reply] = await chat.press("sub:tra-vinh-60-2022")
    assert reply.text.startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK cho chat này.")
    assert "ngày họp chi bộ hằng tháng" in reply.text
    assert conv.store.get("test", "1").plan_ids == ("tra-vinh-60-2022",)
    topics = await chat.text("thang nay hoc gi")
    assert topics.startswith("📚 Tháng 8/2022 — Trà Vinh 60-KH/ĐUK (3 văn bản):")


async def test_questions_before_subscribing_offer_the_plans(conv):
    chat = Chat(conv)
    [reply] = await chat.say("tháng này học gì")
    assert reply.text.startswith("Chat này chưa đăng ký kế hoạch nào.")
    assert reply.buttons[0][0].data.startswith("sub:")


async def test_a_cell_follows_several_plans_and_unsubscribes_one(conv):
    chat = Chat(conv)
    await chat.text("/dangky tra-vinh-60-2022")
    await chat.text("/dangky kim-bang-35-2022 Chi bộ Thôn Đông")
    sub = conv.store.get("test", "1")
    assert sub.plan_ids == ("tra-vinh-60-2022", "kim-bang-35-2022")
    assert sub.cell_name == "Chi bộ Thôn Đông"
    both = await chat.text("hạn chót")
    assert "Trà Vinh 60-KH/ĐUK" in both and "Kim Bảng 35-KH/HU" in both
    [choice] = await chat.say("/huy")
    assert choice.text == "Hủy kế hoạch nào?"
    [done] = await chat.press("unsub:kim-bang-35-2022")
    assert done.text == "Đã hủy. Chat này còn theo: tra-vinh-60-2022."
    assert conv.store.get("test", "1").plan_ids == ("tra-vinh-60-2022",)


async def test_settings_are_confirmed_in_full_before_saving(conv):
    chat = Chat(conv)
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
    assert conv.store.get("test", "1").meeting_rule is None
    [saved] = await chat.press("set:save")
    assert saved.text.startswith("✅ Đã lưu.")
    assert conv.store.get("test", "1").meeting_rule == MeetingRule(day=1)


async def test_a_free_date_for_the_cells_own_session_and_its_deadline(conv):
    chat = Chat(conv)
    await chat.text("/dangky ky-loi-2022 Tân Phúc Thành 1")
    confirm = await chat.text("ngày sinh hoạt chuyên đề: thứ 5 tuần sau")
    assert "Thứ Năm, 25/8/2022" in confirm
    assert (
        "→ Gửi báo cáo chuyên đề “Tự soi, tự sửa” đã hoàn thành: chậm nhất Thứ Bảy, 20/8/2022."
        in confirm
    )
    await chat.press("set:save")
    assert conv.store.get("test", "1").cell_dates == {"hoi-nghi-chuyen-de": "2022-08-25"}


async def test_a_session_after_the_cells_deadline_is_warned(conv):
    chat = Chat(conv)
    await chat.text("/dangky ky-loi-2022 Tân Phúc Thành 3")
    confirm = await chat.text("chuyên đề: 15/9/2022")
    assert (
        "⚠️ Ngày này không kịp hạn “Sinh hoạt chuyên đề điểm để rút kinh nghiệm” (trước ngày 10/9/2022)."
        in confirm
    )


async def test_bad_values_are_asked_again_and_nothing_is_lost(conv):
    chat = Chat(conv)
    await chat.text("/dangky tra-vinh-60-2022")
    await chat.text("/caidat")
    await chat.press("set:reminder_time")
    again = await chat.text("25 giờ")
    assert again.startswith("⚠️ Chưa hiểu giờ nhắc (không có giờ 25 giờ).")
    confirm = await chat.text("19h")
    assert "Giờ nhắc: 19:00" in confirm
    [cancelled] = await chat.press("set:cancel")
    assert cancelled.text == "Đã bỏ, không thay đổi gì."
    sub = conv.store.get("test", "1")
    assert (
        sub.reminder_time == "07:30"
        and sub.pending is None
        and sub.plan_ids == ("tra-vinh-60-2022",)
    )


async def test_group_is_quiet_unless_addressed_and_non_admins_are_refused(conv):
    chat = Chat(conv, chat_id="-9", group=True, admin=False)
    assert await chat.say("tháng này học gì", addressed=False) == []
    refused = await chat.text("/dangky tra-vinh-60-2022")
    assert refused.startswith("Xin lỗi, chỉ quản trị viên")
    assert conv.store.get("test", "-9") is None
    boss = await chat.text("/dangky tra-vinh-60-2022", user="boss")
    assert boss.startswith("✅ Đã đăng ký")
    assert (await chat.text("/caidat")).startswith("⚙️ Cài đặt của nhóm")  # reading is for everyone
    [refusal] = await chat.press("set:meeting")
    assert refusal.text.startswith("Xin lỗi, chỉ quản trị viên")


async def test_intro_once_and_migration(conv):
    assert len(await conv.joined("test", "-5", "Chi bộ A", NOW)) == 1
    assert await conv.joined("test", "-5", "Chi bộ A", NOW) == []
    chat = Chat(conv, chat_id="-5", group=True)
    await chat.text("/dangky kim-bang-35-2022")
    await conv.migrated("test", "-5", "-1005")
    assert conv.store.get("test", "-1005").plan_ids == ("kim-bang-35-2022",)
    await conv.left("test", "-1005")
    assert conv.store.get("test", "-1005").active is False


async def test_unknown_command_old_button_and_crash_are_answered(conv, monkeypatch):
    chat = Chat(conv)
    assert (await chat.text("/abc")).startswith("Không có lệnh /abc.")
    assert (await chat.text("", callback="set:save")).startswith("Nút này đã cũ")
    assert (await chat.text("", callback="sub:khong-con")).startswith(
        "Kế hoạch trên nút này không còn."
    )

    def boom(*a, **k):
        raise RuntimeError("bug")

    monkeypatch.setattr("handlers.conversation.route", boom)
    assert (await chat.text("tháng này học gì")).startswith("⚠️ Xin lỗi, tôi gặp lỗi")


async def test_a_question_while_a_value_is_awaited_is_answered_not_swallowed(conv):
    chat = Chat(conv)
    await chat.text("/dangky tra-vinh-60-2022")
    await chat.text("/caidat")
    await chat.press("set:meeting")
    answer = await chat.text("tháng này học gì")
    assert answer.startswith("📚 Tháng 8/2022 — Trà Vinh 60-KH/ĐUK")
    assert conv.store.get("test", "1").pending is None


async def test_in_a_group_only_the_one_who_started_a_change_answers_its_prompt(conv):
    chat = Chat(conv, chat_id="-7", group=True, admin=True, user="a1")
    await chat.text("/dangky tra-vinh-60-2022")
    await chat.text("/caidat")
    await chat.press("set:meeting")
    other = await chat.text("ngày 5 hằng tháng", user="a2")  # another admin, just talking
    assert not other.startswith("Xác nhận thay đổi")
    confirm = await chat.text("ngày 3 hằng tháng")
    assert confirm.startswith("Xác nhận thay đổi:\nNgày họp chi bộ: ngày 3 hằng tháng")
