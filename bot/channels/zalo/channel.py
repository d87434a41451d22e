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

A pool: ZALO_BOT_TOKEN may name several bots, each a ZaloChannel of its own with its platform key
(config.key: "zalo" for the first, "zalo-<bot id>" for the others), so its chats, counts, inbox
and journals are its own. A newcomer past a bot's user or group cap (caps.py) is told which bot
of the pool has room.

The platform's failures never end the bot: a refused or failed poll (the proxy's HTML 429, a
JSON 403 or 5xx, a body that is not JSON, a reset) is retried with the start-up back-off, one log
line each; only a refused token at start-up stops it. Polls that return at once are spaced by
MIN_POLL_GAP, so a replayed update cannot make a hot loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web

from bot.channels.base import Channel, WebhookHandler
from bot.channels.inbox import Inbox
from bot.channels.outbox import Held, Limits, RateLimiter
from bot.channels.recent_ids import RecentIds
from bot.channels.shaping import utf16_chunks
from bot.channels.zalo.api import (
    IMAGE_EVENT,
    UNSUPPORTED_EVENT,
    InvalidZaloToken,
    QuotaExceeded,
    ZaloBot,
    ZaloBotAPI,
    ZaloError,
    ZaloUpdate,
    verify_secret,
)
from bot.channels.zalo.caps import Admission
from bot.channels.zalo.quota import MonthlyQuota
from bot.channels.zalo.status import caps_of, label, quota_of
from bot.clock import Clock
from bot.config import ZaloConfig
from bot.retrying import BACKOFF
from handlers.conversation import Conversation
from handlers.state import Store, Subscription
from handlers.types import Incoming, ReceivedFile, Reply, Unreadable, UserRef

log = logging.getLogger(__name__)

PLATFORM = "zalo"
TEXT_LIMIT = 2000
# The platform publishes no rate limits; a burst is refused by its front proxy. Stay well under
# what people measured, and at Telegram's per-chat and per-group pace.
ZALO_LIMITS = Limits(overall=(10, 1.0), group=(20, 60.0), chat=(1, 1.0))

MIN_POLL_GAP = 1.0  # seconds between the starts of two polls when the first returned at once

