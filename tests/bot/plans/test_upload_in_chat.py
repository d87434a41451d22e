"""Publishing a plan from chat, end to end on the fake Telegram server with the real PTB
Application: the admin sends the plan document, reads the draft's summary and gets the draft as a
file, sends the finished .yaml back, confirms ✅ Ban hành (after a restart), and the plan is in
the plans folder, served at once, and the committee's cells are invited. Two committees as in
test_committees_e2e.py: Đảng ủy Khối Trà Vinh (user 9002) and Huyện ủy Kim Bảng (user 9001).
"""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml

from schedules.catalog import PLANS_DIR
from tests.bot.drivers import Message, TelegramDriver
from tests.bot.fake_telegram import group, private
from tests.bot.pdf_fixture import make_pdf
from tests.bot.plans.test_committees import TV, Cells, arrived, in_chat, running, settle
from tests.bot.plans.test_import_files import TRA_VINH_SEED, build_docx

NEW = "tra-vinh-61-2026"


def finished_plan() -> str:
    """What the committee's staff make of the draft: a complete plan file (here the curated Trà
    Vinh plan under a new id)."""
    text = (PLANS_DIR / f"{TV}.yaml").read_text(encoding="utf-8")
    return text.replace(f"id: {TV}", f"id: {NEW}").replace(
        "short_name: Trà Vinh 60-KH/ĐUK", "short_name: Trà Vinh 61-KH/ĐUK"
    )


class Admin:
    """One person in a private chat with the bot, sending files and pressing buttons."""

    def __init__(self, driver: TelegramDriver, user: int) -> None:
        self.driver, self.fake, self.user = driver, driver.fake, user
        self.chat = str(user)

    async def sends(self, name: str, data: bytes, count: int = 1, **kw) -> list[Message]:
        before = len(in_chat(self.driver, self.chat))
        self.fake.document(private(self.user), self.user, name, data, **kw)
        return (await arrived(self.driver, self.chat, before + count))[before:]

    async def says(self, text: str) -> Message:
        before = len(in_chat(self.driver, self.chat))
        self.driver.say(self.chat, str(self.user), text)
        return (await arrived(self.driver, self.chat, before + 1))[-1]

    async def presses(self, message: Message, label: str) -> Message:
        before = len(in_chat(self.driver, self.chat))
        self.driver.choose(self.chat, str(self.user), message, label)
        return (await arrived(self.driver, self.chat, before + 1))[-1]


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


