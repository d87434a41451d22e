"""Two committees on the fake servers (Telegram and Zalo): each admin sees, exports, reaches and
nudges only the cells following their committee's plans — checked from both sides.

Huyện ủy Kim Bảng owns kim-bang-35-2022 (named by id); Đảng ủy Khối Trà Vinh owns every plan its
Ban Thường vụ issued (named by issuer), so tra-vinh-60-2022.
"""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import Clock, parse_moment
from bot.plans.library import PublishRefused
from handlers.state import Subscription
from handlers.types import UserRef
from schedules import catalog
from schedules.catalog import PLANS_DIR
from tests.bot.harness import serving
from tests.bot.processes import wait_until
from tests.bot.sim import SimTime
from tests.marks import marked

# Kim Bảng's second report is due before 15/12/2022; Trà Vinh's fourth-quarter report is due in
# the quarter: both are open on 1/12/2022.
START = parse_moment("2022-12-01T08:00")
KB, TV = "kim-bang-35-2022", "tra-vinh-60-2022"
KB_DUE = "bao-cao-dot-2"
TV_DUE = "bao-cao-quy@2022-10-01"


def committees_yaml(driver, folder: Path) -> Path:
    a, b = driver.user_id(9001), driver.user_id(9002)
    path = folder / "committees.yaml"
    path.write_text(
        f"""
huyen-uy-kim-bang:
  name: Huyện ủy Kim Bảng
  admins: [{driver.platform}:{a}]
  plans: [kim-bang-*]
dang-uy-khoi-tra-vinh:
  name: Đảng ủy Khối Trà Vinh
  admins: ["{driver.platform}:{b}"]
  issuers: [Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Trà Vinh]
""",
        encoding="utf-8",
    )
    return path


