"""Putting the bot together — the same way for `chibo run` and for the end-to-end tests.

One store, one conversation, one channel per platform configured in `.env` (Telegram, Zalo or
both), one scheduler per channel and one tick loop of our own on asyncio. The tick loop starts
each channel's tick as its own task, so a channel still sending (a platform down, a 429 storm)
never delays the others'. (PTB's JobQueue would tie the tick to Telegram; APScheduler adds nothing
here that the watermarks in bot/scheduling/scheduler.py do not already give: a late or skipped tick loses
nothing.)
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.base import Channel
from bot.channels.outbox import RateLimiter
from bot.clock import TZ, Clock
from bot.config import ChannelConfig, Config, ZaloConfig, ZaloOAConfig
from bot.plans.committees import load as load_committees
from bot.plans.library import PlanLibrary
from bot.retrying import durably
from bot.scheduling.scheduler import Scheduler, TickReport
from bot.stores.base import Backend, ChatStore, Leadership
from bot.stores.tinydb.backend import open_tinydb
from bot.web.server import RouteTable
from handlers.conversation import Conversation
from handlers.state import Store, Subscription
from handlers.types import Incoming, Reply, UserRef
from schedules import catalog as catalog_mod
from schedules.catalog import Catalog

if TYPE_CHECKING:
    from bot.channels.zalo.channel import ZaloChannel

log = logging.getLogger(__name__)

LimiterFor = Callable[[str], RateLimiter]
LEADER_POLL = 1.0  # seconds between a standby's tries to take over polling or sending
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Bot:
    backend: Backend  # the store, the schedulers' push state and journals, the leadership
    conversation: Conversation
    clock: Clock
    channels: dict[str, Channel]
    schedulers: dict[str, Scheduler]
    tick_every: float | None = 60.0
    sleep: Sleep = asyncio.sleep
    library: PlanLibrary | None = None  # the plans folder, reloaded at each tick
    ready: set[str] = field(default_factory=set)
    leading: set[str] = field(default_factory=set)  # channels whose pushes this process sends
    _ticks: set[asyncio.Task[None]] = field(default_factory=set)
    # the web page's routes (bot/web/); a channel needing a path of its own on it adds one
    web_routes: RouteTable = field(default_factory=RouteTable)

    @property
    def store(self) -> ChatStore:
        return self.backend.store

    @property
    def leadership(self) -> Leadership:
        return self.backend.leadership

    @property
    def scheduler(self) -> Scheduler:
        """The scheduler of the first channel (tests and tools that serve one channel)."""
        return next(iter(self.schedulers.values()))

    @property
    def channel(self) -> Channel:
        return next(iter(self.channels.values()))

    # -- the tick -------------------------------------------------------------------------------

    async def tick(self, now: datetime | None = None) -> dict[str, TickReport | None]:
        """Every channel's tick, side by side; returns each channel's report."""
        now = now or self.clock.now()
        self.refresh_plans()
        names = list(self.schedulers)
        reports = await asyncio.gather(*(self.schedulers[n].tick(now) for n in names))
        return dict(zip(names, reports, strict=True))

    def refresh_plans(self) -> None:
        """Plan files and committees.yaml changed on disk reach the bot here (bot/plans/library.py)."""
        if self.library is not None:
            try:
                self.library.refresh()
            except Exception:  # the plans being served stay; the next tick tries again
                log.exception("Reloading the plans folder failed")

    def _start_ticks(self, now: datetime) -> None:
        self.refresh_plans()
        for name, scheduler in self.schedulers.items():
            if name in self.ready and name in self.leading and not scheduler.busy:
                self._track(self._tick_one(name, now))

    def _track(self, work: Coroutine[Any, Any, None]) -> None:
        """A scheduler's work as a task of its own, cancelled when serving ends."""
        task = asyncio.get_running_loop().create_task(work)
        self._ticks.add(task)
        task.add_done_callback(self._ticks.discard)

    async def _tick_one(self, name: str, now: datetime) -> None:
        try:
            report = await self.schedulers[name].tick(now)
        except Exception:
            log.exception("%s tick failed; the next tick starts from the same watermark", name)
            return
        if report and report.pushes:
            log.info(
                "%s tick to %s: %d due, %d messages sent, %d folded into summaries, %d late, "
                "%d chats behind",
                name,
                report.end.isoformat(timespec="minutes"),
                report.pushes,
                report.sent,
                report.folded,
                report.late,
                len(report.behind),
            )

    async def tick_loop(self) -> None:
        """A tick a minute for the channels this process leads; every second, a try to lead the
        others (a standby takes over within a second of the sender's death) and a check that
        the leadership still holds."""
        await self.sleep(1.0)
        every = self.tick_every or 60.0
        since_tick = every
        while True:
            gained = await self._elect()
            if since_tick >= every:
                self._start_ticks(self.clock.now())
                since_tick = 0.0
            elif gained:
                self._start_ticks(self.clock.now())  # the new leader resumes at once
            await self.sleep(min(LEADER_POLL, every))
            since_tick += min(LEADER_POLL, every)

    async def _elect(self) -> bool:
        await self.leadership.check()
        gained = False
        for name, scheduler in self.schedulers.items():
            if name in self.leading or name not in self.ready:
                continue
            if await self.leadership.try_lead(f"push:{name}"):
                await scheduler.reload()  # where the previous sender left off
                self.leading.add(name)
                gained = True
                self._track(self._warm_up(name))
        return gained

    async def _warm_up(self, name: str) -> None:
        """A new sender prepares its chats, then ticks at once (a tick meanwhile was skipped):
        the takeover resumes the fan-out without waiting for the next minute."""
        try:
            await self.schedulers[name].warm_up(self.clock.now())
        except Exception:  # the roster was reset: the next tick prepares what is missing
            log.exception("%s: preparing the chats ahead failed; the next tick does it", name)
        # What start-up built (every chat, read and prepared) lives as long as the process: the
        # cyclic collector need not walk it again: walking all of it in a large deployment
        # stalled the busiest tick; chats changed later are collected as before.
        gc.freeze()
        await self._tick_one(name, self.clock.now())

    # -- serving --------------------------------------------------------------------------------

    async def _run_channel(self, channel: Channel) -> None:
        await channel.start()
        self.ready.add(channel.platform)
        if channel.webhook_route() is None:  # polling: one poller per bot token
            while not await self.leadership.try_lead(f"poll:{channel.platform}"):
                await self.sleep(LEADER_POLL)
            # The previous poller's last journal and offset writes may not be in this process's
            # cache yet (PostgreSQL's notices): read after them, or the first fetch overwrites
            # the journal and the updates it held are lost
            await durably("catching up with the store failed", self.store.catch_up, self.sleep)
        await channel.receive()

    async def serve(self, config: Config, stop: asyncio.Event | None = None) -> None:
        """Run every channel, the webhook server if any channel uses one, and the tick loop,
        until `stop` is set. A channel's fatal error (a rejected token) ends the whole run."""
        stop = stop or asyncio.Event()
        runner = await self._start_webhooks(config)
        web_runner = await self._start_web(config)
        tasks = [asyncio.create_task(self._run_channel(c)) for c in self.channels.values()]
        if self.tick_every:
            tasks.append(asyncio.create_task(self.tick_loop()))
        stopper = asyncio.create_task(stop.wait())
        try:
            pending: set[asyncio.Task[Any]] = set(tasks)
            while pending:
                done, pending = await asyncio.wait(
                    pending | {stopper}, return_when=asyncio.FIRST_COMPLETED
                )
                if stopper in done:
                    break
                for task in done:
                    task.result()  # raises the channel's fatal error
                pending.discard(stopper)
            else:
                await stop.wait()  # every channel receives by webhook: serve until stopped
        finally:
            for task in [*tasks, stopper, *self._ticks]:
                task.cancel()
            await asyncio.gather(*tasks, stopper, *self._ticks, return_exceptions=True)
            if runner is not None:
                await runner.cleanup()
            if web_runner is not None:
                await web_runner.cleanup()

    async def _start_webhooks(self, config: Config) -> web.AppRunner | None:
        routes = [r for c in self.channels.values() if (r := c.webhook_route())]
        if not routes:
            return None
        app = web.Application()
        for path, handler in routes:
            app.router.add_post(path, handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        server = config.webhook_server
        await web.TCPSite(runner, server.listen, server.port).start()
        log.info(
            "Webhooks listening on %s:%d (%s)",
            server.listen,
            server.port,
            ", ".join(p for p, _ in routes),
        )
        return runner

    async def _start_web(self, config: Config) -> web.AppRunner | None:
        """The committee's web page (bot/web/) on CHIBO_WEB_LISTEN:CHIBO_WEB_PORT, unless off."""
        if config.web is None:
            return None
        from bot.web import auth, server
        from bot.web.pages import WebSite

        await auth.key_of(self.store)  # made now, so `chibo web link` finds it in the store
        WebSite(self, config.web).routes(self.web_routes)
        return await server.start(self.web_routes, config.web.listen, config.web.port)

    async def close(self) -> None:
        for channel in self.channels.values():
            with contextlib.suppress(Exception):
                await channel.close()
        await self.backend.close()


def _key(section: ChannelConfig) -> str:
    """The key a section's chats are kept under: each bot of a Zalo pool its own."""
    return section.key if isinstance(section, ZaloConfig) else section.platform


def _zalo_pool(channels: dict[str, Channel]) -> list[ZaloChannel]:
    from bot.channels.zalo.channel import ZaloChannel

    return [c for c in channels.values() if isinstance(c, ZaloChannel)]


def _channel(
    section: ChannelConfig,
    conversation: Conversation,
    clock: Clock,
    store: Store,
    limiter: RateLimiter | None,
) -> Channel:
    """The channel one configured section describes, at its platform's default pace unless
    `limiter` is given (a platform's library is imported only when it is configured)."""
    if isinstance(section, ZaloConfig):
        from bot.channels.zalo.channel import ZaloChannel

        return ZaloChannel(section, conversation, clock, store, limiter)
    if isinstance(section, ZaloOAConfig):
        from bot.channels.zalo_oa.channel import ZaloOAChannel

        return ZaloOAChannel(section, conversation, clock, store, limiter)
    from bot.channels.telegram import TelegramChannel

    return TelegramChannel(section, conversation, clock, store, limiter)


def assemble(
    config: Config,
    catalog: Catalog,
    clock: Clock,
    limiter: RateLimiter | LimiterFor | None = None,
    tick_every: float | None = 60.0,
    sleep: Sleep = asyncio.sleep,
    backend: Backend | None = None,
) -> Bot:
    """The bot on `backend` (opened by bot.stores.backend.open_backend; the TinyDB file
    config.db_path when none is given)."""
    backend = backend if backend is not None else open_tinydb(config.db_path, clock.now())
    store = backend.store
    admins = {UserRef(platform, uid) for platform, uid in config.admins}
    if config.plans_dir and config.plans_dir not in catalog.sources:  # published plans beside
        catalog = catalog_mod.load(list(catalog.sources) or None, extra=[config.plans_dir])
    conversation = Conversation(
        catalog, store, admins, committees=load_committees(config.committees_file)
    )
    library = PlanLibrary(catalog, conversation, config.plans_dir, config.committees_file)

    def limiter_of(platform: str) -> RateLimiter | None:  # None: the platform's own pace
        return limiter(platform) if callable(limiter) else limiter

    channels = {
        _key(s): _channel(s, conversation, clock, store, limiter_of(s.platform))
        for s in config.channels
    }
    zalo_pool = _zalo_pool(channels)
    # Admins reach every bot of a Zalo pool: "zalo:<id>" holds on each bot's key
    conversation.set_platform_aliases({c.platform: "zalo" for c in zalo_pool})

    async def is_chat_admin(msg: Incoming) -> bool:
        channel = channels.get(msg.platform)
        return channel is not None and await channel.is_chat_admin(msg)

    async def broadcast(subs: list[Subscription], reply: Reply) -> int:
        count = 0
        for name, channel in channels.items():
            count += await channel.broadcast([s for s in subs if s.platform == name], reply)
        return count

    async def notify_admins(text: str, besides: str = "") -> None:
        """A word to every bot admin, in their private chat on their platform (in the
        background: it may be called from inside a channel's sender), but on `besides`."""
        for platform, user_id in sorted(config.admins):
            if platform == besides:
                continue
            reached: list[Channel] = []
            if platform == "zalo" and zalo_pool:  # through each bot the admin has written to
                reached = [c for c in zalo_pool if user_id in c.caps.users] or [zalo_pool[0]]
            elif channel := channels.get(platform):
                reached = [channel]
            for channel in reached:
                channel._spawn(channel.send(user_id, Reply(text)))

    quotas = [c.quota for c in channels.values() if c.quota is not None]
    for quota in quotas:
        quota.on_warn = notify_admins
    for bot in zalo_pool:
        bot.pool = zalo_pool
        bot.notify_admins = notify_admins
        bot.caps.on_warn = notify_admins

    oa_notes: list[Callable[[], str]] = []
    if config.zalo_oa is not None:  # its failed token refresh is told on the other channels
        from bot.channels.zalo_oa.channel import ZaloOAChannel

        oa = channels[config.zalo_oa.platform]
        assert isinstance(oa, ZaloOAChannel)
        oa.tokens.on_failure = lambda text: notify_admins(text, besides=oa.platform)
        oa_notes.append(oa.windows.status_line)

    def channel_notes() -> list[str]:
        lines = []
        for channel in channels.values():
            if channel in zalo_pool:  # each bot's users and groups against its caps
                lines.append(next(b for b in zalo_pool if b is channel).caps.status_line())
            if channel.quota is not None:
                lines.append(channel.quota.status_line())
        return lines + [note() for note in oa_notes]

    conversation.set_channel_notes(channel_notes)
    conversation.set_admin_check(is_chat_admin)
    conversation.set_broadcaster(broadcast)
    conversation.set_publisher(library.publication)
    if config.web is not None:
        from bot.web.links import Links

        conversation.set_web(Links(store, catalog, config.web.base_url))
    conversation.set_without_files({n for n, c in channels.items() if not c.carries_files})
    schedulers = {}
    for name, channel in channels.items():
        state, journal = backend.push_state(name), backend.journal(name)
        schedulers[name] = Scheduler(
            store, catalog, channel, state, journal, TZ, timedelta(hours=config.grace_hours)
        )
    return Bot(
        backend, conversation, clock, channels, schedulers, tick_every, sleep, library=library
    )
