"""A checked plan draft waits for ✅ Ban hành in the store's runtime values: on PostgreSQL, one
process shows the offer and another (a fresh store, as after a restart or a failover) publishes
it on the press."""

from __future__ import annotations

from datetime import datetime

from bot.clock import TZ
from bot.plans.library import PlanLibrary
from bot.stores.backend import open_store
from handlers.conversation import Conversation
from handlers.scope import Committee, Committees
from handlers.types import Incoming, ReceivedFile, UserRef
from schedules import catalog
from tests.bot.plans.test_upload_in_chat import NEW, finished_plan

NOW = datetime(2022, 12, 1, 8, 0, tzinfo=TZ)
ADMIN = UserRef("telegram", "9002")
COMMITTEES = Committees(
    (
        Committee(
            "dang-uy-khoi-tra-vinh",
            "Đảng ủy Khối Trà Vinh",
            frozenset({ADMIN}),
            issuers=("Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Trà Vinh",),
        ),
    )
)


async def process(pg_url, plans):
    store = await open_store(pg_url, NOW)
    cat = catalog.load(extra=[plans])
    conversation = Conversation(cat, store, committees=COMMITTEES)
    conversation.set_publisher(PlanLibrary(cat, conversation, plans).publication)
    return store, conversation


async def test_the_press_finds_the_draft_in_another_process(pg_url, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    text = finished_plan()
    file = ReceivedFile("ke-hoach-61.yaml", len(text.encode()), text=text)
    one, first = await process(pg_url, plans)
    try:
        (offer,) = await first.handle(Incoming("telegram", "9002", "9002", file=file), NOW)
        assert offer.text.startswith("✅ Bản kế hoạch hợp lệ")
        publish = offer.buttons[0][0].data
    finally:
        await one.aclose()

    two, second = await process(pg_url, plans)
    try:
        press = Incoming("telegram", "9002", "9002", callback=publish)
        (done,) = await second.handle(press, NOW)
        assert done.text.startswith(f"📢 Đã ban hành Trà Vinh 61-KH/ĐUK ({NEW}).")
        assert (plans / f"{NEW}.yaml").read_text(encoding="utf-8") == text
        assert second.catalog.get(NEW) is not None
        (stale,) = await second.handle(press, NOW)
        assert stale.text.startswith("Nút này thuộc một bản nháp cũ")
    finally:
        await two.aclose()
