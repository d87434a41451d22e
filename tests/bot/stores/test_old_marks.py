"""Marks “Đã hoàn thành” written before they were typed — keyed "plan|item" in a TinyDB file of
schema 2, and in one `ack_key` column of PostgreSQL schema 2 — load with their marks on both
stores: /tinhhinh counts them, ✅ pressed again names who marked it, and the reminder stays off."""

from __future__ import annotations

import json
from datetime import date, datetime

import psycopg
from psycopg.types.json import Jsonb

from bot.clock import TZ
from bot.stores.postgres.migrations import MIGRATIONS
from bot.stores.postgres.store import PgStore
from bot.stores.tinydb.store import TinyStore
from handlers import recipients
from handlers.conversation import Conversation
from handlers.types import Incoming, UserRef
from schedules import catalog
from schedules.plan_calendar import ItemRef
from schedules.pushes import Planner

KB, DUE = "kim-bang-35-2022", "bao-cao-dot-1"  # last day 14/6/2022
OLD_MARK = {
    "by": "Nguyễn Văn A",
    "user_id": "501",
    "at": "2022-06-05T08:00:00+07:00",
    "when": "8:00 Chủ nhật, 5/6/2022",
}


def old_doc(chat_id: str, cell: str, done: dict) -> dict:
    """A chat as schema 2 wrote it (Subscription.to_dict() of that version)."""
    return {
        "platform": "telegram",
        "chat_id": chat_id,
        "plan_ids": [KB],
        "cell_name": cell,
        "meeting_rule": None,
        "cell_dates": {},
        "reminder_time": "07:30",
        "lead_days": [7, 3, 1, 0],
        "is_group": True,
        "title": cell,
        "created_by_id": "501",
        "created_by_name": "Nguyễn Văn A",
        "created_at": "2022-06-01T08:00:00+07:00",
        "active": True,
        "introduced": True,
        "pending": {},
        "done": done,
        "meeting_days": [],
        "pause": None,
        "snoozes": [],
    }


MARKED = old_doc("-100", "Chi bộ Thôn Đông", {f"{KB}|{DUE}": OLD_MARK})
UNMARKED = old_doc("-200", "Chi bộ Thôn Tây", {})


async def behaves_as_marked(store) -> None:
    sub = store.get("telegram", "-100")
    [mark] = sub.done.values()
    assert mark.item == ItemRef(KB, DUE) and (mark.by, mark.user_id) == ("Nguyễn Văn A", "501")
    assert mark.when == OLD_MARK["when"]

    cat = catalog.load()
    conv = Conversation(cat, store, bot_admins={UserRef("telegram", "9")})
    now = datetime(2022, 6, 7, 9, 0, tzinfo=TZ)
    [status] = await conv.handle(Incoming("telegram", "9", "9", f"/tinhhinh {KB}"), now)
    assert "(đợt 1) (trước Thứ Tư, 15/6/2022, còn 7 ngày): 1/2 đã hoàn thành; " in status.text
    assert "chưa: Chi bộ Thôn Tây." in status.text

    press = Incoming("telegram", "-100", "501", callback=f"done:{KB}:{DUE}", is_group=True)
    [again] = await conv.handle(press, now)
    assert again.text.endswith(
        "đã được Nguyễn Văn A đánh dấu hoàn thành lúc 8:00 Chủ nhật, 5/6/2022."
    )

    start, end = datetime(2022, 6, 1, tzinfo=TZ), datetime(2022, 6, 15, tzinfo=TZ)
    planner = Planner(cat.plans, TZ)
    reminded = {
        p.recipient
        for p in planner.between([recipients.recipient_of(s) for s in store.all()], start, end)
        if p.item_id == DUE
    }
    assert reminded == {"telegram:-200"}  # the unmarked cell only


async def test_a_tinydb_file_of_schema_2_keeps_its_marks(tmp_path):
    path = tmp_path / "db.json"
    tables = {"subscriptions": {"1": MARKED, "2": UNMARKED}, "meta": {"1": {"schema": 2}}}
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    store = TinyStore(path, datetime(2022, 6, 7, 9, 0))
    await behaves_as_marked(store)
    store.close()

    written = json.loads(path.read_text(encoding="utf-8"))  # migrated in place, nothing joined
    assert written["meta"]["1"]["schema"] == 3
    [record] = written["subscriptions"]["1"]["done"]
    assert (record["plan"], record["item"], record["by"]) == (KB, DUE, "Nguyễn Văn A")
    reopened = TinyStore(path, datetime(2022, 6, 7, 9, 0))
    await behaves_as_marked(reopened)
    reopened.close()


async def test_a_postgresql_database_of_schema_2_keeps_its_marks(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:  # what the previous version created
        conn.execute(
            "CREATE TABLE chibo_schema_version ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for n in (1, 2):
            conn.execute(MIGRATIONS[n - 1])
            conn.execute("INSERT INTO chibo_schema_version (version) VALUES (%s)", [n])
        for doc in (MARKED, UNMARKED):
            data = {k: v for k, v in doc.items() if k not in ("platform", "chat_id", "done")}
            conn.execute(
                "INSERT INTO chibo_chats (platform, chat_id, active, is_group, plan_ids, data, rev)"
                " VALUES (%s, %s, true, true, %s, %s, nextval('chibo_rev'))",
                ["telegram", doc["chat_id"], [KB], Jsonb(data)],
            )
        conn.execute(
            "INSERT INTO chibo_acks (platform, chat_id, ack_key, by_name, at, record)"
            " VALUES ('telegram', '-100', %s, %s, %s, %s)",
            [f"{KB}|{DUE}", OLD_MARK["by"], OLD_MARK["at"], Jsonb(OLD_MARK)],
        )
    store = await PgStore.open(pg_url)
    try:
        await behaves_as_marked(store)
        sub = store.get("telegram", "-100")
        await store.save(sub.but(cell_name="Chi bộ Thôn Đông mới"))  # rewritten in the new columns
    finally:
        await store.aclose()
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT chat_id, plan_id, item_id, by_name FROM chibo_acks").fetchall()
    assert rows == [("-100", KB, DUE, "Nguyễn Văn A")]
    reopened = await PgStore.open(pg_url)
    try:
        assert reopened.get("telegram", "-100").done == sub.done
        assert reopened.get("telegram", "-100").done[ItemRef(KB, DUE)].at == datetime(
            2022, 6, 5, 8, 0, tzinfo=TZ
        )
    finally:
        await reopened.aclose()


def test_an_old_record_reads_as_the_same_day_in_the_new_shape():
    from handlers.state import Subscription

    sub = Subscription.from_dict(MARKED)
    assert Subscription.from_dict(sub.to_dict()) == sub
    assert date(2022, 6, 5) == sub.done[ItemRef(KB, DUE)].at.date()


async def test_chibo_db_copy_carries_old_marks_to_postgresql_and_back(tmp_path, pg_url):
    from bot.stores.copy import copy

    source, back = tmp_path / "db.json", tmp_path / "back.json"
    tables = {"subscriptions": {"1": MARKED, "2": UNMARKED}, "meta": {"1": {"schema": 2}}}
    source.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    now = datetime(2022, 6, 7, 9, 0, tzinfo=TZ)
    assert (await copy(str(source), pg_url, False, now)).acknowledgements == 1
    assert (await copy(pg_url, str(back), False, now)).acknowledgements == 1
    store = TinyStore(back, now)
    await behaves_as_marked(store)
    store.close()
