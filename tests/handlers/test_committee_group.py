"""A committee's group in the conversation: the roster commands (read back, ✅ Lưu, who may), ✅ for
a named cell only (asked when unsure), a cell's mark shared with its private chat both ways, "chi
bộ nào chưa nộp" from the roster, questions answered for the plan, and the status by cell.

The Kỳ Lợi plan names only the pilot cell (Tân Phúc Thành 3); the other names are the test's own.
"""

from datetime import datetime

from bot.clock import TZ
from handlers import push_messages
from handlers.state import CellFollow, Subscription
from handlers.status import detail_text, plan_status
from schedules.meetings import parse_rule
from schedules.plan_calendar import ItemRef
from schedules.pushes import Planner
from tests.handlers.conversing import Chat, data, labels

PLAN = "ky-loi-2022"
CELLS = ("Tân Phúc Thành 3", "Đông Yên", "Tân Phúc Thành 1", "Hoành Sơn", "Hải Phong")
OTHERS = ItemRef(PLAN, "chi-bo-sinh-hoat")
PILOT = ItemRef(PLAN, "chi-bo-diem-sinh-hoat")


def committee(chat: Chat, *names: str) -> Subscription:
    chat.group_chat("-19")
    return chat.seed(
        Subscription(
            "test",
            "-19",
            (PLAN,),
            is_group=True,
            created_by_id="u1",
            roster=tuple(CellFollow(n) for n in names or CELLS),
        )
    )


async def test_the_roster_is_read_back_and_saved_only_on_luu(chat):
    chat.group_chat("-19")
    chat.follows(PLAN, rule=None, is_group=True)
    assert "chưa có danh sách chi bộ" in await chat.text("/chibo")
    offer = await chat.reply("/chibo them\n1. Chi bộ Đông Yên\n2. CB Hải Phong\n3. đông yên")
    assert offer.text.splitlines()[:3] == [
        "Thêm 2 chi bộ vào danh sách của nhóm:",
        "• Chi bộ Đông Yên",
        "• Chi bộ Hải Phong",
    ]
    assert chat.sub.roster == ()
    assert (await chat.press("Thôi")).text == "Đã bỏ, danh sách chi bộ không đổi."
    assert chat.sub.roster == ()
    stale = await chat.reply(callback=data(offer)[0])
    assert stale.text.startswith("Nút này đã cũ")

    await chat.send("chibo them Đông Yên; Hải Phong")  # no slash: some Zalo clients have none
    saved = await chat.press("Lưu")
    assert saved.text.startswith("✅ Đã lưu.\n📋 Nhóm theo dõi 2 chi bộ:\n1. Chi bộ Đông Yên")
    assert [c.name for c in chat.sub.roster] == ["Đông Yên", "Hải Phong"]
    assert "đã có trong danh sách: Chi bộ Đông Yên" in await chat.text("/chibo them Đông Yên")

    offer = await chat.reply("/chibo bot chi bo hai phong; Hoành Sơn")
    assert offer.text.splitlines()[:3] == [
        "Bớt 1 chi bộ khỏi danh sách của nhóm:",
        "• Chi bộ Hải Phong",
        "(Không thấy trong danh sách: Chi bộ Hoành Sơn.)",
    ]
    await chat.press("Lưu")
    assert [c.name for c in chat.sub.roster] == ["Đông Yên"]


async def test_only_those_who_change_the_groups_settings_change_its_roster(chat):
    committee(chat)
    # "chibo" as the bot's name, not the command: a question answered as a question
    assert "Kỳ Lợi" in await chat.text("Chibo ơi tháng này học gì", user="u7", admin=False)
    refused = await chat.text("/chibo them Kỳ Nam", user="u7", admin=False)
    assert refused.startswith("Xin lỗi, chỉ quản trị viên")
    assert len(chat.sub.roster) == 5


async def test_a_private_chat_is_told_the_roster_is_for_a_committees_group(chat):
    chat.follows(PLAN, cell="Chi bộ Đông Yên")
    assert "dùng trong nhóm của cấp ủy" in await chat.text("/chibo them Hải Phong")
    assert chat.sub.roster == ()


async def test_a_cells_group_that_becomes_a_committees_keeps_its_own_cell(chat):
    chat.group_chat("-5")
    chat.follows(PLAN, cell="Tân Phúc Thành 3", is_group=True)
    offer = await chat.reply("/chibo them Đông Yên")
    assert offer.text.startswith("Thêm 1 chi bộ")
    await chat.press("Lưu")
    assert [c.name for c in chat.sub.roster] == ["Tân Phúc Thành 3", "Đông Yên"]
    assert chat.sub.roster[0].meeting_rule is not None  # the group's own meeting rule came along


