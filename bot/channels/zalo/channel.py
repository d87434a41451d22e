"""The Zalo channel (Zalo Bot Platform): updates in, Incoming to the conversation, Replies out.

Zalo has no buttons and no update offset: choices are numbered lines answered by number
(bot/channels/choices.py), and an update is kept in the inbox journal from its read until it is handled
(bot/channels/inbox.py), then remembered by its message id, so a replayed or redelivered one is answered
once. Messages are split under 2,000 characters (counted in UTF-16 units, as the platform may
count them). Sends count against the monthly allowance (bot/channels/zalo/quota.py).

Groups: the platform admits bots to groups only in limited testing, and a bot there sees only
mentions and replies, so every group message that reaches it is addressed to it. Zalo has no
call that lists a group's admins: a group's subscription may be changed by the member who
subscribed it, and by the bot admins named in CHIBO_ADMINS.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web

from bot.channels.base import Channel, WebhookHandler
from bot.channels.inbox import Inbox
from bot.channels.outbox import Limits, RateLimiter, Transient
from bot.channels.recent_ids import RecentIds
from bot.channels.shaping import utf16_chunks
from bot.channels.zalo.api import (
    IMAGE_EVENT,
    UNSUPPORTED_EVENT,
    ZaloBot,
    ZaloBotAPI,
    ZaloUpdate,
    verify_secret,
)
from bot.channels.zalo.quota import MonthlyQuota
from bot.clock import Clock
from bot.config import ZaloConfig
from bot.retrying import durably
from handlers.conversation import Conversation
from handlers.state import Store, Subscription
from handlers.types import Incoming, ReceivedFile, Reply, Unreadable, UserRef

log = logging.getLogger(__name__)

PLATFORM = "zalo"
TEXT_LIMIT = 2000
# The platform publishes no rate limits; a burst is refused by its front proxy. Stay well under
# what people measured, and at Telegram's per-chat and per-group pace.
ZALO_LIMITS = Limits(overall=(10, 1.0), group=(20, 60.0), chat=(1, 1.0))

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


def creator_id(sub: Subscription) -> str:
    """The user who subscribed the chat (Subscription.from_dict reads older "id (name)" data)."""
    return sub.created_by_id


class ZaloChannel(Channel):
    platform = PLATFORM
    default_limits = ZALO_LIMITS
    quota: MonthlyQuota  # always counted: the free tier's allowance, or 0 for no limit
    text_limit = TEXT_LIMIT
    has_buttons = False
    # the platform carries no documents either way: a file we send goes as text
    # (bot/attachments); one a user sends never reaches the bot (bot.zaloplatforms.com/docs)
    carries_files = False

    def __init__(
        self,
        config: ZaloConfig,
        conversation: Conversation,
        clock: Clock,
        store: Store,
        limiter: RateLimiter | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        poll_timeout: int = 30,
    ) -> None:
        super().__init__(conversation, clock, store, limiter)
        self.api = ZaloBotAPI(
            config.token, config.api_base_url, poll_timeout=poll_timeout, bot_name=config.bot_name
        )
        self.webhook = config.webhook
        self.quota = MonthlyQuota(PLATFORM, config.monthly_limit, clock.now, store)
        self.sleep = sleep
        self.poll_timeout = poll_timeout
        self._seen = RecentIds(store, "zalo:messages")
        self.inbox: Inbox[ZaloUpdate] = Inbox(
            self,
            "zalo:inbox",
            id_of=lambda u: u.message_id,
            chat_of=lambda u: u.chat_id,
            encode=lambda u: dict(u.raw),
            decode=self.api.parse,  # the bot's mention removed again, as when first read
            handle=self.process,
        )
        self.me: ZaloBot | None = None

    # -- start and receive ----------------------------------------------------------------------

    async def _retrying(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        """A call retried with backoff while the platform is unreachable (one log line each)."""
        result: T = await durably(f"Zalo {what} failed", call, self.sleep, Transient)
        return result

    async def start(self) -> None:
        self.me = await self._retrying("getMe", self.api.get_me)
        if self.webhook:
            webhook = self.webhook
            await self._retrying(
                "setWebhook", lambda: self.api.set_webhook(webhook.url, webhook.secret)
            )
        else:  # a webhook left from an earlier setup would keep updates from getUpdates
            await self._retrying("deleteWebhook", self.api.delete_webhook)
        log.info("Zalo: bot %s ready (%s)", self.me.name if self.me else "?", self.mode)

    async def receive(self) -> None:
        if self.webhook:
            return
        self._seen.reload()  # what another process handled before this one took over
        self.inbox.resume()
        while True:
            await self.inbox.room()
            updates = await self._retrying(
                "getUpdates", lambda: self.api.get_updates(self.poll_timeout)
            )
            # An update is consumed when read (the platform keeps no offset for us): it is
            # written to the inbox journal and handled from there while the next poll goes out,
            # so a reply held by a chat's pace delays no other chat, and a crash costs at most
            # the one update between its read and its write (bot/channels/inbox.py)
            await self.inbox.take(updates)

    def webhook_route(self) -> tuple[str, WebhookHandler] | None:
        return ("/zalo", self.on_webhook) if self.webhook else None

    async def on_webhook(self, request: web.Request) -> web.Response:
        if not verify_secret(request.headers, self.webhook.secret if self.webhook else ""):
            return web.Response(status=403)
        try:
            payload = await request.json()
        except Exception:  # not JSON: nothing to handle, nothing the platform should resend
            log.warning("Zalo webhook: a body that is not JSON skipped")
            return web.json_response({"ok": True})
        update = self.api.parse(payload)  # the bot's @mention removed, as when polling
        if update is not None:  # deliveries come side by side: each chat's in order
            await self.in_order(update.chat_id, self.process(update))
        return web.json_response({"ok": True})

    async def process(self, update: ZaloUpdate) -> None:
        """One update, once: handled before it is remembered, so a crash in between answers it
        again rather than never."""
        if update.message_id and update.message_id in self._seen:
            return
        if update.user_id and self.me is not None and update.user_id == self.me.id:
            return  # our own message echoed back
        await self.handle(
            Incoming(
                PLATFORM,
                update.chat_id,
                update.user_id,
                text=update.text,
                is_group=update.is_group,
                user_name=update.user_name,
                addressed=True,  # in groups the platform shows the bot only mentions and replies
                file=self._not_carried(update),
            )
        )
        if update.message_id:
            await self._seen.add(update.message_id)

    def _not_carried(self, update: ZaloUpdate) -> ReceivedFile | None:
        """An image, or a message the platform does not show bots (a file among them), from an
        admin: the bot receives no files on Zalo (bot.zaloplatforms.com/docs: text, image,
        sticker and "unsupported" events only), so the admin is told how else to publish a
        plan. Anyone else gets the usual "text only" answer."""
        if update.event_name not in (IMAGE_EVENT, UNSUPPORTED_EVENT):
            return None
        if self.conversation.scope_of(UserRef(PLATFORM, update.user_id)) is None:
            return None
        return ReceivedFile("", 0, unreadable=Unreadable.NOT_CARRIED)

    # -- outgoing -------------------------------------------------------------------------------

    def split(self, text: str) -> list[str]:
        return utf16_chunks(text, self.text_limit)

    async def raw_send(self, chat_id: str, reply: Reply) -> None:
        self.quota.reserve(chat_id)
        try:
            await self.api.send_message(chat_id, reply.text)
        except BaseException:
            self.quota.release()
            raise
        await self.quota.sent()

    async def is_chat_admin(self, msg: Incoming) -> bool:
        if not msg.is_group:
            return True
        sub = self.store.get(PLATFORM, msg.chat_id)
        owner = creator_id(sub) if sub and sub.plan_ids else ""
        return not owner or owner == msg.user_id  # the first to subscribe a group owns it

    async def close(self) -> None:
        await super().close()
        await self.api.aclose()
