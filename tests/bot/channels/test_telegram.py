"""The real PTB Application against the fake Bot API server on 127.0.0.1."""

import contextlib
import logging

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import Clock, parse_moment
from bot.config import Config, TelegramConfig
from schedules import catalog
from tests.bot.fake_telegram import group, private
from tests.bot.harness import serving
from tests.bot.processes import wait_until
from tests.bot.sim import SimTime

TOKEN = "123456:" + "A" * 35
START = parse_moment("2022-08-20T08:00")


@contextlib.asynccontextmanager
async def running_bot(fake, db_path, admins=frozenset()):
    config = Config(
        TelegramConfig(TOKEN, fake.url),
        admins=frozenset(("telegram", a) for a in admins),
        db_path=db_path,
    )
    sim = SimTime()
    bot = assemble(
        config,
        catalog.load(),
        Clock(START),
        RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    for channel in bot.channels.values():
        channel.poll_timeout = 1
    async with serving(bot):
        yield bot.store


def texts(fake, chat_id):
    return [s.text for s in fake.sent if s.chat_id == str(chat_id)]


async def test_secretary_subscribes_by_buttons_asks_and_changes_settings(fake, tmp_path):
    chat = private(501)
    async with running_bot(fake, tmp_path / "db.json") as store:
        fake.text(chat, 501, "/start")
        start = (await fake.wait_sent(1))[-1]
        assert "Chọn kế hoạch" in start.text
        assert "sub:ky-loi-2022" in start.buttons

        fake.press(chat, 501, start, "sub:ky-loi-2022")
        done = (await fake.wait_sent(2))[-1]
        assert done.text.startswith("✅ Đã đăng ký Kỳ Lợi")
        assert any(m == "answerCallbackQuery" for m, _ in fake.calls)

        fake.text(chat, 501, "han chot")
        answer = (await fake.wait_sent(3))[-1].text
        assert "Hạn: trước Thứ Năm, 25/8/2022 — chậm nhất Thứ Tư, 24/8/2022 (còn 4 ngày)" in answer

        fake.text(chat, 501, "tên chi bộ: Tân Phúc Thành 3")
        confirm = (await fake.wait_sent(4))[-1]
        assert "Tên chi bộ: Chi bộ Tân Phúc Thành 3" in confirm.text
        assert store.get("telegram", "501").cell_name is None  # nothing saved before "Lưu"
        fake.press(chat, 501, confirm, "set:save")
        saved = (await fake.wait_sent(5))[-1]
        assert saved.text.startswith("✅ Đã lưu.")
        assert store.get("telegram", "501").cell_name == "Chi bộ Tân Phúc Thành 3"

        fake.text(chat, 501, "/hanchot")
        pilot = (await fake.wait_sent(6))[-1].text
        assert "Sinh hoạt chuyên đề điểm để rút kinh nghiệm" in pilot
        assert "Các chi bộ còn lại" not in pilot


async def test_group_admin_subscribes_and_non_admin_is_refused(fake, tmp_path):
    chat = group(-100777)
    fake.admins[str(chat["id"])] = [1]
    async with running_bot(fake, tmp_path / "db.json") as store:
        fake.added_to_group(chat, by=1)
        intro = (await fake.wait_sent(1))[-1]
        assert intro.text.startswith("Xin chào cả nhóm!")
        fake.added_to_group(chat, by=1)  # Telegram may repeat the event: introduce once

        fake.text(chat, 2, "/dangky tra-vinh-60-2022")
        refusal = (await fake.wait_sent(2))[-1]
        assert (
            refusal.text
            == "Xin lỗi, chỉ quản trị viên của nhóm mới thay đổi được đăng ký và cài đặt của nhóm."
        )
        assert store.get("telegram", str(chat["id"])).plan_ids == ()

        fake.text(chat, 1, "/dangky tra-vinh-60-2022 Chi bộ Khu phố 3")
        ok = (await fake.wait_sent(3))[-1]
        assert ok.text.startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK cho nhóm này.")
        assert store.get("telegram", str(chat["id"])).cell_name == "Chi bộ Khu phố 3"

        # In a group the bot stays quiet unless addressed …
        fake.text(chat, 2, "tháng này học gì")
        fake.text(chat, 2, "@chibo_test_bot tháng này học gì")
        topics = (await fake.wait_sent(4))[-1]
        assert topics.text.startswith("📚 Tháng 8/2022 — Trà Vinh 60-KH/ĐUK (3 văn bản):")
        # … and a non-admin may ask but not change settings, even by an old button
        fake.press(chat, 2, topics, "set:meeting")
        assert (await fake.wait_sent(5))[-1].text.startswith("Xin lỗi, chỉ quản trị viên")
        assert len(texts(fake, chat["id"])) == 5


async def test_configured_bot_admin_may_change_any_group(fake, tmp_path):
    chat = group(-100888)
    async with running_bot(fake, tmp_path / "db.json", admins=frozenset({"42"})) as store:
        fake.text(chat, 42, "/dangky kim-bang-35-2022")
        assert (await fake.wait_sent(1))[-1].text.startswith("✅ Đã đăng ký Kim Bảng")
        assert store.get("telegram", str(chat["id"])).plan_ids == ("kim-bang-35-2022",)


async def test_a_restart_keeps_every_subscription(fake, tmp_path):
    db = tmp_path / "db.json"
    async with running_bot(fake, db):
        for uid, plan in (
            (601, "tra-vinh-60-2022"),
            (602, "kim-bang-35-2022"),
            (603, "ky-loi-2022"),
        ):
            fake.text(private(uid), uid, f"/dangky {plan}")
        await fake.wait_sent(3)
    async with running_bot(fake, db) as store:
        assert {s.chat_id: s.plan_ids for s in store.all()} == {
            "601": ("tra-vinh-60-2022",),
            "602": ("kim-bang-35-2022",),
            "603": ("ky-loi-2022",),
        }
        fake.text(private(601), 601, "/thangnay")
        assert (await fake.wait_sent(4))[-1].text.startswith("📚 Tháng 8/2022 — Trà Vinh 60-KH/ĐUK")


async def test_a_migrated_group_keeps_its_subscription(fake, tmp_path):
    old, new = group(-555), group(-1000555)
    fake.admins[str(old["id"])] = [1]
    fake.admins[str(new["id"])] = [1]
    async with running_bot(fake, tmp_path / "db.json") as store:
        fake.text(old, 1, "/dangky tra-vinh-60-2022")
        await fake.wait_sent(1)
        fake.push(
            {
                "message": {
                    "message_id": 9,
                    "date": 0,
                    "chat": old,
                    "from": {"id": 1, "is_bot": False, "first_name": "A"},
                    "migrate_to_chat_id": new["id"],
                }
            }
        )
        # the two chats are handled side by side: the new one is asked once the move is done
        await wait_until(lambda: store.get("telegram", str(new["id"])) is not None, 10)
        fake.text(new, 1, "/thangnay")
        assert (await fake.wait_sent(2))[-1].chat_id == str(new["id"])
        assert store.get("telegram", str(old["id"])) is None
        assert store.get("telegram", str(new["id"])).plan_ids == ("tra-vinh-60-2022",)


async def test_bad_input_gets_an_answer_or_is_ignored(fake, tmp_path):
    chat = private(701)
    async with running_bot(fake, tmp_path / "db.json") as store:
        fake.text(chat, 701, "/dangky tra-vinh-60-2022")
        await fake.wait_sent(1)
        fake.text(chat, 701, "/khongcolenh")
        assert (await fake.wait_sent(2))[-1].text.startswith("Không có lệnh /khongcolenh.")
        fake.text(chat, 701, "/dangky khong-co-ke-hoach")
        assert (await fake.wait_sent(3))[-1].text.startswith(
            "Không có kế hoạch “khong-co-ke-hoach”"
        )
        fake.text(chat, 701, "tháng này học gì " + "x" * 5000)
        long_answer = (await fake.wait_sent(4))[-1].text
        assert long_answer.startswith("📚 Tháng 8/2022")
        fake.text(chat, 701, "🙂🙂🙂")
        assert "Tôi trả lời được" in (await fake.wait_sent(5))[-1].text
        fake.push(
            {
                "message": {
                    "message_id": 77,
                    "date": 0,
                    "chat": chat,
                    "from": {"id": 701, "is_bot": False, "first_name": "A"},
                    "sticker": {
                        "file_id": "s",
                        "file_unique_id": "s",
                        "type": "regular",
                        "width": 1,
                        "height": 1,
                        "is_animated": False,
                        "is_video": False,
                    },
                }
            }
        )
        assert (await fake.wait_sent(6))[-1].text.startswith("Tôi chỉ đọc được tin nhắn chữ.")
        old_button = fake.sent[0]
        fake.press(chat, 701, old_button, "set:save")
        assert (await fake.wait_sent(7))[-1].text.startswith("Nút này đã cũ")
        fake.press(chat, 701, old_button, "zz:unknown")
        assert (await fake.wait_sent(8))[-1].text.startswith("Nút này đã cũ")
        fake.push(
            {
                "edited_message": {
                    "message_id": 5,
                    "date": 0,
                    "edit_date": 1,
                    "chat": chat,
                    "from": {"id": 701, "is_bot": False, "first_name": "A"},
                    "text": "hạn chót",
                }
            }
        )
        fake.text(chat, 701, "/thangnay")
        await fake.wait_sent(9)
        assert fake.sent[-1].text.startswith(
            "📚"
        )  # the edit was ignored, the next message answered
        assert store.get("telegram", "701").plan_ids == ("tra-vinh-60-2022",)  # nothing lost


async def test_long_replies_are_split_and_html_escaped(fake, tmp_path):
    chat = private(801)
    async with running_bot(fake, tmp_path / "db.json") as store:
        fake.text(chat, 801, "/dangky tra-vinh-60-2022 <b>Khu & phố</b>")
        await fake.wait_sent(1)
        assert store.get("telegram", "801").cell_name == "Chi bộ <b>Khu & phố</b>"
        fake.text(chat, 801, "/caidat")
        settings = (await fake.wait_sent(2))[-1]
        assert "Chi bộ &lt;b&gt;Khu &amp; phố&lt;/b&gt;" in settings.text
        assert settings.params["parse_mode"] == "HTML"
        fake.text(chat, 801, "6 tháng cuối năm học gì")  # five months of documents
        await fake.wait_sent(3)
        assert all(len(s.text) <= 4096 for s in fake.sent)


async def test_the_token_never_appears_in_logs(fake, tmp_path, caplog):
    from bot.config import RedactToken

    caplog.handler.addFilter(RedactToken(TOKEN))
    with caplog.at_level(logging.DEBUG):
        async with running_bot(fake, tmp_path / "db.json"):
            fake.text(private(901), 901, "/start")
            await fake.wait_sent(1)
    assert caplog.records
    assert TOKEN not in caplog.text


async def test_a_slow_chat_does_not_hold_up_another_chats_answer(fake, tmp_path):
    slow_chat, quick_chat = private(801), private(802)
    original = fake.api_sendMessage

    async def slow_for_801(params, request=None):
        if str(params["chat_id"]) == "801":  # a slow network path to one chat: held until
            with contextlib.suppress(AssertionError):  # 802's answer is out, or for long
                await wait_until(lambda: any(m.chat_id == "802" for m in fake.sent), 10)
        return await original(params, request)

    fake.api_sendMessage = slow_for_801
    async with running_bot(fake, tmp_path / "db.json"):
        fake.text(slow_chat, 801, "/kehoach")
        fake.text(quick_chat, 802, "/kehoach")
        first = (await fake.wait_sent(1, timeout=30))[0]
        await fake.wait_sent(2)
    # answered while 801's was still on the wire: serialised, 801's would have come first
    assert first.chat_id == "802"
