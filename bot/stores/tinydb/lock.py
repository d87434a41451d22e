"""One database, one running bot: a second `chibo run` on the same database refuses to start."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(Exception):
    pass


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.path = Path(str(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise AlreadyRunning(
                f"Một bot khác (tiến trình {holder}) đang chạy trên cơ sở dữ liệu này; "
                "hai bot cùng chạy sẽ nhắc trùng. Dừng bot kia trước."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def held_by_another(db_path: Path) -> bool:
    """Whether another process runs a bot on this database (then its files are not ours to clean
    up or set aside). Our own lock, taken by `chibo run` before opening the store, does not count."""
    try:
        fd = os.open(Path(str(db_path) + ".lock"), os.O_RDONLY)
    except OSError:
        return False
    try:
        # flock locks belong to an open file, so this conflicts with our own lock too: the pid in
        # the file tells whose it is.
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 64).decode(errors="replace").strip()
        return holder != str(os.getpid())
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
