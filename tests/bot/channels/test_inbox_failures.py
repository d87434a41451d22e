"""The inbox journal when something fails: an update whose handling raises, a store write that
fails in the poll loop, a process taking over polling whose store cache is behind. Both channels,
the real adapters against their fake servers, on a clock that moves only when the test moves it."""

from __future__ import annotations

import asyncio

from bot.channels.inbox import MAX_ATTEMPTS
from tests.bot.channels.test_inbox import assembled, running, texts
from tests.bot.processes import wait_until
from tests.bot.sim import HeldTime


async def failing(update) -> None:
    raise OSError("the store is down")


def journal(channel) -> list[dict]:
    return channel.store.runtime(channel.inbox.key) or []


def attempts(channel) -> list[int]:
    return [entry["attempts"] for entry in journal(channel)]


async def test_failed_updates_free_their_room_and_are_tried_again_at_the_next_start(
    driver, tmp_path, caplog
):
    time = HeldTime()
    chats = [(driver.chat_id(n), driver.user_id(n)) for n in range(821, 825)]
    async with running(driver, tmp_path, time) as channel:
        channel.inbox.limit = 2
        answer, channel.inbox.handle = channel.inbox.handle, failing
        # more failures than the inbox may hold: a failed update no longer counts as in hand
        for n, (chat, user) in enumerate(chats[:3], 1):
            driver.say(chat, user, "/help")
            await wait_until(lambda n=n: attempts(channel) == [1] * n, 10)
            assert channel.inbox.pending == 0
        channel.inbox.handle = answer
        driver.say(*chats[3], "/help")
        await wait_until(lambda: texts(driver, chats[3][0]), 10)
        await wait_until(lambda: channel.inbox.pending == 0, 10)
    failures = [r for r in caplog.records if "failed (attempt 1 of 3)" in r.getMessage()]
    assert len(failures) == 3  # logged once each, by id
    assert [m.chat for m in driver.sent] == [chats[3][0]]
    # the next start answers the three kept ones, and the handled one not again
    async with running(driver, tmp_path, time) as channel:
        await wait_until(lambda: len(driver.sent) == 4, 10)
        await wait_until(lambda: channel.inbox.pending == 0, 10)
    assert sorted(m.chat for m in driver.sent) == sorted(chat for chat, _ in chats)
    assert len({m.text for m in driver.sent}) == 1  # the same question, the same answer


async def test_an_update_that_always_fails_is_given_up_after_three_starts(driver, tmp_path, caplog):
    time = HeldTime()
    chat, user = driver.chat_id(831), driver.user_id(831)
    for start in range(1, MAX_ATTEMPTS + 1):
        async with running(driver, tmp_path, time) as channel:
            channel.inbox.handle = failing
            if start == 1:
                driver.say(chat, user, "/help")
            expected = [start] if start < MAX_ATTEMPTS else []
            await wait_until(lambda e=expected: attempts(channel) == e, 10)
    async with running(driver, tmp_path, time) as channel:
        assert channel.inbox.resume() == 0  # what the next start finds: nothing
    assert "failed 3 times; given up" in caplog.text
    assert texts(driver, chat) == []


async def test_a_failed_store_write_pauses_receiving_and_confirms_nothing_until_it_succeeds(
    driver, tmp_path, caplog
):
    time = HeldTime()
    chat, user = driver.chat_id(841), driver.user_id(841)
    async with running(driver, tmp_path, time) as channel:
        store = channel.store
        write = store.set_runtime
        broken = {channel.inbox.key: 2}  # failures still to come, by key
        if driver.platform == "telegram":
            broken["telegram:offset"] = 1

        async def flaky(key, value) -> None:
            if broken.get(key, 0) > 0:
                broken[key] -= 1
                raise OSError("No space left on device")
            await write(key, value)

        store.set_runtime = flaky
        driver.say(chat, user, "/help")
        if driver.platform == "telegram":
            update_id = driver.fake.updates[-1]["update_id"]
        for attempt, wait in [(1, 1.0), (2, 2.0)] + [(1, 1.0)] * (driver.platform == "telegram"):
            await wait_until(lambda: time.sleeping, 10)  # the retry waits on the held clock
            assert f"failed (attempt {attempt}: No space left on device)" in caplog.text
            if driver.platform == "telegram":  # not confirmed while it is not written
                assert not any(
                    m == "getUpdates" and int(p.get("offset") or 0) > update_id
                    for m, p in driver.fake.calls
                )
            caplog.clear()
            time.advance(wait)
        assert set(broken.values()) == {0}
        await wait_until(lambda: texts(driver, chat), 10)
        driver.say(chat, user, "/help")  # still receiving
        await wait_until(lambda: len(texts(driver, chat)) == 2, 10)
        if driver.platform == "telegram":  # confirmed once written, after the answer went out
            await wait_until(lambda: store.runtime("telegram:offset") == update_id + 2, 10)


async def test_a_new_poller_reads_the_journal_only_once_its_store_has_caught_up(driver, tmp_path):
    time = HeldTime()
    chat, user = driver.chat_id(851), driver.user_id(851)
    async with running(driver, tmp_path, time) as channel:  # the previous poller: one left over
        channel.inbox.handle = failing
        driver.say(chat, user, "/help")
        await wait_until(lambda: attempts(channel) == [1], 10)
        left = journal(channel)
    bot = assembled(driver, tmp_path, time)
    channel = bot.channels[driver.platform]
    store = channel.store
    await store.set_runtime(channel.inbox.key, [])  # this process's cache is behind

    async def catch_up() -> None:  # what PgStore.catch_up brings: the predecessor's last write
        await store.set_runtime(channel.inbox.key, left)

    store.catch_up = catch_up
    task = asyncio.create_task(bot._run_channel(channel))
    try:
        await wait_until(lambda: texts(driver, chat), 10)
        await wait_until(lambda: channel.inbox.pending == 0, 10)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await bot.close()
    assert len(texts(driver, chat)) == 1
