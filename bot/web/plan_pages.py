"""Kế hoạch: the plans a committee manages, a plan document uploaded and its draft finished on a
form (bot/web/plan_form.py), ✅ Ban hành, and a published plan as a calendar.

Everything goes the chat's way: the file is received as a chat upload is (bot/channels/uploads.py:
the same size limit and readers), the draft is the importer's (schedules/plan_import), the check
is `chibo plans check`'s (schedules/catalog.load_text), and publishing is the conversation's
publisher (bot/plans/library.py PlanLibrary.publication: scope, the plans folder, invitations).
The draft being finished waits in the store's runtime values, one per admin, so it survives a
restart and is seen by every process of a PostgreSQL store.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from bot.channels import uploads
from bot.web import auth, feeds, plan_form
from handlers import upload_text
from handlers.types import ReceivedFile, Unreadable
from schedules import catalog as catalog_mod
from schedules import plan_import, vi_format

if TYPE_CHECKING:
    from bot.web.pages import Visitor, WebSite

log = logging.getLogger(__name__)

DRAFT = "web:draft:"  # + platform:user → {"file": name, "data": the draft's dict}
MONTHS = "tháng {m}/{y}"


class PlanPages:
    def __init__(self, site: WebSite) -> None:
        self.site = site

    def routes(self, table: Any) -> None:
        table.add("GET", "/ke-hoach", self.plans)
        table.add("POST", "/ke-hoach/tai-len", self.upload)
        table.add("GET", "/ke-hoach/ban-nhap", self.draft_page)
        table.add("POST", "/ke-hoach/ban-nhap", self.draft_post)
        table.add("GET", "/ke-hoach/ban-nhap.yaml", self.draft_yaml)
        table.add("GET", "/ke-hoach/{plan}", self.calendar)

    @property
    def store(self) -> Any:
        return self.site.store

    def _key(self, visitor: Visitor) -> str:
        return DRAFT + visitor.session.who

    def _draft(self, visitor: Visitor) -> dict[str, Any] | None:
        found = self.store.runtime(self._key(visitor))
        return found if isinstance(found, dict) and isinstance(found.get("data"), dict) else None

    # -- the list and the upload -----------------------------------------------------------

    async def plans(self, request: web.Request, flash: str = "", status: int = 200) -> web.Response:
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        catalog = self.site.bot.conversation.catalog
        rows = [
            {
                "id": p.id,
                "name": p.short_name,
                "title": p.title,
                "period": f"{MONTHS.format(m=p.period.start[1], y=p.period.start[0])} – "
                f"{MONTHS.format(m=p.period.end[1], y=p.period.end[0])}",
                "issuer": p.issuer,
            }
            for p in found.scope.plans(catalog)
        ]
        draft = self._draft(found)
        return self.site.render(
            "plans.html",
            status,
            title="Kế hoạch",
            plans=rows,
            draft=draft,
            accepted=upload_text.ACCEPTED,
            limit_mb=uploads.MAX_BYTES // (1024 * 1024),
            flash=flash,
            **self.site._who(found),
        )

    async def upload(self, request: web.Request) -> web.StreamResponse:
        """A plan document, read as the chat reads one: refused in words when it is too big, of a
        wrong kind or without text; otherwise its draft replaces the admin's earlier one."""
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        if not request.content_type.startswith("multipart/"):
            return self.site.message(
                "Không nhận được tệp", "Xin chọn tệp rồi bấm “Đọc tệp”.", 400, found
            )
        reader = await request.multipart()
        csrf, name, data, too_big = "", "", b"", False
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "csrf":
                csrf = (await part.read(decode=True)).decode("utf-8", "replace")
            elif part.name == "tep":
                if not auth.csrf_ok(await self.site.key(), found.session, csrf):
                    break  # the token comes first on the form: nothing is read without it
                name = part.filename or ""
                chunks, size = [], 0
                while chunk := await part.read_chunk():
                    size += len(chunk)
                    if size > uploads.MAX_BYTES:
                        too_big = True
                        break
                    chunks.append(chunk)
                data = b"".join(chunks)
        if not auth.csrf_ok(await self.site.key(), found.session, csrf):
            log.warning("web: %s sent an upload without a valid CSRF token", found.session.who)
            return self.site.message("Biểu mẫu đã cũ", "Xin tải lại trang rồi làm lại.", 403, found)
        if not name:
            return await self.plans(request, "Chưa chọn tệp nào.", 400)
        user = found.session.user
        if too_big:
            file = ReceivedFile(name, uploads.MAX_BYTES + 1, unreadable=Unreadable.TOO_BIG)
        else:
            file = await uploads.receive(
                self.site.bot.conversation, user, name, len(data), _returning(data)
            )
        if file.text is None or not file.text.strip():
            why = (
                upload_text.unreadable(file, user)
                if file.text is None
                else f"Tệp “{name}” trống: không có chữ nào để đọc."
            )
            log.info("web: %s uploaded %r, not read: %s", found.session.who, name, file.unreadable)
            return await self.plans(request, why, 413 if too_big else 422)
        draft = plan_import.build(file.text, name)
        await self.store.set_runtime(self._key(found), {"file": name, "data": draft.data})
        log.info(
            "web: %s uploaded %r: draft %s with %d todos",
            found.session.who,
            name,
            draft.data.get("id"),
            len(draft.todo),
        )
        raise web.HTTPSeeOther("/ke-hoach/ban-nhap")

    # -- the draft -------------------------------------------------------------------------

    def _form_page(
        self, visitor: Visitor, draft: dict[str, Any], flash: str = "", status: int = 200
    ) -> web.Response:
        data = draft["data"]
        _plan, problems = catalog_mod.load_text(plan_form.plan_yaml(data), "bản nháp")
        return self.site.render(
            "draft.html",
            status,
            title="Bản nháp kế hoạch",
            file=draft.get("file", ""),
            sections=plan_form.form(data, problems),
            problems=[p for p in problems if not p.message.startswith("việc chưa hoàn thiện")],
            todo_left=len(data.get("todo") or ()),
            ready=not problems,
            field=plan_form.FIELD,
            flash=flash,
            **self.site._who(visitor),
        )

    async def draft_page(self, request: web.Request) -> web.StreamResponse:
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        draft = self._draft(found)
        if draft is None:
            raise web.HTTPSeeOther("/ke-hoach")
        return self._form_page(found, draft)

    async def draft_yaml(self, request: web.Request) -> web.StreamResponse:
        """The draft as the plan file: to finish by hand and publish from chat or the CLI."""
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        draft = self._draft(found)
        if draft is None:
            raise web.HTTPSeeOther("/ke-hoach")
        name = f"{draft['data'].get('id') or 'ban-nhap'}.yaml"
        return web.Response(
            text=plan_form.plan_yaml(draft["data"]),
            headers={
                "Content-Type": "text/yaml; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{name}"',
            },
        )

    async def draft_post(self, request: web.Request) -> web.StreamResponse:
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        data = await request.post()
        values = {k: v for k, v in data.items() if isinstance(v, str)}
        if not auth.csrf_ok(await self.site.key(), found.session, values.get("csrf", "")):
            log.warning("web: %s sent a draft without a valid CSRF token", found.session.who)
            return self.site.message("Biểu mẫu đã cũ", "Xin tải lại trang rồi làm lại.", 403, found)
        draft = self._draft(found)
        if draft is None:
            return await self.plans(request, "Không còn bản nháp nào: xin tải tệp lên lại.", 409)
        action = values.get("action", "luu")
        if action == "bo":
            await self.store.set_runtime(self._key(found), None)
            log.info("web: %s dropped the draft of %r", found.session.who, draft.get("file"))
            return await self.plans(request, "Đã bỏ bản nháp; chưa ban hành gì.")
        fresh = plan_form.apply(
            draft["data"],
            values,
            removed=[v for v in data.getall("xoa", []) if isinstance(v, str)],
            todo_done=[v for v in data.getall("xong", []) if isinstance(v, str)],
            add=action.removeprefix("them:") if action.startswith("them:") else "",
        )
        draft = {"file": draft.get("file", ""), "data": fresh}
        await self.store.set_runtime(self._key(found), draft)
        log.info("web: %s edited the draft %s (%s)", found.session.who, fresh.get("id"), action)
        if action != "ban-hanh":
            return self._form_page(found, draft, "Đã lưu bản nháp." if action == "luu" else "")
        return await self._publish(found, draft)

    async def _publish(self, visitor: Visitor, draft: dict[str, Any]) -> web.Response:
        text = plan_form.plan_yaml(draft["data"])
        plan, problems = catalog_mod.load_text(text, "bản nháp")
        if plan is None:
            return self._form_page(
                visitor,
                draft,
                f"Chưa ban hành: còn {len(problems)} chỗ cần sửa (xem bên dưới).",
                422,
            )
        publisher = self.site.bot.conversation.publisher
        if publisher is None:
            return self._form_page(
                visitor,
                draft,
                "Bot chưa có thư mục để lưu kế hoạch ban hành: xin báo người vận hành đặt "
                "CHIBO_PLANS_DIR trong tệp .env.",
                503,
            )
        done = await publisher(visitor.session.user, text)
        if done.refused or done.problems:
            why = done.refused or "; ".join(p.message for p in done.problems[:3])
            log.info("web: %s could not publish %s: %s", visitor.session.who, plan.id, why)
            return self._form_page(visitor, draft, f"⚠️ Chưa ban hành “{plan.id}”: {why}", 422)
        await self.store.set_runtime(self._key(visitor), None)
        log.info("web: %s published %s (%d invited)", visitor.session.who, plan.id, done.invited)
        verb = "Đã cập nhật" if done.replaced else "Đã ban hành"
        invited = (
            f" Đã gửi lời mời theo dõi tới {done.invited} chat đang theo kế hoạch trước của cấp ủy."
            if done.invited
            else ""
        )
        flash = (
            f"📢 {verb} {plan.short_name} ({plan.id}). Các chi bộ hỏi và đăng ký được ngay "
            f"(/dangky {plan.id}).{invited}"
        )
        return self._calendar_page(visitor, plan.id, flash) or self.site._not_yours(
            visitor, plan.id
        )

    # -- a plan as a calendar --------------------------------------------------------------

    def _calendar_page(
        self, visitor: Visitor, plan_id: str, flash: str = ""
    ) -> web.Response | None:
        catalog = self.site.bot.conversation.catalog
        plan = catalog.get(plan_id)
        if plan is None or not visitor.scope.covers_id(plan.id, catalog):
            return None
        by_month: dict[tuple[int, int], list[feeds.CalendarEvent]] = {}
        for e in feeds.committee_events([plan]):
            by_month.setdefault((e.day.year, e.day.month), []).append(e)
        (y, m), end = plan.period.start, plan.period.end
        months = []
        while (y, m) <= end:
            topics = next((t for t in plan.topics if t.month == (y, m)), None)
            months.append(
                {
                    "name": MONTHS.format(m=m, y=y).capitalize(),
                    "documents": [
                        f"{d.kind} {d.number}: {d.title}"
                        for d in (topics.documents if topics else ())
                    ],
                    "events": [
                        {"day": vi_format.full(e.day), "title": e.title, "text": e.description}
                        for e in by_month.get((y, m), ())
                        if not e.uid.startswith("chuyen-de-")
                    ],
                }
            )
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return self.site.render(
            "plan_calendar.html",
            title=plan.short_name,
            plan=plan,
            months=months,
            flash=flash,
            **self.site._who(visitor),
        )

    async def calendar(self, request: web.Request) -> web.StreamResponse:
        found = await self.site.visitor(request)
        if isinstance(found, web.Response):
            return found
        plan_id = request.match_info["plan"]
        return self._calendar_page(found, plan_id) or self.site._not_yours(found, plan_id)


def _returning(data: bytes) -> uploads.Fetch:
    async def fetch() -> bytes:
        return data

    return fetch
