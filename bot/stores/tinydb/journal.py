"""The keys of pushes sent since the last completed tick: an append-only file, fsync'd per batch
(the keys of the pushes accepted while the previous batch was being written: group commit).

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

from bot.files import atomic_write, open_or_keep_aside, remove_interrupted_writes
from bot.stores.base import GroupCommit


def _lines(raw: bytes) -> list[str]:
    """Complete lines only: a torn last line (crash mid-write) is not a key."""
    return [line for line in raw.decode("utf-8").split("\n")[:-1] if line]


def _good_lines(raw: bytes) -> list[str]:
    """What a damaged journal still says: every complete line that is clean UTF-8."""
    good = []
    for chunk in raw.split(b"\n")[:-1]:
        try:
            good.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return [line for line in good if line]


def _lost(raw: bytes) -> str:
    bad = len([c for c in raw.split(b"\n")[:-1] if c]) - len(_good_lines(raw))
    return (
        f"{bad} line{'s' if bad != 1 else ''} not UTF-8 (keys of pushes sent in the last tick): "
        "those pushes may be sent once more"
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