async def test_an_admin_publishes_a_plan_from_its_document(driver, tmp_path, seeds):
    docx_file = tmp_path / "ke-hoach-60.docx"
    build_docx((seeds / TRA_VINH_SEED).read_text(encoding="utf-8"), docx_file)
    cells = Cells(driver)
    tv, kb = Admin(driver, 9002), Admin(driver, 9001)
    async with running(driver, tmp_path) as bot:
        await cells.save(bot, "telegram")

        # the document → what was found, what is missing, and the draft as a file
        summary, draft_file = await tv.sends("ke-hoach-60.docx", docx_file.read_bytes(), 2)
        assert summary.text.splitlines()[:5] == [
            "📄 Đã đọc “ke-hoach-60.docx”.",
            "Số: 60-KH/ĐUK · Ban hành: Thứ Hai, 18/4/2022",
            "Cơ quan: Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp",  # with the letterhead
            "Thời gian: tháng 4/2022 – tháng 11/2022",
            "Tìm thấy: 27 văn bản, 2 mốc, 1 việc định kỳ.",
        ]
        assert "Còn 4 việc cần đồng chí hoàn thiện:" in summary.text
        assert "• Không thấy đối tượng áp dụng: ghi applies_to" in summary.text
        assert "… và 1 việc khác (xem trong tệp)." in summary.text
        assert len(summary.text) < 1000  # one phone screen
        name, data = draft_file.raw.params["document"]
        draft = yaml.safe_load(data.decode("utf-8"))
        assert name == "60-kh-duk-2022.yaml" and len(draft["todo"]) == 4

        # the draft sent back unfinished: what is still to do, no button
        (unfinished,) = await tv.sends(name, data)
        assert unfinished.text.startswith(f"📝 Bản “{name}” chưa ban hành được: còn ")
        assert "việc chưa hoàn thiện (applies_to)" in unfinished.text
        assert unfinished.choices == []

        # another committee's admin cannot take it; the finished plan is offered to its own
        (refused,) = await kb.sends("ke-hoach-61.yaml", finished_plan().encode())
        assert "không thuộc phạm vi của Huyện ủy Kim Bảng" in refused.text
        assert refused.choices == []
        (offer,) = await tv.sends("ke-hoach-61.yaml", finished_plan().encode())
        assert offer.text.startswith(f"✅ Bản kế hoạch hợp lệ: Trà Vinh 61-KH/ĐUK ({NEW}).")
        assert "Ban hành: Thứ Hai, 18/4/2022" in offer.text
        assert "Đảng ủy Khối Trà Vinh sẽ được mời theo dõi" in offer.text
        assert offer.choices == ["✅ Ban hành", "✖️ Thôi"]
        assert all(len(d.encode()) <= 64 for d in offer.raw.buttons)

    # ✅ after a restart: the draft waited in the store
    async with running(driver, tmp_path) as bot:
        assert bot.conversation.catalog.get(NEW) is None
        done = await tv.presses(offer, "Ban hành")
        assert done.text.startswith(f"📢 Đã ban hành Trà Vinh 61-KH/ĐUK ({NEW}).")
        assert "Đã gửi lời mời theo dõi tới 2 chat" in done.text
        assert (tmp_path / "plans" / f"{NEW}.yaml").read_text(encoding="utf-8") == finished_plan()
        again = await tv.presses(offer, "Ban hành")
        assert again.text.startswith("Nút này thuộc một bản nháp cũ")

        # the committee's cell is invited, follows it, and is answered from it at once
        invitation = (await arrived(driver, cells.tv[1], 1))[-1]
        assert invitation.text.startswith("📢 Đảng ủy Khối Trà Vinh vừa ban hành Trà Vinh 61")
        await settle(bot)
        assert in_chat(driver, cells.kb[0]) == in_chat(driver, cells.kb[1]) == []
        user22 = driver.user_id(22)
        before = len(in_chat(driver, cells.tv[1]))
        driver.choose(cells.tv[1], user22, invitation, "Theo Trà Vinh 61-KH/ĐUK")
        await arrived(driver, cells.tv[1], before + 1)
        assert bot.store.get("telegram", cells.tv[1]).plan_ids == (TV, NEW)
        (plans,) = (await said_in(driver, cells.tv[1], user22, "/kehoach"))[-1:]
        assert "Trà Vinh 61-KH/ĐUK" in plans.text

        # ✖️ Thôi drops a draft and publishes nothing
        (offer,) = await tv.sends(
            "ke-hoach-61.yaml", finished_plan().replace("18/4", "19/4").encode()
        )
        dropped = await tv.presses(offer, "Thôi")
        assert dropped.text == f"Đã bỏ bản nháp “{NEW}”; chưa ban hành gì."
        assert "18/4/2022" in (tmp_path / "plans" / f"{NEW}.yaml").read_text(encoding="utf-8")


async def said_in(driver, chat: str, user: str, text: str):
    before = len(in_chat(driver, chat))
    driver.say(chat, user, text)
    return await arrived(driver, chat, before + 1)


