"""`chibo run` as the operator starts it (a subprocess reading a .env) against the fake Bot API: in
every way it can fail, and at DEBUG while it polls, all it prints (stdout and stderr) is searched
for the token, its secret part and their URL-encoded forms."""

from __future__ import annotations

import asyncio
import secrets
import socket
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.bot.fake_telegram import private
from tests.bot.processes import start_chibo

START_TIMEOUT = 60.0  # bounds every wait on the subprocess: its start-up imports take ~1 s, far more on a busy machine


@pytest.fixture
def token() -> str:
    return f"{secrets.randbelow(10**9) + 10**8}:{secrets.token_urlsafe(27)}"  # 36-char secret


def leaked(output: str, token: str) -> list[str]:
    secret = token.partition(":")[2]
    forms = [token, secret, quote(token, safe=""), quote(token, safe="").lower()]
    return [form for form in forms if form.lower() in output.lower()]


class Run:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.buffer = bytearray()
        self.pump = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while chunk := await self.process.stdout.read(65536):
            self.buffer.extend(chunk)

    @property
    def output(self) -> str:
        return self.buffer.decode("utf-8", errors="replace")

    async def finish(self, timeout: float = START_TIMEOUT) -> int:
        """Wait for the process to end by itself (bounded)."""
        await asyncio.wait_for(self.process.wait(), timeout)
        await asyncio.wait_for(self.pump, timeout)
        return self.process.returncode

    async def stop(self) -> int:
        """Terminate it (SIGTERM, as systemd does), kill it if it does not end in time."""
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), START_TIMEOUT)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        await asyncio.wait_for(self.pump, START_TIMEOUT)
        return self.process.returncode

    async def until(self, condition, timeout: float = START_TIMEOUT) -> None:
        """Wait (bounded) until `condition()` holds, while the process runs."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            if self.process.returncode is not None:
                raise AssertionError(f"chibo run ended early:\n{self.output}")
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out; output so far:\n{self.output}")
            await asyncio.sleep(0.02)


async def start(tmp_path: Path, settings: dict[str, str]) -> Run:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "".join(f"{k}={v}\n" for k, v in {"CHIBO_DB": tmp_path / "db.json", **settings}.items()),
        encoding="utf-8",
    )
    process = await start_chibo(
        "run",
        "--env",
        str(env_file),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        TMPDIR=str(tmp_path),  # where a crash report would go
    )
    return Run(process)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_rejected_token_ends_with_one_vietnamese_line_and_exit_2(fake, tmp_path, token):
    fake.reject_token = True
    run = await start(tmp_path, {"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": fake.url})
    code = await run.finish()
    assert code == 2, run.output
    assert leaked(run.output, token) == []
    assert "Traceback" not in run.output
    last = run.output.strip().splitlines()[-1]
    assert last.startswith("Telegram từ chối token") and "@BotFather" in last
    assert ("getMe", {}) in fake.calls  # it did ask Telegram


async def test_a_token_pasted_into_a_bad_setting_is_not_echoed(tmp_path, token):
    run = await start(
        tmp_path,
        {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": f"api.telegram.org/bot{token}",  # no scheme: refused
        },
    )
    code = await run.finish()
    assert code == 2
    assert leaked(run.output, token) == []
    assert run.output.strip().startswith("Lỗi cấu hình: TELEGRAM_API_BASE_URL")
    assert len(run.output.strip().splitlines()) == 1


async def test_an_unreachable_bot_api_at_debug(tmp_path, token):
    run = await start(
        tmp_path,
        {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{closed_port()}",
            "CHIBO_LOG_LEVEL": "DEBUG",
        },
    )
    try:
        await run.until(lambda: "unreachable" in run.output)
    finally:
        await run.stop()
    assert leaked(run.output, token) == []
    assert "Traceback" not in run.output


async def test_debug_logs_of_a_normal_poll_show_requests_without_the_token(fake, tmp_path, token):
    run = await start(
        tmp_path,
        {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": fake.url,
            "CHIBO_LOG_LEVEL": "DEBUG",
        },
    )
    try:
        await run.until(lambda: sum(m == "getUpdates" for m, _ in fake.calls) >= 2)
        fake.text(private(42), 42, "/start")
        await run.until(lambda: len(fake.sent) >= 1)
        await run.until(lambda: "/sendMessage" in run.output)
    finally:
        code = await run.stop()
    assert code == 0
    assert leaked(run.output, token) == []
    # The request lines are there (DEBUG is for seeing them), with the token replaced.
    assert "/bot<TELEGRAM_BOT_TOKEN>/getUpdates" in run.output
    assert "/bot<TELEGRAM_BOT_TOKEN>/sendMessage" in run.output
