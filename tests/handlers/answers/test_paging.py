"""A long answer fits a phone screen: its first page with “Xem tiếp” / “Xem hết”, the rest on
a press (minutes later, after a restart too), everything when asked for ("tất cả"); several plans
grouped by plan, soonest due first; notes once a day; a cell's agenda only; a yearly duty once."""

from datetime import datetime, timedelta

from bot.clock import TZ
from handlers import button_data, buttons, paging
from handlers.features.questions import STALE_PAGE
from handlers.state import Subscription
from tests.handlers.conversing import labels

ALL_FIVE = (
    "kim-bang-35-2022",
    "tra-vinh-60-2022",
    "thai-nguyen-49-2022",
    "nq21-huyen-2022",
    "ky-loi-2022",
)
ASKED = datetime(2022, 8, 10, 8, 0, tzinfo=TZ)


async def test_a_long_answer_is_paged_soonest_plan_first_and_the_rest_follows_on_a_press(chat):
    chat.at(ASKED).follows(*ALL_FIVE, rule=None)
    first = await chat.reply("hạn sắp tới")
    assert len(first.text) <= paging.SCREEN + paging.FOOTER
    # Kỳ Lợi's next deadline (24/8) is the nearest of the five plans: it leads
    assert first.text.startswith("⏰ Việc sắp đến hạn — Kỳ Lợi — “Tự soi, tự sửa”:\n")
    assert "— Trang 1/4. Còn 3 trang nữa. Bấm “Xem tiếp” hoặc gõ “xem hết”." in first.text
    assert labels(first)[:2] == ["▶️ Xem tiếp (2/4)", "📄 Xem hết"]
    assert all(
        len(b.data.encode()) <= button_data.MAX_DATA_BYTES for row in first.buttons for b in row
    )

    second = await chat.press("Xem tiếp", first, at=ASKED + timedelta(minutes=7))
    assert second.text.startswith("⏰ Việc sắp đến hạn — Trà Vinh 60-KH/ĐUK:\n")
    assert "⏰ Việc sắp đến hạn — Kim Bảng 35-KH/HU:" in second.text
    assert second.text.endswith(
        "— Trang 2/4. Còn: Thái Nguyên 49-KH/TU, Kế hoạch thực hiện 42-CTr/TU (Nghị quyết "
        "21-NQ/TW). Bấm “Xem tiếp” hoặc gõ “xem hết”."
    )
    assert len(second.text) <= paging.SCREEN + paging.FOOTER
    rest = await chat.press("Xem hết", second, at=ASKED + timedelta(minutes=9))
    assert rest.text.startswith("⏰ Việc sắp đến hạn — Thái Nguyên 49-KH/TU:")
    assert "⏰ Việc sắp đến hạn — Kế hoạch thực hiện 42-CTr/TU" in rest.text
    assert "Trang" not in rest.text and "Xem tiếp" not in " ".join(labels(rest))
    # every plan's deadlines are somewhere, each once, soonest plan first
    whole = first.text + second.text + rest.text
    names = ("Kỳ Lợi", "Trà Vinh", "Kim Bảng", "Thái Nguyên", "Kế hoạch thực hiện")
    order = [whole.index(f"Việc sắp đến hạn — {n}") for n in names]
    assert order == sorted(order)


async def test_a_page_survives_a_restart_and_typed_xem_tiep_works_like_the_button(chat):
    chat.at(ASKED).follows(*ALL_FIVE, rule=None)
    first = await chat.reply("hạn sắp tới")
    chat.restart()  # a new conversation over the same store
    second = await chat.press("Xem tiếp", first, at=ASKED + timedelta(minutes=20))
    assert "— Trang 2/4." in second.text
    third = await chat.reply("xem tiếp", at=ASKED + timedelta(minutes=21))
    assert "— Trang 3/4." in third.text


async def test_a_stale_press_gets_a_clear_answer(chat):
    chat.at(ASKED).follows(*ALL_FIVE, rule=None)
    first = await chat.reply("hạn sắp tới")
    await chat.reply("tháng này học gì")  # a shorter question since: nothing to page
    again = await chat.reply("hạn trong năm nay")  # a newer long answer replaces the old one
    old = await chat.press("Xem tiếp", first)
    assert old.text == STALE_PAGE
    tomorrow = await chat.press("Xem tiếp", again, at=ASKED + timedelta(days=1))
    assert tomorrow.text.startswith("Câu trả lời này là của Thứ Tư, 10/8/2022; số ngày còn lại")
    assert (await chat.reply(callback="pg:zz:0")).text.startswith("Nút này đã cũ")


