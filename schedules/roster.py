"""Chats bucketed by reminder minute, kept up to date one chat at a time.

Every push fires at its chat's reminder minute, so a tick needs only the chats of the minutes in
its window: a quiet minute looks at none, 7:30 at the chats that chose 7:30. The buckets are built
once and changed when a chat changes, never rebuilt by walking every chat.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import time
from typing import Generic, TypeVar

T = TypeVar("T")


class Roster(Generic[T]):
    def __init__(self) -> None:
        self._minute: dict[str, time] = {}  # chat key → its reminder minute
        self._buckets: dict[time, dict[str, T]] = {}

    def put(self, key: str, minute: time, item: T) -> None:
        """Add a chat, or replace what is kept for it (moving it if its minute changed)."""
        old = self._minute.get(key)
        if old is not None and old != minute:
            self._drop_from(old, key)
        self._minute[key] = minute
        self._buckets.setdefault(minute, {})[key] = item

    def remove(self, key: str) -> None:
        minute = self._minute.pop(key, None)
        if minute is not None:
            self._drop_from(minute, key)

    def _drop_from(self, minute: time, key: str) -> None:
        bucket = self._buckets[minute]
        del bucket[key]
        if not bucket:
            del self._buckets[minute]

    def minutes(self) -> list[time]:
        """The reminder minutes some chat has, in order."""
        return sorted(self._buckets)

    def at(self, minute: time) -> Collection[T]:
        return self._buckets.get(minute, {}).values()

    def get(self, key: str) -> T | None:
        minute = self._minute.get(key)
        return None if minute is None else self._buckets[minute][key]

    def __contains__(self, key: object) -> bool:
        return key in self._minute

    def __len__(self) -> int:
        return len(self._minute)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._minute))
