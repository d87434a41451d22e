"""Choices on channels without buttons (Zalo, the console): numbered lines, answered by number.

The conversation offers choices as buttons; a channel without buttons shows them as "1. …" lines
and remembers that chat's newest menu. A reply that is just a number (optionally "số 2", "2.")
presses the matching choice of that menu. A number that fits no live menu — too large, or the
menu has expired — gets a clear answer and never a wrong action. Menus are kept in the store's
runtime state when it has one, so a restart does not turn a pending "1" into nonsense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from handlers.state import Store, shared
from handlers.types import Button, Reply

MENU_LIFETIME = timedelta(hours=24)  # a day-old list is too old to act on without showing it again
_NUMBER = re.compile(r"^\s*(?:s[ốo]\s*)?(\d{1,3})\s*[.)]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Menu:
    labels: tuple[str, ...]
    data: tuple[str, ...]
    at: datetime
    asks_text: bool = False  # the message also asked for a typed value: "15" may be that value

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "data": list(self.data),
            "at": self.at.isoformat(),
            "asks_text": self.asks_text,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Menu | None:
        try:
            return cls(
                tuple(raw["labels"]),
                tuple(raw["data"]),
                datetime.fromisoformat(raw["at"]),
                bool(raw.get("asks_text")),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Pressed:
    """The number chose this button."""

    data: str
    label: str


def flatten(buttons: tuple[tuple[Button, ...], ...]) -> list[Button]:
    return [b for row in buttons for b in row]


def numbered_text(reply: Reply, is_group: bool) -> str:
    """The reply's text with its choices as numbered lines."""
    choices = flatten(reply.buttons)
    if not choices:
        return reply.text
    how = (
        "Trả lời tin này bằng số để chọn:"
        if is_group
        else "Trả lời bằng số để chọn:"  # the bot sees a group's replies, not its chatter
    )
    lines = [f"{i}. {b.label}" for i, b in enumerate(choices, 1)]
    return f"{reply.text}\n\n{how}\n" + "\n".join(lines)


def number_of(text: str) -> int | None:
    match = _NUMBER.match(text or "")
    return int(match.group(1)) if match else None


class NumberedChoices:
    """The newest menu of each chat of one channel."""

    def __init__(self, platform: str, store: Store | None = None) -> None:
        self.platform = platform
        self.store = store
        self._menus: dict[str, Menu] = {}

    def _key(self, chat_id: str) -> str:
        return f"menu:{self.platform}:{chat_id}"

    def current(self, chat_id: str) -> Menu | None:
        menu = self._menus.get(chat_id)
        if menu is None and self.store is not None:
            raw = self.store.runtime(self._key(chat_id))
            menu = Menu.from_dict(raw) if isinstance(raw, dict) else None
        return menu

    def note(self, chat_id: str, reply: Reply, now: datetime) -> Menu | None:
        """Remember the reply's choices as the chat's newest menu (in memory)."""
        choices = flatten(reply.buttons)
        if not choices:
            return None
        menu = Menu(  # a push's menu is the same for thousands of chats: one tuple for all
            shared(tuple(b.label for b in choices)),
            shared(tuple(b.data for b in choices)),
            now,
            reply.force_reply,
        )
        self._menus[chat_id] = menu
        return menu

    async def remember(self, chat_id: str, reply: Reply, now: datetime) -> None:
        """note(), and kept in the store so a restart still knows what "2" means."""
        menu = self.note(chat_id, reply, now)
        if menu is not None and self.store is not None:
            await self.store.set_runtime(self._key(chat_id), menu.to_dict())

    def resolve(self, chat_id: str, text: str, now: datetime) -> Pressed | Reply | None:
        """A bare number → the choice it presses, or an answer saying why it presses nothing.
        Anything else → None: the text goes to the conversation as typed."""
        number = number_of(text)
        if number is None:
            return None
        menu = self.current(chat_id)
        if menu is None:
            return None  # no menu was ever shown: "15" may be a day; the conversation reads it
        if now - menu.at > MENU_LIFETIME:
            return Reply(
                f"Danh sách lựa chọn gần nhất đã cũ nên số {number} không còn dùng được. "
                "Xin gõ lại yêu cầu (ví dụ /start hoặc /caidat) để có danh sách mới."
            )
        if not 1 <= number <= len(menu.data):
            if menu.asks_text:
                return None  # the bot asked for a value too: "15" answers that, not a choice
            options = "\n".join(f"{i}. {label}" for i, label in enumerate(menu.labels, 1))
            return Reply(
                f"Không có lựa chọn số {number}. Danh sách gần nhất có {len(menu.data)} lựa chọn:\n"
                + options
            )
        return Pressed(menu.data[number - 1], menu.labels[number - 1])
