"""The conversation core: one incoming message or button press → replies and state changes.

It speaks only the neutral types of handlers/types.py and the Store protocol; adapters in bot/
turn Telegram updates (or console lines) into Incoming and send the Replies.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from handlers import admin, answers, settings
from handlers.pushes import DONE_PREFIX
from handlers.router import route
from handlers.state import Store, Subscription, stamp
from handlers.types import Button, Incoming, Reply
from schedules import calendar, vi_format
from schedules.catalog import Catalog
from schedules.model import Plan

log = logging.getLogger(__name__)

MAX_ROUTED_CHARS = 500  # a 5,000-character paste is answered from its start, not choked on

COMMANDS = {
    "start": "Bắt đầu, chọn kế hoạch",
    "help": "Các câu hỏi và lệnh",
    "dangky": "Đăng ký kế hoạch cho chat này",
    "huy": "Hủy đăng ký",
    "kehoach": "Các kế hoạch có sẵn",
    "thangnay": "Tháng này học gì",
    "hanchot": "Các hạn sắp tới",
    "caidat": "Cài đặt: chi bộ, ngày họp, giờ nhắc",
}

COMMAND_HELP = (
    "Lệnh: /thangnay tháng này học gì · /hanchot hạn sắp tới · /kehoach các kế hoạch · "
    "/dangky đăng ký · /huy hủy · /caidat cài đặt."
)

INTRO = (
    "Xin chào cả nhóm! Tôi là Trợ lý Chi bộ: tôi nhắc chủ đề học tập hằng tháng, ngày họp chi bộ "
    "và các hạn báo cáo theo kế hoạch của cấp trên.\n"
    "Quản trị viên nhóm gõ /dangky để chọn kế hoạch. Trong nhóm, tôi chỉ trả lời lệnh, tin nhắc "
    "tên tôi hoặc tin trả lời tin của tôi."
)

QUICK = (
    Button("📚 Tháng này học gì", "q:topics"),
    Button("⏰ Hạn sắp tới", "q:deadlines"),
)

IsAdmin = Callable[[Incoming], Awaitable[bool]]
# Sends one reply to many chats (keys "platform:chat_id") through the rate-limited outbox.
Broadcaster = Callable[[list[str], Reply], Awaitable[int]]


async def _never_admin(msg: Incoming) -> bool:
    return msg.is_group_admin


class Conversation:
    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        bot_admins: set[str] | None = None,
        is_chat_admin: IsAdmin | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.bot_admins = bot_admins or set()
        self._is_chat_admin = is_chat_admin or _never_admin
        self._broadcast: Broadcaster | None = None

    def set_broadcaster(self, broadcaster: Broadcaster) -> None:
        self._broadcast = broadcaster

    def set_admin_check(self, is_chat_admin: IsAdmin) -> None:
        """The platform's way to tell a group's admins (Telegram: getChatAdministrators)."""
        self._is_chat_admin = is_chat_admin

    # ------------------------------------------------------------------ entry points

    async def handle(self, msg: Incoming, now: datetime) -> list[Reply]:
        """Never raises: a failure becomes an apology, logged with the chat for the operator."""
        try:
            return await self._handle(msg, now)
        except Exception:
            log.exception("conversation failed for %s:%s", msg.platform, msg.chat_id)
            return [
                Reply(
                    "⚠️ Xin lỗi, tôi gặp lỗi khi xử lý tin này. Dữ liệu của chi bộ không bị mất; "
                    "xin thử lại sau ít phút."
                )
            ]

    async def joined(self, platform: str, chat_id: str, title: str, now: datetime) -> list[Reply]:
        """Added to a group: introduce once, however often Telegram repeats the event."""
        sub = self.store.get(platform, chat_id) or Subscription(
            platform, chat_id, is_group=True, title=title, created_at=stamp(now)
        )
        if sub.introduced and sub.active:
            return []
        await self.store.save(sub.but(introduced=True, active=True, title=title or sub.title))
        return [Reply(INTRO, ((Button("📋 Chọn kế hoạch", "menu:plans"),),))]

    async def left(self, platform: str, chat_id: str) -> None:
        sub = self.store.get(platform, chat_id)
        if sub:
            await self.store.save(sub.but(active=False, introduced=False))

    async def migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        await self.store.migrate(platform, old_chat_id, new_chat_id)

    # ------------------------------------------------------------------ dispatch

    async def _handle(self, msg: Incoming, now: datetime) -> list[Reply]:
        if msg.callback is not None:
            return await self._callback(msg, now)
        text = msg.text.strip()
        if msg.is_group and not msg.addressed:
            return []
        sub = self.store.get(msg.platform, msg.chat_id)
        if sub and not sub.active:
            sub = sub.but(active=True)
            await self.store.save(sub)
        if not text:
            if msg.is_group:
                return []
            return [Reply("Tôi chỉ đọc được tin nhắn chữ. " + COMMAND_HELP)]
        if text.startswith("/"):
            return await self._command(msg, text, now)
        pending = sub.pending if sub else {}
        if (
            pending.get("field")
            and not pending.get("value")
            and pending.get("user") in (None, msg.user_id)
        ):
            return await self._settings_value(msg, sub, text, now)
        return await self._free_text(msg, text[:MAX_ROUTED_CHARS], now)

    async def _command(self, msg: Incoming, text: str, now: datetime) -> list[Reply]:
        head, _, rest = text.partition(" ")
        name = head[1:].split("@", 1)[0].lower()
        rest = rest.strip()
        if name in ("start",):
            return self._start(msg, now)
        if name in ("help", "trogiup", "giup"):
            return [Reply(answers.HELP + "\n\n" + COMMAND_HELP, (QUICK,))]
        if name == "dangky":
            return await self._subscribe(msg, rest, now)
        if name == "huy":
            return await self._unsubscribe(msg, rest)
        if name == "kehoach":
            return [self._plan_list(now)]
        if name == "thangnay":
            return self._ask(msg, "tháng này học gì", now)
        if name == "hanchot":
            return self._ask(msg, "hạn chót", now)
        if name == "caidat":
            return await self._settings_menu(msg, now)
        if name in ("tinhhinh", "thongbao"):
            if msg.user_id not in self.bot_admins:
                return [Reply("Lệnh này chỉ dành cho cán bộ cấp trên quản trị bot.")]
            return [self._status(now)] if name == "tinhhinh" else await self._announce(rest)
        return [Reply(f"Không có lệnh /{name[:40]}. " + COMMAND_HELP)]

    async def _free_text(self, msg: Incoming, text: str, now: datetime) -> list[Reply]:
        assignment = settings.parse_assignment(text)
        if assignment:
            return await self._begin_change(msg, assignment[0], now, value_text=assignment[1])
        intent = route(text, now)
        if intent.name == "subscribe":
            return await self._subscribe(msg, "", now)
        if intent.name == "unsubscribe":
            return await self._unsubscribe(msg, "")
        if intent.name == "settings":
            return await self._settings_menu(msg, now)
        return self._ask(msg, text, now, intent)

    # ------------------------------------------------------------------ questions

    def _plans_of(self, sub: Subscription | None) -> list[Plan]:
        if not sub:
            return []
        return [p for pid in sub.plan_ids if (p := self.catalog.get(pid))]

    def _ask(self, msg: Incoming, text: str, now: datetime, intent=None) -> list[Reply]:
        intent = intent or route(text, now)
        sub = self.store.get(msg.platform, msg.chat_id)
        plans = self._plans_of(sub)
        if intent.name in ("help", "greeting", "unknown") or intent.date_error:
            reply = answers.answer(intent, plans, calendar.Cell(), now.date())
            return [reply.with_buttons(QUICK) if plans else reply]
        if not plans:
            return [
                Reply(
                    "Chat này chưa đăng ký kế hoạch nào. Chọn kế hoạch để tôi trả lời đúng:",
                    self._plan_buttons("sub"),
                )
            ]
        cell = sub.cell() if sub else calendar.Cell()
        if intent.cell:
            cell = calendar.Cell(intent.cell, cell.dates)
        if intent.name == "meeting" and sub and sub.meeting_rule:
            return [Reply(settings.meeting_summary(sub, now.date()))]
        return [answers.answer(intent, plans, cell, now.date())]

    # ------------------------------------------------------------------ start, plans

    def _start(self, msg: Incoming, now: datetime) -> list[Reply]:
        sub = self.store.get(msg.platform, msg.chat_id)
        plans = self._plans_of(sub)
        if plans:
            names = ", ".join(p.short_name for p in plans)
            return [
                Reply(
                    f"Chào đồng chí! Chat này đang theo kế hoạch: {names}.\n{COMMAND_HELP}",
                    (QUICK, (Button("⚙️ Cài đặt", "menu:settings"),)),
                )
            ]
        return [
            Reply(
                "Chào đồng chí! Tôi là Trợ lý Chi bộ: tôi trả lời “tháng này học gì?”, “hạn nộp báo cáo "
                "khi nào?” và nhắc trước mỗi hạn, mỗi kỳ họp.\nChọn kế hoạch cấp trên đã ban hành cho "
                "chi bộ:",
                self._plan_buttons("sub"),
            )
        ]

    def _plan_buttons(
        self, action: str, only: list[str] | None = None
    ) -> tuple[tuple[Button, ...], ...]:
        plans = [p for p in self.catalog.sorted() if only is None or p.id in only]
        return tuple((Button(p.short_name, f"{action}:{p.id}"),) for p in plans)

    def _plan_list(self, now: datetime) -> Reply:
        lines = ["🗂 Các kế hoạch:"]
        for p in self.catalog.sorted():
            status = calendar.status(p, now.date()).value
            lines.append(
                f"• {p.short_name} ({p.id}) — {p.issuer}; {status}, {answers.period_text(p)}."
            )
        lines.append("Đăng ký: bấm nút dưới đây hoặc gõ /dangky <id> [tên chi bộ].")
        return Reply("\n".join(lines), self._plan_buttons("sub"))

    # ------------------------------------------------------------------ permissions

    async def _may_change(self, msg: Incoming) -> bool:
        if msg.user_id in self.bot_admins or not msg.is_group:
            return True
        return await self._is_chat_admin(msg)

    REFUSAL = Reply(
        "Xin lỗi, chỉ quản trị viên của nhóm mới thay đổi được đăng ký và cài đặt của nhóm."
    )

    # ------------------------------------------------------------------ subscribe / unsubscribe

    async def _subscribe(self, msg: Incoming, args: str, now: datetime) -> list[Reply]:
        if not await self._may_change(msg):
            return [self.REFUSAL]
        plan_id, _, cell_name = args.partition(" ")
        if not plan_id:
            return [Reply("Chọn kế hoạch để đăng ký cho chat này:", self._plan_buttons("sub"))]
        plan = self.catalog.get(plan_id.strip().lower())
        if plan is None:
            return [
                Reply(
                    f"Không có kế hoạch “{plan_id[:60]}”. Chọn một trong các kế hoạch sau:",
                    self._plan_buttons("sub"),
                )
            ]
        return await self._add_plan(msg, plan, settings.clean_cell_name(cell_name), now)

    async def _add_plan(
        self, msg: Incoming, plan: Plan, cell_name: str | None, now: datetime
    ) -> list[Reply]:
        sub = self.store.get(msg.platform, msg.chat_id) or Subscription(
            msg.platform,
            msg.chat_id,
            is_group=msg.is_group,
            title=msg.chat_title,
            created_by=f"{msg.user_id} ({msg.user_name})".strip(),
            created_at=stamp(now),
        )
        already = plan.id in sub.plan_ids
        sub = sub.but(
            plan_ids=sub.plan_ids if already else (*sub.plan_ids, plan.id),
            active=True,
            cell_name=cell_name or sub.cell_name,
        )
        await self.store.save(sub)
        head = (
            f"Chat này đã theo {plan.short_name} từ trước."
            if already
            else f"✅ Đã đăng ký {plan.short_name} cho {'nhóm' if msg.is_group else 'chat'} này."
        )
        lines = [head, f"{plan.title} — {answers.period_text(plan)}."]
        status = calendar.status(plan, now.date())
        if status is not calendar.Status.RUNNING:
            lines.append(f"Lưu ý: kế hoạch {status.value}.")
        lines.append(
            f"Tôi sẽ nhắc lúc {settings.hour_text(sub.reminder_time)} trước mỗi hạn và kỳ họp."
        )
        todo = settings.missing(sub, self._plans_of(sub))
        if todo:
            lines.append(
                "Để nhắc đúng cho chi bộ, xin cho biết: " + "; ".join(todo) + " (/caidat)."
            )
        return [Reply("\n".join(lines), (QUICK, (Button("⚙️ Cài đặt", "menu:settings"),)))]

    async def _unsubscribe(self, msg: Incoming, args: str) -> list[Reply]:
        if not await self._may_change(msg):
            return [self.REFUSAL]
        sub = self.store.get(msg.platform, msg.chat_id)
        if not sub or not sub.plan_ids:
            return [Reply("Chat này chưa đăng ký kế hoạch nào.")]
        target = args.strip().lower()
        if not target:
            if len(sub.plan_ids) == 1:
                target = sub.plan_ids[0]
            else:
                rows = self._plan_buttons("unsub", list(sub.plan_ids))
                return [Reply("Hủy kế hoạch nào?", (*rows, (Button("Hủy tất cả", "unsub:*"),)))]
        return await self._remove_plan(msg, sub, target)

    async def _remove_plan(self, msg: Incoming, sub: Subscription, target: str) -> list[Reply]:
        if target != "*" and target not in sub.plan_ids:
            return [Reply(f"Chat này không theo kế hoạch “{target[:60]}”.")]
        remaining = () if target == "*" else tuple(p for p in sub.plan_ids if p != target)
        await self.store.save(sub.but(plan_ids=remaining, pending={}))
        if remaining:
            return [Reply(f"Đã hủy. Chat này còn theo: {', '.join(remaining)}.")]
        return [
            Reply(
                "Đã hủy đăng ký. Tôi sẽ không nhắc nữa; cài đặt của chi bộ vẫn được giữ nếu "
                "đăng ký lại (/dangky)."
            )
        ]

    # ------------------------------------------------------------------ settings

    def _not_subscribed(self) -> Reply:
        return Reply(
            "Chat này chưa đăng ký kế hoạch nào. Chọn kế hoạch trước:", self._plan_buttons("sub")
        )

    async def _settings_menu(self, msg: Incoming, now: datetime) -> list[Reply]:
        sub = self.store.get(msg.platform, msg.chat_id)
        if not sub or not sub.plan_ids:
            return [self._not_subscribed()]
        plans = self._plans_of(sub)
        return [
            Reply(
                settings.summary(sub, plans, now.date()) + "\n\nChọn mục muốn đổi:",
                settings.menu_buttons(plans),
            )
        ]

    async def _begin_change(
        self, msg: Incoming, field: str, now: datetime, value_text: str | None = None
    ) -> list[Reply]:
        if not await self._may_change(msg):
            return [self.REFUSAL]
        sub = self.store.get(msg.platform, msg.chat_id)
        if not sub or not sub.plan_ids:
            return [self._not_subscribed()]
        if field == "event:*":  # typed "chuyên đề: 15/9": the plan's own cell event
            evs = settings.events(self._plans_of(sub))
            if not evs:
                return [Reply("Kế hoạch của chat này không có ngày nào chi bộ tự đặt.")]
            field = f"event:{evs[0][1]}"
        if not settings.field_known(field, self._plans_of(sub)):
            return [Reply("Mục cài đặt này không còn dùng được. Gõ /caidat để xem lại.")]
        sub = sub.but(pending={"field": field, "user": msg.user_id})
        if value_text is not None:
            return await self._settings_value(msg, sub, value_text, now)
        await self.store.save(sub)
        return [
            Reply(
                settings.prompt(field, self._plans_of(sub)),
                force_reply=True,
                buttons=settings.value_buttons(field),
            )
        ]

    async def _settings_value(
        self, msg: Incoming, sub: Subscription, text: str, now: datetime
    ) -> list[Reply]:
        if not await self._may_change(msg):
            return [self.REFUSAL]
        field = sub.pending["field"]
        result = settings.parse_value(field, text, now, self._plans_of(sub), sub)
        if isinstance(result, str) and route(text, now).name not in (
            "unknown",
            "period",
            "greeting",
        ):
            # Not a value but a question ("tháng này học gì"): answer it rather than trap the user.
            await self.store.save(sub.but(pending={}))
            return await self._free_text(msg, text[:MAX_ROUTED_CHARS], now)
        if isinstance(result, str):  # a Vietnamese reason: ask again, keep waiting
            await self.store.save(sub)
            return [
                Reply(
                    f"⚠️ {result}\n{settings.prompt(field, self._plans_of(sub))}", force_reply=True
                )
            ]
        value, description = result
        sub = sub.but(pending={"field": field, "value": value, "user": msg.user_id})
        await self.store.save(sub)
        return [
            Reply(
                f"Xác nhận thay đổi:\n{description}\n\nLưu lại?",
                (
                    (
                        Button("✅ Lưu", "set:save"),
                        Button("✏️ Nhập lại", f"set:{field}"),
                        Button("✖️ Thôi", "set:cancel"),
                    ),
                ),
            )
        ]

    async def _save_pending(self, msg: Incoming, now: datetime) -> list[Reply]:
        sub = self.store.get(msg.platform, msg.chat_id)
        if not sub or "value" not in sub.pending:
            return [
                Reply(
                    "Nút này đã cũ: không có thay đổi nào đang chờ lưu. Gõ /caidat để bắt đầu lại."
                )
            ]
        sub = settings.apply(sub, sub.pending["field"], sub.pending["value"]).but(pending={})
        await self.store.save(sub)
        plans = self._plans_of(sub)
        return [
            Reply(
                "✅ Đã lưu.\n\n" + settings.summary(sub, plans, now.date()),
                settings.menu_buttons(plans),
            )
        ]

    # ------------------------------------------------------------------ buttons

    async def _callback(self, msg: Incoming, now: datetime) -> list[Reply]:
        data = msg.callback or ""
        action, _, arg = data.partition(":")
        if action == "q":
            return self._ask(msg, "tháng này học gì" if arg == "topics" else "hạn chót", now)
        if action == "menu" and arg == "plans":
            if not await self._may_change(msg):
                return [self.REFUSAL]
            return [Reply("Chọn kế hoạch để đăng ký cho chat này:", self._plan_buttons("sub"))]
        if action == "menu" and arg == "settings":
            return await self._settings_menu(msg, now)
        if action == "sub":
            if not await self._may_change(msg):
                return [self.REFUSAL]
            plan = self.catalog.get(arg)
            if plan is None:
                return [
                    Reply("Kế hoạch trên nút này không còn. Chọn lại:", self._plan_buttons("sub"))
                ]
            return await self._add_plan(msg, plan, None, now)
        if action == "unsub":
            if not await self._may_change(msg):
                return [self.REFUSAL]
            sub = self.store.get(msg.platform, msg.chat_id)
            if not sub or not sub.plan_ids:
                return [Reply("Chat này chưa đăng ký kế hoạch nào.")]
            return await self._remove_plan(msg, sub, arg)
        if action == DONE_PREFIX:
            return await self._done(msg, arg, now)
        if action == "set":
            if not await self._may_change(msg):
                return [self.REFUSAL]
            if arg == "save":
                return await self._save_pending(msg, now)
            if arg == "cancel":
                sub = self.store.get(msg.platform, msg.chat_id)
                if sub and sub.pending:
                    await self.store.save(sub.but(pending={}))
                return [Reply("Đã bỏ, không thay đổi gì.")]
            if arg.startswith("v="):  # a preset value button (giờ nhắc, nhắc trước)
                sub = self.store.get(msg.platform, msg.chat_id)
                if not sub or not sub.pending.get("field"):
                    return [Reply("Nút này đã cũ. Gõ /caidat để bắt đầu lại.")]
                return await self._settings_value(msg, sub, arg[2:], now)
            return await self._begin_change(msg, arg, now)
        return [Reply("Nút này đã cũ hoặc không còn dùng được. Gõ /help để xem các lệnh.")]

    # ------------------------------------------------------------------ done, status, announcements

    async def _done(self, msg: Incoming, arg: str, now: datetime) -> list[Reply]:
        sub = self.store.get(msg.platform, msg.chat_id)
        plan_id, _, item_id = arg.partition(":")
        plan = self.catalog.get(plan_id)
        if not sub or plan is None or plan_id not in sub.plan_ids:
            return [Reply("Nút này đã cũ: chat không còn theo kế hoạch này.")]
        due = next((d for d in calendar.dues(plan, sub.cell()) if d.item_id == item_id), None)
        if due is None:
            return [Reply("Nút này đã cũ: việc này không còn trong kế hoạch.")]
        setter = sub.created_by.split(" ", 1)[0]
        if msg.is_group and msg.user_id != setter and not await self._may_change(msg):
            return [
                Reply(
                    "Xin lỗi, chỉ bí thư (người đăng ký) hoặc quản trị viên nhóm mới đánh dấu hoàn thành."
                )
            ]
        key = f"{plan_id}|{item_id}"
        if key in sub.done:
            rec = sub.done[key]
            return [
                Reply(
                    f"Việc “{due.title}” đã được {rec['by']} đánh dấu hoàn thành lúc {rec['when']}."
                )
            ]
        who = msg.user_name or msg.user_id
        when = vi_format.moment(now)
        await self.store.save(
            sub.but(
                done={
                    **sub.done,
                    key: {"by": who, "user_id": msg.user_id, "at": stamp(now), "when": when},
                }
            )
        )
        return [
            Reply(
                f"✅ Cảm ơn đồng chí {who}! Đã ghi nhận hoàn thành “{due.title}” lúc {when}. "
                "Tôi sẽ không nhắc việc này nữa."
            )
        ]

    def _status(self, now: datetime) -> Reply:
        return Reply(admin.status_text(self.catalog, self.store.all(), now.date()))

    async def _announce(self, rest: str) -> list[Reply]:
        target = rest.split(" ", 1)
        plan_id = target[0].lower() if target and self.catalog.get(target[0].lower()) else None
        text = target[1].strip() if plan_id and len(target) > 1 else rest.strip()
        if not text:
            return [
                Reply(
                    "Gõ /thongbao [id kế hoạch] nội dung. Ví dụ: /thongbao tra-vinh-60-2022 Họp giao ban "
                    "lúc 8h thứ Hai."
                )
            ]
        chats = [
            s.key
            for s in self.store.all()
            if s.active and s.plan_ids and (not plan_id or plan_id in s.plan_ids)
        ]
        if not chats:
            return [
                Reply(
                    "Không có chat nào đang theo"
                    + (f" {plan_id}." if plan_id else " kế hoạch nào.")
                )
            ]
        if self._broadcast is None:
            return [Reply("Chưa gửi được: bot chưa nối với kênh gửi tin.")]
        count = await self._broadcast(chats, Reply(f"📣 Thông báo của cấp trên:\n{text}"))
        return [
            Reply(
                f"Đã xếp hàng gửi thông báo tới {count} chat"
                + (f" theo {plan_id}." if plan_id else ".")
            )
        ]
