"""PostgreSQL-only behaviour: several processes on one database, the schema, reconnecting, and
the one line an operator reads when the server cannot be reached. Against a real server."""

from __future__ import annotations

import asyncio
import socket
from datetime import datetime

import psycopg
import pytest

from bot.stores.backend import open_store
from bot.stores.postgres.migrations import SCHEMA_VERSION
from bot.stores.postgres.store import PgStore
from bot.stores.postgres.url import DatabaseUnavailable
from bot.stores.tinydb.store import TinyStore
from handlers.state import Subscription
from tests.marks import marked

NOW = datetime(2022, 7, 5, 8, 0)


@pytest.fixture
async def two(pg_url):
    """Two stores on one database, as two processes of one deployment would have."""
    a = await PgStore.open(pg_url, retry_delay=0)
    b = await PgStore.open(pg_url, retry_delay=0)
    yield a, b
    await a.aclose()
    await b.aclose()


def sql(url: str, query: str, params=()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(query, params)
        return cur.fetchall() if cur.description else []


async def test_each_process_sees_the_others_saves_once_caught_up(two):
    a, b = two
    sub = Subscription("telegram", "-100", ("tra-vinh-60-2022",), "Chi bộ A", is_group=True)
    await a.save(sub)
    await b.catch_up()
    assert b.get("telegram", "-100") == sub
    ack = marked("tra-vinh-60-2022", "hoc-tap", "Bình", "2022-07-06T09:30:00+07:00")
    await b.save(sub.but(done=ack))
    await a.catch_up()
    assert a.get("telegram", "-100").done == ack
    assert a.all() == b.all()


async def test_each_process_sees_the_others_migrations_and_runtime_values(two):
    a, b = two
    await a.save(Subscription("telegram", "-5", ("kim-bang-35-2022",), "Chi bộ B"))
    await b.catch_up()
    await b.migrate("telegram", "-5", "-1005")
    await b.set_runtime("scheduler.last_tick", "2022-07-05T08:00:00+07:00")
    await a.catch_up()
    assert a.get("telegram", "-5") is None
    assert a.get("telegram", "-1005").cell_name == "Chi bộ B"
    assert a.runtime("scheduler.last_tick") == "2022-07-05T08:00:00+07:00"


async def test_chats_replaced_in_bulk_reach_the_other_process_and_later_saves_win(two, pg_url):
    """replace_all loads by COPY with revisions reserved from the sequence: a save after it must
    get a newer revision, or the other process's cache would keep the copied row."""
    a, b = two
    ack = marked("tra-vinh-60-2022", "hoc-tap", "Lê Thị Bình", "2022-07-06T09:30:00+07:00")
    subs = [
        Subscription("zalo", f"u{i}", ("tra-vinh-60-2022",), f"Chi bộ Ấp {i}", done=ack)
        for i in range(50)
    ]
    await a.replace_all(subs, {"scheduler.last_tick": "2022-07-05T08:00:00+07:00"})
    await b.catch_up()
    assert sorted(b.all(), key=lambda s: s.key) == sorted(subs, key=lambda s: s.key)
    assert sql(pg_url, "SELECT count(DISTINCT rev), count(*) FROM chibo_chats") == [(50, 50)]
    assert sql(pg_url, "SELECT count(*) FROM chibo_acks") == [(50,)]
    await b.save(subs[7].but(cell_name="Chi bộ Ấp Mới"))
    await a.catch_up()
    assert a.get("zalo", "u7").cell_name == "Chi bộ Ấp Mới"


async def test_interleaved_writes_leave_both_caches_on_the_last_one(two):
    a, b = two
    for i in range(10):
        writer = a if i % 2 else b
        await writer.save(Subscription("telegram", "1", ("tra-vinh-60-2022",), f"Chi bộ {i}"))
    await asyncio.gather(a.catch_up(), b.catch_up())
    assert a.get("telegram", "1").cell_name == b.get("telegram", "1").cell_name == "Chi bộ 9"


async def test_a_store_whose_listening_connection_dies_reconnects_and_catches_up(two, pg_url):
    a, b = two
    killed = sql(
        pg_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND query LIKE 'LISTEN%%'",
    )
    assert len(killed) == 2  # both stores' listeners
    await b.save(Subscription("telegram", "7", ("kim-bang-35-2022",), "sau khi mất kết nối"))
    await a.catch_up()
    assert a.get("telegram", "7").cell_name == "sau khi mất kết nối"


async def test_schema_is_versioned_and_acknowledgements_are_rows_of_their_own(pg_url):
    store = await PgStore.open(pg_url)
    done = marked("kim-bang-35-2022", "bao-cao", "An", "2022-07-05T08:00:00", "42") | marked(
        "kim-bang-35-2022", "hoc-tap", "Bình", "2022-07-06T08:00:00"
    )
    await store.save(Subscription("telegram", "-1", ("kim-bang-35-2022",), done=done))
    await store.aclose()
    again = await PgStore.open(pg_url)  # a second open applies nothing twice
    await again.aclose()
    assert sql(pg_url, "SELECT max(version) FROM chibo_schema_version") == [(SCHEMA_VERSION,)]
    assert sql(pg_url, "SELECT plan_id, item_id, by_name FROM chibo_acks ORDER BY item_id") == [
        ("kim-bang-35-2022", "bao-cao", "An"),
        ("kim-bang-35-2022", "hoc-tap", "Bình"),
    ]
    assert sql(
        pg_url, "SELECT chat_id FROM chibo_chats WHERE plan_ids @> ARRAY['kim-bang-35-2022']"
    ) == [("-1",)]


async def test_processes_starting_together_migrate_once(pg_url):
    stores = await asyncio.gather(*(PgStore.open(pg_url) for _ in range(4)))
    for store in stores:
        await store.aclose()
    assert sql(pg_url, "SELECT count(*) FROM chibo_schema_version") == [(SCHEMA_VERSION,)]


async def test_a_schema_newer_than_the_program_is_refused(pg_url):
    await (await PgStore.open(pg_url)).aclose()
    sql(pg_url, "INSERT INTO chibo_schema_version (version) VALUES (%s)", [SCHEMA_VERSION + 1])
    with pytest.raises(DatabaseUnavailable, match="mới hơn chương trình"):
        await PgStore.open(pg_url)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


async def test_an_unreachable_server_is_one_vietnamese_line_without_the_password():
    url = f"postgresql://chibo:bi-mat-42@127.0.0.1:{closed_port()}/chibo"
    with pytest.raises(DatabaseUnavailable) as e:
        await open_store(url, NOW)
    message = str(e.value)
    assert "bi-mat-42" not in message
    assert message.startswith("Không kết nối được PostgreSQL “postgresql://chibo:***@127.0.0.1:")
    assert "máy chủ không nhận kết nối" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "url",
    ["postgresql://chibo:bi-mat-42@[::1/chibo", "postgresql://chibo:bi-mat-42@db:cong/chibo"],
)
async def test_a_malformed_url_is_one_vietnamese_line_without_the_password(url):
    with pytest.raises(DatabaseUnavailable) as e:
        await open_store(url, NOW)
    assert "bi-mat-42" not in str(e.value)
    assert "không hợp lệ" in str(e.value)