async def test_a_changed_subscription_makes_the_next_page_stale_not_wrong(chat):
    chat.at(ASKED).follows(*ALL_FIVE, rule=None)
    first = await chat.reply("hạn sắp tới")
    await chat.store.save(Subscription("test", "1", ALL_FIVE[:4]))
    changed = await chat.press("Xem tiếp", first)
    assert changed.text.startswith("Kế hoạch hoặc cài đặt của chat đã thay đổi sau câu hỏi này")


async def test_asking_for_everything_gets_everything_at_once(chat):
    chat.at(ASKED).follows(*ALL_FIVE, rule=None)
    for asked in ("tất cả hạn sắp tới", "hạn sắp tới xem hết", "all deadlines"):
        whole = await chat.reply(asked)
        assert "Trang" not in whole.text and len(whole.text) > paging.SCREEN, asked
        assert "Kỳ Lợi" in whole.text and "Kim Bảng 35-KH/HU" in whole.text


async def test_a_short_answer_is_not_paged(chat):
    chat.at(ASKED).follows("kim-bang-35-2022", rule=None)
    reply = await chat.reply("hạn sắp tới")
    assert "Trang" not in reply.text and not any("Xem" in x for x in labels(reply))


def test_pages_never_cut_an_item_and_repeat_the_header():
    items = "\n".join(
        f"• Việc số {i}\n  Hạn: ngày {i}/9/2022\n  Thực hiện: chi bộ." for i in range(40)
    )
    pages = paging.split(f"⏰ Việc sắp đến hạn — X:\n{items}")
    assert len(pages) > 1 and all(len(p) <= paging.BODY for p in pages)
    assert pages[1].startswith("⏰ Việc sắp đến hạn — X (tiếp):\n• Việc số")
    assert all("\n  Hạn" not in p.split("\n", 2)[1] for p in pages)  # an item's lines stay together
    assert sum(p.count("• Việc số") for p in pages) == 40


def test_the_page_button_round_trips():
    press = buttons.Page("a1b2c3d4", 3, rest=True)
    assert buttons.decode(press.encode()) == press
    assert buttons.decode("pg:a1b2c3d4:0") is None and buttons.decode("pg::2") is None


async def test_notes_are_shown_once_a_day_not_under_every_answer(chat):
    chat.at(ASKED).follows("ky-loi-2022", rule=None)
    note = "ℹ️ Kế hoạch có hạn riêng cho Chi bộ Tân Phúc Thành 3."
    assert note in (await chat.reply("hạn sắp tới")).text
    assert note not in (await chat.reply("hạn chót khi nào")).text
    assert note in (await chat.reply("hạn sắp tới", at=ASKED + timedelta(days=1))).text


async def test_the_agenda_for_a_cell_is_the_cells_own(chat):
    chat.at(ASKED).follows("ky-loi-2022", rule=None)
    cell = await chat.reply("trình tự sinh hoạt chuyên đề")
    assert cell.text.startswith("📋 Trình tự sinh hoạt chuyên đề “Tự soi, tự sửa” tại Chi bộ:")
    assert "tại Đảng ủy" not in cell.text
    upper = await chat.reply("trình tự sinh hoạt của Đảng ủy")
    assert "tại Đảng ủy:" in upper.text and "tại Chi bộ" not in upper.text


async def test_plans_that_have_none_share_one_line(chat):
    chat.at(ASKED).follows(*ALL_FIVE, rule=None)
    reply = await chat.reply("trình tự sinh hoạt")  # Kỳ Lợi's agenda, then one line for the rest
    assert reply.text.startswith("📋 Trình tự sinh hoạt chuyên đề “Tự soi, tự sửa” tại Chi bộ:")
    assert reply.text.endswith(
        "📋 Không có trình tự sinh hoạt mẫu: Trà Vinh 60-KH/ĐUK, Kim Bảng 35-KH/HU, "
        "Thái Nguyên 49-KH/TU, Kế hoạch thực hiện 42-CTr/TU (Nghị quyết 21-NQ/TW)."
    )


async def test_a_yearly_duty_is_one_line(chat):
    chat.at(ASKED).follows("nq21-huyen-2022", rule=None)
    reply = await chat.reply("hạn sắp tới", at=datetime(2022, 11, 1, 8, 0, tzinfo=TZ))
    assert reply.text.count("Đánh giá tỉ lệ Bí thư, Phó Bí thư") == 1
    assert "Thời gian: hằng năm (2022–2030), kế hoạch không ghi ngày cụ thể" in reply.text
