"""The OA's single-use refresh token under two bots sharing one PostgreSQL database: each bot's
store has its own connections, so only the database's lock keeps them from both refreshing."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.channels.zalo_oa.api import ZaloOAAPI
from bot.channels.zalo_oa.tokens import RUNTIME_KEY, TokenKeeper
from bot.clock import TZ
from bot.stores.postgres.store import PgStore
from tests.bot.fake_zalo_oa import APP_ID, APP_SECRET, FakeOA


async def test_two_processes_refresh_once_and_keep_the_pair(pg_url):
    now = datetime(2026, 7, 1, 8, 0, tzinfo=TZ)
    fake = await FakeOA(now=lambda: now).start()
    seed = fake.issue()["refresh_token"]
    stores = [await PgStore.open(pg_url, retry_delay=0) for _ in range(2)]
    apis = [ZaloOAAPI(APP_ID, APP_SECRET, fake.url, fake.url) for _ in range(2)]
    keepers = [
        TokenKeeper(api, store, lambda: now, seed) for api, store in zip(apis, stores, strict=True)
    ]
    try:
        tokens = await asyncio.gather(*(k.access_token() for k in keepers))
        assert tokens[0] == tokens[1]  # the second waited at the lock and read the first's pair
        assert fake.refreshes == 1 and fake.refused_refreshes == 0

        # a day later both see the token near expiry at once, several times over
        now += timedelta(hours=24, minutes=30)
        stale = tokens[0]
        pairs = await asyncio.gather(*(k.refresh(stale) for k in keepers for _ in range(3)))
        assert len({p.refresh_token for p in pairs}) == 1
        assert fake.refreshes == 2 and fake.refused_refreshes == 0
        await stores[0].catch_up()
        stored = stores[0].runtime(RUNTIME_KEY)
        assert stored["refresh_token"] == pairs[0].refresh_token
        assert stored["refresh_token"] in fake.refresh_tokens  # alive: the next refresh works

        now += timedelta(hours=25)
        assert await keepers[1].access_token() != stale
        assert fake.refreshes == 3 and fake.refused_refreshes == 0
    finally:
        for api in apis:
            await api.aclose()
        for store in stores:
            await store.aclose()
        await fake.stop()


REFRESHER = """
import asyncio, sys
from datetime import datetime
from bot.channels.zalo_oa.api import ZaloOAAPI
from bot.channels.zalo_oa.tokens import TokenKeeper
from bot.clock import TZ
from bot.stores.postgres.store import PgStore

async def main(url, base, seed, app_id, app_secret):
    store = await PgStore.open(url, retry_delay=0)
    api = ZaloOAAPI(app_id, app_secret, base, base)
    try:
        print((await TokenKeeper(api, store, lambda: datetime.now(TZ), seed).refresh(None)).refresh_token)
    finally:
        await api.aclose()
        await store.aclose()

asyncio.run(main(*sys.argv[1:]))
"""


async def test_two_os_processes_starting_together_refresh_once(pg_url):
    import os
    import sys
    from pathlib import Path

    fake = await FakeOA(now=lambda: datetime.now(TZ), refresh_delay=1.0).start()
    seed = fake.issue()["refresh_token"]
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(root)}
    try:
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                REFRESHER,
                pg_url,
                fake.url,
                seed,
                APP_ID,
                APP_SECRET,
                stdout=asyncio.subprocess.PIPE,
                env=env,
            )
            for _ in range(2)
        ]
        outs = [(await p.communicate())[0].decode().strip() for p in procs]
        assert [p.returncode for p in procs] == [0, 0]
    finally:
        await fake.stop()
    assert outs[0] == outs[1] and outs[0].startswith("refresh-")
    assert fake.refreshes == 1 and fake.refused_refreshes == 0
    assert outs[0] in fake.refresh_tokens
