"""The OA's interaction window, accounted per user, and what a month of sending costs.

Zalo's rules for a consultation message ("tin tư vấn") to one user: free for the first 8 messages
within 48 hours of the user's last interaction (a message, a follow, a button tap); paid (55 đ a
message) after that, up to 7 days from the interaction; after 7 days of silence nothing reaches
the user through the API but an approved template message (ZBS, about 200 đ). Every interaction
opens a fresh window.

`route` is the pure decision; `Windows` keeps each user's window and the month's ledger in the
store's runtime values (``zalo-oa:window:<user>`` and ``zalo-oa:month:<YYYY-MM>``), so every
process of a PostgreSQL store sees the same counts and a restart forgets nothing. A message that
may not go out (no budget left, or 7 days of silence and no template) is *held*: the outbox
reports it held, the scheduler keeps the chat behind and tries again at every tick, and the user
is recorded as held for /tinhhinh until the window reopens.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from handlers.state import Store

log = logging.getLogger(__name__)

FREE_WINDOW = timedelta(hours=48)
FREE_MESSAGES = 8
PAID_WINDOW = timedelta(days=7)
PRICE_PAID = 55  # đồng per consultation message past the free frame
PRICE_TEMPLATE = 200  # đồng per ZBS template message (the usual price; set by Zalo)


class Route(Enum):
    FREE = "free"
    PAID = "paid"
    TEMPLATE = "template"
    HOLD_BUDGET = "hold-budget"  # in the paid frame, but the month's budget is spent
    HOLD_SILENT = "hold-silent"  # 7 days of silence and no template to send


@dataclass(frozen=True)
class Window:
    """One user's window: the last interaction and what was sent since."""

    last: datetime | None = None
    free_used: int = 0
    paid: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "last": self.last.isoformat() if self.last else None,
            "free": self.free_used,
            "paid": self.paid,
        }

    @classmethod
    def from_dict(cls, raw: Any) -> Window:
        if not isinstance(raw, dict):
            return cls()
        try:
            last = datetime.fromisoformat(raw["last"]) if raw.get("last") else None
            return cls(last, int(raw.get("free", 0)), int(raw.get("paid", 0)))
        except (TypeError, ValueError):
            return cls()


def route(window: Window, now: datetime, budget_left: int, has_template: bool) -> Route:
    """How a message to this user can go out now, cheapest first."""
    since = now - window.last if window.last is not None else None
    if since is not None and since < FREE_WINDOW and window.free_used < FREE_MESSAGES:
        return Route.FREE
    if since is not None and since < PAID_WINDOW:
        return Route.PAID if budget_left >= PRICE_PAID else Route.HOLD_BUDGET
    if has_template and budget_left >= PRICE_TEMPLATE:
        return Route.TEMPLATE
    return Route.HOLD_SILENT


@dataclass(frozen=True)
class Month:
    """The month's ledger: messages by route, the đồng spent, the users with a message held."""

    free: int = 0
    paid: int = 0
    templates: int = 0
    held: tuple[str, ...] = ()

    @property
    def spent(self) -> int:
        return self.paid * PRICE_PAID + self.templates * PRICE_TEMPLATE

    def to_dict(self) -> dict[str, Any]:
        return {
            "free": self.free,
            "paid": self.paid,
            "templates": self.templates,
            "held": list(self.held),
        }

    @classmethod
    def from_dict(cls, raw: Any) -> Month:
        if not isinstance(raw, dict):
            return cls()
        try:
            return cls(
                int(raw.get("free", 0)),
                int(raw.get("paid", 0)),
                int(raw.get("templates", 0)),
                tuple(str(u) for u in raw.get("held", ())),
            )
        except (TypeError, ValueError):
            return cls()


class Windows:
    """Every user's window and the current month's ledger, in the store."""

    def __init__(self, store: Store, now: Callable[[], datetime], budget: int) -> None:
        self.store = store
        self.now = now
        self.budget = budget  # đồng a month; 0: nothing is ever paid for
        self._lock = (
            asyncio.Lock()
        )  # sends to different users run side by side: one count at a time

    @staticmethod
    def _window_key(user_id: str) -> str:
        return f"zalo-oa:window:{user_id}"

    def _month_key(self) -> str:
        return f"zalo-oa:month:{self.now():%Y-%m}"

    def window(self, user_id: str) -> Window:
        return Window.from_dict(self.store.runtime(self._window_key(user_id)))

    def month(self) -> Month:
        return Month.from_dict(self.store.runtime(self._month_key()))

    def route(self, user_id: str, has_template: bool) -> Route:
        return route(
            self.window(user_id), self.now(), self.budget - self.month().spent, has_template
        )

    async def interacted(self, user_id: str) -> bool:
        """The user wrote, followed or tapped: a fresh window. True when a message of theirs
        was held (the scheduler sends it at its next tick)."""
        async with self._lock:
            await self.store.set_runtime(self._window_key(user_id), Window(self.now()).to_dict())
            month = self.month()
            if user_id not in month.held:
                return False
            held = tuple(u for u in month.held if u != user_id)
            await self.store.set_runtime(self._month_key(), replace(month, held=held).to_dict())
            return True

    async def silent(self, user_id: str) -> None:
        """The platform says the user has been silent for 7 days, whatever our record says."""
        async with self._lock:
            window = self.window(user_id)
            await self.store.set_runtime(
                self._window_key(user_id), replace(window, last=self.now() - PAID_WINDOW).to_dict()
            )

    async def sent(self, user_id: str, how: Route) -> None:
        async with self._lock:
            window, month = self.window(user_id), self.month()
            if how is Route.FREE:
                window, month = (
                    replace(window, free_used=window.free_used + 1),
                    replace(month, free=month.free + 1),
                )
            elif how is Route.PAID:
                window, month = (
                    replace(window, paid=window.paid + 1),
                    replace(month, paid=month.paid + 1),
                )
            elif how is Route.TEMPLATE:
                month = replace(month, templates=month.templates + 1)
            await self.store.set_runtime(self._window_key(user_id), window.to_dict())
            await self.store.set_runtime(self._month_key(), month.to_dict())

    async def held(self, user_id: str, why: Route) -> bool:
        """Record a held message; True the first time this month (logged once per user)."""
        async with self._lock:
            month = self.month()
            if user_id in month.held:
                return False
            await self.store.set_runtime(
                self._month_key(), replace(month, held=(*month.held, user_id)).to_dict()
            )
            log.warning(
                "Zalo OA: a message to %s is held (%s); it goes out when the user writes%s",
                user_id,
                "no budget left for paid messages"
                if why is Route.HOLD_BUDGET
                else "7 days of silence",
                " or the budget is raised" if why is Route.HOLD_BUDGET else "",
            )
            return True

    def status_line(self) -> str:
        month = self.month()
        line = (
            f"Zalo OA tháng {self.now():%m/%Y}: {month.free} tin miễn phí, {month.paid} tin trả "
            f"phí, {month.templates} tin mẫu; đã chi {month.spent:,} đ".replace(",", ".")
            + (
                f"/{self.budget:,} đ ngân sách.".replace(",", ".")
                if self.budget
                else " (không đặt ngân sách trả phí)."
            )
        )
        if month.held:
            line += (
                f" ⚠️ {len(month.held)} người có tin nhắc đang bị giữ vì đã im lặng quá lâu hoặc "
                "hết ngân sách; tin sẽ gửi ngay khi họ nhắn bất kỳ điều gì tới OA."
            )
        return line
