"""`chibo oa login` against the fake OAuth server: the permission link, the pasted callback
address, the pair stored where the bot reads it; a code Zalo refuses is one Vietnamese line."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from bot.channels.zalo_oa.api import TokenPair
from bot.channels.zalo_oa.tokens import RUNTIME_KEY
from bot.cli import main
from bot.clock import TZ
from bot.stores.tinydb.store import TinyStore
from tests.bot.fake_zalo_oa import APP_ID, APP_SECRET, SECRET_KEY, FakeOA

CALLBACK = "https://chibo.example.vn/zalo-oa/callback"


def _fake_in_thread():
    """The fake OAuth server on its own loop: the command runs its own asyncio.run."""
    loop = asyncio.new_event_loop()
    fake = FakeOA(now=lambda: datetime.now(TZ))
    loop.run_until_complete(fake.start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def stop():
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return fake, stop


def _env(tmp_path, fake) -> str:
    env = tmp_path / ".env"
    env.write_text(
        f"ZALO_OA_APP_ID={APP_ID}\nZALO_OA_APP_SECRET={APP_SECRET}\nZALO_OA_SECRET_KEY={SECRET_KEY}\n"
        f"ZALO_OA_API_BASE_URL={fake.url}\nZALO_OA_OAUTH_BASE_URL={fake.url}\n"
        f"CHIBO_DB={tmp_path / 'db.json'}\n"
    )
    return str(env)


def test_login_prints_the_link_takes_the_address_back_and_stores_the_pair(
    tmp_path, monkeypatch, capsys
):
    fake, stop = _fake_in_thread()
    try:
        env = _env(tmp_path, fake)

        def operator(prompt: str) -> str:  # opens the link, approves, pastes the address
            link = next(
                line for line in capsys.readouterr().out.splitlines() if "/v4/oa/permission" in line
            )
            query = parse_qs(urlsplit(link).query)
            assert query["app_id"] == [APP_ID] and query["redirect_uri"] == [CALLBACK]
            code = fake.authorize(verifier_of(query["code_challenge"][0]))
            return f"{CALLBACK}?code={code}&state={query['state'][0]}"

        verifiers: dict[str, str] = {}
        import bot.channels.zalo_oa.login as login_mod

        real_pkce = login_mod.pkce

        def recording_pkce():
            verifier, challenge = real_pkce()
            verifiers[challenge] = verifier
            return verifier, challenge

        def verifier_of(challenge: str) -> str:
            return verifiers[challenge]

        monkeypatch.setattr(login_mod, "pkce", recording_pkce)
        monkeypatch.setattr("builtins.input", operator)
        code = main(["oa", "login", "--redirect-uri", CALLBACK, "--env", env])
        out = capsys.readouterr().out
        assert code == 0, out
        assert "✅ Đã lưu mã truy cập của OA." in out
        store = TinyStore(tmp_path / "db.json", datetime.now(TZ))
        pair = TokenPair.from_dict(store.runtime(RUNTIME_KEY))
        store.close()
        assert pair is not None and pair.refresh_token in fake.refresh_tokens

        monkeypatch.setattr("builtins.input", lambda _prompt: "code-does-not-exist")
        assert main(["oa", "login", "--redirect-uri", CALLBACK, "--env", env]) == 2
        assert "Zalo không nhận mã này" in capsys.readouterr().err
    finally:
        stop()
