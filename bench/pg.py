"""A PostgreSQL database for a benchmark: a throwaway server started from the machine's binaries
as the test suite starts it (tests/bot/pg_server.py: as the `postgres` user when root, on
127.0.0.1), but durable as an operator runs it (on disk, fsync and synchronous commit on), one
fresh database in it, stopped at the end whatever happened.

    with database("bench") as url: ...
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import psycopg

from tests.bot.pg_server import INSTALL_HINT, PgServer, find_bindir


@contextlib.contextmanager
def database(name: str = "bench") -> Iterator[str]:
    bindir = find_bindir()
    if bindir is None:
        sys.exit(INSTALL_HINT)
    server = PgServer(bindir, durable=True).start()
    try:
        with psycopg.connect(server.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        yield server.url(name)
    finally:
        server.stop()
