"""Each Zalo bot's users, groups and messages this month against its caps: the lines `/tinhhinh`
and `chibo status` show, read from the store (counts kept by caps.py and quota.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.channels.zalo.caps import BotCaps, Caps
from bot.channels.zalo.quota import MonthlyQuota
from bot.config import ZALO_KEY, ZaloConfig
from handlers.state import Store


def label(config: ZaloConfig) -> str:
    """How an admin is told which bot a line is about."""
    if config.bot_name:
        return f"Zalo {config.bot_name}"
    return "Zalo" if config.key == ZALO_KEY else f"Zalo bot {config.bot_id}"


def caps_of(config: ZaloConfig, store: Store) -> BotCaps:
    return BotCaps(config.key, Caps(config.users_cap, config.groups_cap), store, label(config))


def quota_of(config: ZaloConfig, store: Store, now: Callable[[], datetime]) -> MonthlyQuota:
    return MonthlyQuota(config.key, config.monthly_limit, now, store, label=label(config))


def status_lines(bots: tuple[ZaloConfig, ...], store: Store, now: datetime) -> list[str]:
    """Two lines a bot: its users and groups, its messages this month."""
    lines = []
    for config in bots:
        lines.append(caps_of(config, store).status_line())
        lines.append(quota_of(config, store, lambda: now).status_line())
    return lines