async def test_a_short_name_meaning_two_cells_is_asked_never_guessed(chat):
    committee(chat, "Tân Phúc Thành 1", "Hải Phong 1", "Đông Yên")
    chat.at("2022-09-12T20:00")
    asked = await chat.text("CB 1 xong", user="u7", admin=False)
    assert asked.startswith(
        "Đồng chí báo cho chi bộ nào? Chi bộ Tân Phúc Thành 1; Chi bộ Hải Phong 1"
    )
    assert all(not c.done for c in chat.sub.roster)
    # a negation is no mark: "chưa xong" says it is not done
    await chat.send("Chi bộ Đông Yên chưa xong, mai nộp", user="u7", admin=False)
    await chat.send("CB Tân Phúc Thành 1 không tổ chức được đã báo rồi", user="u7", admin=False)
    assert all(not c.done for c in chat.sub.roster)
    # a sentence that names no cell of the roster marks nothing and is not taken for a mark
    await chat.send("Chi bộ Kỳ Nam đã nộp báo cáo", user="u7", admin=False)
    assert all(not c.done for c in chat.sub.roster)


async def test_the_button_asks_which_cell_and_a_questions_wording_is_no_mark(chat):
    committee(chat)
    chat.at("2022-09-12T20:00")
    which = await chat.reply(callback=f"done:{PLAN}:{OTHERS.item_id}", user="u7", admin=False)
    assert labels(which) == [
        "✅ Chi bộ Đông Yên",
        "✅ Chi bộ Tân Phúc Thành 1",
        "✅ Chi bộ Hoành Sơn",
        "✅ Chi bộ Hải Phong",
    ]  # the pilot has a day of its own (10/9): not among them
    thanks = await chat.press("Hoành Sơn", under=which, user="u7", admin=False)
    assert thanks.text.startswith("✅ Cảm ơn Chi bộ Hoành Sơn! Đã ghi nhận hoàn thành")
    again = await chat.press("Hoành Sơn", under=which, user="u8", admin=False)
    assert again.text.startswith("Chi bộ Hoành Sơn đã được u7 đánh dấu hoàn thành")
    assert [c.name for c in chat.sub.roster if c.done] == ["Hoành Sơn"]

    answer = await chat.text("chi bộ nào chưa nộp?", user="u7", admin=False)
    assert (
        "Tổ chức sinh hoạt chuyên đề “Tự soi, tự sửa” (trước ngày 20/9/2022): chưa xong 3" in answer
    )
    assert "Chi bộ Hoành Sơn" not in answer.split("20/9/2022")[1]
    assert [c.name for c in chat.sub.roster if c.done] == ["Hoành Sơn"]  # a question marks nothing

    topics = await chat.text("tháng này học gì", user="u7", admin=False)
    assert "Kỳ Lợi" in topics  # answered for the plan the group follows


async def test_a_mark_in_the_private_chat_shows_in_the_group_and_counts_once(chat):
    private = Subscription("test", "502", (PLAN,), cell_name="Chi bộ Đông Yên")
    group = committee(chat)
    chat.store._subs[private.key] = private  # noqa: SLF001 — a second chat in the same store
    chat.chat_id, chat.group = "502", False
    chat.at("2022-09-12T20:00")
    thanks = await chat.reply(callback=f"done:{PLAN}:{OTHERS.item_id}", user="u502")
    assert thanks.text.startswith("✅ Cảm ơn đồng chí")
    roster = chat.store.get("test", "-19").roster
    assert [c.name for c in roster if c.done] == ["Đông Yên"]
    assert roster[1].done[OTHERS].user_id == "u502"

    status = plan_status(chat.catalog.get(PLAN), chat.store.all())
    assert len(status.following) == 5  # five cells: Đông Yên once, through whichever chat
    others = status.deadline(OTHERS.item_id)
    assert (len(others.done), len(others.marks)) == (1, 4)
    text = detail_text(status, datetime(2022, 9, 12).date(), 30)
    assert "5 chi bộ đang theo, qua 2 chat (1 nhóm)." in text
    assert "👥 Nhóm cấp ủy chat -19: 5 chi bộ nhận tin qua nhóm." in text
    assert "   ↳ Chi bộ Đông Yên còn nhận tin qua chat riêng." in text  # every chat reaching it
    assert group.key != private.key


