"""How a feature declares what it answers: commands, button kinds, intents and text it claims,
each with the permission it needs. The conversation core (conversation.py) only routes and
enforces these permissions; it knows no feature by name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from handlers.button_data import Press
from handlers.intents import IntentName
from handlers.router import Intent
from handlers.state import Store, Subscription
from handlers.types import Incoming, Reply
from schedules.catalog import Catalog
from schedules.model import Plan

if TYPE_CHECKING:
    from handlers.conversation import Conversation


class Permission(Enum):
    """Who may do a thing; the refusal is what everyone else reads."""

    ANYONE = None
    # In a private chat, its user; in a group, the group's admins. Bot admins everywhere.
    CHAT_ADMIN = (
        "Xin lỗi, chỉ quản trị viên của nhóm mới thay đổi được đăng ký và cài đặt của nhóm."
    )
    # CHAT_ADMIN, or in a group also the one who subscribed it (the secretary).
    SUBSCRIBER = (
        "Xin lỗi, chỉ bí thư (người đăng ký) hoặc quản trị viên nhóm mới đánh dấu hoàn thành."
    )
    # SUBSCRIBER; in a committee's group (a roster of cells) any member: its secretaries
    MARKER = (
        "Xin lỗi, chỉ bí thư (người đăng ký) hoặc quản trị viên nhóm mới đánh dấu được việc đã "
        "hoàn thành."
    )
    BOT_ADMIN = "Lệnh này chỉ dành cho cán bộ cấp trên quản trị bot."

    @property
    def refusal(self) -> Reply:
        return Reply(self.value or "")


@dataclass
class Turn:
    """One message or press being answered, with what the feature needs to answer it."""

    msg: Incoming
    now: datetime
    conversation: Conversation
    args: str = ""  # a command's arguments, or the message's text
    press: Any = None  # the decoded button (a handlers.buttons.Press)
    intent: Intent | None = None
    match: Any = None  # what a text matcher found

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def catalog(self) -> Catalog:
        return self.conversation.catalog

    @property
    def store(self) -> Store:
        return self.conversation.store

    @property
    def sub(self) -> Subscription | None:
        return self.store.get(self.msg.platform, self.msg.chat_id)

    def plans(self, sub: Subscription | None = None) -> list[Plan]:
        """The plans the chat follows that are still in the catalog."""
        sub = sub or self.sub
        return [p for pid in sub.plan_ids if (p := self.catalog.get(pid))] if sub else []

    def chat_key(self, kind: str) -> str:
        """The key of a runtime value kept per chat (`pages`, `upload`, …)."""
        return f"{kind}:{self.msg.platform}:{self.msg.chat_id}"

    def token(self, text: str) -> str:
        """A short token naming `text` as of this turn: a button names a kept value by it."""
        return hashlib.blake2b(f"{self.now.isoformat()}|{text}".encode(), digest_size=4).hexdigest()

    def but(self, **changes) -> Turn:
        return replace(self, **changes)


Handler = Callable[[Turn], Awaitable[list[Reply]]]
Matcher = Callable[[Turn], Any]  # what the text means to the feature, or None


@dataclass(frozen=True)
class Route:
    handler: Handler
    permission: Permission = Permission.ANYONE
    # said instead of the permission's own refusal (keyword only: subclasses add fields)
    refusal: Reply | None = field(default=None, kw_only=True)

    @property
    def refused(self) -> Reply:
        return self.refusal or self.permission.refusal


@dataclass(frozen=True)
class Command(Route):
    names: tuple[str, ...] = ()  # the first is its name, the others aliases
    description: str = ""  # in the channel's command menu
    hint: str = ""  # in the one-line list of commands; empty: not listed there


@dataclass(frozen=True)
class FileRoute(Route):
    """A received file; with a matcher, only the files it accepts (the others go to the route
    without one)."""

    matcher: Matcher | None = None


@dataclass(frozen=True)
class TextClaim(Route):
    """Free text a feature claims before questions are routed (an awaited value, "x: y")."""

    matcher: Matcher | None = None


@dataclass
class Feature:
    name: str
    commands: list[Command] = field(default_factory=list)
    buttons: dict[type[Press], Route] = field(default_factory=dict)
    intents: dict[IntentName, Route] = field(default_factory=dict)
    claims: list[TextClaim] = field(default_factory=list)
    files: list[FileRoute] = field(default_factory=list)  # received files: see Routes.file_for

    def command(
        self,
        *names: str,
        description: str,
        hint: str = "",
        permission: Permission = Permission.ANYONE,
    ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.commands.append(Command(fn, permission, names, description, hint))
            return fn

        return deco

    def button(
        self, *kinds: type[Press], permission: Permission = Permission.ANYONE
    ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for kind in kinds:
                self.buttons[kind] = Route(fn, permission)
            return fn

        return deco

    def intent(
        self, *names: IntentName, permission: Permission = Permission.ANYONE
    ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for name in names:
                self.intents[name] = Route(fn, permission)
            return fn

        return deco

    def text(
        self, matcher: Matcher, permission: Permission = Permission.ANYONE
    ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.claims.append(TextClaim(fn, permission, matcher))
            return fn

        return deco

    def file(
        self,
        permission: Permission = Permission.ANYONE,
        refusal: Reply | None = None,
        when: Matcher | None = None,
    ) -> Callable[[Handler], Handler]:
        """Handles a file sent to the bot (Incoming.file): those `when` accepts, or (without
        `when`) every file no other route's `when` accepts — one feature declares that one."""

        def deco(fn: Handler) -> Handler:
            self.files.append(FileRoute(fn, permission, refusal=refusal, matcher=when))
            return fn

        return deco
