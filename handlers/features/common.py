"""Replies and buttons several features offer: the quick questions, the plan choice."""

from __future__ import annotations

from handlers.button_data import Ref
from handlers.buttons import Ask, Subscribe
from handlers.feature import Turn
from handlers.types import Button, Reply
from schedules.catalog import Catalog

Buttons = tuple[tuple[Button, ...], ...]

QUICK = (
    Ask("topics").button("📚 Tháng này học gì"),
    Ask("deadlines").button("⏰ Hạn sắp tới"),
)


def plan_rows(catalog: Catalog, kind=Subscribe, only: list[str] | None = None) -> Buttons:
    """One button per plan (all of them, or those in `only`), to subscribe or unsubscribe."""
    plans = [p for p in catalog.sorted() if only is None or p.id in only]
    return tuple((kind(Ref(p.id)).button(p.short_name),) for p in plans)


def offer_plans(turn: Turn, text: str) -> Reply:
    return Reply(text, plan_rows(turn.catalog))


def not_subscribed(turn: Turn) -> Reply:
    return offer_plans(turn, "Chat này chưa đăng ký kế hoạch nào. Chọn kế hoạch trước:")
