"""Chi bộ: the cells a committee knows — the chats (private and groups) following its plans, by
the cell name each chat gave — renamed or merged (two spellings of one cell become one name,
stored as the chats' cell names), and invitation links per cell with a QR code to print.

An invitation is a short code kept in the store's runtime values (`invite:<CODE>` → the plan and
the cell's name); "/start CODE" in a chat subscribes it (handlers/features/subscribing.py), which
Telegram sends by itself from the deep link t.me/<bot>?start=CODE and a Zalo user types.
"""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from handlers.features.subscribing import INVITE
from handlers.settings import clean_cell_name
from handlers.state import Subscription
from handlers.status import cell_name

if TYPE_CHECKING:
    from bot.web.pages import Visitor, WebSite

log = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper and typed
CODE_LENGTH = 8


@dataclass
class CellRow:
    name: str
    chats: list[dict[str, str]] = field(default_factory=list)
    plans: set[str] = field(default_factory=set)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


class CellPages:
    def __init__(self, site: WebSite) -> None:
        self.site = site

    def routes(self, table: Any) -> None:
        table.add("GET", "/chi-bo", self.cells)
        table.add("POST", "/chi-bo/doi-ten", self.rename)
        table.add("POST", "/chi-bo/moi", self.invite)
        table.add("GET", "/chi-bo/moi/{code}.png", self.qr)

    @property
    def store(self) -> Any:
        return self.site.store

    def _chats(self, visitor: Visitor) -> list[Subscription]:
        catalog = self.site.bot.conversation.catalog
        return visitor.scope.chats(self.store.all(), catalog)

    def _rows(self, visitor: Visitor) -> list[CellRow]:
        from bot.web.pages import PLATFORM_NAMES  # pages imports this module

        rows: dict[str, CellRow] = {}
        for sub in self._chats(visitor):
            name = cell_name(sub)
            row = rows.setdefault(name, CellRow(name))
            row.chats.append(
                {
                    "platform": PLATFORM_NAMES.get(sub.platform, sub.platform),
                    "kind": "nhóm" if sub.is_group else "chat riêng",
                    "title": sub.title or sub.created_by_name,
                    "active": "" if sub.active else "đã chặn bot",
                }
            )
            row.plans.update(sub.plan_ids)
        return sorted(rows.values(), key=lambda r: r.name.casefold())

    def _telegram_name(self) -> str:
        channel = self.site.bot.channels.get("telegram")
        return str(getattr(getattr(channel, "bot", None), "username", "") or "")

    async def cells(
        self, request: web.Request, flash: str = "", invitation: dict[str, str] | None = None
    ) -> web.Response:
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        catalog = self.site.bot.conversation.catalog
        return self.site.render(
            "cells.html",
            title="Chi bộ",
            rows=self._rows(found),
            plans=[{"id": p.id, "name": p.short_name} for p in found.scope.plans(catalog)],
            invitation=invitation,
            flash=flash,
            **self.site._who(found),
        )

    async def _form(self, request: web.Request) -> tuple[Visitor, dict[str, str]] | web.Response:
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        values = await self.site.form(request, found)
        if isinstance(values, web.Response):
            return values
        return found, values

    async def rename(self, request: web.Request) -> web.StreamResponse:
        """Every chat in scope named `old` takes `new`: a rename, or a merge when `new` is
        another cell's name already."""
        got = await self._form(request)
        if isinstance(got, web.Response):
            return got
        visitor, form = got
        old, new = form.get("old", ""), clean_cell_name(form.get("new", "")) or ""
        if not new:
            return await self.cells(request, "Chưa ghi tên mới cho chi bộ.")
        changed = 0
        for sub in self._chats(visitor):
            if cell_name(sub) == old and sub.cell_name != new:
                await self.store.save(sub.but(cell_name=new))
                changed += 1
        if not changed:
            return await self.cells(request, f"Không có chat nào mang tên “{old[:60]}” để đổi.")
        log.info("web: %s renamed cell %r to %r (%d chats)", visitor.session.who, old, new, changed)
        return await self.cells(request, f"Đã đổi “{old}” thành “{new}” cho {changed} chat.")

    async def invite(self, request: web.Request) -> web.StreamResponse:
        got = await self._form(request)
        if isinstance(got, web.Response):
            return got
        visitor, form = got
        catalog = self.site.bot.conversation.catalog
        plan_id, cell = form.get("plan", ""), clean_cell_name(form.get("cell", "")) or ""
        plan = catalog.get(plan_id)
        if plan is None or not visitor.scope.covers_id(plan_id, catalog):
            return self.site._not_yours(visitor, plan_id)
        if not cell:
            return await self.cells(request, "Chưa ghi tên chi bộ cần mời.")
        code = new_code()
        await self.store.set_runtime(
            INVITE + code, {"plan": plan.id, "cell": cell, "by": visitor.session.who}
        )
        log.info(
            "web: %s made invitation %s for %r on %s", visitor.session.who, code, cell, plan.id
        )
        telegram = self._telegram_name()
        return await self.cells(
            request,
            invitation={
                "code": code,
                "cell": cell,
                "plan": plan.short_name,
                "telegram": f"https://t.me/{telegram}?start={code}" if telegram else "",
                "typed": f"/start {code}",
            },
        )

    async def qr(self, request: web.Request) -> web.StreamResponse:
        """The invitation as a QR code to print: the Telegram link when there is one, else the
        words to type."""
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        code = request.match_info["code"].upper()
        invited = self.store.runtime(INVITE + code)
        catalog = self.site.bot.conversation.catalog
        if not isinstance(invited, dict) or not found.scope.covers_id(
            str(invited.get("plan")), catalog
        ):
            raise web.HTTPNotFound(text="Không có mã mời này trong phạm vi của đồng chí.")
        import segno

        telegram = self._telegram_name()
        content = f"https://t.me/{telegram}?start={code}" if telegram else f"/start {code}"
        out = io.BytesIO()
        segno.make(content, error="m").save(out, kind="png", scale=8, border=4)
        return web.Response(body=out.getvalue(), content_type="image/png")
