"""`chibo db copy` between a TinyDB file and a real PostgreSQL, both ways, as an operator runs it."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.cli import main
from bot.stores.postgres.store import PgStore
from bot.stores.tinydb.lock import InstanceLock
from bot.stores.tinydb.store import TinyStore
from handlers.state import Subscription
from tests.bot.stores.test_store_contract import full_sub
from tests.marks import marked

NOW = datetime(2022, 7, 5, 8, 0)


def chats() -> list[Subscription]:
    return [
        full_sub("-100"),  # every field set, two acknowledgements
        Subscription("telegram", "42", ("kim-bang-35-2022",)),
        Subscription(
            "zalo",
            "u-7",
            ("tra-vinh-60-2022",),
            "Chi bộ Ấp 3",
            done=marked("tra-vinh-60-2022", "hoc-tap", "Lê Thị Bình", "2022-07-06T09:30"),
        ),
    ]


def write_tiny(path, subs, runtime=None) -> None:
    async def go():
        store = TinyStore(path, NOW)
        for sub in subs:
            await store.save(sub)
        for key, value in (runtime or {}).items():
            await store.set_runtime(key, value)
        store.close()

    asyncio.run(go())


def read_tiny(path, with_runtime=False):
    store = TinyStore(path, NOW)
    try:
        subs = sorted(store.all(), key=lambda s: s.key)
        if with_runtime:
            return subs, {k: store.runtime(k) for k in store.runtime_keys()}
        return subs
    finally:
        store.close()


def pg(url, work=None):
    """Open the database, do `work(store)` if given, and return its chats and runtime values."""

    async def go():
        store = await PgStore.open(url)
        try:
            if work:
                await work(store)
            values = {k: store.runtime(k) for k in store.runtime_keys()}
            return sorted(store.all(), key=lambda s: s.key), values
        finally:
            await store.aclose()

    return asyncio.run(go())


def copy(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["db", "copy", *args])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_a_file_moves_to_postgresql_and_back_with_every_field(tmp_path, pg_url, capsys):
    source, back = tmp_path / "chibo.json", tmp_path / "back" / "chibo.json"
    runtime = {"telegram.offset": 918273, "zalo.quota": {"2022-07": 12, "held": ["u-7"]}}
    write_tiny(source, chats(), runtime)
    code, out, _ = copy(capsys, "--from", str(source), "--to", pg_url)
    assert code == 0
    assert out == (
        f"Đã chép 3 chat, 3 lượt đánh dấu hoàn thành, 2 giá trị vận hành từ {source} sang {pg_url}."
    )
    assert pg(pg_url) == (sorted(chats(), key=lambda s: s.key), runtime)
    code, out, _ = copy(capsys, "--from", pg_url, "--to", str(back))
    assert code == 0
    assert out.startswith(
        "Đã chép 3 chat, 3 lượt đánh dấu hoàn thành, 2 giá trị vận hành từ postgresql://"
    )
    assert read_tiny(back, with_runtime=True) == (sorted(chats(), key=lambda s: s.key), runtime)


def test_database_to_database_carries_runtime_values(pg_server, capsys):
    import psycopg

    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE copy_a")
        admin.execute("CREATE DATABASE copy_b")
    a, b = pg_server.url("copy_a"), pg_server.url("copy_b")

    async def fill(store):
        for sub in chats():
            await store.save(sub)
        await store.set_runtime("scheduler.last_tick", "2022-07-05T08:00:00+07:00")

    pg(a, fill)
    code, out, _ = copy(capsys, "--from", a, "--to", b)
    assert code == 0 and ", 1 giá trị vận hành" in out
    assert pg(b) == pg(a)


def test_a_target_holding_data_is_refused_without_force(tmp_path, pg_url, capsys):
    source = tmp_path / "chibo.json"
    write_tiny(source, chats())
    already = Subscription("telegram", "9", ("kim-bang-35-2022",), "đã có")

    async def put(store):
        await store.save(already)

    pg(pg_url, put)
    code, out, err = copy(capsys, "--from", str(source), "--to", pg_url)
    assert code == 2 and out == ""
    assert err.startswith("Không chép: Nơi nhận “postgresql://") and "--force" in err
    assert len(err.splitlines()) == 1
    assert pg(pg_url)[0] == [already]  # untouched

    code, out, _ = copy(capsys, "--from", str(source), "--to", pg_url, "--force")
    assert code == 0 and out.startswith("Đã chép 3 chat")
    assert pg(pg_url)[0] == sorted(chats(), key=lambda s: s.key)  # replaced, not merged


def test_a_file_target_holding_data_is_refused_and_with_force_kept_aside(tmp_path, capsys):
    source, target = tmp_path / "a.json", tmp_path / "b.json"
    write_tiny(source, chats()[:1])
    write_tiny(target, chats()[1:])
    code, _, err = copy(capsys, "--from", str(source), "--to", str(target))
    assert code == 2 and "đã có dữ liệu (2 chat)" in err
    assert read_tiny(target) == sorted(chats()[1:], key=lambda s: s.key)
    code, _, err = copy(capsys, "--from", str(source), "--to", str(target), "--force")
    assert code == 0
    assert read_tiny(target) == chats()[:1]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("b.json.before-copy-")]
    assert len(kept) == 1 and "Tệp đích cũ được cất sang" in err


def test_a_file_a_bot_is_running_on_is_not_copied(tmp_path, pg_url, capsys):
    source = tmp_path / "chibo.json"
    write_tiny(source, chats())
    lock = InstanceLock(source).acquire()
    try:
        code, _, err = copy(capsys, "--from", str(source), "--to", pg_url)
    finally:
        lock.release()
    assert code == 3 and "đang chạy" in err
    assert pg(pg_url)[0] == []


def test_a_missing_source_or_unreachable_target_is_one_line(tmp_path, capsys):
    missing = "nothing-here.json"
    code, _, err = copy(capsys, "--from", str(tmp_path / missing), "--to", str(tmp_path / "x.json"))
    assert code == 2 and err == f"Không chép: Không có tệp dữ liệu nguồn “{tmp_path / missing}”."
    write_tiny(tmp_path / "a.json", chats())
    code, _, err = copy(
        capsys, "--from", str(tmp_path / "a.json"), "--to", "postgresql://u:bi-mat@127.0.0.1:1/x"
    )
    assert code == 2 and "bi-mat" not in err
    assert err.startswith("Không chép: Không kết nối được PostgreSQL")
