"""A scheduler's chats on its platform: each prepared for the planner once, bucketed by reminder
minute, and kept in step with the store one change at a time.

The store tells us of every change (`on_change`; it replaces a chat's Subscription object on
each); the changes are noted on the event loop and applied, with the tick's due computation, on
a worker thread. Nothing else touches the roster, and a scheduler runs one tick at a time, so
the two threads never share it. A store without `on_change` is compared chat by chat with what
we hold (by identity, so only changed chats are prepared again), on the worker thread too.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.stores.base import Notifying
from handlers.recipients import recipients_of
from handlers.state import Store, Subscription
from schedules.pushes import Chat, Planner
from schedules.roster import Roster


@dataclass(frozen=True)
class Changes:
    """What changed since the last tick: some chats (None: gone), or the whole store read anew."""

    chats: dict[str, Subscription | None]
    everything: list[Subscription] | None = None


class ChatRoster:
    def __init__(self, store: Store, platform: str, planner: Planner) -> None:
        self.store = store
        self.platform = platform
        self.planner = planner
        self.roster: Roster[Chat] = Roster()
        self.subs: dict[str, Subscription] = {}  # the chats in the roster, as the store has them
        # a committee group's key → its roster cells' keys in the roster (a chat of one cell: none)
        self.members: dict[str, tuple[str, ...]] = {}
        self._noted: dict[str, Subscription | None] = {}
        self._loaded = False
        self._told = isinstance(store, Notifying)  # a store that does not tell is read whole
        if isinstance(store, Notifying):
            store.on_change(self._note)

    def _note(self, sub: Subscription, gone: bool) -> None:
        if sub.platform == self.platform:
            self._noted[sub.key] = None if gone else sub

    def take(self) -> Changes:
        """On the event loop: what changed since the last call (everything the first time)."""
        noted, self._noted = self._noted, {}
        if self._told and self._loaded:
            return Changes(noted)
        self._loaded = True
        return Changes({}, self.store.all())

    def reload_all(self) -> None:
        """The next take() hands over every chat again (compared by identity, so only what is
        not yet prepared is prepared)."""
        self._loaded = False

    def apply(self, changes: Changes) -> None:
        """On the worker thread: bring the roster up to date."""
        if changes.everything is not None:
            seen = set()
            for sub in changes.everything:
                if sub.platform != self.platform:
                    continue
                seen.add(sub.key)
                if self.subs.get(sub.key) is not sub:
                    self._update(sub.key, sub)
            for key in [k for k in self.subs if k not in seen]:
                self._update(key, None)
        for key, changed in changes.chats.items():
            self._update(key, changed)

    def replan(self, planner: Planner) -> None:
        """On the worker thread: the plans changed; every chat is prepared anew."""
        self.planner = planner
        for key, sub in list(self.subs.items()):
            self._update(key, sub)

    def planned(self, key: str) -> tuple[str, ...]:
        """The roster keys a chat is planned under: its own, or its roster cells'."""
        return self.members.get(key) or (key,)

    def _update(self, key: str, sub: Subscription | None) -> None:
        for old in self.planned(key):
            self.roster.remove(old)
        self.members.pop(key, None)
        if sub is None or not (sub.active and sub.plan_ids and sub.platform == self.platform):
            self.subs.pop(key, None)
            return
        # prepared first: a chat that fails is not held as prepared
        prepared = [(r, self.planner.prepare(r)) for r in recipients_of(sub)]
        self.subs[key] = sub
        if sub.roster:
            self.members[key] = tuple(r.key for r, _ in prepared)
        for recipient, chat in prepared:
            self.roster.put(recipient.key, recipient.reminder_time, chat)
