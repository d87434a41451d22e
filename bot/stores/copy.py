"""`chibo db copy --from SRC --to DST [--force]`: move a deployment's data between a TinyDB file
and PostgreSQL, either way (or file to file, database to database).

Everything a store holds goes across — every chat with all of Subscription.to_dict(), its
acknowledgements, and the runtime values where both stores keep them. A target that already holds
data is refused unless --force: then a database is replaced in one transaction, and a file is first
moved aside (never deleted), so an operator's slip loses nothing. The bot should be stopped while
copying; on a TinyDB side the bot's own lock makes that so.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import clock
from bot.config import ConfigError
from bot.stores.backend import is_postgres_url, open_store
from bot.stores.base import ChatStore
from bot.stores.postgres.url import safe_url
from bot.stores.tinydb.lock import AlreadyRunning, InstanceLock


class Refused(Exception):
    """One Vietnamese line; nothing was written."""


@dataclass(frozen=True)
class Copied:
    chats: int
    acknowledgements: int
    runtime: int


def _shown(db: str) -> str:
    return safe_url(db) if is_postgres_url(db) else db


def _runtime_of(store: ChatStore) -> dict[str, Any]:
    return {k: store.runtime(k) for k in store.runtime_keys()}


async def copy(source: str, target: str, force: bool, now: datetime) -> Copied:
    if not is_postgres_url(source) and not Path(source).is_file():
        raise Refused(f"Không có tệp dữ liệu nguồn “{source}”.")
    if source.strip() == target.strip():
        raise Refused("Nguồn và đích là một: không có gì để chép.")
    src = await open_store(source, now)
    try:
        subs = src.all()
        runtime = _runtime_of(src)
    finally:
        await src.aclose()
    dst = await open_store(target, now)
    try:
        held = len(dst.all()) + len(_runtime_of(dst))
        if held and not force:
            raise Refused(
                f"Nơi nhận “{_shown(target)}” đã có dữ liệu ({len(dst.all())} chat): không ghi đè. "
                "Thêm --force nếu thật sự muốn thay toàn bộ."
            )
        if held and not is_postgres_url(target):
            await dst.aclose()
            kept = Path(target).with_name(f"{Path(target).name}.before-copy-{now:%Y%m%dT%H%M%S}")
            Path(target).rename(kept)
            print(f"Tệp đích cũ được cất sang {kept}.", file=sys.stderr)
            dst = await open_store(target, now)
        await dst.replace_all(subs, runtime)
    finally:
        await dst.aclose()
    return Copied(len(subs), sum(len(s.done) for s in subs), len(runtime))


def cmd_db(args: argparse.Namespace) -> int:
    """`chibo db copy`: 0 copied, 2 refused (bad address, non-empty target …), 3 a bot is running
    on a TinyDB side."""
    source, target = getattr(args, "from"), args.to
    locks = []
    try:
        for db in (source, target):
            if not is_postgres_url(db):
                locks.append(InstanceLock(Path(db)).acquire())
        done = asyncio.run(copy(source, target, args.force, clock.now()))
    except AlreadyRunning as e:
        print(f"Không chép: {e}", file=sys.stderr)
        return 3
    except (Refused, ConfigError) as e:
        print(f"Không chép: {e}", file=sys.stderr)
        return 2
    finally:
        for lock in locks:
            with contextlib.suppress(OSError):
                lock.release()
    print(
        f"Đã chép {done.chats} chat, {done.acknowledgements} lượt đánh dấu hoàn thành"
        + (f", {done.runtime} giá trị vận hành" if done.runtime else "")
        + f" từ {_shown(source)} sang {_shown(target)}."
    )
    return 0
