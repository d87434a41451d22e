"""A free TCP port on 127.0.0.1, for a test that must name a port before anything listens on it
(a webhook server, a Bot API that comes up late, a PostgreSQL server)."""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
