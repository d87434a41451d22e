"""How many users and groups one Zalo bot serves, against the platform's caps.

The free plan is reported to serve 50 users and 3 groups a bot (see docs/van-hanh.md, "Zalo trước
tiên", for the sources); what the platform does with the 51st is undocumented. So the bot counts
them itself: the distinct users who wrote to it in a private chat and the groups it was addressed
in, kept per bot in the store's runtime values (no schema). A newcomer past a cap is not served —
the channel tells them, once a message, where to go instead — and the admins are told once per
newcomer; at 90% of a cap the admins are warned once.

A bot whose count was never kept (data from before the count) starts from the chats it already
has in the store, so a running deployment keeps serving everyone it served.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

from handlers.state import Store

WARN_AT = 0.9

Warn = Callable[[str], Awaitable[None]]


class Admission(Enum):
    KNOWN = "known"  # already counted
    ADMITTED = "admitted"  # new, and counted now
    FULL = "full"  # new, and the cap is reached: not served


@dataclass(frozen=True)
class Caps:
    users: int = 50  # 0: no cap
    groups: int = 3


class BotCaps:
    def __init__(self, key: str, caps: Caps, store: Store, label: str = "Zalo") -> None:
        self.key = key  # the bot's platform key: its chats in the store are under it
        self.caps = caps
        self.store = store
        self.label = label
        self.on_warn: Warn | None = None
        self.users: set[str] = set()
        self.groups: set[str] = set()
        self.warned: set[str] = set()  # "users" / "groups": warned at 90% already
        self.turned_away: set[str] = set()  # newcomers refused (the admins told once each)
        self._load()

    @property
    def _runtime_key(self) -> str:
        return f"{self.key}:members"

    def _load(self) -> None:
        saved = self.store.runtime(self._runtime_key)
        if isinstance(saved, dict):
            self.users = set(saved.get("users", []))
            self.groups = set(saved.get("groups", []))
            self.warned = set(saved.get("warned", []))
            self.turned_away = set(saved.get("turned_away", []))
            return
        for sub in self.store.all():  # kept before the count existed: everyone stays served
            if sub.platform == self.key:
                (self.groups if sub.is_group else self.users).add(sub.chat_id)

    async def _save(self) -> None:
        await self.store.set_runtime(
            self._runtime_key,
            {
                "users": sorted(self.users),
                "groups": sorted(self.groups),
                "warned": sorted(self.warned),
                "turned_away": sorted(self.turned_away),
            },
        )

    def has_room(self) -> bool:
        """Whether a new user would be served here."""
        return not self.caps.users or len(self.users) < self.caps.users

    async def admit(self, chat_id: str, user_id: str, is_group: bool) -> Admission:
        """Count a newcomer, or tell that the cap is reached (a group by its id, a private chat
        by its user)."""
        members, cap, kind = (
            (self.groups, self.caps.groups, "groups")
            if is_group
            else (self.users, self.caps.users, "users")
        )
        who = chat_id if is_group else user_id or chat_id
        if who in members:
            return Admission.KNOWN
        if cap and len(members) >= cap:
            return Admission.FULL
        members.add(who)
        warn = bool(cap) and kind not in self.warned and len(members) >= math.ceil(WARN_AT * cap)
        if warn:
            self.warned.add(kind)
        await self._save()
        if warn and self.on_warn is not None:
            what = "người dùng" if kind == "users" else "nhóm"
            await self.on_warn(
                f"⚠️ {self.label}: đã có {len(members)}/{cap} {what} "
                f"({len(members) * 100 // cap}% giới hạn của gói Zalo Bot miễn phí). Khi đủ, "
                f"{what} mới sẽ được chỉ sang bot khác hoặc nhóm của cấp ủy."
            )
        return Admission.ADMITTED

    async def turned_away_first_time(self, who: str) -> bool:
        """Whether this refused newcomer is new to the admins (then remembered)."""
        if who in self.turned_away:
            return False
        self.turned_away.add(who)
        await self._save()
        return True

    def status_line(self) -> str:
        def part(count: int, cap: int, what: str) -> str:
            return f"{count}/{cap} {what}" if cap else f"{count} {what} (không đặt giới hạn)"

        line = (
            f"{self.label}: {part(len(self.users), self.caps.users, 'người dùng')}, "
            f"{part(len(self.groups), self.caps.groups, 'nhóm')}."
        )
        if self.turned_away:
            line += f" ⚠️ {len(self.turned_away)} người/nhóm mới chưa được phục vụ vì bot đã đủ."
        return line
