"""A committee's group following the five cells of Kỳ Lợi, end to end on both channels: the real
channels against the fake servers, the real scheduler, the store as it is saved.

The roster set from the group (read back, ✅ Lưu); one push at 7:30 on 2/9 gives the pilot cell's
10/9 and the other cells' 20/9; the pilot's ✅ by choice (the push's button, then which cell), Đông
Yên's by a typed sentence; Đông Yên's secretary, following privately, has the mark and is not
reminded; /tinhhinh counts 5 cells, not 2 chats; /nhacviec names the cells not done in the group
and reaches a cell not done in its secretary's private chat too. The plan names only the pilot cell (Tân Phúc
Thành 3); the other four names are the test's own.
"""

import contextlib
import io
from datetime import datetime

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import TZ
from handlers.state import Subscription
from schedules import catalog
from schedules.plan_calendar import ItemRef
from tests.bot.harness import serving
from tests.bot.sim import SimTime, SteppedClock

CAT = catalog.load()
PLAN = "ky-loi-2022"
CELLS = ("Tân Phúc Thành 3", "Đông Yên", "Tân Phúc Thành 1", "Hoành Sơn", "Hải Phong")
PILOT_DUTY = ItemRef(PLAN, "chi-bo-diem-sinh-hoat")
OTHERS_DUTY = ItemRef(PLAN, "chi-bo-sinh-hoat")


