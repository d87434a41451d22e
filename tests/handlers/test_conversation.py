"""The conversation as a whole: a group is quiet unless the bot is addressed and refuses changes
from non-admins, the introduction once when added and a migrated group keeping its plans, an
unknown command, an old button and a crash each answered."""

from __future__ import annotations


async def test_group_is_quiet_unless_addressed_and_non_admins_are_refused(chat):
    chat.group_chat("-9", admin=False)
    assert await chat.send("tháng này học gì", addressed=False) == []
    refused = await chat.text("/dangky tra-vinh-60-2022")
    assert refused.startswith("Xin lỗi, chỉ quản trị viên")
    assert chat.store.get("test", "-9") is None
    boss = await chat.text("/dangky tra-vinh-60-2022", user="boss")
    assert boss.startswith("✅ Đã đăng ký")
    assert (await chat.text("/caidat")).startswith("⚙️ Cài đặt của nhóm")  # reading is for everyone
    refusal = await chat.press("set:meeting")
    assert refusal.text.startswith("Xin lỗi, chỉ quản trị viên")


async def test_intro_once_and_migration(chat):
    assert len(await chat.conversation.joined("test", "-5", "Chi bộ A", chat.now)) == 1
    assert await chat.conversation.joined("test", "-5", "Chi bộ A", chat.now) == []
    chat.group_chat("-5")
    await chat.text("/dangky kim-bang-35-2022")
    await chat.conversation.migrated("test", "-5", "-1005")
    assert chat.store.get("test", "-1005").plan_ids == ("kim-bang-35-2022",)
    await chat.conversation.left("test", "-1005")
    assert chat.store.get("test", "-1005").active is False


async def test_unknown_command_old_button_and_crash_are_answered(chat, monkeypatch):
    assert (await chat.text("/abc")).startswith("Không có lệnh /abc.")
    assert (await chat.text("", callback="set:save")).startswith("Nút này đã cũ")
    assert (await chat.text("", callback="sub:khong-con")).startswith(
        "Kế hoạch trên nút này không còn."
    )

    def boom(*a, **k):
        raise RuntimeError("bug")

    monkeypatch.setattr("handlers.conversation.route", boom)
    assert (await chat.text("tháng này học gì")).startswith("⚠️ Xin lỗi, tôi gặp lỗi")
