"""CHIBO_WEB_PORT, CHIBO_WEB_LISTEN and CHIBO_WEB_URL: the page is on by default, on this machine
only; `off` turns it off; a bad value is one Vietnamese line."""

from __future__ import annotations

import pytest

from bot import config as config_mod
from bot.config import ConfigError, WebConfig


def load(tmp_path, monkeypatch, text: str):
    for name in ("CHIBO_WEB_PORT", "CHIBO_WEB_LISTEN", "CHIBO_WEB_URL", "CHIBO_DB"):
        monkeypatch.delenv(name, raising=False)
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_DB={tmp_path / 'db.json'}\n{text}", encoding="utf-8")
    return config_mod.load(env, need_token=False)


def test_on_by_default_on_this_machine_only(tmp_path, monkeypatch):
    web = load(tmp_path, monkeypatch, "").web
    assert web == WebConfig(8080, "127.0.0.1", None)
    assert web.base_url == "http://127.0.0.1:8080"


def test_off_and_behind_a_proxy(tmp_path, monkeypatch):
    assert load(tmp_path, monkeypatch, "CHIBO_WEB_PORT=off\n").web is None
    web = load(
        tmp_path,
        monkeypatch,
        "CHIBO_WEB_PORT=9000\nCHIBO_WEB_LISTEN=0.0.0.0\nCHIBO_WEB_URL=https://chibo.example.vn/\n",
    ).web
    assert web == WebConfig(9000, "0.0.0.0", "https://chibo.example.vn")
    assert web.base_url == "https://chibo.example.vn"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("CHIBO_WEB_PORT=tám\n", "CHIBO_WEB_PORT không hợp lệ"),
        ("CHIBO_WEB_PORT=70000\n", "CHIBO_WEB_PORT không hợp lệ"),
        ("CHIBO_WEB_URL=chibo.vn\n", "CHIBO_WEB_URL không phải địa chỉ http(s)"),
    ],
)
def test_bad_values_are_one_line(tmp_path, monkeypatch, text, said):
    with pytest.raises(ConfigError, match=said.replace("(", r"\(").replace(")", r"\)")):
        load(tmp_path, monkeypatch, text)
