"""The conversation core: one incoming message or button press → replies and state changes.

It only routes — a command, a button's kind, text a feature claims, a routed intent — to the
feature that declared it (handlers/features/), and enforces the permission declared with it.
It speaks only the neutral types of handlers/types.py and the Store protocol; adapters in bot/
turn platform updates (or console lines) into Incoming and send the Replies.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from handlers import buttons
from handlers.feature import Command, Feature, FileRoute, Permission, Route, TextClaim, Turn
from handlers.features import FEATURES, subscribing
from handlers.intents import IntentName
from handlers.router import route
from handlers.scope import Committees, Scope
from handlers.state import Store, Subscription
from handlers.types import Incoming, Publication, Reply, UserRef
from schedules.catalog import Catalog

log = logging.getLogger(__name__)

MAX_ROUTED_CHARS = 500  # a 5,000-character paste is answered from its start, not choked on

IsAdmin = Callable[[Incoming], Awaitable[bool]]
# Sends one reply to many chats, each through its own channel's rate-limited outbox.
Broadcaster = Callable[[list[Subscription], Reply], Awaitable[int]]
# Publishes a plan file's text on behalf of a user (bot/plans/library.py: PlanLibrary.publication).
Publisher = Callable[[UserRef, str], Awaitable[Publication]]


class WebLinks(Protocol):
    """The web page's addresses, made in bot/web/ (the signing key and the base URL live there)."""

    async def login(self, user: UserRef, name: str, now: datetime) -> str: ...

    async def calendar(self, platform: str, chat_id: str, renew: bool = False) -> str: ...

    async def calendar_file(self, sub: Subscription, now: datetime) -> bytes: ...


STALE_BUTTON = Reply("Nút này đã cũ hoặc không còn dùng được. Gõ /help để xem các lệnh.")


async def _group_admin_flag(msg: Incoming) -> bool:
    """Until the platform gives a real check: trust the flag the adapter set on the message."""
    return msg.is_group_admin


class Routes:
    """Every feature's declarations gathered once; a name or kind declared twice is an error."""

    def __init__(self, features: tuple[Feature, ...]) -> None:
        self.commands: dict[str, Command] = {}
        self.buttons: dict[type, Route] = {}
        self.intents: dict[IntentName, Route] = {}
        self.claims: list[TextClaim] = []
        self.listed: list[Command] = []
        self.file: Route | None = None  # a file no matcher claims
        self.files_matched: list[FileRoute] = []  # a file a matcher claims (a roster list)
        for f in features:
            for c in f.commands:
                for name in c.names:
                    _add(self.commands, name, c, f)
                self.listed.append(c)
            for kind, r in f.buttons.items():
                _add(self.buttons, kind, r, f)
            for intent, r in f.intents.items():
                _add(self.intents, intent, r, f)
            self.claims += f.claims
            for r in f.files:
                if r.matcher is not None:
                    self.files_matched.append(r)
                    continue
                if self.file is not None:
                    raise RuntimeError(f"files handled twice (again by feature {f.name})")
                self.file = r
        unrouted = set(IntentName) - self.intents.keys()
        if unrouted:
            raise RuntimeError(f"no feature answers intents {sorted(unrouted)}")


def _add(table: dict, key, value, feature: Feature) -> None:
    if key in table:
        raise RuntimeError(f"{key!r} declared twice (again by feature {feature.name})")
    table[key] = value


ROUTES = Routes(FEATURES)

# The channel's command menu: every command name (aliases too), with its description.
COMMANDS: dict[str, str] = {
    name: c.description for c in ROUTES.listed for name in c.names if c.description
}

COMMAND_HELP = (
    "Lệnh: " + " · ".join(f"/{c.names[0]} {c.hint}" for c in ROUTES.listed if c.hint) + "."
)


