import asyncio
import contextlib
import json
import threading
from datetime import datetime

import pytest

from bot.stores.tinydb.store import SCHEMA_VERSION, TinyStore, runtime_path
from handlers.state import Subscription
from schedules.meetings import MeetingRule, MovedMeeting

NOW = datetime(2022, 7, 5, 8, 0)


async def test_subscriptions_survive_a_restart(tmp_path):
    path = tmp_path / "chibo.json"
    store = TinyStore(path, NOW)
    sub = Subscription(
        "telegram",
        "-100",
        ("ky-loi-2022",),
        "Chi bộ Tân Phúc Thành 3",
        MeetingRule(day=3),
        {"hoi-nghi-chuyen-de": "2022-09-08"},
        is_group=True,
    )
    await store.save(sub)
    store.close()
    again = TinyStore(path, NOW)
    assert again.get("telegram", "-100") == sub
    assert json.loads(path.read_text())["meta"]["1"]["schema"] == SCHEMA_VERSION


async def test_writes_run_off_the_event_loop(tmp_path):
    store = TinyStore(tmp_path / "db.json", NOW)
    seen = []
    original = store._write_snapshot

    def spy(snapshot):
        seen.append(threading.current_thread().name)
        original(snapshot)

    store._write_snapshot = spy
    await store.save(Subscription("telegram", "1", ("tra-vinh-60-2022",)))
    assert seen and seen[0].startswith("tinydb")
    assert threading.current_thread().name not in seen


async def test_concurrent_saves_are_all_kept(tmp_path):
    path = tmp_path / "db.json"
    store = TinyStore(path, NOW)
    await asyncio.gather(
        *(store.save(Subscription("telegram", str(i), ("tra-vinh-60-2022",))) for i in range(50))
    )
    store.close()
    assert len(TinyStore(path, NOW).all()) == 50


async def test_a_corrupt_file_is_kept_aside_and_reported(tmp_path):
    path = tmp_path / "db.json"
    path.write_text('{"subscriptions": {"1": {"platform": "tele', encoding="utf-8")
    store = TinyStore(path, NOW)
    assert store.corruption is not None
    kept = store.corruption.kept_as
    assert kept.read_text().startswith('{"subscriptions"')  # the evidence is untouched
    assert store.all() == []


async def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    store = TinyStore(path, NOW)
    await store.save(Subscription("telegram", "1", ("tra-vinh-60-2022",)))
    before = path.read_text()

    def disk_full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.files.os.fsync", disk_full)
    with contextlib.suppress(OSError):
        await store.save(Subscription("telegram", "2", ("tra-vinh-60-2022",)))
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]  # no temporary file left behind


