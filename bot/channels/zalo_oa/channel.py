"""The Zalo Official Account channel: a committee's OA talking with its cells' secretaries.

Receiving is by webhook only (`/zalo-oa` on the shared webhook server; the URL is set in the App's
page on developers.zalo.me): each delivery's X-ZEvent-Signature is checked, the delivery is
answered 200 at once and handled in the background (Zalo wants an answer within 2 seconds and
disables a webhook that keeps failing), and an event is handled once by its `msg_id`.

A chat is one user, or a group chat the OA owns (GMF): its members' messages come as
`user_send_group_*` events naming the group, and the OA answers there through the group message
endpoint, which no interaction window binds. In a group the OA reads every message, so only a
command, a number or a label answering the chat's newest menu is addressed to it; a group's
choices are numbered lines (no buttons are documented for group messages).

A user's choices are `oa.query.show` buttons whose payload is the choice's label: a tap sends the
label back as if typed, and the chat's newest menu (kept like the numbered menus of
bot/channels/choices.py) maps it back to the button. More than five choices, the platform's
limit, go as numbered lines.

Sending to a user follows the interaction window (bot/channels/zalo_oa/window.py): free inside it;
a reminder that may wait does so for the user's next interaction until its last useful day;
then paid within the month's budget; to a user silent for 7 days, an approved ZBS template for the
reminder's kind with its facts as the template's data; else held — the scheduler keeps the chat
behind and sends the reminder when the user next writes. Every reminder carries a "✅ Đã nhận"
button, since a tap is an interaction and reopens the window.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from aiohttp import web

from bot.channels.base import Channel, WebhookHandler
from bot.channels.choices import MENU_LIFETIME, NumberedChoices, flatten, numbered_text
from bot.channels.outbox import Gone, Held, Limits, OnSent, RateLimiter, RetryLater
from bot.channels.recent_ids import RecentIds
from bot.channels.zalo_oa.api import (
    BAD_PARAMETER,
    MAX_BUTTONS,
    MAX_TEXT,
    NO_INTERACTION,
    NOT_FOLLOWER,
    RATE_LIMITED,
    TOKEN_ERRORS,
    OAError,
    QueryButton,
    SentMessage,
    ZaloOAAPI,
    verify_signature,
)
from bot.channels.zalo_oa.tokens import TokenKeeper, TokenUnavailable
from bot.channels.zalo_oa.window import Route, Windows
from bot.clock import Clock
from bot.config import OATemplates, ZaloOAConfig
from handlers.conversation import Conversation
from handlers.state import Store
from handlers.types import Button, Incoming, PushFacts, ReceivedFile, Reply, Unreadable, UserRef
from schedules import vi_format
from schedules.pushes import PushKind

log = logging.getLogger(__name__)

PLATFORM = "zalo-oa"
WEBHOOK_PATH = "/zalo-oa"
ACK_LABEL = "✅ Đã nhận"
ACK_DATA = "oa:ack"
ACK_REPLY = "👍 Đã ghi nhận. Các nhắc việc tiếp theo sẽ gửi qua đây."
HELD_NOTE = (
    "ℹ️ Có tin nhắc gửi đồng chí đã phải chờ vì đồng chí chưa nhắn OA gần đây (OA chỉ nhắn miễn "
    "phí cho người vừa nhắn tới); tin đó sẽ tới trong ít phút nữa. Để không lỡ nhắc việc, mỗi "
    "tuần xin gõ bất kỳ để nhận nhắc, hoặc bấm “✅ Đã nhận” dưới tin nhắc."
)
RATE_LIMIT_PAUSE = 60.0  # the package's limit is per minute

TEXT_EVENT = "user_send_text"
GROUP_TEXT_EVENT = "user_send_group_text"
GROUP_EVENTS = "user_send_group_"
FOLLOW_EVENT = "follow"
UNFOLLOW_EVENT = "unfollow"


@dataclass(frozen=True)
class OAEvent:
    name: str
    user_id: str
    text: str
    msg_id: str
    group_id: str = ""  # the OA's group chat the message was written in; "" for a 1:1 chat

    @property
    def chat_id(self) -> str:
        return self.group_id or self.user_id


def parse_event(payload: Any) -> OAEvent | None:
    """A user's event (user_send_*, user_send_group_*, follow, unfollow); None for anything
    else. A group event names its group as ``recipient.group_id`` or, as integrations report
    it, ``recipient.id``."""
    if not isinstance(payload, dict):
        return None
    name = str(payload.get("event_name", ""))
    if name in (FOLLOW_EVENT, UNFOLLOW_EVENT):
        follower = _dict(payload.get("follower"))
        user = str(follower.get("id", ""))
        return (
            OAEvent(name, user, "", f"{name}:{user}:{payload.get('timestamp', '')}")
            if user
            else None
        )
    if not name.startswith("user_send_"):
        return None
    sender, message = _dict(payload.get("sender")), _dict(payload.get("message"))
    user = str(sender.get("id", ""))
    if not user:
        return None
    group = ""
    if name.startswith(GROUP_EVENTS):
        recipient = _dict(payload.get("recipient"))
        group = str(recipient.get("group_id") or recipient.get("id") or "")
        if not group:
            return None
    text = str(message.get("text", "")) if name in (TEXT_EVENT, GROUP_TEXT_EVENT) else ""
    return OAEvent(name, user, text, str(message.get("msg_id", "")), group)


def template_id(templates: OATemplates, kind: PushKind) -> str:
    """The approved template for a kind of reminder; "" where none is configured."""
    if kind is PushKind.MEETING:
        return templates.meeting
    if kind is PushKind.TOPICS:
        return templates.topics
    if kind is PushKind.CATCHUP:
        return ""
    return templates.deadline


def soonest(folded: tuple[PushFacts, ...]) -> PushFacts | None:
    """Of a late summary's reminders, the one whose day comes first: the one a template names."""
    return min(folded, key=lambda f: f.day, default=None)


