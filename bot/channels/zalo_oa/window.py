"""The OA's interaction window, accounted per user, and what a month of sending costs.

Zalo's rules for a consultation message ("tin tư vấn") to one user: free for the first 8 messages
within 48 hours of the user's last interaction (a message, a follow, a button tap); paid (55 đ a
message) after that, up to 7 days from the interaction; after 7 days of silence nothing reaches
the user through the API but an approved template message (ZBS, about 200 đ). Every interaction
opens a fresh window.

A reminder that may wait (its facts carry `wait_until`, the last moment it is still useful) and
finds the free frame closed *waits*: it is held like any other, and goes free at the first tick
after the user writes or taps; at `wait_until` it takes the paid or template route (or is held).
It never waits into the 7 days' silence while it could still go paid, since that would make it
dearer (a template) or impossible. The scheduler offers a waiting chat's reminder again at every
tick in a form that may have lost its facts (a late note, a summary), so the first reminder's
facts are kept in the user's window until it is sent.

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
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from handlers.state import Store
from handlers.types import PushFacts
from schedules.pushes import PushKind

log = logging.getLogger(__name__)

FREE_WINDOW = timedelta(hours=48)
FREE_MESSAGES = 8
PAID_WINDOW = timedelta(days=7)
PRICE_PAID = 55  # đồng per consultation message past the free frame
PRICE_TEMPLATE = 200  # đồng per ZBS template message (the usual price; set by Zalo)
# A waiting reminder goes paid this long before the 7 days' window closes (ticks are a minute apart)
WAIT_MARGIN = timedelta(hours=1)


class Route(Enum):
    FREE = "free"
    PAID = "paid"
    TEMPLATE = "template"
    HOLD_BUDGET = "hold-budget"  # in the paid frame, but the month's budget is spent
    HOLD_SILENT = "hold-silent"  # 7 days of silence and no template to send
    WAIT = "wait"  # a reminder that may wait for the user's next interaction, sent free then


@dataclass(frozen=True)
class Window:
    """One user's window: the last interaction and what was sent since."""

    last: datetime | None = None
    free_used: int = 0
    paid: int = 0
    waiting: PushFacts | None = None  # the reminder waiting for a free moment, if any

    def to_dict(self) -> dict[str, Any]:
        return {
            "last": self.last.isoformat() if self.last else None,
            "free": self.free_used,
            "paid": self.paid,
            "waiting": _facts_to_dict(self.waiting),
        }

    @classmethod
    def from_dict(cls, raw: Any) -> Window:
        if not isinstance(raw, dict):
            return cls()
        try:
            last = datetime.fromisoformat(raw["last"]) if raw.get("last") else None
            return cls(
                last,
                int(raw.get("free", 0)),
                int(raw.get("paid", 0)),
                _facts_from_dict(raw.get("waiting")),
            )
        except (TypeError, ValueError):
            return cls()


def _facts_to_dict(facts: PushFacts | None) -> dict[str, Any] | None:
    if facts is None:
        return None
    return {
        "kind": facts.kind.value,
        "title": facts.title,
        "day": facts.day.isoformat(),
        "plan": facts.plan,
        "wait_until": facts.wait_until.isoformat() if facts.wait_until else None,
    }


def _facts_from_dict(raw: Any) -> PushFacts | None:
    if not isinstance(raw, dict):
        return None
    try:
        until = raw.get("wait_until")
        return PushFacts(
            PushKind(raw["kind"]),
            str(raw["title"]),
            date.fromisoformat(raw["day"]),
            str(raw.get("plan", "")),
            datetime.fromisoformat(until) if until else None,
        )
    except (KeyError, TypeError, ValueError):
        return None


def route(
    window: Window,
    now: datetime,
    budget_left: int,
    has_template: bool,
    wait_until: datetime | None = None,
) -> Route:
    """How a message to this user can go out now, cheapest first; a reminder that may wait
    until `wait_until` waits rather than pay, unless waiting would let the paid frame close."""
    since = now - window.last if window.last is not None else None
    if since is not None and since < FREE_WINDOW and window.free_used < FREE_MESSAGES:
        return Route.FREE
    paid_frame = since is not None and since < PAID_WINDOW
    if wait_until is not None and now < wait_until:
        closes = window.last + PAID_WINDOW - WAIT_MARGIN if window.last is not None else None
        if not paid_frame or (closes is not None and now < closes):
            return Route.WAIT
    if paid_frame:
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
    waiting: tuple[str, ...] = ()  # users with a reminder waiting for their next interaction
    waited: int = 0  # reminders that waited this month (whatever route they took at last)
    group: int = 0  # messages to the OA's group chats: free, outside any window

    @property
    def spent(self) -> int:
        return self.paid * PRICE_PAID + self.templates * PRICE_TEMPLATE

    def to_dict(self) -> dict[str, Any]:
        return {
            "free": self.free,
            "paid": self.paid,
            "templates": self.templates,
            "held": list(self.held),
            "waiting": list(self.waiting),
            "waited": self.waited,
            "group": self.group,
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
                tuple(str(u) for u in raw.get("waiting", ())),
                int(raw.get("waited", 0)),
                int(raw.get("group", 0)),
            )
        except (TypeError, ValueError):
            return cls()


