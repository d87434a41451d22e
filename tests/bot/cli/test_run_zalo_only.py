"""`chibo run` with only ZALO_BOT_TOKEN in .env, as an operator starts it: a real process against
the fake Zalo Bot API. It subscribes and answers, pushes July's topics at 7:30 on 1/7/2022 once,
and not again after a restart. (The rehearsal clock, CHIBO_NOW, stands in for waiting a day.)"""

import signal
from pathlib import Path

from tests.bot.fake_zalo import FakeZalo, hex_id
from tests.bot.processes import start_chibo, wait_until

CHAT, USER = hex_id(0x51), hex_id(0x51, 16)


async def run_until(env: Path, now: str, condition, timeout: float = 90) -> str:
    """Run `chibo run` until `condition` holds (a start-up and a tick: far more than 20 s on a busy
    machine), then stop it and return what it logged."""
    proc = await start_chibo("run", "--env", str(env), "--now", now)
    try:
        await wait_until(lambda: condition() or proc.returncode is not None, timeout)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        _, err = await proc.communicate()
    log = err.decode()
    assert proc.returncode == 0, log[-3000:]
    assert "Traceback" not in log
    return log


async def test_zalo_only_run_subscribes_answers_and_pushes_july_once(tmp_path):
    fake = FakeZalo()
    await fake.start()
    env = tmp_path / ".env"
    env.write_text(
        f"ZALO_BOT_TOKEN={fake.token}\nZALO_API_BASE_URL={fake.base_url}\n"
        f"CHIBO_DB={tmp_path / 'chibo.json'}\n",
        encoding="utf-8",
    )
    state = tmp_path / "chibo.json.zalo.push.json"
    try:
        fake.text(CHAT, USER, "/dangky tra-vinh-60-2022")
        fake.text(CHAT, USER, "thang nay hoc gi")
        log = await run_until(
            env, "2022-07-01T07:29", lambda: len(fake.sent) >= 2 and state.exists()
        )
        assert "zalo (polling)" in log
        assert fake.sent[0].text.startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK cho chat này.")
        assert fake.sent[1].text.startswith("📚 Tháng 7/2022 — Trà Vinh 60-KH/ĐUK")

        await run_until(env, "2022-07-01T07:30:30", lambda: len(fake.sent) >= 3)
        pushed = fake.sent[2].text
        assert pushed.count("📚 Chủ đề sinh hoạt tháng 7/2022 — Trà Vinh 60-KH/ĐUK") == 1

        before = state.read_text(encoding="utf-8")
        await run_until(
            env, "2022-07-01T09:00", lambda: state.read_text(encoding="utf-8") != before
        )  # the 9:00 tick saved, and the process stopped: whatever it sent is in by now
    finally:
        await fake.stop()
    assert len(fake.sent) == 3  # not again after the restart
