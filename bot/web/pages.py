"""The pages: logging in by a one-time link, Tình hình (status per plan and deadline, the
nudge, the export), the calendar feeds. Every page reads the same facts as chat does
(handlers/status.py, handlers/status_table.py) within the same scope (handlers/scope.py), and the
nudge goes through the conversation exactly as the chat's 🔔 button does."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.web import auth, feeds
from bot.web.cell_pages import CellPages
from bot.web.plan_pages import PlanPages
from bot.web.server import RouteTable
from handlers import status_table
from handlers.button_data import Ref
from handlers.buttons import Nudge
from handlers.features.admin import WINDOW_DAYS
from handlers.scope import Scope
from handlers.status import DeadlineStatus, PlanStatus, cell_name, overview_line, plan_status
from handlers.types import Incoming
from schedules import vi_format

if TYPE_CHECKING:
    from bot.app import Bot
    from bot.config import WebConfig

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
PLATFORM_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": "thử nghiệm"}


@dataclass(frozen=True)
class Visitor:
    """A logged-in admin and what they manage."""

    session: auth.Session
    scope: Scope
    csrf: str


class WebSite:
    def __init__(self, bot: Bot, config: WebConfig) -> None:
        self.bot = bot
        self.config = config
        self.jinja = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
        )
        self._key: bytes | None = None

    def routes(self, table: RouteTable) -> RouteTable:
        table.add("GET", "/", self.home)
        table.add("GET", "/dang-nhap/{token}", self.login_page)
        table.add("POST", "/dang-nhap/{token}", self.login)
        table.add("POST", "/dang-xuat", self.logout)
        table.add("GET", "/tinh-hinh", self.overview)
        table.add("GET", "/tinh-hinh/{plan}", self.plan_page)
        table.add("POST", "/tinh-hinh/{plan}/nhac", self.nudge)
        table.add("GET", "/tinh-hinh/{plan}/bang.{kind:xlsx|csv}", self.export)
        PlanPages(self).routes(table)
        CellPages(self).routes(table)
        table.add("GET", "/lich", self.calendars)
        table.add("POST", "/lich/moi", self.renew_feed)
        table.add("GET", "/lich/{token}.ics", self.feed)
        return table

    # -- helpers ---------------------------------------------------------------------------

    @property
    def store(self) -> Any:
        return self.bot.store

    def now(self) -> datetime:
        return self.bot.clock.now()

    async def key(self) -> bytes:
        if self._key is None:
            self._key = await auth.key_of(self.store)
        return self._key

    def render(self, template: str, status: int = 200, **values: Any) -> web.Response:
        html = self.jinja.get_template(template).render(**values)
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")

    def message(
        self, title: str, text: str, status: int, visitor: Visitor | None = None
    ) -> web.Response:
        return self.render("message.html", status, title=title, text=text, **self._who(visitor))

    @staticmethod
    def _who(visitor: Visitor | None) -> dict[str, Any]:
        return {"session": visitor.session, "csrf": visitor.csrf} if visitor else {}

    async def visitor(self, request: web.Request) -> Visitor | web.Response:
        """The logged-in admin, or the page that says why not."""
        key = await self.key()
        session = auth.read_session(key, request.cookies.get(auth.COOKIE), self.now())
        if session is None:
            return self.message(
                "Cần đăng nhập",
                "Gõ /web trong chat riêng với bot để nhận liên kết đăng nhập (dùng một lần, "
                "trong 10 phút).",
                401,
            )
        scope = self.bot.conversation.scope_of(session.user)
        if scope is None:
            return self.message("Không có quyền", "Đồng chí không còn là cán bộ quản trị bot.", 403)
        return Visitor(session, scope, auth.csrf_token(key, session))

    async def form(self, request: web.Request, visitor: Visitor) -> dict[str, str] | web.Response:
        """A posted form, once its CSRF token is checked."""
        data = await request.post()
        values = {k: v for k, v in data.items() if isinstance(v, str)}
        if not auth.csrf_ok(await self.key(), visitor.session, values.get("csrf", "")):
            log.warning("web: %s sent a form without a valid CSRF token", visitor.session.who)
            return self.message("Biểu mẫu đã cũ", "Xin tải lại trang rồi làm lại.", 403, visitor)
        return values

    def status_of(self, visitor: Visitor, plan_id: str) -> PlanStatus | None:
        catalog = self.bot.conversation.catalog
        plan = catalog.get(plan_id)
        if plan is None or not visitor.scope.covers_id(plan.id, catalog):
            return None
        chats = visitor.scope.chats(self.store.all(), catalog, plan.id)
        return plan_status(plan, chats)

    # -- logging in ------------------------------------------------------------------------

    async def home(self, request: web.Request) -> web.StreamResponse:
        found = await self.visitor(request)
        if isinstance(found, web.Response):
            return found
        raise web.HTTPSeeOther("/tinh-hinh")

    async def login_page(self, request: web.Request) -> web.StreamResponse:
        found = auth.peek_login(
            await self.key(), request.match_info["token"], self.now(), self.store
        )
        if found is None:
            return self.message(
                "Liên kết không dùng được",
                "Liên kết đăng nhập đã dùng rồi hoặc đã quá 10 phút. Gõ /web trong chat riêng "
                "với bot để nhận liên kết mới.",
                410,
            )
        expires = found.expires.astimezone(self.now().tzinfo)
        return self.render(
            "login.html", title="Đăng nhập", name=found.name, expires=f"{expires:%H:%M}"
        )

    async def login(self, request: web.Request) -> web.StreamResponse:
        key = await self.key()
        session = await auth.spend_login(key, request.match_info["token"], self.now(), self.store)
        if session is None:
            return await self.login_page(request)
        log.info("web: %s (%s) logged in", session.who, session.name)
        response = web.HTTPSeeOther("/tinh-hinh")  # raised below: aiohttp's way for a redirect
        response.set_cookie(
            auth.COOKIE,
            auth.session_cookie(key, session),
            max_age=int(auth.SESSION_VALID.total_seconds()),
            httponly=True,
            samesite="Strict",
            secure=self.config.base_url.startswith("https://"),
            path="/",
        )
        raise response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        found = await self.visitor(request)
        if isinstance(found, web.Response):
            return found
        form = await self.form(request, found)
        if isinstance(form, web.Response):
            return form
        log.info("web: %s logged out", found.session.who)
        response = self.message("Đã đăng xuất", "Hẹn gặp lại đồng chí.", 200)
        response.del_cookie(auth.COOKIE, path="/")
        return response

    # -- Tình hình -------------------------------------------------------------------------

    async def overview(self, request: web.Request) -> web.StreamResponse:
        found = await self.visitor(request)
        if isinstance(found, web.Response):
            return found
        catalog = self.bot.conversation.catalog
        today = self.now().date()
        subs = found.scope.chats(self.store.all(), catalog)
        rows = []
        for plan in found.scope.plans(catalog):
            st = plan_status(plan, subs)
            ahead = [
                d
                for d in st.near(today, WINDOW_DAYS)
                if d.due.sort_key >= today and d.marks and d.missing
            ]
            nxt = (
                f"{ahead[0].due.title} ({ahead[0].when(today)}): "
                f"{len(ahead[0].done)}/{len(ahead[0].marks)} xong"
                if ahead
                else ""
            )
            rows.append(
                {
                    "id": plan.id,
                    "name": plan.short_name,
                    "following": len(st.following),
                    "groups": sum(1 for s in st.following if s.is_group),
                    "blocked": len(st.blocked),
                    "next": nxt,
                    "line": overview_line(st, today, WINDOW_DAYS),
                }
            )
        return self.render(
            "overview.html",
            title="Tình hình",
            today=vi_format.full(today),
            scope_name=found.scope.name,
            plans=rows,
            notes=self.bot.conversation.channel_notes(),
            **self._who(found),
        )

    def _plan_values(self, status: PlanStatus) -> dict[str, Any]:
        today = self.now().date()
        near = status.near(today, WINDOW_DAYS)

        def reach(mark_sub: Any) -> str:
            kind = "nhóm" if mark_sub.is_group else "chat riêng"
            who = f", {mark_sub.created_by_name}" if mark_sub.created_by_name else ""
            return f"{PLATFORM_NAMES.get(mark_sub.platform, mark_sub.platform)} ({kind}{who})"

        def row(d: DeadlineStatus) -> dict[str, Any]:
            return {
                "item": d.due.item_id,
                "title": d.due.title,
                "when": d.when(today),
                "done": len(d.done),
                "total": len(d.marks),
                "missing": [{"name": cell_name(m.sub), "reach": reach(m.sub)} for m in d.missing],
                "open": bool(d.missing) and (d.due.last_day is None or d.due.last_day >= today),
            }

        bars = [
            {
                "label": (d.due.title[:34] + "…") if len(d.due.title) > 35 else d.due.title,
                "done": len(d.done),
                "total": len(d.marks),
                "width": round(300 * len(d.done) / len(d.marks)) if d.marks else 0,
            }
            for d in near
        ]
        return {
            "plan": status.plan,
            "today": vi_format.full(today),
            "following": len(status.following),
            "groups": sum(1 for s in status.following if s.is_group),
            "bars": bars,
            "window": WINDOW_DAYS,
            "deadlines": [row(d) for d in near],
            "no_meeting": [cell_name(s) for s in status.no_meeting_day],
            "blocked": [cell_name(s) for s in status.blocked],
        }

    def _not_yours(self, visitor: Visitor, plan_id: str) -> web.Response:
        return self.message(
            "Không có kế hoạch này",
            f"Không có kế hoạch “{plan_id[:60]}” trong phạm vi quản lý của đồng chí.",
            404,
            visitor,
        )

    async def plan_page(self, request: web.Request) -> web.StreamResponse:
        found = await self.visitor(request)
        if isinstance(found, web.Response):
            return found
        status = self.status_of(found, request.match_info["plan"])
        if status is None:
            return self._not_yours(found, request.match_info["plan"])
        values = self._plan_values(status)
        return self.render("plan.html", title=status.plan.short_name, **values, **self._who(found))

    async def nudge(self, request: web.Request) -> web.StreamResponse:
        """The chat's 🔔 button, pressed from the page: the same feature, permission and
        once-per-item memory; its answer is shown above the page."""
        found = await self.visitor(request)
        if isinstance(found, web.Response):
            return found
        form = await self.form(request, found)
        if isinstance(form, web.Response):
            return form
        status = self.status_of(found, request.match_info["plan"])
        if status is None:
            return self._not_yours(found, request.match_info["plan"])
        item = form.get("item", "")
        user = found.session.user
        press = Incoming(
            user.platform,
            user.user_id,
            user.user_id,
            callback=Nudge(Ref(status.plan.id), Ref(item)).encode(),
            user_name=found.session.name,
        )
        replies = await self.bot.conversation.handle(press, self.now())
        answer = " ".join(r.text for r in replies)
        log.info("web: %s nudged %s %s: %s", found.session.who, status.plan.id, item, answer)
        status = self.status_of(found, status.plan.id) or status
        values = self._plan_values(status)
        return self.render(
            "plan.html", title=status.plan.short_name, flash=answer, **values, **self._who(found)
        )

    async def export(self, request: web.Request) -> web.StreamResponse:
        found = await self.visitor(request)
        if isinstance(found, web.Response):
            return found
        status = self.status_of(found, request.match_info["plan"])
        if status is None:
            return self._not_yours(found, request.match_info["plan"])
        now = self.now()
        table = status_table.rows(status)
        kind = request.match_info["kind"]
        stem = f"tinh-hinh-{status.plan.id}-{now:%Y-%m-%d}"
        if kind == "xlsx":
            try:
                data = status_table.xlsx_bytes(table, status.plan.id, now)
            except ImportError:
                return self.message(
                    "Chưa xuất được Excel",
                    "Máy chạy bot chưa cài openpyxl (pip install -e '.[export]'); tải CSV thay thế.",
                    501,
                    found,
                )
            mime = status_table.XLSX
        else:
            data, mime = status_table.csv_bytes(table), "text/csv; charset=utf-8"
        log.info("web: %s exported %s as %s", found.session.who, status.plan.id, kind)
        return web.Response(
            body=data,
            headers={
                "Content-Type": mime,
                "Content-Disposition": f'attachment; filename="{stem}.{kind}"',
            },
        )

    # -- calendars -------------------------------------------------------------------------

    def _committee_feeds(self, visitor: Visitor) -> list[tuple[str, str]]:
        """(owner, name) of the feeds a visitor manages: each of their committees, or everything."""
        if visitor.scope.everything:
            return [("*", "Mọi kế hoạch")]
        return [(c.id, c.name) for c in visitor.scope.committees]

    async def calendars(self, request: web.Request) -> web.StreamResponse:
        found = await self.visitor(request)
        if isinstance(found, web.Response):
            return found
        rows = []
        for owner, name in self._committee_feeds(found):
            token = await feeds.token_for(self.store, feeds.Feed("committee", owner))
            rows.append(
                {"owner": owner, "name": name, "url": feeds.feed_url(self.config.base_url, token)}
            )
        return self.render("calendars.html", title="Lịch", feeds=rows, **self._who(found))

    async def renew_feed(self, request: web.Request) -> web.StreamResponse:
        found = await self.visitor(request)
        if isinstance(found, web.Response):
            return found
        form = await self.form(request, found)
        if isinstance(form, web.Response):
            return form
        owner = form.get("owner", "")
        if owner not in dict(self._committee_feeds(found)):
            return self.message(
                "Không đổi được", "Lịch này không thuộc phạm vi của đồng chí.", 403, found
            )
        await feeds.token_for(self.store, feeds.Feed("committee", owner), renew=True)
        log.info("web: %s renewed the calendar address of %s", found.session.who, owner)
        raise web.HTTPSeeOther("/lich")

    async def feed(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        found = feeds.feed_of(self.store, token)
        catalog = self.bot.conversation.catalog
        if found is None:
            raise web.HTTPNotFound(text="Không có lịch ở địa chỉ này (có thể đã được đổi).")
        if found.kind == "chat":
            platform, _, chat_id = found.owner.partition(":")
            sub = self.store.get(platform, chat_id)
            if sub is None:
                raise web.HTTPNotFound(text="Chat này không còn đăng ký với bot.")
            plans = [p for pid in sub.plan_ids if (p := catalog.get(pid)) is not None]
            name = f"{cell_name(sub)} — lịch chi bộ"
            events = feeds.chat_events(sub, plans)
        else:
            if found.owner == "*":
                scope = Scope(everything=True)
                name = "Mọi kế hoạch — Trợ lý Chi bộ"
            else:
                committee = self.bot.conversation.committees.get(found.owner)
                if committee is None:
                    raise web.HTTPNotFound(text="Không còn cấp ủy này.")
                scope, name = Scope((committee,)), f"{committee.name} — lịch kế hoạch"
            events = feeds.committee_events(scope.plans(catalog))
        now = self.now()
        seq = await feeds.sequences(self.store, token, events)
        return web.Response(
            body=feeds.ics_bytes(name, events, now, seq),
            headers={"Content-Type": "text/calendar; charset=utf-8"},
        )
