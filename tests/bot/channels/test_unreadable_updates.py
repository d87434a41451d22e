"""An update the bot cannot read — `{"message": {"garbage": true}}` from getUpdates ended `chibo
run` with a KeyError, and, never confirmed, would have ended every restart too — is logged in one
line, confirmed and skipped, and the updates around it are answered: both channels, polling and
webhook, the real adapters against their fake servers."""

from __future__ import annotations

import logging

import aiohttp

from bot.config import Webhook, WebhookServer
from tests.bot.channels.test_every_channel import running, texts
from tests.bot.fake_zalo import SECRET_HEADER
from tests.bot.processes import wait_until
from tests.ports import free_port

GARBAGE = (
    {"message": {"garbage": True}},
    {
        "event_name": "message.text.received",
        "message": {"text": "không có người gửi, không có chat"},
    },
    {"message": "x"},
)


def skipped(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "cannot be read" in r.getMessage()]


def one_line_each(records: list[logging.LogRecord], count: int) -> None:
    assert len(records) == count, [r.getMessage() for r in records]
    for r in records:
        assert r.levelno == logging.WARNING and r.exc_info is None  # no traceback
        assert "\n" not in r.getMessage()


async def test_polling_skips_and_confirms_an_update_it_cannot_read(driver, tmp_path, caplog):
    chat, user = driver.chat_id(701), driver.user_id(701)
    for raw in GARBAGE:
        driver.fake.push(dict(raw))
    driver.say(chat, user, "/help")
    last = driver.fake.updates[-1].get("update_id")  # Telegram's: the /help after the garbage
    async with running(driver, tmp_path / "db.json") as bot:
        await wait_until(lambda: texts(driver, chat), 20)
        if driver.platform == "telegram":  # confirmed: the next getUpdates' offset forgets them
            await wait_until(lambda: bot.store.runtime("telegram:offset") == last + 1, 20)
    one_line_each(skipped(caplog), len(GARBAGE))
    # a restart finds nothing left to choke on and answers the next question
    caplog.clear()
    driver.say(chat, user, "/help")
    async with running(driver, tmp_path / "db.json"):
        await wait_until(lambda: len(texts(driver, chat)) == 2, 20)
    assert skipped(caplog) == []


async def test_a_webhook_skips_an_update_it_cannot_read(driver, tmp_path, caplog):
    port, secret = free_port(), "s3cret-" + "x" * 20
    chat, user = driver.chat_id(711), driver.user_id(711)
    path = f"/{driver.platform}"
    header = "X-Telegram-Bot-Api-Secret-Token" if driver.platform == "telegram" else SECRET_HEADER
    config = {
        "webhook": Webhook(f"https://bot.example.vn{path}", secret),
        "webhook_server": WebhookServer("127.0.0.1", port),
    }
    async with running(driver, tmp_path / "db.json", **config) as bot:
        runner = await bot._start_webhooks(driver.config(tmp_path / "x", **config))
        try:
            url = f"http://127.0.0.1:{port}{path}"
            async with aiohttp.ClientSession() as http:
                for n, raw in enumerate(GARBAGE):
                    body = {"update_id": 900 + n, **raw}
                    async with http.post(url, json=body, headers={header: secret}) as r:
                        assert r.status == 200  # answered: the platform does not resend it
                async with http.post(url, data=b"{not json", headers={header: secret}) as r:
                    assert r.status == 200
                driver.say(chat, user, "/help")
                update = driver.fake.updates.pop()
                async with http.post(url, json=update, headers={header: secret}) as r:
                    assert r.status == 200
            # Zalo answers a delivery once it is journaled and handles it in its chat's turn
            await wait_until(lambda: texts(driver, chat), 20)
            replies = texts(driver, chat)
        finally:
            await runner.cleanup()
    assert len(replies) == 1
    one_line_each(skipped(caplog), len(GARBAGE))
    assert "not JSON skipped" in caplog.text
