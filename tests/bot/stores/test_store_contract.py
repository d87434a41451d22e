"""What every backend promises, run against each: the chat store (TinyDB, a real PostgreSQL, and
the in-memory store where the Store protocol alone applies), and each channel's push state,
journal and leadership (TinyDB and PostgreSQL).

TinyDB-only behaviour (a damaged file kept aside, atomic file writes, the writer thread) stays in
test_tinydb_store.py and test_damaged_files.py; PostgreSQL-only behaviour (several processes,
schema, reconnecting) in test_postgres_store.py and test_postgres_processes.py.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest

from bot.clock import TZ
from bot.stores.backend import open_backend
from bot.stores.base import Backend
from handlers.state import MemoryStore, Pending, Subscription
from schedules.meetings import MeetingRule, MovedMeeting
from tests.marks import marked

NOW = datetime(2022, 7, 5, 8, 0)
DURABLE = ["tinydb", "postgresql"]  # the backends a deployment runs on


class Backing:
    """Where a backend keeps its data (a file, a database, or this process's memory), opened as
    many times as a test wants, like a bot restarting; everything opened is closed at the end.
    The in-memory store's backing is the process: reopening hands back the same store."""

    def __init__(self, kind: str, db: str) -> None:
        self.kind, self.db = kind, db
        self.opened: list[Backend] = []
        self._memory = MemoryStore()

    async def open_backend(self) -> Backend:
        backend = await open_backend(self.db, NOW)
        self.opened.append(backend)
        return backend

    async def reopen_backend(self, backend: Backend) -> Backend:
        await backend.close()
        self.opened.remove(backend)
        return await self.open_backend()

    async def open(self):
        if self.kind == "memory":
            return self._memory
        return (await self.open_backend()).store

    async def reopen(self, store):
        if self.kind == "memory":
            return store
        (backend,) = [b for b in self.opened if b.store is store]
        return (await self.reopen_backend(backend)).store

    async def close(self) -> None:
        for backend in self.opened:
            await backend.close()


async def _backing(kind: str, request, tmp_path):
    if kind == "postgresql":
        b = Backing(kind, request.getfixturevalue("pg_url"))
    else:
        b = Backing(kind, str(tmp_path / "chibo.json"))
    return b


@pytest.fixture(params=["memory", *DURABLE])
async def backing(request, tmp_path):
    """Any store: the contract of handlers.state.Store."""
    b = await _backing(request.param, request, tmp_path)
    yield b
    await b.close()


@pytest.fixture(params=DURABLE)
async def durable(request, tmp_path):
    """A backend a deployment runs on: its store is a ChatStore, with push state, journals and
    leadership beside it."""
    b = await _backing(request.param, request, tmp_path)
    yield b
    await b.close()


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


async def test_none_removes_a_runtime_value_for_good(durable):
    store = await durable.open()
    await store.set_runtime("zalo.offset", 41)
    await store.set_runtime("zalo.offset", None)
    assert store.runtime("zalo.offset") is None
    assert "zalo.offset" not in store.runtime_keys()
    again = await durable.reopen(store)
    assert again.runtime("zalo.offset") is None
    assert again.runtime_keys() == []


async def test_a_runtime_value_is_handed_out_as_a_copy_and_read_back_as_json(durable):
    store = await durable.open()
    await store.set_runtime("menu", {"choices": ("a", "b")})
    got = store.runtime("menu")
    assert got == {"choices": ["a", "b"]}  # as it will read back after a restart
    got["choices"].append("c")
    assert store.runtime("menu") == {"choices": ["a", "b"]}


async def test_a_bad_runtime_key_or_value_changes_nothing(durable):
    store = await durable.open()
    await store.set_runtime("n", 1)
    with pytest.raises(ValueError):
        await store.set_runtime("", 1)
    with pytest.raises((TypeError, ValueError)):
        await store.set_runtime("n", {"when": datetime(2022, 7, 5)})
    with pytest.raises(ValueError):
        await store.set_runtime("n", float("nan"))
    assert store.runtime("n") == 1
    again = await durable.reopen(store)
    assert again.runtime("n") == 1


async def test_a_restart_reads_every_chat_across_batches_and_shares_equal_settings(
    durable, monkeypatch
):
    # PostgreSQL reads the chats a batch at a time: batches of 2 make 5 chats cross three
    monkeypatch.setattr("bot.stores.postgres.cache.RELOAD_BATCH", 2)
    store = await durable.open()
    saved = [full_sub(str(-100 - i)).but(meeting_days={}) for i in range(5)]
    for sub in saved:
        await store.save(sub)
    store = await durable.reopen(store)
    read = sorted(store.all(), key=lambda s: s.chat_id)
    assert read == sorted(saved, key=lambda s: s.chat_id)
    # read from separate records, equal settings are one object (100,000 chats held 100,000)
    assert len({id(s.plan_ids) for s in read}) == 1
    assert len({id(s.meeting_rule) for s in read}) == 1
    assert len({id(s.lead_days) for s in read}) == 1


# -- what the bot needs of a store beyond the conversation's ------------------------------------


async def test_every_change_is_told_to_the_listeners_as_it_happens(backing):
    store = await backing.open()
    told: list[tuple[str, bool]] = []
    store.on_change(lambda sub, gone: told.append((sub.key, gone)))
    await store.save(Subscription("telegram", "-5", ("tra-vinh-60-2022",)))
    # told at least once (PostgreSQL may re-read its own write's notice as `save` returns, and
    # tell the same state again: listeners take a chat's newest state, so twice is harmless)
    assert set(told) == {("telegram:-5", False)}
    await store.migrate("telegram", "-5", "-1005")
    moved = told.index(("telegram:-5", True))
    assert ("telegram:-1005", False) in told[moved:]
    # a notice of an earlier write may still arrive late: whatever is told, each chat's newest
    # state is the one it has (the old key gone, the new one there)
    newest = dict(told)
    assert newest == {"telegram:-5": True, "telegram:-1005": False}


async def test_replacing_everything_leaves_exactly_what_was_given(durable):
    store = await durable.open()
    await store.save(Subscription("telegram", "1", ("tra-vinh-60-2022",)))
    await store.set_runtime("old", 1)
    new = [full_sub("-100"), Subscription("zalo", "ab", ("kim-bang-35-2022",))]
    await store.replace_all(new, {"zalo:offset": 7})
    assert sorted(s.key for s in store.all()) == ["telegram:-100", "zalo:ab"]
    again = await durable.reopen(store)
    assert sorted(again.all(), key=lambda s: s.key) == new
    assert again.runtime_keys() == ["zalo:offset"] and again.runtime("zalo:offset") == 7


async def test_catching_up_finds_every_write_already_made(durable):
    store = await durable.open()
    await store.save(Subscription("telegram", "1", ("tra-vinh-60-2022",)))
    await store.catch_up()
    assert [s.chat_id for s in store.all()] == ["1"]


# -- push state: each channel's watermark and chats behind ---------------------------------------

T0 = datetime(2022, 8, 1, 7, 30, tzinfo=TZ)


async def test_a_new_push_state_starts_from_nothing(durable):
    state = (await durable.open_backend()).push_state("telegram")
    await state.load()
    assert state.watermark is None and state.behind == {}


async def test_push_state_is_kept_per_channel_across_a_restart(durable):
    backend = await durable.open_backend()
    state = backend.push_state("telegram")
    await state.load()
    state.watermark, state.behind = T0, {"telegram:42": T0 - timedelta(hours=1)}
    await state.save()
    backend = await durable.reopen_backend(backend)
    again, other = backend.push_state("telegram"), backend.push_state("zalo")
    await again.load()
    await other.load()
    assert again.watermark == T0 and again.behind == {"telegram:42": T0 - timedelta(hours=1)}
    assert again.start_of("telegram:42") == T0 - timedelta(hours=1)
    assert again.start_of("telegram:7") == T0  # a chat not behind starts at the watermark
    assert other.watermark is None and other.behind == {}


# -- journal: keys of pushes sent in the current tick --------------------------------------------


async def test_journalled_keys_are_known_at_once_and_after_a_restart(durable):
    backend = await durable.open_backend()
    journal = backend.journal("telegram")
    await journal.load()
    assert "telegram:1|plan|item" not in journal
    await journal.add(["telegram:1|plan|item", "telegram:2|plan|item"])
    assert "telegram:1|plan|item" in journal
    backend = await durable.reopen_backend(backend)
    again, other = backend.journal("telegram"), backend.journal("zalo")
    await again.load()
    await other.load()
    assert "telegram:1|plan|item" in again and "telegram:2|plan|item" in again
    assert "telegram:1|plan|item" not in other  # each channel has its own


async def test_keeping_only_some_keys_forgets_the_rest_for_good(durable):
    backend = await durable.open_backend()
    journal = backend.journal("zalo")
    await journal.load()
    await journal.add(["a", "b", "c"])
    await journal.keep_only({"b", "z"})
    assert "a" not in journal and "b" in journal and "z" not in journal
    backend = await durable.reopen_backend(backend)
    again = backend.journal("zalo")
    await again.load()
    assert ("a" in again, "b" in again, "c" in again, "z" in again) == (False, True, False, False)


# -- leadership: who polls and who sends -----------------------------------------------------------


async def test_a_process_alone_leads_every_duty_and_keeps_leading(durable):
    leadership = (await durable.open_backend()).leadership
    assert await leadership.try_lead("poll:telegram")
    assert await leadership.try_lead("push:telegram")
    assert await leadership.try_lead("push:telegram")  # asked again: still the leader
    await leadership.check()


async def test_one_process_leads_a_duty_until_it_lets_go(durable):
    if durable.kind == "tinydb":
        pytest.skip("one process per TinyDB file: its instance lock keeps a second one out")
    one, two = await durable.open_backend(), await durable.open_backend()
    assert await one.leadership.try_lead("push:zalo")
    assert not await two.leadership.try_lead("push:zalo")
    assert await two.leadership.try_lead("push:telegram")  # duties are led apart
    await one.leadership.close()  # the server releases the lock as it sees the connection end
    deadline = asyncio.get_running_loop().time() + 10
    while not await two.leadership.try_lead("push:zalo"):
        assert asyncio.get_running_loop().time() < deadline, "the standby never took over"
        await asyncio.sleep(0.01)