@contextlib.asynccontextmanager
async def running(driver, tmp_path: Path):
    plans = tmp_path / "plans"
    plans.mkdir(exist_ok=True)  # a second run on the same folder is a restart
    committees_yaml(driver, plans)
    sim = SimTime()
    config = driver.config(
        tmp_path / "db.json", plans_dir=plans, committees_file=plans / "committees.yaml"
    )
    bot = assemble(
        config,
        catalog.load(),
        Clock(START),
        lambda _platform: RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    for channel in bot.channels.values():
        channel.poll_timeout = 1
    async with serving(bot):
        yield bot


class Cells:
    """Four cells (two per committee), one that blocked the bot on each side; one cell on each
    side has marked its open deadline done."""

    def __init__(self, driver) -> None:
        d = driver
        self.kb = [d.chat_id(11), d.chat_id(12)]
        self.tv = [d.chat_id(21), d.chat_id(22)]
        self.kb_blocked, self.tv_blocked = d.chat_id(13), d.chat_id(23)
        self.a, self.b = d.chat_id(9001), d.chat_id(9002)  # the admins' private chats
        self.ua, self.ub = d.user_id(9001), d.user_id(9002)

    async def save(self, bot, platform: str) -> None:
        at = "2022-11-30T09:00:00+07:00"
        rows = [
            (self.kb[0], KB, "Chi bộ Kim Bang 1", marked(KB, KB_DUE, "Bí thư", at, "x")),
            (self.kb[1], KB, "Chi bộ Kim Bang 2", {}),
            (self.kb_blocked, KB, "Chi bộ Kim Bang 3", {}),
            (self.tv[0], TV, "Chi bộ Trà Vinh 1", marked(TV, TV_DUE, "Bí thư", at, "x")),
            (self.tv[1], TV, "Chi bộ Trà Vinh 2", {}),
            (self.tv_blocked, TV, "Chi bộ Trà Vinh 3", {}),
        ]
        for chat, plan, name, marks in rows:
            await bot.store.save(
                Subscription(
                    platform,
                    chat,
                    (plan,),
                    name,
                    done=marks,
                    active=chat not in (self.kb_blocked, self.tv_blocked),
                    created_at="2022-11-01T08:00:00+07:00",
                )
            )


def in_chat(driver, chat: str):
    return [m for m in driver.sent if m.chat == chat]


async def said(driver, chat: str, user: str, text: str, count: int = 1):
    """Say something in a chat and wait for `count` new messages there."""
    before = len(in_chat(driver, chat))
    driver.say(chat, user, text)
    return await arrived(driver, chat, before + count)


async def arrived(driver, chat: str, count: int):
    try:
        await wait_until(lambda: len(in_chat(driver, chat)) >= count, 10)
    except AssertionError:
        raise AssertionError(
            f"{chat}: expected {count} messages, got {in_chat(driver, chat)}"
        ) from None
    return in_chat(driver, chat)


async def last(driver, chat: str, user: str, text: str, count: int = 1):
    return (await said(driver, chat, user, text, count))[-count:]


async def settle(bot) -> None:
    """Wait for the background work to finish: the updates in hand (each one's answer sent in
    full) and the fan-outs (the outboxes run on simulated time)."""
    await wait_until(lambda: not any(c._tasks for c in bot.channels.values()), 10)


async def test_two_committees_see_only_their_own_cells(driver, tmp_path):
    cells = Cells(driver)
    async with running(driver, tmp_path) as bot:
        await cells.save(bot, driver.platform)

        # -- status, from both sides ---------------------------------------------------------
        (a_all,) = await last(driver, cells.a, cells.ua, "/tinhhinh")
        assert "Huyện ủy Kim Bảng" in a_all.text and "Kim Bảng 35-KH/HU" in a_all.text
        assert "Trà Vinh" not in a_all.text
        (b_all,) = await last(driver, cells.b, cells.ub, "/tinhhinh")
        assert "Trà Vinh 60-KH/ĐUK" in b_all.text and "Kim Bảng" not in b_all.text

        (a_kb,) = await last(driver, cells.a, cells.ua, f"/tinhhinh {KB}")
        assert "2 chat đang theo" in a_kb.text
        assert "1/2 đã hoàn thành; chưa: Chi bộ Kim Bang 2." in a_kb.text
        assert "còn 13 ngày" in a_kb.text  # last day 14/12/2022
        assert "Chưa đặt ngày họp: Chi bộ Kim Bang 1, Chi bộ Kim Bang 2." in a_kb.text
        assert "Đã chặn hoặc xóa bot (không gửi được): Chi bộ Kim Bang 3." in a_kb.text
        assert "Trà Vinh" not in a_kb.text
        (b_tv,) = await last(driver, cells.b, cells.ub, f"/tinhhinh {TV}")
        assert "chưa: Chi bộ Trà Vinh 2." in b_tv.text and "Kim Bảng" not in b_tv.text
        for chat, user, other in ((cells.a, cells.ua, TV), (cells.b, cells.ub, KB)):
            (refused,) = await last(driver, chat, user, f"/tinhhinh {other}")
            assert "không thuộc phạm vi quản lý của đồng chí" in refused.text
            assert "Chi bộ" not in refused.text

        # -- broadcast ------------------------------------------------------------------------
        (queued,) = await last(driver, cells.a, cells.ua, "/thongbao Họp giao ban ngày 5/12.")
        assert queued.text == "Đã xếp hàng gửi thông báo tới 2 chat."
        for chat in cells.kb:
            (note,) = await arrived(driver, chat, 1)
            assert note.text == "📣 Thông báo của Huyện ủy Kim Bảng:\nHọp giao ban ngày 5/12."
        (refused,) = await last(driver, cells.a, cells.ua, f"/thongbao {TV} Xin chào.")
        assert "không thuộc phạm vi" in refused.text
        (queued,) = await last(driver, cells.b, cells.ub, f"/thongbao {TV} Nộp báo cáo quý.")
        assert queued.text == f"Đã xếp hàng gửi thông báo tới 2 chat theo {TV}."
        for chat in cells.tv:
            (note,) = await arrived(driver, chat, 1)
            assert note.text.startswith("📣 Thông báo của Đảng ủy Khối Trà Vinh:")
        await settle(bot)
        assert [len(in_chat(driver, c)) for c in cells.kb + cells.tv] == [1, 1, 1, 1]

        # -- export ---------------------------------------------------------------------------
        head, *file = await exported(bot, driver, cells.a, cells.ua, f"/xuatbang {KB}")
        assert head.text.startswith("📥 Bảng tình hình Kim Bảng 35-KH/HU: 6 dòng (3 chi bộ, 2 hạn)")
        table = exported_rows(driver, file)
        assert {r["Chi bộ"] for r in table} == {f"Chi bộ Kim Bang {n}" for n in (1, 2, 3)}
        done = [r for r in table if r["Đã hoàn thành"] == "có"]
        assert [(r["Chi bộ"], r["Mã việc"], r["Người đánh dấu"]) for r in done] == [
            ("Chi bộ Kim Bang 1", KB_DUE, "Bí thư")
        ]
        _, *file = await exported(bot, driver, cells.b, cells.ub, f"/xuatbang {TV}")
        assert {r["Chi bộ"] for r in exported_rows(driver, file)} == {
            f"Chi bộ Trà Vinh {n}" for n in (1, 2, 3)
        }
        (refused,) = await last(driver, cells.b, cells.ub, f"/xuatbang {KB}")
        assert "không thuộc phạm vi" in refused.text

        # -- nudge ----------------------------------------------------------------------------
        (refused,) = await last(driver, cells.b, cells.ub, f"/nhacviec {KB} {KB_DUE}")
        assert "không thuộc phạm vi" in refused.text
        (a_kb,) = await last(driver, cells.a, cells.ua, f"/tinhhinh {KB}")
        before = len(in_chat(driver, cells.a))
        driver.choose(cells.a, cells.ua, a_kb, "🔔 Nhắc")
        (sent,) = (await arrived(driver, cells.a, before + 1))[-1:]
        assert sent.text.startswith("🔔 Đã xếp hàng nhắc 1 chat chưa hoàn thành “Báo cáo")
        assert sent.text.endswith(": Chi bộ Kim Bang 2.")
        nudge = (await arrived(driver, cells.kb[1], 2))[-1]
        assert nudge.text.startswith("🔔 Huyện ủy Kim Bảng nhắc: việc")
        assert "còn 13 ngày" in nudge.text and "Đã hoàn thành" in " ".join(nudge.choices)
        (again,) = await last(driver, cells.a, cells.ua, f"/nhacviec {KB} {KB_DUE}")
        assert "đã được nhắc lúc 8:00 Thứ Năm, 1/12/2022 (1 chat" in again.text
        (b_nudge,) = await last(driver, cells.b, cells.ub, f"/nhacviec {TV} {TV_DUE}")
        assert b_nudge.text.endswith(": Chi bộ Trà Vinh 2.")
        await arrived(driver, cells.tv[1], 2)
        await settle(bot)
        # the cells that had marked it done, the one that blocked the bot, and the other
        # committee's cells got no nudge
        assert [len(in_chat(driver, c)) for c in cells.kb + cells.tv] == [1, 2, 1, 2]
        assert in_chat(driver, cells.kb_blocked) == in_chat(driver, cells.tv_blocked) == []

        # the nudged cell answers it: the mark is kept and the admin's status shows it
        user12 = driver.user_id(12)
        before = len(in_chat(driver, cells.kb[1]))
        driver.choose(cells.kb[1], user12, nudge, "Đã hoàn thành")
        thanks = (await arrived(driver, cells.kb[1], before + 1))[-1]
        assert thanks.text.startswith("✅ Cảm ơn đồng chí")
        (a_kb,) = await last(driver, cells.a, cells.ua, f"/tinhhinh {KB}")
        assert "2/2 đã hoàn thành." in a_kb.text


async def exported(bot, driver, chat, user, text):
    """The messages answering an export: the summary, then the file (or its pieces)."""
    before = len(in_chat(driver, chat))
    await said(driver, chat, user, text, 2)
    await settle(bot)  # the last pieces of a file sent as text among them
    return in_chat(driver, chat)[before:]


def exported_rows(driver, messages) -> list[dict]:
    """The export as the admin received it: an .xlsx document on Telegram, CSV text on Zalo."""
    if driver.platform == "telegram":
        from openpyxl import load_workbook

        (message,) = messages
        name, data = message.raw.params["document"]
        assert name == f"tinh-hinh-{KB if KB in name else TV}-2022-12-01.xlsx"
        sheet = load_workbook(io.BytesIO(data)).active
        values = [
            [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
        ]
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    head, _, body = "\n".join(m.text for m in messages).partition("\n")
    assert head.startswith("📎 tinh-hinh-") and ".csv" in head
    return list(csv.DictReader(io.StringIO(body)))


async def test_a_publish_invites_the_committees_cells_once_and_touches_no_other(driver, tmp_path):
    cells = Cells(driver)
    new_plan = (PLANS_DIR / f"{KB}.yaml").read_text(encoding="utf-8")
    new_plan = new_plan.replace(f"id: {KB}", "id: kim-bang-36-2023").replace(
        "short_name: Kim Bảng 35-KH/HU", "short_name: Kim Bảng 36-KH/HU"
    )
    async with running(driver, tmp_path) as bot:
        await cells.save(bot, driver.platform)
        a, b = UserRef(driver.platform, cells.ua), UserRef(driver.platform, cells.ub)

        with pytest.raises(PublishRefused, match="không thuộc phạm vi của Đảng ủy Khối Trà Vinh"):
            await bot.library.publish(b, new_plan)
        published = await bot.library.publish(a, new_plan)
        assert published.invited == 2 and not published.replaced
        assert bot.conversation.catalog.get("kim-bang-36-2023") is not None
        invitation = (await arrived(driver, cells.kb[1], 1))[-1]
        assert invitation.text.startswith("📢 Huyện ủy Kim Bảng vừa ban hành Kim Bảng 36-KH/HU")
        await arrived(driver, cells.kb[0], 1)

        # a corrected file, published again, invites nobody twice
        again = await bot.library.publish(a, new_plan.replace("Tự soi, tự sửa", "Tự soi; tự sửa"))
        assert again.replaced and again.invited == 0

        # the other committee can neither take the id nor overwrite it under its own issuer
        theirs = new_plan.replace(
            "issuer: Ban Thường vụ Huyện ủy Kim Bảng (tỉnh Hà Nam)",
            "issuer: Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Trà Vinh",
        )
        with pytest.raises(PublishRefused, match="kế hoạch của cấp ủy khác"):
            await bot.library.publish(b, theirs)
        with pytest.raises(PublishRefused, match="kế hoạch có sẵn"):
            await bot.library.publish(b, theirs.replace("id: kim-bang-36-2023", f"id: {TV}"))
        assert bot.conversation.catalog.get("kim-bang-36-2023").issuer.startswith(
            "Ban Thường vụ Huyện ủy Kim Bảng"
        )

        # a cell follows the new plan from the invitation
        user12 = driver.user_id(12)
        before = len(in_chat(driver, cells.kb[1]))
        driver.choose(cells.kb[1], user12, invitation, "Theo Kim Bảng 36-KH/HU")
        (await arrived(driver, cells.kb[1], before + 1))
        assert bot.store.get(driver.platform, cells.kb[1]).plan_ids == (KB, "kim-bang-36-2023")
        await settle(bot)
        # Trà Vinh's cells, and the one that blocked the bot, were not invited
        assert [len(in_chat(driver, c)) for c in cells.tv] == [0, 0]
        assert in_chat(driver, cells.kb_blocked) == []
