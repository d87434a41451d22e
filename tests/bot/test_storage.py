import asyncio
import contextlib
import json
import threading
from datetime import datetime

from bot.storage import SCHEMA_VERSION, TinyStore
from handlers.state import Subscription
from schedules.meetings import MeetingRule

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