async def test_schema_migrates_forward(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(
        json.dumps(
            {
                "subscriptions": {
                    "1": {"platform": "telegram", "chat_id": "5", "plan_id": "kim-bang-35-2022"}
                }
            }
        )
    )
    store = TinyStore(path, NOW)
    assert store.get("telegram", "5").plan_ids == ("kim-bang-35-2022",)
    assert json.loads(path.read_text())["meta"]["1"]["schema"] == SCHEMA_VERSION


async def test_group_migration_keeps_the_subscription(tmp_path):
    path = tmp_path / "db.json"
    store = TinyStore(path, NOW)
    await store.save(
        Subscription("telegram", "-5", ("tra-vinh-60-2022",), "Chi bộ A", is_group=True)
    )
    await store.migrate("telegram", "-5", "-1005")
    store.close()
    again = TinyStore(path, NOW)
    assert again.get("telegram", "-5") is None
    assert again.get("telegram", "-1005").cell_name == "Chi bộ A"


# -- runtime values for the channels ---------------------------------------------------------


async def test_runtime_values_survive_a_restart(tmp_path):
    path = tmp_path / "db.json"
    store = TinyStore(path, NOW)
    assert store.runtime("telegram.offset") is None
    await store.set_runtime("telegram.offset", 1041)
    await store.set_runtime("zalo.handled", ("m1", "m2"))
    await store.set_runtime("zalo.sent.2022-07", {"count": 3, "menu": {"1": "Lịch họp"}})
    await store.set_runtime("telegram.offset", 1042)  # one doc per key, updated in place
    await store.set_runtime("gone", 1)
    await store.set_runtime("gone", None)
    # durable when the await returns: read the file as it is, before any close. They live in
    # the small side file, so these writes never rewrite the chats' file.
    assert not path.exists() or "runtime" not in json.loads(path.read_text(encoding="utf-8"))
    on_disk = json.loads(runtime_path(path).read_text(encoding="utf-8"))["runtime"]
    assert sorted(d["key"] for d in on_disk.values()) == [
        "telegram.offset",
        "zalo.handled",
        "zalo.sent.2022-07",
    ]
    again = TinyStore(path, NOW)
    assert again.runtime("telegram.offset") == 1042
    assert again.runtime("zalo.handled") == ["m1", "m2"]
    assert again.runtime("zalo.sent.2022-07")["menu"] == {"1": "Lịch họp"}
    assert again.runtime("gone") is None


async def test_runtime_values_of_the_old_layout_move_to_the_side_file(tmp_path):
    path = tmp_path / "db.json"
    old = TinyStore(path, NOW, side=False)  # as earlier versions kept them: in the main file
    await old.set_runtime("telegram:offset", 77)
    old.close()
    moved = TinyStore(path, NOW)
    assert moved.runtime("telegram:offset") == 77
    on_side = json.loads(runtime_path(path).read_text(encoding="utf-8"))["runtime"]
    assert [d["value"] for d in on_side.values()] == [77]
    moved.close()


async def test_a_runtime_value_read_is_a_copy_and_bad_values_change_nothing(tmp_path):
    store = TinyStore(tmp_path / "db.json", NOW)
    await store.set_runtime("menu", {"items": [1, 2]})
    store.runtime("menu")["items"].append(3)
    assert store.runtime("menu") == {"items": [1, 2]}
    for bad in ({1, 2}, datetime(2022, 7, 5), float("nan")):
        with pytest.raises((TypeError, ValueError)):
            await store.set_runtime("menu", bad)
    assert store.runtime("menu") == {"items": [1, 2]}


async def test_a_damaged_runtime_record_is_set_aside_alone(tmp_path):
    path = tmp_path / "db.json"
    path.write_text(
        json.dumps(
            {
                "meta": {"1": {"schema": SCHEMA_VERSION}},
                "runtime": {"1": {"key": "a", "value": 1}, "2": {"value": 2}},
            }
        )
    )
    store = TinyStore(path, NOW)
    assert store.runtime("a") == 1
    (side,) = tmp_path.glob("db.json.rejected-*")
    assert json.loads(side.read_text()) == {"runtime": {"2": {"value": 2}}}


# -- group commit ----------------------------------------------------------------------------


def _counting(store):
    calls = []
    original = store._write_snapshot

    def write(snapshot):
        calls.append(len(snapshot))
        original(snapshot)

    store._write_snapshot = write
    return calls


async def test_concurrent_saves_share_one_rewrite_and_are_durable_when_awaited(tmp_path):
    path = tmp_path / "db.json"
    store = TinyStore(path, NOW)
    writes = _counting(store)
    subs = [
        Subscription("telegram", str(i), ("tra-vinh-60-2022",), f"Chi bộ {i}") for i in range(20)
    ]
    await asyncio.gather(*(store.save(s) for s in subs))
    assert len(writes) <= 2  # not 20 full rewrites
    # on disk already, without close(): another reader sees every one of them
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert len(on_disk["subscriptions"]) == 20
    assert {s.chat_id for s in TinyStore(path, NOW).all()} == {str(i) for i in range(20)}


async def test_saves_during_a_write_go_out_together_in_the_next(tmp_path):
    path = tmp_path / "db.json"
    store = TinyStore(path, NOW)
    entered, release = threading.Event(), threading.Event()
    original, writes = store._write_snapshot, []

    def slow_write(snapshot):
        writes.append(snapshot)
        if len(writes) == 1:
            entered.set()
            release.wait()
        original(snapshot)

    store._write_snapshot = slow_write
    first = asyncio.ensure_future(store.save(Subscription("telegram", "0", ("ky-loi-2022",))))
    await asyncio.to_thread(entered.wait)  # the first write is on its way
    rest = [
        asyncio.ensure_future(store.save(Subscription("telegram", str(i), ("ky-loi-2022",))))
        for i in range(1, 6)
    ]
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(first, *rest)
    assert len(writes) == 2
    assert len(TinyStore(path, NOW).all()) == 6


async def test_one_failing_write_fails_every_save_of_its_batch(tmp_path):
    path = tmp_path / "db.json"
    store = TinyStore(path, NOW)
    entered, release = threading.Event(), threading.Event()
    original, calls = store._write_snapshot, []

    def write(snapshot):
        calls.append(1)
        if len(calls) == 1:
            entered.set()
            release.wait()
            return original(snapshot)
        raise OSError(28, "No space left on device")

    store._write_snapshot = write
    first = asyncio.ensure_future(store.save(Subscription("telegram", "0", ("ky-loi-2022",))))
    await asyncio.to_thread(entered.wait)
    batch = [
        asyncio.ensure_future(store.save(Subscription("telegram", str(i), ("ky-loi-2022",))))
        for i in range(1, 4)
    ]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(first, *batch, return_exceptions=True)
    assert results[0] is None
    assert all(isinstance(r, OSError) for r in results[1:])  # none told "saved"
    assert [s.chat_id for s in TinyStore(path, NOW).all()] == ["0"]


async def test_the_file_stays_tinydb_readable(tmp_path):
    from tinydb import TinyDB

    from bot.stores.tinydb.store import AtomicJSONStorage

    path = tmp_path / "db.json"
    store = TinyStore(path, NOW)
    await store.save(Subscription("telegram", "1", ("ky-loi-2022",), "Chi bộ Ấp Tân Phúc"))
    await store.set_runtime("telegram.offset", 7)
    raw = path.read_bytes()
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False).encode()
    db = TinyDB(str(path), storage=AtomicJSONStorage)
    assert db.table("subscriptions").get(doc_id=1)["cell_name"] == "Chi bộ Ấp Tân Phúc"
    side = TinyDB(str(runtime_path(path)), storage=AtomicJSONStorage)
    assert side.table("runtime").all() == [{"key": "telegram.offset", "value": 7}]