async def test_a_missing_database_is_named(pg_server):
    with pytest.raises(DatabaseUnavailable, match="chưa có cơ sở dữ liệu “khong_co”"):
        await open_store(pg_server.url("khong_co"), NOW)


async def test_chibo_db_chooses_the_store(pg_url, tmp_path):
    pg = await open_store(pg_url, NOW)
    also_pg = await open_store(pg_url.replace("postgresql://", "postgres://"), NOW)
    tiny = await open_store(str(tmp_path / "chibo.json"), NOW)
    try:
        assert isinstance(pg, PgStore) and isinstance(also_pg, PgStore)
        assert isinstance(tiny, TinyStore)
    finally:
        for store in (pg, also_pg, tiny):
            await store.aclose()


async def test_synchronous_close_inside_the_loop_hands_back_something_to_await(pg_url):
    store = await PgStore.open(pg_url)
    task = store.close()
    await task
    assert store._pool.closed


def test_a_store_left_open_does_not_hang_the_loop_shutting_down(pg_url):
    """asyncio.run cancels what is left, the listener included, and waits for it. A cancellation
    landing while the listener re-reads a row was swallowed inside the pool (Python 3.11's
    wait_for) and the shutdown waited forever; it took a few rounds to hit, hence twenty."""
    import threading

    async def forget_to_close():
        store = await PgStore.open(pg_url)
        for i in range(3):
            await store.save(Subscription("telegram", str(i), ("kim-bang-35-2022",)))

    for _ in range(20):
        worker = threading.Thread(target=asyncio.run, args=(forget_to_close(),), daemon=True)
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive(), "asyncio.run never returned: the listener ignored its cancel"
