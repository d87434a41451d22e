"""A morning's pushes survive a kill -9 in the middle of the fan-out, with several on the wire.

A real `chibo run` process against the fake Bot API server a round trip away, killed with SIGKILL
while it sends the 7:30 topic of the month to every chat. The restart sends what is left: every
chat gets its push, and only the pushes in flight at the kill (on the wire, or accepted and
waiting for their journal line) may arrive twice — never more than the outbox's window.
"""

import asyncio
import signal
from collections import Counter

from aiohttp import web

from bot.channels.outbox import PUSH_WINDOW
from bot.stores.tinydb.backend import side_files
from tests.bot.channels.test_faults import seed_db
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.processes import start_chibo, wait_until

TOKEN = "123456:" + "W" * 35
CHATS = 240
TOPIC = "📚 Chủ đề sinh hoạt tháng 9/2022"


class DistantTelegram(FakeTelegram):
    """Telegram 100 ms away: a send's answer comes a round trip after it leaves, so several
    are on the wire together when the process dies."""

    async def _dispatch(self, request: web.Request) -> web.Response:
        await asyncio.sleep(0.05)
        response = await super()._dispatch(request)
        await asyncio.sleep(0.05)
        return response


async def run_until(env, condition, timeout: float, kill: bool) -> None:
    bot = await start_chibo("run", "--env", str(env))
    try:
        await wait_until(condition, timeout)
    finally:
        bot.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        _, err = await bot.communicate()
    if not kill:
        assert bot.returncode == 0, err.decode()[-2000:]


async def test_killed_mid_fan_out_the_restart_loses_none_and_resends_at_most_the_window(tmp_path):
    fake = DistantTelegram()
    await fake.start()
    try:
        db = tmp_path / "chibo.json"
        chats = seed_db(db, CHATS)

        def env_at(moment: str):
            env = tmp_path / ".env"
            env.write_text(
                f"TELEGRAM_BOT_TOKEN={TOKEN}\nTELEGRAM_API_BASE_URL={fake.url}\n"
                f"CHIBO_DB={db}\nCHIBO_NOW={moment}\n",
                encoding="utf-8",
            )
            return env

        state = side_files(db, "telegram")[1]

        def watermark_set() -> bool:
            return state.exists() and "watermark" in state.read_text(encoding="utf-8")

        # the night before: the first start sets the watermark, nothing is due
        await run_until(env_at("2022-08-31T23:00"), watermark_set, 60, kill=False)
        assert fake.sent == []
        fake.calls.clear()

        # 7:30: the fan-out starts at once (start-up ticks); killed a third of the way in
        await run_until(env_at("2022-09-01T07:30"), lambda: len(fake.sent) >= CHATS // 3, 90, True)
        sent_before = len(fake.sent)
        assert sent_before < CHATS, "killed too late: the fan-out was over"

        def every_chat_served() -> bool:
            return {s.chat_id for s in fake.sent} >= chats

        # a generous deadline: a chat never served again fails here, as lost
        await run_until(env_at("2022-09-01T07:31"), every_chat_served, 120, False)
    finally:
        await fake.stop()
    per_chat = Counter(s.chat_id for s in fake.sent)
    assert all(s.text.startswith(TOPIC) for s in fake.sent), fake.sent[0].text[:80]
    assert set(per_chat) == chats  # none lost
    twice = [c for c, n in per_chat.items() if n > 1]
    assert max(per_chat.values()) <= 2
    assert len(twice) <= PUSH_WINDOW, (len(twice), sent_before)  # at most those in flight
