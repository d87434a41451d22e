"""Small platform-neutral types the conversation speaks; adapters in bot/ translate them."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class UserRef:
    """A person as a channel knows them: ids are only unique within one platform."""

    platform: str
    user_id: str


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # encoded by handlers/buttons.py, within button_data.MAX_DATA_BYTES


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply (an exported table). A channel that cannot carry this kind of
    file uses `plainer` (a CSV beside a spreadsheet); one that carries no file at all (Zalo)
    shows a text file as messages, or `instead` when that would take too many."""

    filename: str
    data: bytes
    mime: str
    plainer: Attachment | None = None
    instead: str = ""  # said where the file cannot be delivered at all (e.g. how else to get it)

    @property
    def is_text(self) -> bool:
        return self.mime.startswith("text/")


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    pin: bool = False
    force_reply: bool = False  # in groups, the answer comes back as a reply, so the bot sees it
    attachment: Attachment | None = None  # sent after the text

    def with_buttons(self, *rows: tuple[Button, ...]) -> Reply:
        return replace(self, buttons=tuple(rows))


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
