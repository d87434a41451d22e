"""The keys of pushes sent since the last completed tick: an append-only file, fsync'd per line.

With the per-chat watermarks (bot/scheduler.py) this is all the push record there is: it is cut
back at the end of every tick, so it never grows by a row per push forever. A crash between
Telegram accepting a message and its line reaching the disk resends that one message — at most.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.keys: set[str] = set()
        if self.path.exists():
            text = self.path.read_text(encoding="utf-8")
            # A torn last line (crash mid-write) is not a key: only complete lines count.
            self.keys = {line for line in text.split("\n")[:-1] if line}
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def _append(self, lines: list[str]) -> None:
        with open(self.path, "a", encoding="utf-8") as f:
            f.write("".join(f"{line}\n" for line in lines))
            f.flush()
            os.fsync(f.fileno())

    async def add(self, keys: list[str]) -> None:
        self.keys.update(keys)
        await asyncio.get_running_loop().run_in_executor(self._writer, self._append, keys)

    def _rewrite(self, keep: set[str]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text("".join(f"{k}\n" for k in sorted(keep)), encoding="utf-8")
        os.replace(tmp, self.path)

    async def keep_only(self, chat_keys: set[str]) -> None:
        """Forget every key but those of chats still behind (their pushes were not all sent)."""
        keep = {k for k in self.keys if k.split("|", 1)[0] in chat_keys}
        self.keys = keep
        await asyncio.get_running_loop().run_in_executor(self._writer, self._rewrite, keep)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
