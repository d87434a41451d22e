"""The keys of pushes sent since the last completed tick: an append-only file, fsync'd per batch
(the keys of the pushes accepted while the previous batch was being written: group commit).

Only a last line cut short is what a crash leaves (the append of one key interrupted): it is dropped
quietly. Anything else that is not a key — a line of JSON, blanks, NUL bytes, broken UTF-8 — is
damage: the file is kept aside as `.corrupt-*` and logged in one line (bot/files.py), and the keys
still readable are kept.

With the per-chat watermarks (bot/scheduling/scheduler.py) this is all the push record there is: it is cut
back at the end of every tick, so it never grows by a row per push forever. A crash between
the platform accepting a message and its line reaching the disk resends it: at most the outbox's
window of pushes (bot/channels/outbox.py), which each hold a slot until their line is on disk.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.files import Damaged, atomic_write, open_or_keep_aside, remove_interrupted_writes
from bot.stores.base import GroupCommit


def _is_key(line: str) -> bool:
    """A key as the scheduler writes it (`chat|plan|item|lead`; the journal does not depend on its
    shape): printable, without blanks, not JSON — what a line holds when only this class wrote."""
    return (
        bool(line)
        and line.isprintable()
        and not any(c.isspace() for c in line)
        and line[0] not in '{["'
    )


def _interrupted(tail: bytes) -> bool:
    """The bytes after the last newline are a key cut short by a crash mid-append: the start of a
    key, nothing else (NUL bytes, blanks or broken UTF-8 there are damage, not a torn write)."""
    try:
        text = tail.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return text.isprintable() and not any(c.isspace() for c in text)


def _lines(raw: bytes) -> list[str]:
    """Every key, or Damaged: a torn last line (crash mid-write) is not a key and is dropped; any
    other line that is not a key is damage."""
    *whole, tail = raw.split(b"\n")
    lines = [line.decode("utf-8") for line in whole]  # UnicodeDecodeError: damage
    bad = sum(1 for line in lines if not _is_key(line))
    if bad:
        raise Damaged(f"{bad} line{'s' if bad != 1 else ''} not a push key")
    if not _interrupted(tail):
        raise Damaged("a last line that is not the start of a push key")
    return lines


def _good_lines(raw: bytes) -> list[str]:
    """What a damaged journal still says: every complete line that is a key in clean UTF-8."""
    good = []
    for chunk in raw.split(b"\n")[:-1]:
        try:
            good.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return [line for line in good if _is_key(line)]


def _lost(raw: bytes) -> str:
    bad = len(raw.split(b"\n")) - 1 - len(_good_lines(raw))
    return (
        f"{bad} line{'s' if bad != 1 else ''} not a readable key (keys of pushes sent in the last "
        "tick): those pushes may be sent once more"
    )


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # with_suffix: the name older versions gave the journal's temporary file
        remove_interrupted_writes(self.path, legacy=(self.path.with_suffix(".tmp"),))
        lines, self.corruption = open_or_keep_aside(self.path, _lines, _lost, salvage=_good_lines)
        self.keys: set[str] = set(lines or ())
        if self.corruption or self._torn():
            # what was readable, on whole lines: the next append must not glue onto a torn line
            self._rewrite(self.keys)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")
        self._batches = GroupCommit(self._append_off_loop)

    async def load(self) -> None:
        """Read at construction already: one process owns the file."""

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def _append(self, lines: list[str]) -> None:
        with open(self.path, "a", encoding="utf-8") as f:
            f.write("".join(f"{line}\n" for line in lines))
            f.flush()
            os.fsync(f.fileno())

    async def _append_off_loop(self, keys: list[str]) -> None:
        await asyncio.get_running_loop().run_in_executor(self._writer, self._append, keys)

    async def add(self, keys: list[str]) -> None:
        self.keys.update(keys)
        await self._batches.add(keys)

    def _torn(self) -> bool:
        try:
            with open(self.path, "rb") as f:
                f.seek(-1, os.SEEK_END)
                return f.read(1) != b"\n"
        except OSError:  # missing or empty
            return False

    def _rewrite(self, keep: set[str]) -> None:
        atomic_write(self.path, "".join(f"{k}\n" for k in sorted(keep)).encode("utf-8"))

    async def keep_only(self, push_keys: set[str]) -> None:
        """Forget every key but these (the pushes of chats still behind, which the scheduler
        names: the journal need not know how a push key is made)."""
        keep = self.keys & push_keys
        self.keys = keep
        await asyncio.get_running_loop().run_in_executor(self._writer, self._rewrite, keep)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