class Conversation:
    command_help = COMMAND_HELP

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        bot_admins: set[UserRef] | None = None,
        is_chat_admin: IsAdmin | None = None,
        committees: Committees | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.bot_admins = set(bot_admins or ())
        if any(not isinstance(a, UserRef) for a in self.bot_admins):  # a bare id names no platform
            raise TypeError("bot_admins must be UserRef(platform, user_id) values")
        self._is_chat_admin = is_chat_admin or _group_admin_flag
        # committee admins manage their own plans' chats only (handlers/scope.py)
        self.committees = committees or Committees()
        self.broadcaster: Broadcaster | None = None
        self.publisher: Publisher | None = None
        # platforms whose bots receive no files (Zalo): an admin there is told another way
        self.without_files: frozenset[str] = frozenset()
        # lines the channels add to /tinhhinh (e.g. a monthly allowance used up, reminders held)
        self.channel_notes: Callable[[], list[str]] = list
        self.web: WebLinks | None = None  # None: no web page (CHIBO_WEB_PORT=off)
        # several bots of one platform (a Zalo pool): an admin named on the platform is one on each
        self.platform_aliases: dict[str, str] = {}

    def set_committees(self, committees: Committees) -> None:
        self.committees = committees

    def set_platform_aliases(self, aliases: dict[str, str]) -> None:
        """{a bot's platform key: the platform its admins are named on} (a Zalo pool)."""
        self.platform_aliases = dict(aliases)

    def _named(self, user: UserRef) -> UserRef:
        """The user as admins are named: a pool bot's key read as its platform."""
        platform = self.platform_aliases.get(user.platform)
        return UserRef(platform, user.user_id) if platform else user

    def scope_of(self, user: UserRef) -> Scope | None:
        """What the user administers: everything (a bot admin), their committees' plans, or
        nothing (None)."""
        user = self._named(user)
        if user in self.bot_admins:
            return Scope(everything=True)
        return self.committees.scope_of(user)

    def set_channel_notes(self, notes: Callable[[], list[str]]) -> None:
        self.channel_notes = notes

    def set_broadcaster(self, broadcaster: Broadcaster) -> None:
        self.broadcaster = broadcaster

    def set_publisher(self, publisher: Publisher) -> None:
        self.publisher = publisher

    def set_web(self, links: WebLinks) -> None:
        self.web = links

    def set_without_files(self, platforms: set[str]) -> None:
        self.without_files = frozenset(platforms)

    def set_admin_check(self, is_chat_admin: IsAdmin) -> None:
        """The platform's way to tell a group's admins (Telegram: getChatAdministrators)."""
        self._is_chat_admin = is_chat_admin

    # ------------------------------------------------------------------ entry points

    async def handle(self, msg: Incoming, now: datetime) -> list[Reply]:
        """Never raises: a failure becomes an apology, logged with the chat for the operator."""
        try:
            return await self._handle(Turn(msg, now, self))
        except Exception:
            log.exception("conversation failed for %s:%s", msg.platform, msg.chat_id)
            return [
                Reply(
                    "⚠️ Xin lỗi, tôi gặp lỗi khi xử lý tin này. Dữ liệu của chi bộ không bị mất; "
                    "xin thử lại sau ít phút."
                )
            ]

    async def joined(self, platform: str, chat_id: str, title: str, now: datetime) -> list[Reply]:
        return await subscribing.introduce(self.store, platform, chat_id, title, now)

    async def left(self, platform: str, chat_id: str) -> None:
        sub = self.store.get(platform, chat_id)
        if sub:
            await self.store.save(sub.but(active=False, introduced=False))

    async def migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        await self.store.migrate(platform, old_chat_id, new_chat_id)

    # ------------------------------------------------------------------ routing

    async def _handle(self, turn: Turn) -> list[Reply]:
        msg = turn.msg
        if msg.callback is not None:
            press = buttons.decode(msg.callback)
            found = ROUTES.buttons.get(type(press)) if press else None
            if found is None:
                return [STALE_BUTTON]
            return await self._run(found, turn.but(press=press))
        text = msg.text.strip()
        if msg.is_group and not msg.addressed:
            return []
        sub = turn.sub
        if sub and not sub.active:
            await self.store.save(sub.but(active=True))
        if msg.file is not None:
            claimed = next((r for r in ROUTES.files_matched if r.matcher and r.matcher(turn)), None)
            if claimed is not None:
                return await self._run(claimed, turn.but(args=text))
            if ROUTES.file is not None:
                return await self._run(ROUTES.file, turn.but(args=text))
        if not text:
            return [] if msg.is_group else [Reply("Tôi chỉ đọc được tin nhắn chữ. " + COMMAND_HELP)]
        if text.startswith("/"):
            head, _, rest = text.partition(" ")
            name = head[1:].split("@", 1)[0].lower()
            command = ROUTES.commands.get(name)
            if command is None:
                return [Reply(f"Không có lệnh /{name[:40]}. " + COMMAND_HELP)]
            return await self._run(command, turn.but(args=rest.strip()))
        return await self.free_text(turn.but(args=text[:MAX_ROUTED_CHARS]))

    async def free_text(self, turn: Turn) -> list[Reply]:
        """Text that is not a command: claimed by a feature (an awaited value), else routed."""
        for claim in ROUTES.claims:
            found = claim.matcher(turn) if claim.matcher else None
            if found:
                return await self._run(claim, turn.but(match=found))
        intent = route(turn.args, turn.now)
        return await self._run(ROUTES.intents[intent.name], turn.but(intent=intent))

    async def _run(self, found: Route, turn: Turn) -> list[Reply]:
        if not await self._allowed(found.permission, turn):
            return [found.refused]
        return await found.handler(turn)

    async def _allowed(self, permission: Permission, turn: Turn) -> bool:
        msg = turn.msg
        if permission is Permission.ANYONE or self._named(msg.user) in self.bot_admins:
            return True
        if permission is Permission.BOT_ADMIN:  # a committee's admin; the feature narrows the scope
            return self.committees.scope_of(self._named(msg.user)) is not None
        if not msg.is_group:
            return True
        sub = turn.sub
        if permission is Permission.MARKER and sub and sub.roster:
            return True  # a committee's group: its members are the cells' secretaries
        marks = permission in (Permission.SUBSCRIBER, Permission.MARKER)
        if marks and sub and sub.created_by_id == msg.user_id:
            return True
        return await self._is_chat_admin(msg)