Sleep = Callable[[float], Awaitable[None]]
Notify = Callable[[str], Awaitable[None]]
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
        self.platform = config.key  # before the base class: numbered choices are kept under it
        self.config = config
        super().__init__(conversation, clock, store, limiter)
        self.api = ZaloBotAPI(
            config.token, config.api_base_url, poll_timeout=poll_timeout, bot_name=config.bot_name
        )
        self.webhook = config.webhook
        self.label = label(config)
        self.quota = quota_of(config, store, clock.now)
        self.caps = caps_of(config, store)
        self.pool: list[ZaloChannel] = [self]  # the bots of ZALO_BOT_TOKEN (set by the wiring)
        self.notify_admins: Notify | None = None
        self.sleep = sleep
        # Polls are spaced in real time (the platform's time), whatever clock the bot runs on
        self.poll_gap: Sleep = asyncio.sleep
        self.poll_timeout = poll_timeout
        self._seen = RecentIds(store, f"{self.platform}:messages")
        self.inbox: Inbox[ZaloUpdate] = Inbox(
            self,
            f"{self.platform}:inbox",
            id_of=lambda u: u.message_id,
            chat_of=lambda u: u.chat_id,
            encode=lambda u: dict(u.raw),
            decode=self.api.parse,  # the bot's mention removed again, as when first read
            handle=self.process,
        )
        self.me: ZaloBot | None = None

    # -- start and receive ----------------------------------------------------------------------

    async def _retrying(
        self, what: str, call: Callable[[], Awaitable[T]], *, starting: bool = True
    ) -> T:
        """A call retried with back-off whatever the platform answers (one log line each). At
        start-up a refused token (401) or a malformed address stops the bot: no retry mends it."""
        attempt = 0
        while True:
            try:
                return await call()
            except asyncio.CancelledError:
                raise
            except (InvalidZaloToken, ZaloError) as e:
                if starting and (isinstance(e, InvalidZaloToken) or e.code == 0):
                    raise
                error: Exception = e
            except Exception as e:  # a 429, a 403, a 5xx, a proxy's page, a reset: all pass
                error = e
            wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
            attempt += 1
            log.warning(
                "%s %s failed (attempt %d: %s); retrying in %d s",
                self.label,
                what,
                attempt,
                error,
                wait,
            )
            await self.sleep(wait)

    async def start(self) -> None:
        self.me = await self._retrying("getMe", self.api.get_me)
        if self.webhook:
            webhook = self.webhook
            await self._retrying(
                "setWebhook", lambda: self.api.set_webhook(webhook.url, webhook.secret)
            )
        else:  # a webhook left from an earlier setup would keep updates from getUpdates
            await self._retrying("deleteWebhook", self.api.delete_webhook)
        log.info("%s ready (%s)", self.label, self.mode)

    @property
    def display_name(self) -> str:
        """How a newcomer is told to find this bot: the operator's name for it, else getMe's."""
        if self.config.bot_name:
            return self.config.bot_name
        return self.me.account_name if self.me and self.me.account_name else self.label

    async def receive(self) -> None:
        self._seen.reload()  # what another process handled before this one took over
        self.inbox.resume()
        if self.webhook:
            return
        while True:
            await self.inbox.room()
            started = time.monotonic()
            updates = await self._retrying(
                "getUpdates", lambda: self.api.get_updates(self.poll_timeout), starting=False
            )
            # An update is consumed when read (the platform keeps no offset for us): it is
            # written to the inbox journal and handled from there while the next poll goes out,
            # so a reply held by a chat's pace delays no other chat, and a crash costs at most
            # the one update between its read and its write (bot/channels/inbox.py)
            await self.inbox.take(updates)
            gap = MIN_POLL_GAP - (time.monotonic() - started)
            if gap > 0:  # never a hot loop, even when the platform answers at once
                await self.poll_gap(gap)

    def webhook_route(self) -> tuple[str, WebhookHandler] | None:
        return (self.config.webhook_path, self.on_webhook) if self.webhook else None

    async def on_webhook(self, request: web.Request) -> web.Response:
        if not verify_secret(request.headers, self.webhook.secret if self.webhook else ""):
            return web.Response(status=403)
        try:
            payload = await request.json()
        except Exception:  # not JSON: nothing to handle, nothing the platform should resend
            log.warning("Zalo webhook: a body that is not JSON skipped")
            return web.json_response({"ok": True})
        update = self.api.parse(payload)  # the bot's @mention removed, as when polling
        if update is not None:  # answered once journaled; handled in its chat's turn after
            await self.inbox.take([update])
        return web.json_response({"ok": True})

    async def process(self, update: ZaloUpdate) -> None:
        """One update, once: handled before it is remembered, so a crash in between answers it
        again rather than never."""
        if update.message_id and update.message_id in self._seen:
            return
        if update.user_id and self.me is not None and update.user_id == self.me.id:
            return  # our own message echoed back
        if not await self._admitted(update):
            if update.message_id:
                await self._seen.add(update.message_id)
            return
        await self.handle(
            Incoming(
                self.platform,
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

    async def _admitted(self, update: ZaloUpdate) -> bool:
        """Whether the bot serves this chat: counted, or a newcomer within the caps. A newcomer
        past a cap is told where to go instead (each message), the admins once; the bot's
        admins are served whatever the count."""
        admission = await self.caps.admit(update.chat_id, update.user_id, update.is_group)
        if admission is not Admission.FULL:
            return True
        if self.conversation.scope_of(UserRef(self.platform, update.user_id)) is not None:
            return True
        await self.send(update.chat_id, Reply(self.full_text(update.is_group)), update.is_group)
        who = update.chat_id if update.is_group else update.user_id or update.chat_id
        if await self.caps.turned_away_first_time(who) and self.notify_admins is not None:
            what = "nhóm" if update.is_group else "người dùng"
            cap = self.caps.caps.groups if update.is_group else self.caps.caps.users
            other = self.room_elsewhere(update.is_group)
            where = f"đã chỉ sang {other.display_name}" if other else "không còn bot nào trống"
            await self.notify_admins(
                f"⚠️ {self.label} đã đủ {cap} {what}: "
                f"{update.user_name or 'một người'} ({who}) chưa được phục vụ; {where}."
            )
        return False

    def room_elsewhere(self, group: bool) -> ZaloChannel | None:
        """The first other bot of the pool with room for a newcomer of this kind."""
        for bot in self.pool:
            if bot is self:
                continue
            caps = bot.caps
            count, cap = (
                (len(caps.groups), caps.caps.groups)
                if group
                else (
                    len(caps.users),
                    caps.caps.users,
                )
            )
            if not cap or count < cap:
                return bot
        return None

    def full_text(self, group: bool) -> str:
        """What a newcomer past a cap is told: the bot is full, and where to go instead."""
        other = self.room_elsewhere(group)
        if group:
            first = (
                f"Bot này đã tham gia đủ {self.caps.caps.groups} nhóm — giới hạn của nền tảng "
                "Zalo Bot — nên chưa phục vụ được nhóm này."
            )
            if other is not None:
                link = f" ({other.config.share_link})" if other.config.share_link else ""
                return f"{first} Mời nhóm thêm “{other.display_name}”{link} để nhận nhắc việc."
            return f"{first} Xin liên hệ cấp ủy để được hướng dẫn cách theo dõi khác."
        first = (
            f"Xin lỗi đồng chí, bot này đã phục vụ đủ {self.caps.caps.users} người — giới hạn "
            "của nền tảng Zalo Bot — nên chưa nhận thêm được."
        )
        if other is not None:
            link = f": {other.config.share_link}" if other.config.share_link else ""
            return (
                f"{first} Mời đồng chí nhắn tin cho “{other.display_name}”{link} — bot đó "
                "nhắc việc y như bot này."
            )
        return (
            f"{first} Xin đồng chí liên hệ cấp ủy để được hướng dẫn (theo dõi qua nhóm Zalo của "
            "cấp ủy hoặc một bot khác)."
        )

    def _not_carried(self, update: ZaloUpdate) -> ReceivedFile | None:
        """An image, or a message the platform does not show bots (a file among them), from an
        admin: the bot receives no files on Zalo (bot.zaloplatforms.com/docs: text, image,
        sticker and "unsupported" events only), so the admin is told how else to publish a
        plan. Anyone else gets the usual "text only" answer."""
        if update.event_name not in (IMAGE_EVENT, UNSUPPORTED_EVENT):
            return None
        if self.conversation.scope_of(UserRef(self.platform, update.user_id)) is None:
            return None
        return ReceivedFile("", 0, unreadable=Unreadable.NOT_CARRIED)

    # -- outgoing -------------------------------------------------------------------------------

    def split(self, text: str) -> list[str]:
        return utf16_chunks(text, self.text_limit)

    async def raw_send(self, chat_id: str, reply: Reply) -> None:
        self.quota.reserve(chat_id)
        try:
            await self.api.send_message(chat_id, reply.text)
        except QuotaExceeded:  # the platform's count says the month is used up: held, as ours
            await self.quota.refused(chat_id)
            raise Held(f"{self.platform}: the platform's monthly quota is used up") from None
        except BaseException:
            self.quota.release()
            raise
        await self.quota.sent()

    async def is_chat_admin(self, msg: Incoming) -> bool:
        if not msg.is_group:
            return True
        sub = self.store.get(self.platform, msg.chat_id)
        owner = creator_id(sub) if sub and sub.plan_ids else ""
        return not owner or owner == msg.user_id  # the first to subscribe a group owns it

    async def close(self) -> None:
        await super().close()
        try:
            await self.quota.flush()
        finally:
            await self.api.aclose()
