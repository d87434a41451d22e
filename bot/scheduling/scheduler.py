"""The scheduler tick: what is due since each chat was last served, sent once, in time order.

State lives in TinyDB, not in scheduler jobs (PTB does not persist jobs, and APScheduler drops a
run that is late by more than its misfire grace): a watermark for all chats, the few chats left
behind by a failed send, and the journal of keys sent in the current tick. A restart, a late tick
or a day of downtime therefore loses nothing; pushes older than the grace period are folded into
one summary per chat instead of flooding it.

Each channel has a scheduler of its own (its own watermark, journal and lock), so one platform
that is down or rate-limited never holds back the pushes of another.

Guarantee: a crash in the middle of a fan-out resends at most the pushes in flight (accepted by
the platform, not yet in the journal): the outbox's window, bot/channels/outbox.py PUSH_WINDOW. Nothing is sent twice otherwise, and nothing
is lost. Pushes due to one chat at the same minute go out as one message.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from bot.channels.base import Channel
from bot.scheduling.fan_out import FanOut
from bot.scheduling.roster import Changes, ChatRoster
from bot.stores.base import Journal, PushState
from handlers import cells
from handlers import push_messages as render
from handlers.push_buttons import with_snooze
from handlers.recipients import Recipients
from handlers.state import Store, Subscription
from handlers.types import Reply
from schedules.catalog import Catalog
from schedules.pushes import Chat, Planner, Push
from schedules.roster import Roster

log = logging.getLogger(__name__)
# A tick's work from the worker thread: its report, the chats it sends to, the pushes due to each
# (not yet rendered: see bot/scheduling/fan_out.py), and the keys of pushes due this tick that
# the journal already holds, per chat
Prepared = tuple[
    "TickReport",
    dict[str, Subscription],
    dict[str, list[Push]],
    dict[str, list[str]],
]

LATE_NOTE_AFTER = timedelta(minutes=15)


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
        channel: Channel,
        state: PushState,
        journal: Journal,
        tz: tzinfo,
        grace: timedelta = timedelta(hours=24),
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.channel = channel
        self.platform = channel.platform
        self.state = state
        self.journal = journal
        self.planner = Planner(catalog.plans, tz)
        self.recipients = Recipients()
        self.chats = ChatRoster(store, self.platform, self.planner)
        self.grace = grace
        self._lock = asyncio.Lock()
        self.fan_out: FanOut | None = None  # the tick's pushes on their way out, while sending

    def due(self, subs: list[Subscription], start: datetime, end: datetime) -> list[Push]:
        if self.planner.plans is not self.catalog.plans:  # the plans folder was reloaded
            self.planner = Planner(self.catalog.plans, self.planner.tz)
        return self.planner.between(self.recipients.of(subs), start, end)

    async def reload(self) -> None:
        """Take up where another process left off (it led this channel's pushes until now)."""
        await self.state.load()
        await self.journal.load()

    async def warm_up(self, now: datetime, chunk: int = 500) -> None:
        """Prepare every chat for the planner before a tick needs them, a chunk at a time on a
        worker thread, the event loop answering between chunks. Left to the first tick, the
        preparation of every chat ran in one go at the busiest minute, and answers waited behind
        it (docs/benchmarks.md). A tick meanwhile is skipped (busy);
        the watermark makes it lose nothing (on a first start ever it begins here, as the first
        tick would). Changes noted meanwhile reach the next tick.

        What is built here lives as long as the process, so it is frozen out of the cyclic
        collector as it is made (the chats as loaded, then each chunk): left in, each full
        collection walked everything prepared so far, the later ones on a large deployment long
        enough to stall the loop (docs/benchmarks.md)."""
        async with self._lock:
            await self._begin(now)
            changes = self.chats.take()
            if changes.everything is None:
                return
            mine = [s for s in changes.everything if s.platform == self.platform]
            gc.freeze()
            try:
                for i in range(0, len(mine), chunk):
                    part = Changes({s.key: s for s in mine[i : i + chunk]})
                    await asyncio.to_thread(self.chats.apply, part)
                    gc.freeze()
            except BaseException:
                self.chats.reload_all()  # half prepared: the next tick reads every chat anew
                raise

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    async def tick(self, now: datetime) -> TickReport | None:
        """Serve every chat up to `now`. Skipped (None) while the previous tick is still sending."""
        if self._lock.locked():
            return None
        async with self._lock:
            return await self._tick(now)

    async def _tick(self, now: datetime) -> TickReport:
        state = self.state
        if await self._begin(now):
            return TickReport(None, now)
        # What is due is computed on a worker thread, so the event loop keeps answering chats
        # meanwhile; the changes it applies were noted on the loop. Each chat's messages are
        # rendered when its turn to send comes (bot/scheduling/fan_out.py).
        t0 = time.perf_counter()
        report, subs, pushes, journaled = await asyncio.to_thread(
            self._prepare, self.chats.take(), now
        )
        if report.pushes:
            log.info(
                "%s tick to %s: %d due for %d chats, computed in %.0f ms off the event loop",
                self.platform,
                now.isoformat(timespec="minutes"),
                report.pushes,
                len(pushes),
                (time.perf_counter() - t0) * 1000,
            )
        texts = render.Renders()

        def counted() -> None:
            report.sent += 1

        self.fan_out = FanOut(
            self.channel,
            self.journal,
            subs,
            pushes,
            lambda sub, items: self._messages(sub, items, now, report, texts),
            counted,
        )
        try:
            behind = await self.fan_out.run()
        finally:
            self.fan_out = None
        state.behind = {k: state.start_of(k) for k in behind}
        state.watermark = now
        await state.save()
        # the journal keeps the sent keys of chats still behind: their next tick re-reads them
        kept = {k for chat, keys in behind.items() for k in (*keys, *journaled.get(chat, ()))}
        await self.journal.keep_only(kept)
        report.behind = sorted(behind)
        return report

    async def _begin(self, now: datetime) -> bool:
        """On the first start ever: begin at `now`, never replaying history."""
        if self.state.watermark is not None:
            return False
        self.state.watermark = now
        await self.state.save()
        return True

    def _prepare(self, changes: Changes, now: datetime) -> Prepared:
        """On the worker thread: what is due to each chat this tick, not yet rendered.

        The cyclic collector is not paused here (it is while chats are loaded and prepared):
        what start-up built is frozen out of it (warm_up), so a collection meanwhile walks only
        the tick's own young objects, a few hundred at a time. Paused, the whole tick's
        survivors were walked in one pass when it resumed, on whichever thread allocated next:
        the event loop stalled for it (docs/benchmarks.md)."""
        if self.planner.plans is not self.catalog.plans:  # the plans folder was reloaded
            self.planner = Planner(self.catalog.plans, self.planner.tz)
        if self.chats.planner is not self.planner:
            self.chats.replan(self.planner)
        self.chats.apply(changes)
        state, subs = self.state, self.chats.subs
        watermark = state.watermark
        assert watermark is not None
        behind = {k: since for k, since in state.behind.items() if k in subs}
        start = min([watermark, *behind.values()])
        report = TickReport(start, now)
        # The chats left behind by a failed send catch up from where each stopped; all the others
        # from the watermark. Earlier windows first, so the list stays in time order.
        late: Roster[Chat] = Roster()
        for key in behind:
            for planned in self.chats.planned(key):
                if (chat := self.chats.roster.get(planned)) is not None:
                    late.put(planned, chat.recipient.reminder_time, chat)
        due = self.planner.due(late, start, watermark) if late else []
        due += self.planner.due(self.chats.roster, watermark, now)
        by_chat: dict[str, list[Push]] = {}
        # keys of pushes due this tick already in the journal (sent before a restart): kept
        # there if their chat ends the tick behind, so its next tick does not send them again
        journaled: dict[str, list[str]] = {}
        for push in due:
            chat_key = cells.chat_of(push.recipient)  # a roster cell's pushes go to its group
            if push.at <= state.start_of(chat_key):
                continue
            key = push.key  # built from its parts on each use
            if key in self.journal:
                journaled.setdefault(chat_key, []).append(key)
            else:
                by_chat.setdefault(chat_key, []).append(push)
        report.pushes = sum(len(v) for v in by_chat.values())
        return report, {key: subs[key] for key in by_chat}, by_chat, journaled

    def _messages(
        self,
        sub: Subscription,
        items: list[Push],
        now: datetime,
        report: TickReport,
        texts: render.Renders,
    ) -> list[tuple[list[Push], Reply]]:
        """A chat's messages for this tick: one summary of what is older than the grace period,
        then each push in time order, with a note when it is late."""
        late = [p for p in items if now - p.at > self.grace]
        messages: list[tuple[list[Push], Reply]] = []
        if late:
            messages.append((late, render.summary(late, sub, late[0].at, now)))
            report.folded += len(late)
        if sub.roster:  # a committee group: each minute's pushes of its cells as one message
            on_time = [p for p in items if p not in late]
            for pushes in render.by_minute(on_time):
                reply = render.committee(pushes, sub)
                if now - pushes[0].at > LATE_NOTE_AFTER:
                    reply = Reply(reply.text + render.late_note(pushes[0]), reply.buttons)
                    report.late += len(pushes)
                messages.append((pushes, texts.alike(with_snooze(reply, pushes))))
            return messages
        for p in items:
            if p in late:
                continue
            reply = texts.render(p, sub)
            if now - p.at > LATE_NOTE_AFTER:
                reply = Reply(reply.text + render.late_note(p), reply.buttons, reply.pin)
                report.late += 1
            messages.append(([p], reply))
        folded = _fold_same_minute(messages, skip=1 if late else 0)
        return [(pushes, texts.alike(with_snooze(r, pushes))) for pushes, r in folded]


# Pushes due to one chat at the same minute become one message: shared with the demo and `chibo due`.
_fold_same_minute = render.fold_same_minute
