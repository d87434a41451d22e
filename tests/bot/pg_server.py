"""A throwaway PostgreSQL server for the test session, started from the machine's own binaries.

Never a mock: the store's SQL, its advisory lock and LISTEN/NOTIFY only mean something against a
real server. The cluster lives in a temporary directory (in /dev/shm where there is one), listens
on 127.0.0.1 on a free port with trust authentication, runs with fsync off (nothing here needs to
survive a crash) and is stopped with `pg_ctl stop -m immediate` at the end, whatever happened.
A benchmark asks for a durable one instead (`durable=True`): on disk, with PostgreSQL's own
defaults for fsync, synchronous commit, full-page writes and shared buffers, as an operator runs it.

initdb refuses to run as root and CI runs as root: then initdb, pg_ctl and the server itself run
as the unprivileged `postgres` system user (runuser), in a directory handed over to that user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.ports import free_port

INSTALL_HINT = "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"


# The cluster in memory where the machine has a tmpfs: every test's CREATE DATABASE copies a
# template of several MB, and on a disk shared with other work, writing those and removing the
# directory at the end took seconds (the server runs with fsync off: nothing here needs a disk).
_RAM = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


class Unavailable(Exception):
    """No server can be started here; the message says what to install or fix."""


def find_bindir() -> Path | None:
    """`pg_config --bindir` first (the client package may ship pg_config without the server, so
    check initdb is really there), then the Debian/Ubuntu layout, newest version first."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            candidates.append(Path(out))
        except (OSError, subprocess.SubprocessError):
            pass

    def version(p: str) -> int:
        name = Path(p).parent.name
        return int(name) if name.isdigit() else 0

    candidates += [
        Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    ]
    for c in candidates:
        if (c / "initdb").is_file() and (c / "pg_ctl").is_file():
            return c
    return None


@dataclass
class PgServer:
    bindir: Path
    durable: bool = False
    root: Path = field(init=False)
    port: int = 0
    _as_user: list[str] = field(default_factory=list)
    _started: bool = False

    def __post_init__(self) -> None:
        # A durable cluster on the disk, where its fsyncs cost what they cost in production.
        self.root = Path(tempfile.mkdtemp(prefix="chibo-pg-", dir=None if self.durable else _RAM))

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        cmd = [*self._as_user, str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise Unavailable(
                f"{args[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}\n{tail}"
            )

    def start(self) -> PgServer:
        if os.geteuid() == 0:
            try:
                import pwd

                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable(
                    "running as root, and initdb refuses root: need the unprivileged 'postgres' "
                    "system user (apt-get install postgresql creates it)"
                ) from None
            runuser = shutil.which("runuser")
            if not runuser:
                raise Unavailable(
                    "running as root without runuser (util-linux) to drop to postgres"
                )
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self._as_user = [runuser, "-u", "postgres", "--"]
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        # A port someone else grabs between our probe and the server's bind: try a few.
        for _ in range(3):
            self.port = free_port()
            opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            opts += (
                "-c max_connections=200"
                if self.durable
                else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200 -c shared_buffers=16MB"
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.root / "server.log"),
                    "-o",
                    opts,
                    "-w",
                    "-t",
                    "30",
                    "start",
                )
                self._started = True
                return self
            except Unavailable as e:
                last = e
        raise last

    def stop(self) -> None:
        try:
            if self._started:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", timeout=30)
        finally:
            self._started = False
            shutil.rmtree(self.root, ignore_errors=True)
