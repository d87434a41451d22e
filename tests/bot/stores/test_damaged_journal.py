"""The push journal tells a crash from damage: a last line cut short by a crash mid-append is
dropped quietly, as before; anything else that is not a key (JSON, blanks, NUL bytes, a line cut
and NUL-filled inside the file) was also taken for a torn write and rewritten with no trace — now the file is kept
aside as `.corrupt-*`, logged in one line, and its readable keys kept."""

from __future__ import annotations

import pytest

from bot.stores.tinydb.journal import Journal
from tests.bot.stores.test_damaged_files import errors, kept_files, one_report

KEY_A, KEY_B = "telegram:1|kim-bang-35-2022|bao-cao-dot-1|7", "zalo:ab12|ky-loi-2022|dang-ky|0"


@pytest.mark.parametrize(
    "raw",
    [
        f"{KEY_A}\n{KEY_B}\n".encode(),
        f"{KEY_A}\n{KEY_B}\ntelegram:1|kim-ba".encode(),  # the append of a third key interrupted
        b"",  # cut back to nothing at the end of a tick
    ],
    ids=["whole", "torn-last-line", "empty"],
)
def test_a_journal_a_crash_can_leave_is_read_without_a_report(tmp_path, caplog, raw):
    path = tmp_path / "chibo.json.journal"
    path.write_bytes(raw)
    journal = Journal(path)
    assert journal.keys == {KEY_A, KEY_B} if raw else journal.keys == set()
    assert errors(caplog) == [] and kept_files(tmp_path, "*.corrupt-*") == []
    journal.close()
    assert path.read_bytes().endswith(b"\n") or path.read_bytes() == b""  # appends start clean


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        (b'{"keys": ["telegram:1|p|a|7"]}\n', set()),  # wrong-shape JSON
        (f'{KEY_A}\n{{"sent": true}}\n{KEY_B}\n'.encode(), {KEY_A, KEY_B}),
        (f"{KEY_A}\ntelegram:1|kim\x00\x00\n{KEY_B}\n".encode(), {KEY_A, KEY_B}),  # cut, NUL-filled
        (b"   \n\t\n", set()),  # only whitespace
        (b"\x00" * 64, set()),  # only NUL bytes
        (f"{KEY_A}\n".encode() + b"\x00" * 16, {KEY_A}),  # NULs where a line should end
        (f"{KEY_A}\n\n{KEY_B}\n".encode(), {KEY_A, KEY_B}),  # a blank line
    ],
    ids=["json", "json-line", "cut-inside", "whitespace", "nul", "nul-tail", "blank"],
)
def test_a_damaged_journal_is_kept_aside_and_logged_its_keys_kept(tmp_path, caplog, raw, kept):
    path = tmp_path / "chibo.json.journal"
    path.write_bytes(raw)
    journal = Journal(path)
    assert journal.keys == kept
    (side,) = kept_files(tmp_path, "chibo.json.journal.corrupt-*")
    assert side.read_bytes() == raw  # byte for byte, for the operator
    one_report(caplog, path, side.name, "may be sent once more")
    journal.close()
    caplog.clear()
    assert Journal(path).keys == kept  # what is left is a clean journal: no second report
    assert errors(caplog) == []