def with_others(facts: PushFacts, folded: tuple[PushFacts, ...]) -> PushFacts:
    """The template's facts for a late summary folding other reminders too: a template carries
    one reminder's fields, so its title says how many more there are — the summary goes as sent,
    and a reminder the user was never told of would be lost; told, they are one /hanchot away."""
    others = {(f.title, f.day) for f in folded} - {(facts.title, facts.day)}
    if not others:
        return facts
    return replace(facts, title=f"{facts.title} (và {len(others)} nhắc việc khác)")


def template_data(facts: PushFacts) -> dict[str, str]:
    """The template's parameters (named so in the ZBS console: see docs/van-hanh.md); a meeting
    belongs to no plan, so its template has no `ke_hoach`."""
    data = {"tieu_de": facts.title, "ngay": vi_format.full(facts.day)}
    return data | {"ke_hoach": facts.plan} if facts.plan else data


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class ZaloOAChannel(Channel):
    platform = PLATFORM
    text_limit = MAX_TEXT
    has_buttons = True
    carries_files = False  # the channel sends no documents; a file sent to the OA is not read

    def __init__(
        self,
        config: ZaloOAConfig,
        conversation: Conversation,
        clock: Clock,
        store: Store,
        limiter: RateLimiter | None = None,
    ) -> None:
        limiter = limiter or RateLimiter(Limits(overall=(config.rate_per_min, 60.0)))
        super().__init__(conversation, clock, store, limiter)
        self.config = config
        self.api = ZaloOAAPI(
            config.app_id, config.app_secret, config.api_base_url, config.oauth_base_url
        )
        self.tokens = TokenKeeper(self.api, store, clock.now, config.refresh_token)
        self.windows = Windows(store, clock.now, config.monthly_budget)
        self.choices = NumberedChoices(PLATFORM, store)  # menus, pressed by label or number
        self._seen = RecentIds(store, "zalo-oa:events")
        self._taking: set[str] = set()
        self._groups: set[str] = set()  # group chats seen since start (the store knows the rest)

    @property
    def mode(self) -> str:
        return "webhook"

    # -- start and receive ----------------------------------------------------------------------

    async def start(self) -> None:
        """A token pair at hand (refreshed if needed). Without one the channel still receives,
        its messages are held, and the admins were told on the other channels."""
        try:
            await self.tokens.access_token()
        except TokenUnavailable:
            return
        log.info("Zalo OA: app %s ready (webhook %s)", self.config.app_id, WEBHOOK_PATH)

    def webhook_route(self) -> tuple[str, WebhookHandler] | None:
        return WEBHOOK_PATH, self.on_webhook

    async def on_webhook(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not verify_signature(request.headers, body, self.config.app_id, self.config.secret_key):
            log.warning("Zalo OA: a webhook delivery with a wrong signature was refused")
            return web.Response(status=403)
        try:
            event = parse_event(json.loads(body))
        except ValueError:
            event = None
        fresh = event is not None and not (
            event.msg_id and (event.msg_id in self._seen or event.msg_id in self._taking)
        )
        if event is not None and fresh:
            self._taking.add(event.msg_id)  # a retry arriving while this one is handled
            self._spawn(self.in_order(event.chat_id, self.process(event)))
        return web.json_response({"error": 0, "message": "Success"})

    async def process(self, event: OAEvent) -> None:
        """One event, once: handled before it is remembered (a crash in between answers again
        rather than never)."""
        try:
            if event.msg_id in self._seen:
                return
            if event.name == UNFOLLOW_EVENT:  # not an interaction: nothing can be sent now
                await self.conversation.left(PLATFORM, event.user_id)
                await self._seen.add(event.msg_id)
                return
            if event.group_id:
                await self._group_message(event)
                await self._seen.add(event.msg_id)
                return
            held = await self.windows.interacted(event.user_id)
            if event.name == FOLLOW_EVENT:
                await self.handle(Incoming(PLATFORM, event.user_id, event.user_id, text="/start"))
            else:
                await self.handle(
                    Incoming(
                        PLATFORM,
                        event.user_id,
                        event.user_id,
                        text=event.text,
                        file=self._not_carried(event),
                    )
                )
            if held:
                await self.send(event.user_id, Reply(HELD_NOTE))
            await self._seen.add(event.msg_id)
        finally:
            self._taking.discard(event.msg_id)

    async def _group_message(self, event: OAEvent) -> None:
        """A member wrote in the OA's group: the group is the chat. Addressed to the OA only as a
        command or an answer to the group's newest menu (by number or label)."""
        self._groups.add(event.group_id)
        text = event.text.strip()
        addressed = text.startswith("/") or self._answers_menu(event.group_id, text)
        await self.handle(
            Incoming(
                PLATFORM,
                event.group_id,
                event.user_id,
                text=event.text,
                is_group=True,
                addressed=addressed,
            )
        )

    def _answers_menu(self, chat_id: str, text: str) -> bool:
        menu = self.choices.current(chat_id) if self.choices is not None else None
        if menu is None or self.clock.now() - menu.at > MENU_LIFETIME:
            return False
        return (text.isdigit() and 1 <= int(text) <= len(menu.labels)) or any(
            label.strip() == text for label in menu.labels
        )

    def is_group(self, chat_id: str) -> bool:
        if chat_id in self._groups:
            return True
        sub = self.store.get(PLATFORM, chat_id)
        return sub is not None and sub.is_group

    async def is_chat_admin(self, msg: Incoming) -> bool:
        """In a group, the member who subscribed it (the platform lists no group admins to us);
        the bot's admins in CHIBO_ADMINS besides."""
        if not msg.is_group:
            return True
        sub = self.store.get(PLATFORM, msg.chat_id)
        owner = sub.created_by_id if sub and sub.plan_ids else ""
        return not owner or owner == msg.user_id

    def _not_carried(self, event: OAEvent) -> ReceivedFile | None:
        """A file or an image from an admin: told how else to publish a plan."""
        if event.name == TEXT_EVENT:
            return None
        if self.conversation.scope_of(UserRef(PLATFORM, event.user_id)) is None:
            return None
        return ReceivedFile("", 0, unreadable=Unreadable.NOT_CARRIED)

    async def handle(self, msg: Incoming) -> None:
        """A tap on a button arrives as its label typed: the chat's newest menu says which."""
        if msg.callback is None and msg.text:
            data = self._pressed(msg.chat_id, msg.text)
            if data == ACK_DATA or msg.text.strip() == ACK_LABEL:
                await self.send(msg.chat_id, Reply(ACK_REPLY))
                return
            if data is not None:
                msg = replace(msg, text="", callback=data)
        await super().handle(msg)

    def _pressed(self, chat_id: str, text: str) -> str | None:
        menu = self.choices.current(chat_id) if self.choices is not None else None
        if menu is None or self.clock.now() - menu.at > MENU_LIFETIME:
            return None
        typed = text.strip()
        for label, data in zip(menu.labels, menu.data, strict=True):
            if label.strip() == typed:
                return data
        return None

    # -- outgoing -------------------------------------------------------------------------------

    async def send(
        self, chat_id: str, reply: Reply, is_group: bool = False, on_sent: OnSent | None = None
    ) -> str:
        """A reminder to a user (sent by the scheduler, with `on_sent`) gets the "✅ Đã nhận"
        button."""
        if on_sent is not None and not is_group and len(flatten(reply.buttons)) < MAX_BUTTONS:
            reply = replace(reply, buttons=(*reply.buttons, (Button(ACK_LABEL, ACK_DATA),)))
        return await super().send(chat_id, reply, is_group, on_sent)

    def _make_pieces(self, reply: Reply, is_group: bool) -> list[Reply]:
        """Choices as buttons to a user (numbered past the platform's five), as numbered lines
        in a group; every piece keeps the reminder's facts, which decide its route."""
        if is_group or len(flatten(reply.buttons)) > MAX_BUTTONS:
            reply = replace(reply, text=numbered_text(reply, is_group), buttons=())
        pieces = super()._make_pieces(reply, is_group)
        if reply.push is None and not reply.folded:
            return pieces
        return [replace(p, push=reply.push, folded=reply.folded) for p in pieces]

    async def raw_send(self, chat_id: str, reply: Reply) -> None:
        if self.is_group(chat_id):  # the OA's own group: no window, no price (GMF)
            await self._call(lambda token: self.api.send_group_text(token, chat_id, reply.text))
            await self.windows.sent_to_group()
            return
        reminder = any(b.data == ACK_DATA for b in flatten(reply.buttons))
        # a reminder already waiting keeps the first one's facts: the scheduler may offer it
        # again re-worded, without them
        facts = (
            (self.windows.waiting(chat_id) or reply.push or soonest(reply.folded))
            if reminder
            else None
        )
        template = template_id(self.config.templates, facts.kind) if facts is not None else ""
        how = self.windows.route(chat_id, facts, bool(template))
        if how is Route.WAIT:
            assert facts is not None
            await self.windows.wait(chat_id, facts)
            raise Held("zalo-oa: waiting for the user's next interaction")
        if how in (Route.HOLD_BUDGET, Route.HOLD_SILENT):
            await self.windows.held(chat_id, how)
            raise Held(f"zalo-oa: {how.value}")
        if how is Route.TEMPLATE:
            assert facts is not None
            await self._template(chat_id, template, with_others(facts, reply.folded))
            await self.windows.sent(chat_id, how, reminder)
            return
        buttons = tuple(QueryButton(b.label, b.label) for b in flatten(reply.buttons))
        try:
            sent = await self._call(
                lambda token: self.api.send_text(token, chat_id, reply.text, buttons)
            )
        except OAError as e:
            if e.code == NO_INTERACTION:  # our record was wrong: the platform knows best
                await self.windows.silent(chat_id)
                await self.windows.held(chat_id, Route.HOLD_SILENT)
                raise Held("zalo-oa: 7 days of silence") from None
            if e.code == NOT_FOLLOWER:
                raise Gone(str(e)) from None
            raise
        if sent.quota_type:  # what the platform counted it as, when it says
            how = Route.FREE if sent.quota_type == "reply" else Route.PAID
        await self.windows.sent(chat_id, how, reminder)

    async def _template(self, user_id: str, template: str, facts: PushFacts) -> None:
        """The reminder as the approved template of its kind; a template the platform refuses
        (unknown, or its parameters not these) holds the reminder, logged."""
        data = template_data(facts)
        try:
            await self._call(lambda token: self.api.send_template(token, user_id, template, data))
        except OAError as e:
            if e.code == BAD_PARAMETER:
                log.error(
                    "Zalo OA: template %s was refused (%s); check its id and its parameters "
                    "(tieu_de, ngay, ke_hoach)",
                    template,
                    e.message,
                )
                await self.windows.held(user_id, Route.HOLD_SILENT)
                raise Held("zalo-oa: template refused") from None
            if e.code == NOT_FOLLOWER:
                raise Gone(str(e)) from None
            raise

    async def _call(self, send: Callable[[str], Awaitable[SentMessage]]) -> SentMessage:
        """One platform call with the access token: refreshed and tried once more when the
        platform says it is revoked or expired; a rate limit pauses the channel."""
        try:
            token = await self.tokens.access_token()
            try:
                return await send(token)
            except OAError as e:
                if e.code not in TOKEN_ERRORS:
                    raise
                pair = await self.tokens.refresh(stale=token)  # revoked or expired early
                return await send(pair.access_token)
        except TokenUnavailable:
            raise Held("zalo-oa: no token") from None
        except OAError as e:
            if e.code == RATE_LIMITED:
                raise RetryLater(RATE_LIMIT_PAUSE) from None
            raise

    async def close(self) -> None:
        await super().close()
        await self.api.aclose()
