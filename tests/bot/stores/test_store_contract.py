"""What every store promises, run against TinyDB and against a real PostgreSQL alike.

TinyDB-only behaviour (a damaged file kept aside, atomic file writes, the writer thread) stays in
test_storage.py; PostgreSQL-only behaviour (several processes, schema, reconnecting) in
test_pg_store.py.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import pytest

from bot.stores.backend import close_store, open_store
from handlers.state import Pending, Subscription
from schedules.meetings import MeetingRule, MovedMeeting
from tests.marks import marked

NOW = datetime(2022, 7, 5, 8, 0)


class Backing:
    """Where a store keeps its data (a file, or a database), opened as many times as a test
    wants, like a bot restarting; every store opened is closed at the end."""

    def __init__(self, kind: str, db: str) -> None:
        self.kind, self.db = kind, db
        self.opened: list = []

    async def open(self):
        store = await open_store(self.db, NOW)
        self.opened.append(store)
        return store

    async def reopen(self, store):
        await close_store(store)
        self.opened.remove(store)
        return await self.open()


@pytest.fixture(params=["tinydb", "postgresql"])
async def backing(request, tmp_path):
    if request.param == "tinydb":
        b = Backing("tinydb", str(tmp_path / "chibo.json"))
    else:
        b = Backing("postgresql", request.getfixturevalue("pg_url"))
    yield b
    for store in b.opened:
        await close_store(store)


def full_sub(chat_id: str = "-100") -> Subscription:
    """Every field away from its default, so a field the store drops shows up as a difference."""
    return Subscription(
        "telegram",
        chat_id,
        ("ky-loi-2022", "tra-vinh-60-2022"),
        "Chi bộ Tân Phúc Thành 3",
        MeetingRule(day=3),
        {"hoi-nghi-chuyen-de": "2022-09-08"},
        reminder_time="06:45",
        lead_days=(5, 2, 0),
        is_group=True,
        title="Nhóm chi bộ Tân Phúc Thành 3",
        created_by_id="42",
        created_by_name="Nguyễn Văn An",
        created_at="2022-07-05T08:00:00+07:00",
        active=False,
        introduced=True,
        pending=Pending("meeting", "42", {"day": 5}),
        done=marked("ky-loi-2022", "bao-cao-quy", "Nguyễn Văn An", "2022-07-05T08:00+07:00", "42")
        | marked("tra-vinh-60-2022", "hoc-tap", "Lê Thị Bình", "2022-07-06T09:30:00+07:00"),
        meeting_days={
            (2022, 9): MovedMeeting(date(2022, 9, 5)),
            (2022, 10): MovedMeeting(date(2022, 10, 4), "19:00"),
        },
    )


async def test_a_saved_chat_is_read_back_at_once_and_after_a_restart(backing):
    store = await backing.open()
    sub = full_sub()
    await store.save(sub)
    assert store.get("telegram", "-100") == sub
    again = await backing.reopen(store)
    assert again.get("telegram", "-100") == sub
    assert again.all() == [sub]


async def test_an_unknown_chat_is_none_and_an_empty_store_lists_nothing(backing):
    store = await backing.open()
    assert store.get("telegram", "1") is None
    assert store.all() == []


async def test_saving_again_replaces_the_chat_and_drops_what_was_removed(backing):
    store = await backing.open()
    sub = full_sub()
    await store.save(sub)
    changed = sub.but(
        cell_name="Chi bộ 5",
        meeting_rule=None,
        done=marked("ky-loi-2022", "moi", "An", "2022-08-01T07:30:00+07:00"),
        pending=None,
        meeting_days={},
        active=True,
    )
    await store.save(changed)
    assert store.get("telegram", "-100") == changed
    again = await backing.reopen(store)
    assert again.get("telegram", "-100") == changed
    assert len(again.all()) == 1


async def test_chats_are_told_apart_by_platform_and_id(backing):
    store = await backing.open()
    a = Subscription("telegram", "7", ("kim-bang-35-2022",))
    b = Subscription("zalo", "7", ("tra-vinh-60-2022",))
    c = Subscription("telegram", "8", ("tra-vinh-60-2022",), "Chi bộ C")
    for sub in (a, b, c):
        await store.save(sub)
    again = await backing.reopen(store)
    assert again.get("telegram", "7") == a
    assert again.get("zalo", "7") == b
    assert sorted(s.key for s in again.all()) == ["telegram:7", "telegram:8", "zalo:7"]


async def test_concurrent_saves_are_all_kept(backing):
    store = await backing.open()
    await asyncio.gather(
        *(store.save(Subscription("telegram", str(i), ("tra-vinh-60-2022",))) for i in range(50))
    )
    assert len(store.all()) == 50
    again = await backing.reopen(store)
    assert sorted(int(s.chat_id) for s in again.all()) == list(range(50))


async def test_group_migration_keeps_the_subscription_and_its_acknowledgements(backing):
    store = await backing.open()
    sub = full_sub("-5")
    await store.save(sub)
    await store.migrate("telegram", "-5", "-1005")
    assert store.get("telegram", "-5") is None
    assert store.get("telegram", "-1005") == sub.but(chat_id="-1005")
    again = await backing.reopen(store)
    assert again.get("telegram", "-5") is None
    assert again.get("telegram", "-1005") == sub.but(chat_id="-1005")
    assert len(again.all()) == 1


async def test_migrating_replaces_a_chat_already_under_the_new_id(backing):
    store = await backing.open()
    await store.save(Subscription("telegram", "-1005", ("kim-bang-35-2022",), "cũ"))
    sub = full_sub("-5")
    await store.save(sub)
    await store.migrate("telegram", "-5", "-1005")
    again = await backing.reopen(store)
    assert again.all() == [sub.but(chat_id="-1005")]


async def test_migrating_an_unknown_chat_changes_nothing(backing):
    store = await backing.open()
    sub = Subscription("telegram", "-1005", ("kim-bang-35-2022",))
    await store.save(sub)
    await store.migrate("telegram", "-9", "-1005")
    assert store.all() == [sub]
    again = await backing.reopen(store)
    assert again.all() == [sub]


async def test_runtime_values_are_read_back_at_once_and_after_a_restart(backing):
    store = await backing.open()
    assert store.runtime("scheduler.last_tick") is None
    await store.set_runtime("scheduler.last_tick", "2022-07-05T08:00:00+07:00")
    await store.set_runtime("outbox", {"pending": [{"chat": "-100", "text": "Nhắc họp chi bộ"}]})
    assert store.runtime("scheduler.last_tick") == "2022-07-05T08:00:00+07:00"
    again = await backing.reopen(store)
    assert again.runtime("scheduler.last_tick") == "2022-07-05T08:00:00+07:00"
    assert again.runtime("outbox") == {"pending": [{"chat": "-100", "text": "Nhắc họp chi bộ"}]}
    assert again.runtime("missing") is None


async def test_runtime_values_are_replaced_and_kept_apart_from_chats(backing):
    store = await backing.open()
    await store.save(Subscription("telegram", "1", ("tra-vinh-60-2022",)))
    await store.set_runtime("n", 1)
    await store.set_runtime("n", 2)
    assert store.runtime("n") == 2
    again = await backing.reopen(store)
    assert again.runtime("n") == 2
    assert [s.chat_id for s in again.all()] == ["1"]


async def test_none_removes_a_runtime_value_for_good(backing):
    store = await backing.open()
    await store.set_runtime("zalo.offset", 41)
    await store.set_runtime("zalo.offset", None)
    assert store.runtime("zalo.offset") is None
    assert "zalo.offset" not in store.runtime_keys()
    again = await backing.reopen(store)
    assert again.runtime("zalo.offset") is None
    assert again.runtime_keys() == []


async def test_a_runtime_value_is_handed_out_as_a_copy_and_read_back_as_json(backing):
    store = await backing.open()
    await store.set_runtime("menu", {"choices": ("a", "b")})
    got = store.runtime("menu")
    assert got == {"choices": ["a", "b"]}  # as it will read back after a restart
    got["choices"].append("c")
    assert store.runtime("menu") == {"choices": ["a", "b"]}


async def test_a_bad_runtime_key_or_value_changes_nothing(backing):
    store = await backing.open()
    await store.set_runtime("n", 1)
    with pytest.raises(ValueError):
        await store.set_runtime("", 1)
    with pytest.raises((TypeError, ValueError)):
        await store.set_runtime("n", {"when": datetime(2022, 7, 5)})
    with pytest.raises(ValueError):
        await store.set_runtime("n", float("nan"))
    assert store.runtime("n") == 1
    again = await backing.reopen(store)
    assert again.runtime("n") == 1


async def test_a_restart_reads_every_chat_across_batches_and_shares_equal_settings(
    backing, monkeypatch
):
    # PostgreSQL reads the chats a batch at a time: batches of 2 make 5 chats cross three
    monkeypatch.setattr("bot.stores.postgres.store.RELOAD_BATCH", 2)
    store = await backing.open()
    saved = [full_sub(str(-100 - i)).but(meeting_days={}) for i in range(5)]
    for sub in saved:
        await store.save(sub)
    store = await backing.reopen(store)
    read = sorted(store.all(), key=lambda s: s.chat_id)
    assert read == sorted(saved, key=lambda s: s.chat_id)
    # read from separate records, equal settings are one object (100,000 chats held 100,000)
    assert len({id(s.plan_ids) for s in read}) == 1
    assert len({id(s.meeting_rule) for s in read}) == 1
    assert len({id(s.lead_days) for s in read}) == 1