async def test_a_groups_push_of_one_minute_is_one_message_naming_the_cells(chat):
    group = committee(chat)
    planner = Planner(chat.catalog.plans, TZ)
    start, end = datetime(2022, 9, 2, 7, 0, tzinfo=TZ), datetime(2022, 9, 2, 8, 0, tzinfo=TZ)
    [(push, _, reply)] = push_messages.rendered(planner, [group], start, end)
    assert reply.text.startswith("⏰ Còn 7 ngày: Sinh hoạt chuyên đề điểm để rút kinh nghiệm")
    assert "Chưa đánh dấu xong (1 chi bộ): Chi bộ Tân Phúc Thành 3." in reply.text
    assert "các chi bộ còn lại: trước ngày 20/9/2022" in reply.text
    assert labels(reply)[0] == "✅ Đã hoàn thành"


async def test_many_cells_are_counted_and_named_up_to_what_fits_a_phone(chat):
    names = [f"Thôn {n}" for n in range(1, 61)]
    group = committee(chat, *names)
    planner = Planner(chat.catalog.plans, TZ)
    start, end = datetime(2022, 9, 12, 7, 0, tzinfo=TZ), datetime(2022, 9, 12, 8, 0, tzinfo=TZ)
    [(_, _, reply)] = push_messages.rendered(planner, [group], start, end)
    assert "Chưa đánh dấu xong (60 chi bộ): Chi bộ Thôn 1, Chi bộ Thôn 2" in reply.text
    assert "chi bộ khác." in reply.text
    assert len(reply.text) < 1000


async def test_a_cells_meeting_set_in_the_group_is_the_cells_everywhere(chat):
    private = Subscription("test", "502", (PLAN,), cell_name="Chi bộ Đông Yên")
    committee(chat)
    chat.store._subs[private.key] = private  # noqa: SLF001 — a second chat in the same store
    offer = await chat.reply("/chibo hop Đông Yên: ngày 5 hằng tháng lúc 19h30")
    assert offer.text.startswith("Xác nhận thay đổi cho Chi bộ Đông Yên:\nNgày họp chi bộ: ")
    assert chat.sub.roster[1].meeting_rule is None
    saved = await chat.press("Lưu")
    assert saved.text.startswith("✅ Đã lưu cho Chi bộ Đông Yên. Ngày họp: ngày 5 hằng tháng")
    rule = chat.sub.roster[1].meeting_rule
    assert rule is not None and chat.store.get("test", "502").meeting_rule == rule
    assert [c.meeting_rule is None for c in chat.sub.roster] == [True, False, True, True, True]

    # the pilot's own date (its thematic session), named with the setting as in a private chat
    offer = await chat.reply("/chibo dat Tân Phúc Thành 3, ngày hội nghị chuyên đề: 8/9")
    assert "Chi bộ Tân Phúc Thành 3" in offer.text and "8/9/2022" in offer.text
    await chat.press("Lưu")
    assert chat.sub.roster[0].cell_dates == {"hoi-nghi-chuyen-de": "2022-09-08"}
    assert "Không thấy “Kỳ Nam”" in await chat.text("/chibo hop Kỳ Nam: ngày 5 hằng tháng")

    # set in the private chat: the group's roster has it too
    chat.chat_id, chat.group = "502", False
    await chat.send("ngày họp: ngày 10 hằng tháng")
    await chat.press("Lưu")
    chat.chat_id, chat.group = "-19", True
    assert chat.sub.roster[1].meeting_rule == chat.store.get("test", "502").meeting_rule
    assert chat.sub.roster[1].meeting_rule.describe().startswith("ngày 10")


async def test_a_groups_meeting_reminder_is_one_line_per_hour_naming_the_cells(chat):
    chat.group_chat("-19")
    rule = parse_rule("ngày 5 hằng tháng")
    group = chat.seed(
        Subscription(
            "test",
            "-19",
            ("tra-vinh-60-2022",),
            is_group=True,
            roster=(
                CellFollow("Đông Yên", rule),
                CellFollow("Hoành Sơn"),
                CellFollow("Kỳ Nam", rule),
                CellFollow("Hải Phong", parse_rule("ngày 5 hằng tháng lúc 19h30")),
            ),
        )
    )
    planner = Planner(chat.catalog.plans, TZ)
    start, end = datetime(2022, 9, 5, 7, 0, tzinfo=TZ), datetime(2022, 9, 5, 8, 0, tzinfo=TZ)
    [(_, _, reply)] = push_messages.rendered(planner, [group], start, end)
    lines = reply.text.splitlines()
    assert lines[:3] == [
        "🗓 Sinh hoạt chi bộ:",
        "• hôm nay (Thứ Hai, 5/9/2022): Chi bộ Đông Yên, Chi bộ Kỳ Nam",
        "• hôm nay (Thứ Hai, 5/9/2022 lúc 19:30): Chi bộ Hải Phong",
    ]


