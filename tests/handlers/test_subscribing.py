"""Subscribing and leaving: by buttons or by a plan's id (a short id when it is unambiguous), several
plans in one chat, questions before subscribing offered the plans, /start when every plan has
ended, and leaving the last plan confirmed first."""

from __future__ import annotations

from datetime import datetime

from bot.clock import TZ
from handlers import buttons
from tests.handlers.conversing import labels


async def test_subscribe_by_buttons_then_ask(chat):
    assert "Chọn kế hoạch" in await chat.text("/start")
    reply = await chat.press("sub:tra-vinh-60-2022")
    assert reply.text.startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK cho chat này.")
    assert "ngày họp chi bộ hằng tháng" in reply.text
    assert chat.store.get("test", "1").plan_ids == ("tra-vinh-60-2022",)
    topics = await chat.text("thang nay hoc gi")
    assert topics.startswith("📚 Tháng 8/2022 — Trà Vinh 60-KH/ĐUK (3 văn bản):")


async def test_questions_before_subscribing_offer_the_plans(chat):
    [reply] = await chat.send("tháng này học gì")
    assert reply.text.startswith("Chat này chưa đăng ký kế hoạch nào.")
    assert reply.buttons[0][0].data.startswith("sub:")


async def test_a_cell_follows_several_plans_and_unsubscribes_one(chat):
    await chat.text("/dangky tra-vinh-60-2022")
    await chat.text("/dangky kim-bang-35-2022 Chi bộ Thôn Đông")
    sub = chat.store.get("test", "1")
    assert sub.plan_ids == ("tra-vinh-60-2022", "kim-bang-35-2022")
    assert sub.cell_name == "Chi bộ Thôn Đông"
    both = await chat.text("hạn chót")
    assert "Trà Vinh 60-KH/ĐUK" in both and "Kim Bảng 35-KH/HU" in both
    [choice] = await chat.send("/huy")
    assert choice.text == "Hủy kế hoạch nào?"
    done = await chat.press("unsub:kim-bang-35-2022")
    assert done.text == "Đã hủy. Chat này còn theo: tra-vinh-60-2022."
    assert chat.store.get("test", "1").plan_ids == ("tra-vinh-60-2022",)


async def test_start_after_every_plan_ended_says_so_and_shows_them_as_past(chat):
    reply = await chat.reply("/start", at=datetime(2031, 3, 1, 8, 0, tzinfo=TZ))
    assert (
        "Hiện chưa có kế hoạch nào đang thực hiện: mọi kế hoạch tôi có đều đã kết thúc (muộn nhất "
        "tháng 12/2030)." in reply.text
    )
    # every plan of the catalog, whatever it holds, shown as past
    assert "🗄 Kim Bảng 35-KH/HU (đã kết thúc)" in labels(reply)
    assert len(labels(reply)) == len(chat.catalog.plans)


async def test_start_while_a_plan_runs_offers_them_plainly(chat):
    reply = await chat.reply("/start")
    assert reply.text.endswith("Chọn kế hoạch cấp trên đã ban hành cho chi bộ:")
    assert "Kim Bảng 35-KH/HU" in labels(reply)


async def test_an_unambiguous_short_id_subscribes(chat):
    reply = await chat.reply("/dangky kim-bang")
    assert reply.text.startswith("✅ Đã đăng ký Kim Bảng 35-KH/HU cho chat này.")
    assert plans(chat) == ("kim-bang-35-2022",)
    await chat.reply("/dangky tra-vinh Chi bộ 3")
    assert plans(chat) == ("kim-bang-35-2022", "tra-vinh-60-2022")
    assert chat.sub.cell_name == "Chi bộ 3"


async def test_an_ambiguous_short_id_lists_what_it_could_be(chat):
    reply = await chat.reply("/dangky t")
    assert reply.text.startswith("“t” có thể là: thai-nguyen-49-2022, tra-vinh-60-2022.")
    assert (await chat.reply("/dangky xyz")).text.startswith("Không có kế hoạch “xyz”.")


async def test_leaving_the_last_plan_is_confirmed_first(chat):
    await chat.reply("/dangky kim-bang-35-2022")
    await chat.reply("/dangky tra-vinh")
    assert (
        await chat.reply("/huy tra-vinh")
    ).text == "Đã hủy. Chat này còn theo: kim-bang-35-2022."
    ask = await chat.reply("/huy")
    assert ask.text.startswith(
        "Hủy Kim Bảng 35-KH/HU thì chat này không còn kế hoạch nào và tôi sẽ không nhắc gì nữa. "
        "Đồng chí chắc chắn muốn hủy?"
    )
    assert plans(chat) == ("kim-bang-35-2022",)  # nothing changed yet
    [data] = [b.data for row in ask.buttons for b in row]
    assert buttons.decode(data) == buttons.ConfirmUnsubscribe(buttons.Ref("kim-bang-35-2022"))
    done = await chat.reply(callback=data)
    assert done.text.startswith("Đã hủy đăng ký. Tôi sẽ không nhắc nữa")
    assert plans(chat) == ()


async def test_cancelling_all_plans_by_the_old_button_is_confirmed_too(chat):
    await chat.reply("/dangky kim-bang")
    ask = await chat.reply(callback="unsub:*")
    assert "Đồng chí chắc chắn muốn hủy?" in ask.text and plans(chat) == ("kim-bang-35-2022",)
    await chat.reply(callback=ask.buttons[0][0].data)
    assert plans(chat) == ()


def plans(chat) -> tuple[str, ...]:
    return chat.sub.plan_ids if chat.sub else ()
