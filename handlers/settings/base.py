"""What a setting is: how it asks, understands, applies and shows its value.

Each setting is one object (settings/items.py) registered in one list; the settings feature
(handlers/features/settings.py) only drives the conversation around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import yaml

from handlers.state import Subscription
from handlers.types import Button
from schedules.model import Plan

Buttons = tuple[tuple[Button, ...], ...]


class Refused(Exception):
    """The text is not a value of this setting; the message says why, in Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Parsed:
    value: dict  # the setting's stored form, kept in Pending until ✅ Lưu
    description: str  # the change said back in full before it is saved


@cache
def assignment_names() -> dict[str, tuple[str, ...]]:
    """Accent-folded names by which a setting is typed directly ("ngày họp: 15/9")."""
    raw = yaml.safe_load((Path(__file__).parents[1] / "intents.yaml").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in raw["settings_fields"].items()}


class Setting:
    """One setting. Subclasses fill in the class attributes and the methods that apply to them."""

    key: str  # stable: kept in stored pending changes and in button data
    family: str  # its entry in intents.yaml's settings_fields (several settings may share one)
    label: str  # the menu button
    menu_row: int | None = None  # settings with the same row share a menu line; None: own line

    def expand(self, plans: list[Plan]) -> list[Setting]:
        """The settings this entry stands for, for a chat following these plans."""
        return [self]

    def prompt(self, plans: list[Plan]) -> str:
        raise NotImplementedError

    def parse(self, text: str, now: datetime, sub: Subscription, plans: list[Plan]) -> Parsed:
        """The value in the text, or raise Refused."""
        raise NotImplementedError

    def apply(self, sub: Subscription, value: dict, now: datetime) -> Subscription:
        """The chat with the value saved (now: when ✅ Lưu was pressed)."""
        raise NotImplementedError

    def presets(self) -> Buttons:
        """Values offered on buttons under the prompt."""
        return ()

    def shown(self, sub: Subscription, today: date) -> str:
        """ "Ngày họp: …" in the settings summary."""
        raise NotImplementedError

    def missing(self, sub: Subscription, plans: list[Plan]) -> str | None:
        """What the bot still needs to know of the cell for these plans, or None."""
        return None