def damaged_docx() -> bytes:
    """A zip that is no Word document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "xin chào")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "size", "words"),
    [
        ("anh-chup.jpg", b"\xff\xd8\xff", None, "chỉ nhận kế hoạch dạng .docx, .pdf có lớp chữ"),
        ("setup.exe", b"MZ", None, "chỉ nhận kế hoạch dạng"),
        ("lon.docx", b"x", 6_000_000, "quá lớn (6,0 MB)"),
        ("hong.docx", b"not a zip", None, "bị hỏng hoặc không đúng định dạng .docx"),
        ("khong-phai-word.docx", damaged_docx(), None, "bị hỏng"),
        ("hong.pdf", b"%PDF-1.4 nonsense", None, "bị hỏng hoặc không đúng định dạng .pdf"),
        ("ban-quet.pdf", make_pdf([]), None, "bản quét, không có lớp chữ"),
        ("latin1.txt", b"\xe1" * 3, None, "không phải văn bản UTF-8"),
        ("trong.txt", b"\n \n", None, "trống: không có chữ nào để đọc"),
    ],
)
async def test_a_bad_file_gets_one_clear_answer(driver, tmp_path, name, data, size, words):
    async with running(driver, tmp_path):
        (answer,) = await Admin(driver, 9002).sends(name, data, size=size)
        assert words in answer.text and "Traceback" not in answer.text
        if name == "ban-quet.pdf":
            assert "OCR" in answer.text and "tệp .txt" in answer.text
        if size:  # refused by its announced size: never downloaded
            assert driver.fake.downloads == []


async def test_who_may_send_a_plan(driver, tmp_path):
    async with running(driver, tmp_path):
        fake = driver.fake
        # a secretary in a private chat: refused, and the file is never downloaded
        (refused,) = await Admin(driver, 21).sends("ke-hoach.txt", b"Ke hoach so 1")
        assert refused.text.startswith("Tôi chỉ đọc tin nhắn chữ. Nhận tệp kế hoạch chỉ dành")
        assert fake.downloads == []

        # in a group: unaddressed files are left alone; addressed ones answered
        chat = driver.chat_id(31, group=True)
        fake.document(group(int(chat)), 31, "ke-hoach.txt", b"x")
        fake.document(group(int(chat)), 31, "ke-hoach.txt", b"x", caption="@chibo_test_bot")
        (answer,) = await arrived(driver, chat, 1)
        assert answer.text.startswith("Tôi chỉ đọc tin nhắn chữ. Nhận tệp kế hoạch chỉ dành")
        fake.document(group(int(chat)), 9002, "ke-hoach.txt", b"x", caption="@chibo_test_bot")
        answer = (await arrived(driver, chat, 2))[-1]
        assert answer.text.startswith("Xin gửi tệp kế hoạch trong chat riêng với bot")

        # a photo from the admin; the command that says how
        admin = Admin(driver, 9002)
        before = len(in_chat(driver, admin.chat))
        fake.photo(private(9002), 9002)
        photo = (await arrived(driver, admin.chat, before + 1))[-1]
        assert "Ảnh chụp văn bản không đọc được: xin gửi tệp gốc." in photo.text
        how = await admin.says("/nhapkehoach")
        assert how.text.startswith("Gửi tệp kế hoạch vào chat riêng này (.docx, .pdf có lớp chữ")
        refused = await Admin(driver, 21).says("/nhapkehoach")
        assert refused.text == "Lệnh này chỉ dành cho cán bộ cấp trên quản trị bot."


async def test_a_shipped_plans_id_is_refused_at_publish(driver, tmp_path):
    async with running(driver, tmp_path):
        tv = Admin(driver, 9002)
        own = (PLANS_DIR / f"{TV}.yaml").read_bytes()
        (offer,) = await tv.sends(f"{TV}.yaml", own)
        refused = await tv.presses(offer, "Ban hành")
        assert refused.text == (
            f"⚠️ Chưa ban hành “{TV}”: Mã “{TV}” đã là một kế hoạch có sẵn; đặt mã khác."
        )


async def test_zalo_carries_no_files_so_its_admins_are_told_another_way(tmp_path):
    """The Zalo Bot Platform delivers text, image, sticker and "unsupported" events only
    (bot.zaloplatforms.com/docs): an admin's file arrives as "unsupported", without the file."""
    from tests.bot.drivers import ZaloDriver
    from tests.bot.fake_zalo import FakeZalo

    fake = FakeZalo()
    await fake.start()
    try:
        zalo = ZaloDriver(fake)
        admin, secretary = zalo.user_id(9002), zalo.user_id(21)
        async with running(zalo, tmp_path):
            for chat, user, event in (
                (zalo.chat_id(9002), admin, "message.unsupported.received"),
                (zalo.chat_id(9002), admin, "message.image.received"),
            ):
                before = len(in_chat(zalo, chat))
                fake.event(event, chat, user)
                (answer,) = (await arrived(zalo, chat, before + 1))[before:]
                assert answer.text.startswith("Zalo chưa chuyển tệp đính kèm cho bot")
                assert "Gửi tệp cho bot trên Telegram" in answer.text
                assert f"chibo plans publish nhap.yaml --as zalo:{admin}" in answer.text
            chat = zalo.chat_id(9002)
            before = len(in_chat(zalo, chat))
            zalo.say(chat, admin, "/nhapkehoach")
            (how,) = (await arrived(zalo, chat, before + 1))[before:]
            assert how.text.startswith("Zalo chưa chuyển tệp đính kèm cho bot")
            # a secretary's photo gets the usual answer, not the admins' instructions
            fake.event("message.image.received", zalo.chat_id(21), secretary)
            (answer,) = await arrived(zalo, zalo.chat_id(21), 1)
            assert answer.text.startswith("Tôi chỉ đọc được tin nhắn chữ. Lệnh:")
    finally:
        await fake.stop()


