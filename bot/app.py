"""Putting the bot together — the same way for `chibo run` and for the end-to-end tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram.ext import Application

from bot.clock import TZ, Clock
from bot.config import Config
from bot.journal import Journal
from bot.outbox import RateLimiter
from bot.scheduler import PushState, Scheduler
from bot.storage import TinyStore
from bot.telegram_bot import TelegramAdapter, build_application, install_tick
from handlers.conversation import Conversation
from schedules.catalog import Catalog


@dataclass
class Bot:
    app: Application
    adapter: TelegramAdapter
    scheduler: Scheduler
    store: TinyStore
    journal: Journal

    def close(self) -> None:
        self.journal.close()
        self.store.close()


def side_files(config: Config) -> tuple:
    db = config.db_path
    return db.with_name(db.name + ".journal"), db.with_name(db.name + ".push.json")


def assemble(
    config: Config,
    catalog: Catalog,
    clock: Clock,
    limiter: RateLimiter | None = None,
    tick_every: float | None = 60.0,
) -> Bot:
    store = TinyStore(config.db_path, clock.now())
    conversation = Conversation(catalog, store, set(config.admins))
    app, adapter = build_application(config, conversation, clock, limiter)
    journal_path, state_path = side_files(config)
    journal = Journal(journal_path)
    scheduler = Scheduler(
        store,
        catalog,
        adapter.outbox,
        PushState(state_path),
        journal,
        TZ,
        timedelta(hours=config.grace_hours),
    )
    if tick_every:
        install_tick(app, scheduler, clock, tick_every)
    return Bot(app, adapter, scheduler, store, journal)
