"""Journal lines written in groups: the keys added while a write runs go out in the next one."""

import asyncio

import pytest

from bot.stores.base import GroupCommit
from bot.stores.tinydb.journal import Journal


async def test_keys_added_during_a_write_share_the_next_write():
    batches: list[list[str]] = []
    release = asyncio.Event()

    async def write(keys: list[str]) -> None:
        batches.append(keys)
        if len(batches) == 1:
            await release.wait()  # the first write is slow: everything else piles up

    group = GroupCommit(write)
    first = asyncio.ensure_future(group.add(["a"]))
    await asyncio.sleep(0)
    rest = [asyncio.ensure_future(group.add([k])) for k in "bcdefgh"]
    await asyncio.sleep(0)
    assert not any(t.done() for t in rest)  # none returns before its keys are written
    release.set()
    await asyncio.gather(first, *rest)
    assert batches == [["a"], list("bcdefgh")]


async def test_a_failed_write_fails_its_callers_and_the_next_group_still_goes():
    calls = 0

    async def write(keys: list[str]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("disk full")

    group = GroupCommit(write)
    with pytest.raises(OSError):
        await group.add(["a"])
    await group.add(["b"])
    assert calls == 2


async def test_the_tinydb_journal_keeps_every_key_of_concurrent_adds(tmp_path):
    journal = Journal(tmp_path / "chibo.json.journal")
    keys = [f"{c}|tra-vinh-60-2022|sinh-hoat|0" for c in range(200)]
    await asyncio.gather(*(journal.add([k]) for k in keys))
    journal.close()
    again = Journal(tmp_path / "chibo.json.journal")
    assert all(k in again for k in keys) and again.corruption is None
    again.close()