def _dong(amount: int) -> str:
    """An amount of đồng as Vietnamese writes it: 50.000 đ."""
    return f"{amount:,} đ".replace(",", ".")


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

    def route(self, user_id: str, facts: PushFacts | None, template: bool) -> Route:
        """How a message to this user goes now. `facts`: a reminder's (None for an answer or an
        announcement, which never wait)."""
        return route(
            self.window(user_id),
            self.now(),
            self.budget - self.month().spent,
            template,
            facts.wait_until if facts is not None else None,
        )

    async def interacted(self, user_id: str) -> bool:
        """The user wrote, followed or tapped: a fresh window (a waiting reminder goes free at
        the next tick). True when a message of theirs was held, not merely waiting."""
        async with self._lock:
            await self.store.set_runtime(self._window_key(user_id), Window(self.now()).to_dict())
            month = self.month()
            if user_id not in month.held and user_id not in month.waiting:
                return False
            held = tuple(u for u in month.held if u != user_id)
            waiting = tuple(u for u in month.waiting if u != user_id)
            await self.store.set_runtime(
                self._month_key(), replace(month, held=held, waiting=waiting).to_dict()
            )
            return user_id in month.held

    async def wait(self, user_id: str, facts: PushFacts) -> None:
        """A reminder waits for the user's next interaction: its facts kept until it is sent."""
        async with self._lock:
            window, month = self.window(user_id), self.month()
            if window.waiting is None:
                await self.store.set_runtime(
                    self._window_key(user_id), replace(window, waiting=facts).to_dict()
                )
            if user_id not in month.waiting and user_id not in month.held:  # held: said so
                month = replace(month, waiting=(*month.waiting, user_id), waited=month.waited + 1)
                await self.store.set_runtime(self._month_key(), month.to_dict())

    def waiting(self, user_id: str) -> PushFacts | None:
        return self.window(user_id).waiting

    async def silent(self, user_id: str) -> None:
        """The platform says the user has been silent for 7 days, whatever our record says."""
        async with self._lock:
            window = self.window(user_id)
            await self.store.set_runtime(
                self._window_key(user_id), replace(window, last=self.now() - PAID_WINDOW).to_dict()
            )

    async def sent(self, user_id: str, how: Route, reminder: bool = False) -> None:
        """A message went out by `how`; a reminder sent ends the user's wait."""
        async with self._lock:
            window, month = self.window(user_id), self.month()
            if reminder and window.waiting is not None:
                window = replace(window, waiting=None)
            if reminder and user_id in month.waiting:
                month = replace(month, waiting=tuple(u for u in month.waiting if u != user_id))
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

    async def sent_to_group(self) -> None:
        async with self._lock:
            month = self.month()
            await self.store.set_runtime(
                self._month_key(), replace(month, group=month.group + 1).to_dict()
            )

    async def held(self, user_id: str, why: Route) -> bool:
        """Record a held message; True the first time this month (logged once per user)."""
        async with self._lock:
            month = self.month()
            waiting = tuple(u for u in month.waiting if u != user_id)  # no longer merely waiting
            if user_id in month.held:
                if waiting != month.waiting:
                    await self.store.set_runtime(
                        self._month_key(), replace(month, waiting=waiting).to_dict()
                    )
                return False
            await self.store.set_runtime(
                self._month_key(),
                replace(month, held=(*month.held, user_id), waiting=waiting).to_dict(),
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
            f"phí, {month.templates} tin mẫu, {month.group} tin nhóm; đã chi {_dong(month.spent)}"
            + (
                f"/{_dong(self.budget)} ngân sách."
                if self.budget
                else " (không đặt ngân sách trả phí)."
            )
        )
        if month.waiting:
            line += (
                f" {len(month.waiting)} người có tin nhắc đang chờ họ nhắn tới OA để gửi miễn "
                "phí; đến một ngày trước hạn thì gửi trả phí hoặc bằng tin mẫu nếu được."
            )
        if month.held:
            line += (
                f" ⚠️ {len(month.held)} người có tin nhắc đang bị giữ vì đã im lặng quá lâu hoặc "
                "hết ngân sách; tin sẽ gửi ngay khi họ nhắn bất kỳ điều gì tới OA."
            )
        return line