@contextlib.asynccontextmanager
async def running(driver, db, clock, **config):
    sim = SimTime()
    bot = assemble(
        driver.config(db, **config),
        CAT,
        clock,
        lambda _platform: RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    for channel in bot.channels.values():
        channel.poll_timeout = 1
    async with serving(bot) as served:
        yield served


async def said(driver, count: int, chat: str) -> str:
    """The newest message to `chat` once `count` messages were sent in all."""
    sent = await driver.wait_sent(count)
    return [m for m in sent if m.chat == chat][-1].text


async def test_a_committee_group_follows_five_cells(driver, tmp_path):
    group = driver.chat_id(19, group=True)
    committee, member, boss = driver.user_id(1), driver.user_id(3), driver.user_id(9)
    private, secretary = driver.chat_id(502), driver.user_id(502)
    if driver.platform == "telegram":
        driver.fake.admins[group] = [1]
    clock = SteppedClock(datetime(2022, 8, 20, 8, 0, tzinfo=TZ))
    admins = frozenset({(driver.platform, boss)})
    async with running(driver, tmp_path / "db.json", clock, admins=admins) as bot:
        store = bot.store
        # Đông Yên's secretary already follows the plan privately, as a chat of one cell does
        await store.save(
            Subscription(
                driver.platform,
                private,
                (PLAN,),
                cell_name="Chi bộ Đông Yên",
                created_at=clock.at.isoformat(),
            )
        )
        driver.say(group, committee, f"/dangky {PLAN}", mention=True)
        assert (await said(driver, 1, group)).startswith("✅ Đã đăng ký Kỳ Lợi")

        # the roster: one name a line and ";" alike, "Chi bộ" / "CB" or not
        names = "Chi bộ Tân Phúc Thành 3\nĐông Yên; CB Tân Phúc Thành 1\nHoành Sơn; Hải Phong"
        # Zalo clients without slash commands: the same words without the "/"
        command = "/chibo them" if driver.platform == "telegram" else "chibo them"
        driver.say(group, committee, f"{command} {names}", mention=True)
        offer = [m for m in await driver.wait_sent(2) if m.chat == group][-1]
        assert offer.text.startswith("Thêm 5 chi bộ vào danh sách của nhóm:")
        assert "• Chi bộ Tân Phúc Thành 1" in offer.text and "Lưu lại?" in offer.text
        assert store.get(driver.platform, group).roster == ()  # nothing saved before ✅ Lưu
        driver.choose(group, committee, offer, "Lưu")
        listing = await said(driver, 3, group)
        assert listing.startswith("✅ Đã lưu.\n📋 Nhóm theo dõi 5 chi bộ:")
        assert [c.name for c in store.get(driver.platform, group).roster] == list(CELLS)

        # 7 days before the pilot's last day: one message, both days by cell
        await bot.scheduler.tick(datetime(2022, 9, 2, 7, 0, tzinfo=TZ))  # the first tick ever
        clock.at = datetime(2022, 9, 2, 7, 30, tzinfo=TZ)
        await bot.scheduler.tick(clock.at)
        push = [m for m in await driver.wait_sent(4) if m.chat == group][-1]
        assert push.text.startswith("⏰ Còn 7 ngày: Sinh hoạt chuyên đề điểm để rút kinh nghiệm")
        assert (
            "Hạn theo chi bộ: Chi bộ Tân Phúc Thành 3: trước ngày 10/9/2022; các chi bộ còn lại: "
            "trước ngày 20/9/2022." in push.text
        )
        assert "Chưa đánh dấu xong (1 chi bộ): Chi bộ Tân Phúc Thành 3." in push.text
        assert len([m for m in driver.sent if m.chat == group]) == 4  # one message for the minute

        # ✅ by choice: the push's button asks which cell; a member (not an admin) answers
        clock.at = datetime(2022, 9, 2, 20, 0, tzinfo=TZ)
        driver.choose(group, member, push, "Đã hoàn thành")
        which = [m for m in await driver.wait_sent(5) if m.chat == group][-1]
        assert which.text.startswith("Chi bộ nào đã hoàn thành “Sinh hoạt chuyên đề điểm")
        assert which.choices == ["✅ Chi bộ Tân Phúc Thành 3"]
        driver.choose(group, member, which, "Tân Phúc Thành 3")
        thanks = await said(driver, 6, group)
        assert thanks.startswith("✅ Cảm ơn Chi bộ Tân Phúc Thành 3! Đã ghi nhận hoàn thành")
        pilot = store.get(driver.platform, group).roster[0]
        assert pilot.done[PILOT_DUTY].user_id == member
        assert all(not c.done for c in store.get(driver.platform, group).roster[1:])

        # 12/9, 7 days before the others' last day: the group names the 4 cells not done, and
        # Đông Yên's secretary is reminded in the private chat as before
        clock.at = datetime(2022, 9, 12, 7, 30, tzinfo=TZ)
        await bot.scheduler.tick(clock.at)
        await driver.wait_sent(8)
        push = [m for m in driver.sent if m.chat == group][-1]
        assert push.text.startswith("⏰ Còn 7 ngày: Tổ chức sinh hoạt chuyên đề")
        assert (
            "Chưa đánh dấu xong (4 chi bộ): Chi bộ Đông Yên, Chi bộ Tân Phúc Thành 1" in push.text
        )
        [reminded] = [m for m in driver.sent if m.chat == private]
        assert reminded.text.startswith("⏰ Còn 7 ngày: Tổ chức sinh hoạt chuyên đề")

        # ✅ by a typed sentence, for the cell it names only
        clock.at = datetime(2022, 9, 12, 21, 0, tzinfo=TZ)
        driver.say(group, member, "Chi bộ Đông Yên đã tổ chức sinh hoạt chuyên đề", mention=True)
        thanks = await said(driver, 9, group)
        assert thanks.startswith("✅ Cảm ơn Chi bộ Đông Yên! Đã ghi nhận hoàn thành “Tổ chức")
        roster = {c.name: c for c in store.get(driver.platform, group).roster}
        assert set(roster["Đông Yên"].done) == {OTHERS_DUTY}
        assert [n for n, c in roster.items() if c.done] == ["Tân Phúc Thành 3", "Đông Yên"]

        # "@Bot … CB Hải Phong xong", as each platform writes a mention of the bot
        if driver.platform == "telegram":
            driver.say(group, member, "CB Hải Phong xong", mention=True)
        else:
            driver.fake.mention(group, member, "Bot Trợ lý Chi bộ", "CB Hải Phong xong rồi ạ")
        thanks = await said(driver, 10, group)
        assert thanks.startswith("✅ Cảm ơn Chi bộ Hải Phong! Đã ghi nhận hoàn thành “Tổ chức")

        # the same cell, followed privately, sees its mark: one cell, recorded on both
        driver.choose(private, secretary, reminded, "Đã hoàn thành")
        seen = await said(driver, 11, private)
        assert seen.startswith("Việc “Tổ chức sinh hoạt chuyên đề “Tự soi, tự sửa”” đã được ")
        assert "đánh dấu hoàn thành lúc 21:00 Thứ Hai, 12/9/2022." in seen
        assert store.get(driver.platform, private).done[OTHERS_DUTY].user_id == member

        # 16/9: the group names the 2 not done; Đông Yên's secretary is not reminded
        clock.at = datetime(2022, 9, 16, 7, 30, tzinfo=TZ)
        await bot.scheduler.tick(clock.at)
        push = [m for m in await driver.wait_sent(12) if m.chat == group][-1]
        assert push.text.startswith("⏰ Còn 3 ngày: Tổ chức sinh hoạt chuyên đề")
        assert (
            "Chưa đánh dấu xong (2 chi bộ): Chi bộ Tân Phúc Thành 1, Chi bộ Hoành Sơn." in push.text
        )
        assert len([m for m in driver.sent if m.chat == private]) == 2  # the 12/9 one, the answer

        # the upper level counts cells, not chats
        driver.say(driver.chat_id(9), boss, f"/tinhhinh {PLAN}")
        status = await said(driver, 13, driver.chat_id(9))
        assert "5 chi bộ đang theo, qua 2 chat (1 nhóm)." in status
        assert "↳ Chi bộ Đông Yên còn nhận tin qua chat riêng." in status  # both chats said
        assert "Sinh hoạt chuyên đề điểm để rút kinh nghiệm" in status
        assert "1/1 đã hoàn thành" in status and "2/4 đã hoàn thành" in status

        # Hoành Sơn's secretary starts following privately too (a cell reached two ways)
        hoanh_son = driver.chat_id(503)
        await store.save(
            Subscription(driver.platform, hoanh_son, (PLAN,), cell_name="Chi bộ Hoành Sơn")
        )

        # the nudge: one message to the group naming its cells not done, one to Hoành Sơn's own
        # chat; none to Đông Yên
        driver.say(driver.chat_id(9), boss, f"/nhacviec {PLAN} chi-bo-sinh-hoat")
        await driver.wait_sent(16)
        [nudge] = [m for m in driver.sent[13:] if m.chat == group]
        assert (
            "2 chi bộ chưa đánh dấu hoàn thành: Chi bộ Tân Phúc Thành 1, Chi bộ Hoành Sơn."
            in nudge.text
        )
        [own] = [m for m in driver.sent[13:] if m.chat == hoanh_son]
        assert own.text.startswith("🔔 Cấp trên nhắc: việc “Tổ chức sinh hoạt chuyên đề")
        assert own.choices == ["✅ Đã hoàn thành"]
        queued = [m for m in driver.sent[13:] if m.chat == driver.chat_id(9)][-1]
        assert queued.text.startswith("🔔 Đã xếp hàng nhắc 2 chat chưa hoàn thành")
        assert len(driver.sent) == 16  # nothing else was sent to anyone


def spreadsheet(rows: list[tuple]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_a_list_of_cells_sent_as_a_file_in_a_telegram_group(fake, tmp_path):
    """On Telegram a .xlsx or .txt list sent in the group (addressed to the bot) sets the roster,
    read back first; a member who may not change the group's settings is refused, and their
    file is never downloaded."""
    from tests.bot.drivers import TelegramDriver
    from tests.bot.fake_telegram import group as group_chat

    driver = TelegramDriver(fake)
    chat = driver.chat_id(20, group=True)
    fake.admins[chat] = [1]
    clock = SteppedClock(datetime(2022, 8, 20, 8, 0, tzinfo=TZ))
    caption = "@chibo_test_bot"
    async with running(driver, tmp_path / "db.json", clock) as bot:
        driver.say(chat, "1", f"/dangky {PLAN}", mention=True)
        await driver.wait_sent(1)

        table = spreadsheet(
            [
                ("STT", "Tên chi bộ", "Bí thư"),
                (1, "Chi bộ Tân Phúc Thành 3", "Nguyễn Văn An"),
                (2.0, "Đông Yên", None),
                (3, "Hoành Sơn", "Lê Thị Bình"),
            ]
        )
        fake.document(group_chat(int(chat)), 5, "chi-bo.xlsx", table, caption=caption)
        refused = await said(driver, 2, chat)
        assert refused.startswith("Xin lỗi, chỉ quản trị viên của nhóm")
        assert fake.downloads == []

        fake.document(group_chat(int(chat)), 1, "chi-bo.xlsx", table, caption=caption)
        offer = [m for m in await driver.wait_sent(3) if m.chat == chat][-1]
        assert offer.text.splitlines()[:4] == [
            "Thêm 3 chi bộ vào danh sách của nhóm:",
            "• Chi bộ Tân Phúc Thành 3",
            "• Chi bộ Đông Yên",
            "• Chi bộ Hoành Sơn",
        ]
        driver.choose(chat, "1", offer, "Lưu")
        assert (await said(driver, 4, chat)).startswith("✅ Đã lưu.\n📋 Nhóm theo dõi 3 chi bộ:")

        listing = "Hải Phong\nCB Tân Phúc Thành 1\nĐông Yên\n".encode()
        fake.document(group_chat(int(chat)), 1, "them.txt", listing, caption=caption)
        offer = [m for m in await driver.wait_sent(5) if m.chat == chat][-1]
        assert offer.text.startswith("Thêm 2 chi bộ vào danh sách của nhóm:")
        assert "(Đã có: Chi bộ Đông Yên.)" in offer.text
        driver.choose(chat, "1", offer, "Lưu")
        await driver.wait_sent(6)
        roster = bot.store.get("telegram", chat).roster
        assert [c.name for c in roster] == [
            "Tân Phúc Thành 3",
            "Đông Yên",
            "Hoành Sơn",
            "Hải Phong",
            "Tân Phúc Thành 1",
        ]
