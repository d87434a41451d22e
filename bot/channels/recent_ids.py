"""Ids of updates already handled, so a redelivered update is answered once.

Zalo has no update offset and some report an update replayed; a webhook may be retried after a
timeout although we handled it. The newest ids are kept in the store's runtime state (so a restart
remembers them) and in memory for the look-up.
"""

from __future__ import annotations

from collections import deque

from handlers.state import Store

KEEP = (
    2_000  # far more than can be redelivered: redeliveries come within minutes, not thousands later
)


class RecentIds:
    def __init__(self, store: Store | None, key: str, keep: int = KEEP) -> None:
        self.store = store if hasattr(store, "set_runtime") else None
        self.key = key
        self.keep = keep
        self.reload()

    def reload(self) -> None:
        """Read the ids from the store again: a process taking over polling on PostgreSQL must
        know what its predecessor handled since this one started."""
        raw = self.store.runtime(self.key) if self.store is not None else None
        self._order: deque[str] = deque(
            (str(i) for i in raw if isinstance(i, str | int)) if isinstance(raw, list) else (),
            maxlen=self.keep,
        )
        self._ids = set(self._order)

    def __contains__(self, update_id: object) -> bool:
        return str(update_id) in self._ids

    async def add(self, update_id: object) -> None:
        update_id = str(update_id)
        if update_id in self._ids:
            return
        if len(self._order) == self._order.maxlen:
            self._ids.discard(self._order[0])
        self._order.append(update_id)
        self._ids.add(update_id)
        if self.store is not None:
            await self.store.set_runtime(self.key, list(self._order))
