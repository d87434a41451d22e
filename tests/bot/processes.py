"""Running `chibo` as an operator does — a real process — from a test, and waiting on it."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OWN_PREFIXES = ("TELEGRAM_", "CHIBO_", "ZALO_")  # the test's .env alone configures the bot


async def start_chibo(
    *args: str, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, **env: str
) -> asyncio.subprocess.Process:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(OWN_PREFIXES)}
    environ["CHIBO_WEB_PORT"] = "off"  # many bots at once on one machine: a test asks for its page
    environ.update(env)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=environ, stdout=stdout, stderr=stderr
    )


async def wait_until(condition, timeout: float) -> None:
    """Poll `condition` (real time, bounded): for a process or a server to get somewhere."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def wait_sent(sent: list, count: int, timeout: float = 10.0) -> list:
    """Wait until a fake server has recorded `count` messages in all."""
    deadline = time.monotonic() + timeout
    while len(sent) < count:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"expected {count} messages, got {len(sent)}: {[s.text[:60] for s in sent]}"
            )
        await asyncio.sleep(0.01)
    return sent
