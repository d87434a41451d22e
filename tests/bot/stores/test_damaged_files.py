"""Damaged files and a broken CHIBO_DB never stop the bot with a traceback (issue 8).

A damaged file is kept aside byte for byte and reported in one log line; a record that fails
validation is set aside alone; the bot starts with everything else."""

import json
import logging
import os
from datetime import datetime
from pathlib import Path

import pytest

from bot import config
from bot.app import assemble
from bot.clock import TZ, Clock
from bot.stores.tinydb.journal import Journal
from bot.stores.tinydb.push_state import PushState
from bot.stores.tinydb.store import TinyStore
from schedules import catalog

NOW = datetime(2022, 7, 5, 8, 0)
TOKEN = "123456:" + "C" * 35
GOOD = {"platform": "telegram", "chat_id": "5", "plan_ids": ["kim-bang-35-2022"]}


def errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def one_report(caplog, *must_name) -> str:
    """Exactly one log line, naming every given thing and how to restore."""
    lines = errors(caplog)
    assert len(lines) == 1, lines
    line = lines[0]
    assert "\n" not in line
    for thing in must_name:
        assert str(thing) in line, (thing, line)
    assert "restore" in line
    return line


def kept_files(folder, pattern) -> list:
    return sorted(folder.glob(pattern))


# -- chibo.json -----------------------------------------------------------------------------


def test_subscriptions_that_are_not_a_mapping_are_set_aside_and_the_rest_kept(tmp_path, caplog):
    path = tmp_path / "chibo.json"
    table = [GOOD, {"platform": "telegram"}]
    path.write_text(
        json.dumps(
            {
                "subscriptions": table,
                "meta": {"1": {"schema": 2}},
                "runtime": {"1": {"key": "telegram.offset", "value": 41}},
            }
        ),
        encoding="utf-8",
    )
    store = TinyStore(path, NOW)
    assert store.all() == []
    assert store.runtime("telegram.offset") == 41  # the intact table is not thrown away
    (side,) = kept_files(tmp_path, "chibo.json.rejected-*")
    assert json.loads(side.read_text(encoding="utf-8")) == {"subscriptions": table}
    one_report(caplog, path, side.name, "subscriptions")


