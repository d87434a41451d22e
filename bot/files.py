"""The one place that opens the bot's own files: atomic writes, leftovers of interrupted writes, and
damaged contents kept aside — never silently replaced, never a traceback at start-up.

Every file (the database, the push state, the journal) is opened through `open_or_keep_aside`; a
TinyDB-layout file through `read_tables`, which also sets aside, alone, any record that fails the
caller's validation (`set_records_aside`). Each keeping-aside is one log line that says what was
lost and how to restore it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class KeptAside:
    """A damaged file (or the damaged records of one), kept where the operator can get it back."""

    path: Path
    kept_as: Path
    reason: str
    lost: str

    def __str__(self) -> str:
        return (
            f"{self.path} is damaged ({self.reason}); kept aside as {self.kept_as.name} in the same "
            f"folder; lost until restored: {self.lost}; to restore: stop the bot, repair "
            f"{self.kept_as.name} and put its contents back into {self.path.name}"
        )


class Damaged(ValueError):
    """Raised by a parser: the bytes are not what the file should hold."""


def _free_name(path: Path, kind: str, now: datetime | None, suffix: str = "") -> Path:
    stamp = f"{(now or datetime.now()):%Y%m%dT%H%M%S}"
    name = f"{path.name}.{kind}-{stamp}"
    candidate, n = path.with_name(name + suffix), 1
    while candidate.exists():  # two damaged starts in one second keep both
        n += 1
        candidate = path.with_name(f"{name}-{n}{suffix}")
    return candidate


def keep_aside(path: Path, reason: str, lost: str, now: datetime | None = None) -> KeptAside:
    """Rename the file out of the way, byte for byte, and say so in one log line."""
    kept = _free_name(path, "corrupt", now)
    path.rename(kept)
    report = KeptAside(path, kept, reason, lost)
    log.error("%s", report)
    return report


def open_or_keep_aside(
    path: Path,
    parse: Callable[[bytes], T],
    lost: str | Callable[[bytes], str],
    now: datetime | None = None,
    salvage: Callable[[bytes], T] | None = None,
    owner: bool = True,
) -> tuple[T | None, KeptAside | None]:
    """Parse the file; if `parse` raises ValueError (UnicodeDecodeError and Damaged are ones), keep
    the file aside and return what `salvage` can still read from its bytes (or None). `lost` says
    what the damage costs; given the bytes, it can count.
    A missing file is (None, None): a first start, nothing lost. A reader that is not the file's
    owner (`chibo due` while a bot runs) only reports: the running bot keeps its file as it is."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    try:
        return parse(raw), None
    except ValueError as e:
        reason = "empty, 0 bytes" if not raw else _reason(e)
        saved = salvage(raw) if salvage else None
        if not owner:
            log.error("%s is damaged (%s); left in place: a running bot owns it", path, reason)
            return saved, None
        return saved, keep_aside(path, reason, lost(raw) if callable(lost) else lost, now)


def _reason(e: ValueError) -> str:
    if isinstance(e, UnicodeDecodeError):
        return f"bytes that are not UTF-8 at offset {e.start}"
    return str(e).split("\n", 1)[0][:120]


def parse_tables(raw: bytes) -> dict[str, Any]:
    """TinyDB's layout: a JSON object of tables."""
    if not raw.strip():
        raise Damaged("empty" if raw else "empty, 0 bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as e:
        raise Damaged(f"not valid JSON: {e.msg} at offset {e.pos}") from None
    if not isinstance(data, dict):
        raise Damaged("the top level is not a JSON object")
    return data


def read_tables(
    path: Path, lost: str, now: datetime | None = None, owner: bool = True
) -> tuple[dict[str, Any], KeptAside | None]:
    tables, kept = open_or_keep_aside(path, parse_tables, lost, now, owner=owner)
    return tables or {}, kept


def set_records_aside(
    path: Path, rejected: dict[str, Any], reason: str, lost: str, now: datetime | None = None
) -> KeptAside:
    """Write the records that failed validation, exactly as they were, to a side file in the same
    layout ({table: {doc id: record}}), so that restoring one is a copy and paste back. The
    encoding is the one the store writes, so each record's text is byte for byte what it was."""
    side = _free_name(path, "rejected", now, ".json")
    atomic_write(side, encode(rejected))
    report = KeptAside(path, side, reason, lost)
    log.error("%s", report)
    return report


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file, fsync, rename, fsync the folder: a crash or a full disk never
    leaves half a file, and once this returns the bytes are on disk."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# mkstemp's random part: 8 of [a-z0-9_]. Exact, so that the database's pattern never matches the
# push state's temporary files (chibo.json.push.json.xxxxxxxx.tmp) or anyone else's.
_TMP = r"\.[a-z0-9_]{8}\.tmp"


def remove_interrupted_writes(path: Path, legacy: tuple[Path, ...] = ()) -> list[Path]:
    """Temporary files a crash left next to `path` hold at most a write that never completed (the
    file itself is whole): remove them. Only the owner calls this, at start, before writing."""
    if not path.parent.is_dir():
        return []
    mine = re.compile(re.escape(path.name) + _TMP)
    found = [p for p in path.parent.iterdir() if mine.fullmatch(p.name)]
    found += [p for p in legacy if p.is_file()]
    for p in found:
        p.unlink(missing_ok=True)
        log.info("Removed %s, left by an interrupted write", p.name)
    return found