# A subscription as the code before typed fields wrote it: the subscriber as "id (name)", a
# one-off meeting day inside cell_dates, the pending change as a plain dict.
OLD_DOC = {
    "platform": "telegram",
    "chat_id": "-100",
    "plan_ids": ["ky-loi-2022", "tra-vinh-60-2022"],
    "cell_name": "Chi bộ Tân Phúc Thành 3",
    "meeting_rule": {"day": 3, "weekday": None, "nth": None, "shift_off_days": True, "at": None},
    "cell_dates": {"hoi-nghi-chuyen-de": "2022-09-08", "meeting@2022-09": "2022-09-15"},
    "reminder_time": "07:30",
    "lead_days": [7, 3, 1, 0],
    "is_group": True,
    "title": "Chi bộ 3",
    "created_by": "501 (Nguyễn Văn A)",
    "created_at": "2022-08-01T08:00:00+07:00",
    "active": True,
    "introduced": True,
    "pending": {"field": "reminder_time", "value": {"time": "19:00"}, "user": "501"},
    "done": {},
}


async def test_a_file_written_before_typed_fields_loads_and_behaves_the_same(tmp_path):
    from datetime import date

    from bot.clock import TZ
    from handlers import recipients
    from handlers.conversation import Conversation
    from handlers.types import Incoming
    from schedules import catalog
    from schedules.plan_calendar import ItemRef
    from schedules.pushes import Planner

    path = tmp_path / "old.json"
    path.write_text(
        json.dumps({"subscriptions": {"1": OLD_DOC}, "meta": {"1": {"schema": 2}}}),
        encoding="utf-8",
    )
    store = TinyStore(path, NOW)
    sub = store.get("telegram", "-100")
    assert (sub.created_by_id, sub.created_by_name) == ("501", "Nguyễn Văn A")
    assert sub.cell_dates == {"hoi-nghi-chuyen-de": "2022-09-08"}
    assert sub.meeting_days == {(2022, 9): MovedMeeting(date(2022, 9, 15))}
    assert sub.pending.setting == "reminder_time" and sub.pending.value == {"time": "19:00"}

    # The moved meeting is still where the cell put it …
    cat = catalog.load()
    start, end = datetime(2022, 9, 1, tzinfo=TZ), datetime(2022, 9, 30, tzinfo=TZ)
    meeting_days = {
        p.day
        for p in Planner(cat.plans, TZ).between([recipients.recipient_of(sub)], start, end)
        if p.kind == "meeting"
    }
    assert meeting_days == {date(2022, 9, 15)}

    # … the subscriber, not a group admin, may still mark a duty done, and the pending change saves.
    async def admin_503(msg):
        return msg.user_id == "503"

    conv = Conversation(cat, store, is_chat_admin=admin_503)
    now = datetime(2022, 9, 1, 8, 0, tzinfo=TZ)
    press = Incoming(
        "telegram",
        "-100",
        "501",
        callback="done:ky-loi-2022:gui-bao-cao-chuyen-de",
        is_group=True,
        user_name="Nguyễn Văn A",
    )
    [thanks] = await conv.handle(press, now)
    assert thanks.text.startswith("✅ Cảm ơn đồng chí Nguyễn Văn A!"), thanks.text
    [other] = await conv.handle(
        Incoming(
            "telegram",
            "-100",
            "502",
            callback="done:ky-loi-2022:gui-bao-cao-chuyen-de",
            is_group=True,
        ),
        now,
    )
    assert other.text.startswith("Xin lỗi, chỉ bí thư (người đăng ký) hoặc quản trị viên")
    save = Incoming("telegram", "-100", "503", callback="set:save", is_group=True)
    [saved] = await conv.handle(save, now)
    assert saved.text.startswith("✅ Đã lưu.") and "• Giờ nhắc: 19:00" in saved.text
    store.close()

    again = TinyStore(path, NOW).get("telegram", "-100")  # written back in the new shape
    assert (
        again.meeting_days == {(2022, 9): MovedMeeting(date(2022, 9, 15))}
        and again.created_by_id == "501"
    )
    assert again.reminder_time == "19:00" and again.pending is None
    assert ItemRef("ky-loi-2022", "gui-bao-cao-chuyen-de") in again.done