def test_a_record_missing_chat_id_is_set_aside_alone(tmp_path, caplog):
    path = tmp_path / "chibo.json"
    bad = {"platform": "telegram", "plan_ids": ["tra-vinh-60-2022"], "cell_name": "Chi bộ Ấp 3"}
    other_bad = {"platform": "telegram", "chat_id": "7", "plan_ids": 5}  # from_dict fails
    path.write_text(
        json.dumps(
            {
                "subscriptions": {"1": GOOD, "2": bad, "3": other_bad},
                "meta": {"1": {"schema": 2}},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    store = TinyStore(path, NOW)
    assert [s.chat_id for s in store.all()] == ["5"]
    (side,) = kept_files(tmp_path, "chibo.json.rejected-*")
    text = side.read_text(encoding="utf-8")
    assert json.loads(text) == {"subscriptions": {"2": bad, "3": other_bad}}
    assert json.dumps(bad, ensure_ascii=False) in text  # each record exactly as it was written
    one_report(caplog, path, side.name, "2 records")
    store.close()
    # the cleaned file no longer holds them: the next start reports nothing
    caplog.clear()
    again = TinyStore(path, NOW)
    assert [s.chat_id for s in again.all()] == ["5"] and errors(caplog) == []


def test_an_unparseable_database_is_kept_aside_byte_for_byte(tmp_path, caplog):
    path = tmp_path / "chibo.json"
    raw = b'{"subscriptions": {"1": {"platform": "tele\xff'
    path.write_bytes(raw)
    store = TinyStore(path, NOW)
    assert store.all() == []
    (kept,) = kept_files(tmp_path, "chibo.json.corrupt-*")
    assert kept.read_bytes() == raw
    one_report(caplog, path, kept.name)


def test_an_empty_database_is_reported_not_silently_replaced(tmp_path, caplog):
    path = tmp_path / "chibo.json"
    path.write_bytes(b"")
    store = TinyStore(path, NOW)
    assert store.all() == []
    (kept,) = kept_files(tmp_path, "chibo.json.corrupt-*")
    assert kept.read_bytes() == b""
    assert "empty" in one_report(caplog, path, kept.name)


def test_two_damaged_starts_in_the_same_second_keep_both(tmp_path, caplog):
    path = tmp_path / "chibo.json"
    path.write_bytes(b"{1")
    TinyStore(path, NOW)
    path.write_bytes(b"{2")
    TinyStore(path, NOW)
    kept = kept_files(tmp_path, "chibo.json.corrupt-*")
    assert sorted(k.read_bytes() for k in kept) == [b"{1", b"{2"]


# -- push state and journal ------------------------------------------------------------------


def test_a_truncated_push_state_is_kept_aside_and_the_tick_starts_afresh(tmp_path, caplog):
    path = tmp_path / "chibo.json.push.json"
    raw = b'{"push": {"1": {"watermark": "2022-07-05T07:59:00+07:00", "beh'
    path.write_bytes(raw)
    state = PushState(path)
    assert state.watermark is None and state.behind == {}
    (kept,) = kept_files(tmp_path, "chibo.json.push.json.corrupt-*")
    assert kept.read_bytes() == raw
    one_report(caplog, path, kept.name, "chibo due")


def test_a_push_state_record_that_fails_validation_is_set_aside(tmp_path, caplog):
    path = tmp_path / "chibo.json.push.json"
    record = {"watermark": "hôm qua", "behind": {}}
    path.write_text(json.dumps({"push": {"1": record}}), encoding="utf-8")
    state = PushState(path)
    assert state.watermark is None
    (side,) = kept_files(tmp_path, "chibo.json.push.json.rejected-*")
    assert json.loads(side.read_text(encoding="utf-8")) == {"push": {"1": record}}
    one_report(caplog, path, side.name)


def test_a_journal_with_bytes_that_are_not_utf8_keeps_its_good_lines(tmp_path, caplog):
    path = tmp_path / "chibo.json.journal"
    raw = b"telegram:1|p|a|7\n\xff\xfe garbage\ntelegram:2|p|b|3\n"
    path.write_bytes(raw)
    journal = Journal(path)
    assert "telegram:1|p|a|7" in journal and "telegram:2|p|b|3" in journal
    (kept,) = kept_files(tmp_path, "chibo.json.journal.corrupt-*")
    assert kept.read_bytes() == raw
    one_report(caplog, path, kept.name, "1 line")
    journal.close()
    assert Journal(path).keys == {"telegram:1|p|a|7", "telegram:2|p|b|3"}


async def test_leftover_temporary_files_are_removed_at_start(tmp_path):
    db = tmp_path / "chibo.json"
    leftovers = [
        "chibo.json.k2j4h_9a.tmp",  # the database's atomic write
        "chibo.json.push.json.x7y8z9ab.tmp",  # the push state's
        "chibo.json.journal.q1w2e3r4.tmp",  # the journal's
        "chibo.json.tmp",  # the journal's, as older versions named it
    ]
    for name in leftovers:
        (tmp_path / name).write_bytes(b'{"half')
    (tmp_path / "notes.tmp").write_text("not ours")
    bot = assemble(
        config.Config(config.TelegramConfig(TOKEN), db_path=db),
        catalog.load(),
        Clock(datetime(2022, 7, 5, tzinfo=TZ)),
    )
    await bot.close()
    assert sorted(p.name for p in tmp_path.glob("*.tmp")) == ["notes.tmp"]


async def test_the_bot_starts_with_every_file_damaged(tmp_path, caplog):
    db = tmp_path / "chibo.json"
    db.write_text(json.dumps({"subscriptions": {"1": GOOD, "2": {"platform": "x"}}}))
    (tmp_path / "chibo.json.push.json").write_bytes(b'{"push": {"1": {"waterm')
    (tmp_path / "chibo.json.journal").write_bytes(b"a|b\n\xc3\x28\n")
    bot = assemble(
        config.Config(config.TelegramConfig(TOKEN), db_path=db),
        catalog.load(),
        Clock(datetime(2022, 7, 5, tzinfo=TZ)),
    )
    try:
        assert [s.chat_id for s in bot.store.all()] == ["5"]
        assert len(errors(caplog)) == 3  # one line per damaged file
    finally:
        await bot.close()


# -- CHIBO_DB that cannot be a database ------------------------------------------------------


def _env(tmp_path, monkeypatch, db) -> str:
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "CHIBO_")):
            monkeypatch.delenv(key)
    env = tmp_path / "test.env"
    env.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_DB={db}\n", encoding="utf-8")
    return str(env)


def _unwritable_folder(tmp_path):
    if os.geteuid() == 0:  # root may write anywhere a mode allows nothing; /sys refuses even root
        return "/sys/chibo-test/data/chibo.json"
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return str(locked / "data" / "chibo.json")


@pytest.mark.parametrize("case", ["parent is a file", "is a folder", "folder cannot be created"])
def test_a_bad_chibo_db_stops_run_and_due_with_one_vietnamese_line(
    tmp_path, monkeypatch, capsys, case
):
    from bot.cli import main

    if case == "parent is a file":
        (tmp_path / "data").write_text("not a folder")
        db = tmp_path / "data" / "chibo.json"
    elif case == "is a folder":
        db = tmp_path / "chibo.json"
        db.mkdir()
    else:
        db = _unwritable_folder(tmp_path)
    env = _env(tmp_path, monkeypatch, db)
    with pytest.raises(config.ConfigError) as e:
        config.load(Path(env))
    assert "CHIBO_DB" in str(e.value) and "\n" not in str(e.value)
    capsys.readouterr()
    assert main(["run", "--env", env]) == 2
    err = capsys.readouterr().err.strip()
    assert "CHIBO_DB" in err and "\n" not in err and "Traceback" not in err
    assert main(["due", "--from", "2022-07-01", "--to", "2022-07-02", "--env", env]) == 2
    err = capsys.readouterr().err.strip()
    assert "CHIBO_DB" in err and "\n" not in err


def test_chibo_due_beside_a_running_bot_reports_but_touches_nothing(tmp_path, caplog):
    from bot.stores.tinydb.lock import InstanceLock

    db = tmp_path / "chibo.json"
    raw = json.dumps({"subscriptions": {"1": GOOD, "2": {"platform": "x"}}}).encode()
    db.write_bytes(raw)
    in_flight = tmp_path / "chibo.json.a1b2c3d4.tmp"  # the running bot's write on its way
    in_flight.write_bytes(b"{")
    lock = InstanceLock(db).acquire()
    try:
        lock.path.write_text("999999")  # held by another process: the pid is not ours
        store = TinyStore(db, NOW)
        assert [s.chat_id for s in store.all()] == ["5"]
        assert db.read_bytes() == raw and in_flight.exists()
        assert kept_files(tmp_path, "chibo.json.rejected-*") == []
        assert "left in place" in errors(caplog)[0]
        lock.path.write_text(str(os.getpid()))  # our own lock (chibo run): ours to clean up
        TinyStore(db, NOW)
        assert not in_flight.exists() and kept_files(tmp_path, "chibo.json.rejected-*")
    finally:
        lock.release()
