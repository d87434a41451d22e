"""Small platform-neutral types the conversation speaks; adapters in bot/ translate them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from schedules.catalog import Problem


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
    # False: the platform must not open the links to preview them (a one-time login link)
    preview: bool = True

    def with_buttons(self, *rows: tuple[Button, ...]) -> Reply:
        return replace(self, buttons=tuple(rows))


class Unreadable(Enum):
    """Why a received file has no text: the channel (bot/channels/uploads.py) says which, the
    conversation says it in words."""

    NOT_CARRIED = "not carried"  # the platform tells the bot a file came, but not the file (Zalo)
    NOT_READ = "not read"  # the sender may not upload plans, so the file was not even fetched
    WRONG_TYPE = "wrong type"  # not .txt/.docx/.pdf/.yaml (a photo, an .exe, …)
    TOO_BIG = "too big"
    DOWNLOAD_FAILED = "download failed"
    DAMAGED = "damaged"  # not a .docx/.pdf that opens
    NO_TEXT_LAYER = "no text layer"  # a scanned PDF: OCR is out of scope
    NOT_UTF8 = "not utf-8"
    NO_READER = "no reader"  # the [import] extra (python-docx, pypdf) is not installed
    OVER_LIMIT = "over limit"  # too large, too long or too slow to read (`detail` says which)


@dataclass(frozen=True)
class ReceivedFile:
    """A file a user sent, as the channel received it: its text (extracted in bot/), or the
    reason it has none."""

    filename: str
    size: int  # bytes, as the platform announced it
    text: str | None = None
    unreadable: Unreadable | None = None
    detail: str = ""  # why, in Vietnamese, when the reason needs more than its kind (OVER_LIMIT)

    @property
    def suffix(self) -> str:
        name = self.filename.lower()
        return name[name.rfind(".") :] if "." in name else ""


@dataclass(frozen=True)
class Publication:
    """What publishing a plan came to (the publisher, injected from bot/, says): the plan's id,
    whether it replaced an earlier version, how many chats were invited; or why it was refused,
    with the plan check's problems."""

    plan_id: str = ""
    replaced: bool = False
    invited: int = 0
    refused: str = ""
    problems: tuple[Problem, ...] = ()


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
    file: ReceivedFile | None = None  # a document sent (with `text` its caption)

    @property
    def user(self) -> UserRef:
        return UserRef(self.platform, self.user_id)
