"""One way for a test to play a user on either channel, so the same test body runs on both.

A driver knows its fake server: how to say something in a chat, how to choose a choice (press
the button on Telegram, answer with its number on Zalo), and what was sent, as (chat, text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config, TelegramConfig, Webhook, ZaloConfig
from tests.bot import fake_telegram, fake_zalo


@dataclass
class Message:
    chat: str
    text: str
    choices: list[str]  # labels of the choices it offers
    raw: object


class TelegramDriver:
    platform = "telegram"

    def __init__(self, fake: fake_telegram.FakeTelegram) -> None:
        self.fake = fake

    def config(self, db: Path, webhook: Webhook | None = None, **kw) -> Config:
        return Config(
            TelegramConfig("123456:" + "T" * 35, self.fake.url, webhook), db_path=db, **kw
        )

    def chat_id(self, n: int, group: bool = False) -> str:
        return str(-100_000_000 - n if group else n)

    def user_id(self, n: int) -> str:
        return str(n)

    def _chat(self, chat: str) -> dict:
        if chat.startswith("-"):
            return fake_telegram.group(int(chat))
        return fake_telegram.private(int(chat))

    def say(self, chat: str, user: str, text: str, mention: bool = False) -> None:
        if mention:
            text = f"@{fake_telegram.BOT['username']} {text}"
        self.fake.text(self._chat(chat), int(user), text)

    def choose(self, chat: str, user: str, message: Message, label: str) -> None:
        sent = message.raw
        rows = (sent.reply_markup or {}).get("inline_keyboard", [])
        data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
        self.fake.press(self._chat(chat), int(user), sent, data)

    @property
    def sent(self) -> list[Message]:
        return [
            Message(
                s.chat_id,
                s.text,
                [
                    b["text"]
                    for row in (s.reply_markup or {}).get("inline_keyboard", [])
                    for b in row
                ],
                s,
            )
            for s in self.fake.sent
        ]

    async def wait_sent(self, count: int) -> list[Message]:
        await self.fake.wait_sent(count)
        return self.sent


_CHOICE = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)


class ZaloDriver:
    platform = "zalo"

    def __init__(self, fake: fake_zalo.FakeZalo) -> None:
        self.fake = fake
        self.groups: set[str] = set()

    def config(self, db: Path, webhook: Webhook | None = None, **kw) -> Config:
        return Config(
            zalo=ZaloConfig(self.fake.token, self.fake.base_url, webhook), db_path=db, **kw
        )

    def chat_id(self, n: int, group: bool = False) -> str:
        chat = fake_zalo.hex_id(n)
        if group:
            self.groups.add(chat)
        return chat

    def user_id(self, n: int) -> str:
        return fake_zalo.hex_id(n, 16)

    def say(self, chat: str, user: str, text: str, mention: bool = False) -> None:
        # in a group the platform delivers only mentions and replies: a test that says something
        # unaddressed in a group is not delivered at all, as on the live platform
        group = chat in self.groups
        if group and not mention:
            return
        self.fake.text(chat, user, text, group=group, name=f"Đồng chí {int(user, 16)}")

    def choose(self, chat: str, user: str, message: Message, label: str) -> None:
        number = next(n for n, text in _CHOICE.findall(message.text) if label in text)
        self.say(chat, user, number, mention=True)

    @property
    def sent(self) -> list[Message]:
        return [
            Message(s.chat_id, s.text, [t for _, t in _CHOICE.findall(s.text)], s)
            for s in self.fake.sent
        ]

    async def wait_sent(self, count: int) -> list[Message]:
        await self.fake.wait_sent(count)
        return self.sent
