"""Small platform-neutral types the conversation speaks; adapters in bot/ translate them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserRef:
    """A person as a channel knows them: ids are only unique within one platform."""

    platform: str
    user_id: str


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # encoded by handlers/buttons.py, within buttons.MAX_DATA_BYTES


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    pin: bool = False
    force_reply: bool = False  # in groups, the answer comes back as a reply, so the bot sees it

    def with_buttons(self, *rows: tuple[Button, ...]) -> Reply:
        return Reply(self.text, tuple(rows), self.pin, self.force_reply)


@dataclass(frozen=True)
class Incoming:
    """One message or button press, as every platform can describe it."""

    platform: str  # "zalo", "telegram", "console"
    chat_id: str
    user_id: str
    text: str = ""
    callback: str | None = None  # data of the pressed button
    is_group: bool = False
    user_name: str = ""
    addressed: bool = True  # in groups: a command, a mention of the bot, or a reply to it
    is_group_admin: bool = False
    chat_title: str = ""

    @property
    def user(self) -> UserRef:
        return UserRef(self.platform, self.user_id)