def test_the_demo_shows_the_whole_flow_with_local_files(tmp_path, seeds):
    """`chibo demo`: /tep sends a local file; the draft is written to the current folder; the
    finished plan is published into the demo's own folder and followed at once."""
    import subprocess
    import sys

    build_docx((seeds / TRA_VINH_SEED).read_text(encoding="utf-8"), tmp_path / "kh.docx")
    (tmp_path / "xong.yaml").write_text(finished_plan(), encoding="utf-8")
    lines = "/tep kh.docx\n/tep anh.jpg\n/tep xong.yaml\n1\n/dangky tra-vinh-61\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--today", "2022-07-05T08:00"],
        input=lines,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=tmp_path,
    )
    out = result.stdout
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "📄 Đã đọc “kh.docx”." in out and "Còn 4 việc cần đồng chí hoàn thiện:" in out
    assert f"📎 Đã ghi tệp {tmp_path / '60-kh-duk-2022.yaml'}" in out
    assert yaml.safe_load((tmp_path / "60-kh-duk-2022.yaml").read_text(encoding="utf-8"))["todo"]
    assert "→ Không thấy tệp “anh.jpg”." in out
    assert "[1] ✅ Ban hành   [2] ✖️ Thôi" in out
    assert f"📢 Đã ban hành Trà Vinh 61-KH/ĐUK ({NEW})." in out
    assert "✅ Đã đăng ký Trà Vinh 61-KH/ĐUK cho chat này." in out


async def test_a_file_telegram_will_not_hand_over_is_asked_again(driver, tmp_path):
    async with running(driver, tmp_path):
        admin = Admin(driver, 9002)
        before = len(in_chat(driver, admin.chat))
        driver.fake.document(private(9002), 9002, "ke-hoach.docx", b"PK")
        driver.fake.files.clear()  # getFile answers "invalid file_id"
        (answer,) = (await arrived(driver, admin.chat, before + 1))[before:]
        assert answer.text == "Tôi chưa tải được tệp “ke-hoach.docx” về. Xin gửi lại sau ít phút."


KIM_BANG_SEED = "000_5510d4fb665e84b8.txt"


async def test_a_scan_sent_in_chat_gets_its_marks_back_field_by_field(driver, tmp_path, seeds):
    """An OCR'd plan without marks: the draft sent back is the one `chibo plans import` writes —
    marks restored where the shipped plans' words make them certain, a todo per field showing both
    spellings where not — and the summary shows each todo whole or ended at a sentence."""
    scan = (seeds / KIM_BANG_SEED).read_bytes()
    async with running(driver, tmp_path):
        summary, draft_file = await Admin(driver, 9001).sends("ke-hoach-35.txt", scan, 2)
    draft = yaml.safe_load(draft_file.raw.params["document"][1].decode("utf-8"))
    assert draft["issuer"].startswith(
        "Ban Thường vụ Huyện ủy"
    )  # restored: "Ban Thuong vu Huyen uy"
    ocr = [t for t in draft["todo"] if t["message"].startswith("Bản quét OCR mất dấu")]
    assert ocr and all(t["field"] for t in ocr)  # per field, never one todo for the whole plan
    assert all("Theo từ điển: “" in t["message"] and "bản quét: “" in t["message"] for t in ocr)
    messages = [" ".join(t["message"].split()) for t in draft["todo"]]
    shown = [line[2:] for line in summary.text.splitlines() if line.startswith("• ")]
    assert shown
    for line in shown:
        whole = line in messages
        cut = line.endswith(" …") and any(
            m.startswith(line[:-2]) and line[-3] in ".!?;" for m in messages
        )
        assert whole or cut, line
    assert len(summary.text) < 1200