async def test_the_question_dangky_asked_is_dropped_once_the_group_has_a_roster(chat):
    chat.group_chat("-19")
    chat.fresh()
    asked = await chat.text(f"/dangky {PLAN}")
    assert "tên chi bộ" in asked.lower() and chat.sub.pending is not None
    await chat.send("/chibo them Đông Yên; Hải Phong")
    await chat.press("Lưu")
    assert chat.sub.pending is None and chat.sub.cell_name is None
    chat.at("2022-09-12T20:00")
    thanks = await chat.text("Chi bộ Đông Yên đã tổ chức sinh hoạt chuyên đề")
    assert thanks.startswith("✅ Cảm ơn Chi bộ Đông Yên!")
    assert chat.sub.cell_name is None


async def test_a_committee_group_is_not_asked_for_a_cell_name_of_its_own(chat):
    committee(chat)
    chat.at("2022-09-05T09:00")
    answer = await chat.text("hạn chót", user="u7", admin=False)
    assert "Sinh hoạt chuyên đề điểm để rút kinh nghiệm" in answer
    assert "Cho tôi biết tên chi bộ" not in answer


async def test_a_committee_groups_settings_name_its_roster_not_a_cell_of_its_own(chat):
    committee(chat)
    shown = await chat.text("/caidat")
    assert "• Chi bộ theo dõi: 5 (xem, thêm, bớt: /chibo;" in shown
    assert "Tên chi bộ" not in shown and "Ngày họp" not in shown
    assert "Giờ nhắc" in shown or "giờ" in shown.lower()


async def test_tinhhinh_names_every_chat_reaching_a_cell_and_its_first_screen_stays_short(chat):
    """A province's scale: 300 cells in one committee group, 120 of them also in their
    secretaries' private chats, 10 in groups of their own, 50 in a second committee group, and
    four more committee groups: each cell counted once, every way it is reached said, and what
    comes before the first deadline still one screen."""
    many = [f"Thôn {n}" for n in range(1, 301)]
    subs = [
        Subscription(
            "test",
            "-19",
            (PLAN,),
            is_group=True,
            title="Bí thư chi bộ xã Kỳ Lợi",
            roster=tuple(CellFollow(n) for n in many),
        ),
        Subscription(
            "test",
            "-20",
            (PLAN,),
            is_group=True,
            title="Chi ủy cụm Bắc",
            roster=tuple(CellFollow(n) for n in many[:50]),
        ),
    ]
    subs += [
        Subscription(
            "test",
            f"-3{n}",
            (PLAN,),
            is_group=True,
            title=f"Cụm {n}",
            roster=(CellFollow(many[-n]),),
        )
        for n in range(1, 5)
    ]
    subs += [
        Subscription("test", f"{n}", (PLAN,), cell_name=f"Chi bộ Thôn {n}") for n in range(1, 121)
    ]
    subs += [
        Subscription(
            "test",
            f"-4{n}",
            (PLAN,),
            cell_name=f"Chi bộ Thôn {n}",
            is_group=True,
            title=f"Chi bộ thôn {n}",
        )
        for n in range(200, 210)
    ]
    chat.chat_id, chat.user, chat.group = "boss", "boss", False
    for sub in subs:
        chat.store._subs[sub.key] = sub  # noqa: SLF001 — seeding the memory store directly
    chat.at("2022-09-12T20:00")
    text = await chat.text(f"/tinhhinh {PLAN}")
    assert "300 chi bộ đang theo, qua 136 chat (16 nhóm)." in text
    assert "👥 Nhóm cấp ủy “Bí thư chi bộ xã Kỳ Lợi”: 300 chi bộ nhận tin qua nhóm." in text
    assert (
        "   ↳ 120 chi bộ còn nhận tin qua chat riêng; 10 chi bộ qua nhóm của chi bộ; 50 chi bộ qua "
        "nhóm cấp ủy “Chi ủy cụm Bắc”; và qua 4 nhóm cấp ủy khác." in text
    )
    assert "👥 Và 4 nhóm cấp ủy khác: xem bảng xuất ra." in text
    first_screen = text.split("\n\n⏰")[0]
    assert len(first_screen) <= 600, (len(first_screen), first_screen)


async def test_a_cell_still_reached_through_the_group_is_not_among_those_cut_off(chat):
    """Đông Yên's secretary blocked the bot; the committee group still reaches the cell: it is
    followed (through the group), not listed as one the bot cannot reach."""
    committee(chat)
    stopped = Subscription("test", "502", (PLAN,), cell_name="Chi bộ Đông Yên", active=False)
    chat.store._subs[stopped.key] = stopped  # noqa: SLF001 — a second chat in the same store
    status = plan_status(chat.catalog.get(PLAN), chat.store.all())
    assert len(status.following) == 5 and status.blocked == []
    text = detail_text(status, datetime(2022, 9, 12).date(), 30)
    assert "Đã chặn" not in text and "↳" not in text
