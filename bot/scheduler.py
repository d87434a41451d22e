"""The scheduler tick: what is due since each chat was last served, sent once, in time order.

State lives in TinyDB, not in scheduler jobs (PTB does not persist jobs, and APScheduler drops a
run that is late by more than its misfire grace): a watermark for all chats, the few chats left
behind by a failed send, and the journal of keys sent in the current tick. A restart, a late tick
or a day of downtime therefore loses nothing; pushes older than the grace period are folded into
one summary per chat instead of flooding it.

Guarantee: a crash in the middle of a fan-out resends at most the one message that was in flight
(sent to Telegram, not yet in the journal). Nothing is sent twice otherwise, and nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from tinydb import TinyDB

from bot.journal import Journal
from bot.outbox import Outbox
from bot.storage import AtomicJSONStorage
from handlers import pushes as render
from handlers.state import Store, Subscription
from handlers.types import Reply
from schedules.catalog import Catalog
from schedules.pushes import Planner, Push

log = logging.getLogger(__name__)

LATE_NOTE_AFTER = timedelta(minutes=15)


class PushState:
    """{watermark, chats behind} in a small TinyDB file of its own, written once per tick."""

    def __init__(self, path: Path) -> None:
        self.db = TinyDB(str(path), storage=AtomicJSONStorage)
        row = self.db.table("push").get(doc_id=1) or {}
        self.watermark = datetime.fromisoformat(row["watermark"]) if row.get("watermark") else None
        self.behind = {k: datetime.fromisoformat(v) for k, v in row.get("behind", {}).items()}

    def _write(self) -> None:
        table = self.db.table("push")
        table.truncate()
        table.insert(
            {
                "watermark": self.watermark.isoformat() if self.watermark else None,
                "behind": {k: v.isoformat() for k, v in self.behind.items()},
            }
        )

    def start_of(self, chat_key: str) -> datetime:
        return self.behind.get(chat_key, self.watermark)  # type: ignore[return-value]


@dataclass
class TickReport:
    start: datetime | None
    end: datetime
    pushes: int = 0
    sent: int = 0
    folded: int = 0
    late: int = 0
    behind: list[str] = field(default_factory=list)


class Scheduler:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        outbox: Outbox,
        state: PushState,
        journal: Journal,
        tz,
        grace: timedelta = timedelta(hours=24),
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.outbox = outbox
        self.state = state
        self.journal = journal
        self.planner = Planner(catalog.plans, tz)
        self.recipients = render.Recipients()
        self.grace = grace
        self._lock = asyncio.Lock()

    def due(self, subs: list[Subscription], start: datetime, end: datetime) -> list[Push]:
        return self.planner.between(self.recipients.of(subs), start, end)

    async def tick(self, now: datetime) -> TickReport | None:
        """Serve every chat up to `now`. Skipped (None) while the previous tick is still sending."""
        if self._lock.locked():
            return None
        async with self._lock:
            return await self._tick(now)

    async def _tick(self, now: datetime) -> TickReport:
        state = self.state
        if state.watermark is None:  # first start ever: begin now, do not replay history
            state.watermark = now
            await asyncio.to_thread(state._write)
            return TickReport(None, now)
        subs = {s.key: s for s in self.store.all() if s.active and s.plan_ids}
        start = min([state.watermark, *(state.behind[k] for k in subs if k in state.behind)])
        report = TickReport(start, now)
        by_chat: dict[str, list[Push]] = {}
        for push in self.due(list(subs.values()), start, now):
            if push.at > state.start_of(push.recipient) and push.key not in self.journal:
                by_chat.setdefault(push.recipient, []).append(push)
        report.pushes = sum(len(v) for v in by_chat.values())
        outgoing = {
            key: await self._messages(subs[key], items, now, report)
            for key, items in by_chat.items()
        }
        behind = await self._send_round_robin(subs, outgoing, report)
        state.behind = {k: state.start_of(k) for k in behind}
        state.watermark = now
        await asyncio.to_thread(state._write)
        await self.journal.keep_only(behind)
        report.behind = sorted(behind)
        return report

    async def _send_round_robin(
        self,
        subs: dict[str, Subscription],
        outgoing: dict[str, list[tuple[list[Push], Reply]]],
        report: TickReport,
    ) -> set[str]:
        """One sender: every chat's first message, then every chat's second, and so on. One sender
        means one message in flight; rounds keep a chat's messages apart (1 a second per chat)
        without holding the others back."""
        behind: set[str] = set()
        stopped: set[str] = set()
        rounds = max((len(m) for m in outgoing.values()), default=0)
        for r in range(rounds):
            for key, messages in outgoing.items():
                if r >= len(messages) or key in stopped:
                    continue
                pushes, reply = messages[r]
                outcome = await self.outbox.deliver(subs[key].chat_id, reply)
                if outcome == "gone":
                    stopped.add(key)  # marked inactive by the outbox; nothing more to send there
                    continue
                if outcome == "failed":
                    stopped.add(key)
                    behind.add(key)  # the rest waits for the next tick, in order
                    continue
                await self.journal.add([p.key for p in pushes])
                report.sent += 1
        return behind

    async def _messages(
        self, sub: Subscription, items: list[Push], now: datetime, report: TickReport
    ) -> list[tuple[list[Push], Reply]]:
        """A chat's messages for this tick: one summary of what is older than the grace period,
        then each push in time order, with a note when it is late."""
        plans = self.catalog.plans
        late = [p for p in items if now - p.at > self.grace]
        messages: list[tuple[list[Push], Reply]] = []
        if late:
            messages.append((late, render.summary(late, plans, sub, late[0].at, now)))
            report.folded += len(late)
        for p in items:
            if p in late:
                continue
            reply = render.render(p, plans, sub)
            if reply is None:
                await self.journal.add([p.key])  # its plan item is gone: nothing to say
                continue
            if now - p.at > LATE_NOTE_AFTER:
                reply = Reply(reply.text + render.late_note(p), reply.buttons, reply.pin)
                report.late += 1
            messages.append(([p], reply))
        return messages
