"""Data written before committee groups existed, by the code of main at b82c068: a TinyDB file of a
secretary's private chat (Đông Yên, a ✅ already) and a cell's own Telegram group (Tân Phúc Thành
3, its session day set), and the pushes main computed for them from 20/8 to 21/9/2022
(tests/data/stored/main-b82c068*.json, made with that commit's TinyStore and push_messages).

Opened now, the chats read the same, are pushed exactly the same texts with the same buttons, and
the cell's group can become a committee's group keeping its own cell and marks.
"""

import json
import shutil
from datetime import datetime
from pathlib import Path

from bot.clock import TZ
from bot.stores.tinydb.store import TinyStore
from handlers import push_messages
from handlers.conversation import Conversation
from handlers.types import Incoming
from schedules import catalog
from schedules.plan_calendar import ItemRef
from schedules.pushes import Planner

DATA = Path(__file__).parents[2] / "data" / "stored"
CAT = catalog.load()


def opened(tmp_path: Path) -> TinyStore:
    path = tmp_path / "chibo.json"
    shutil.copy(DATA / "main-b82c068.json", path)
    return TinyStore(path, datetime(2022, 8, 20, 8, 0, tzinfo=TZ))


async def test_a_file_written_by_main_is_pushed_exactly_as_main_pushed_it(tmp_path):
    store = opened(tmp_path)
    try:
        subs = store.all()
        assert [(s.key, s.roster) for s in subs] == [
            ("telegram:502", ()),
            ("telegram:-100777", ()),
        ]
        got = push_messages.rendered(
            Planner(CAT.plans, TZ),
            subs,
            datetime(2022, 8, 20, tzinfo=TZ),
            datetime(2022, 9, 21, tzinfo=TZ),
        )
        now = [
            {
                "chat": s.key,
                "at": p.at.isoformat(),
                "text": r.text,
                "buttons": [b.data for row in r.buttons for b in row],
            }
            for p, s, r in got
        ]
        assert now == json.loads((DATA / "main-b82c068-pushes.json").read_text("utf-8"))
    finally:
        store.close()


async def test_a_cells_group_from_main_becomes_a_committees_keeping_its_cell(tmp_path):
    store = opened(tmp_path)
    try:
        conversation = Conversation(CAT, store)
        now = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)

        async def say(text: str = "", callback: str | None = None) -> str:
            msg = Incoming(
                "telegram",
                "-100777",
                "1",
                text,
                callback=callback,
                is_group=True,
                is_group_admin=True,
            )
            return "\n".join(r.text for r in await conversation.handle(msg, now))

        offer = await say("/chibo them Đông Yên; Hải Phong")
        assert offer.startswith("Thêm 2 chi bộ vào danh sách của nhóm:")
        token = store.runtime("roster:telegram:-100777")["token"]
        assert (await say(callback=f"ros:{token}:y")).startswith("✅ Đã lưu.\n📋 Nhóm theo dõi 3")
        roster = store.get("telegram", "-100777").roster
        assert [c.name for c in roster] == ["Chi bộ Tân Phúc Thành 3", "Đông Yên", "Hải Phong"]
        assert roster[0].cell_dates == {"hoi-nghi-chuyen-de": "2022-09-08"}
        # Đông Yên came with what its private chat knew: its rule and its ✅ of 22/8
        assert roster[1].meeting_rule == store.get("telegram", "502").meeting_rule
        assert set(roster[1].done) == {ItemRef("ky-loi-2022", "dang-ky-ke-hoach")}
    finally:
        store.close()


async def test_main_s_chats_in_postgresql_read_and_push_the_same(tmp_path, pg_url):
    """The same chats in PostgreSQL (the schema is main's: committee groups added no migration),
    written as main's rows, read back and pushed as main pushed them."""
    from bot.stores.backend import open_backend

    store = opened(tmp_path)
    subs = store.all()
    store.close()
    backend = await open_backend(pg_url, datetime(2022, 8, 20, 8, 0, tzinfo=TZ))
    try:
        await backend.store.replace_all(subs, {})
    finally:
        await backend.close()
    backend = await open_backend(pg_url, datetime(2022, 8, 20, 8, 0, tzinfo=TZ))
    try:
        again = sorted(backend.store.all(), key=lambda s: s.key, reverse=True)
        assert again == subs
        got = push_messages.rendered(
            Planner(CAT.plans, TZ),
            again,
            datetime(2022, 8, 20, tzinfo=TZ),
            datetime(2022, 9, 21, tzinfo=TZ),
        )
        texts = [(s.key, p.at.isoformat(), r.text) for p, s, r in got]
        expected = json.loads((DATA / "main-b82c068-pushes.json").read_text("utf-8"))
        assert texts == [(e["chat"], e["at"], e["text"]) for e in expected]
    finally:
        await backend.close()
