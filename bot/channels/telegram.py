"""The Telegram channel (python-telegram-bot 22): updates in, Incoming to the conversation, Replies out.

Receiving is our own: a getUpdates loop that confirms an update (the next call's offset) only
once it is in the store's inbox journal (bot/channels/inbox.py), handled from there, so a crash never
loses a message a secretary sent, and a redelivered update is skipped by its id. PTB still does
what it does well: the Bot API client, typed updates and handler routing (Application without
its Updater).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial
from typing import Any

# Opt in early to PTB's coming retry_after as a timedelta; raw_send reads either form.
os.environ.setdefault("PTB_TIMEDELTA", "1")

import httpx  # noqa: E402
from aiohttp import web  # noqa: E402
from telegram import (  # noqa: E402
    BotCommand,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode  # noqa: E402
from telegram.error import (  # noqa: E402
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (  # noqa: E402
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest  # noqa: E402

from bot.channels import uploads  # noqa: E402
from bot.channels.base import Channel, WebhookHandler  # noqa: E402
from bot.channels.inbox import Inbox  # noqa: E402
from bot.channels.outbox import (  # noqa: E402
    Gone,
    Migrated,
    NotSent,
    RateLimiter,
    RetryLater,
    Transient,
)
from bot.channels.recent_ids import RecentIds  # noqa: E402
from bot.channels.shaping import html_chunks  # noqa: E402
from bot.clock import Clock  # noqa: E402
from bot.config import TelegramConfig  # noqa: E402
from bot.retrying import durably  # noqa: E402
from handlers.conversation import COMMANDS, Conversation  # noqa: E402
from handlers.state import Store  # noqa: E402
from handlers.types import Incoming, ReceivedFile, Reply, Unreadable  # noqa: E402

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # a one-time link must not be opened by a preview
PLATFORM = "telegram"
ADMIN_CACHE_SECONDS = 300
READ_MARGIN = 5.0  # seconds a long poll's answer may take beyond its own timeout (PTB's default)

# getUpdates is asked for raw (`_fetch`), so one update PTB cannot read does not take its whole
# batch down with it; PTB warns that `Bot.get_updates` exists, which is exactly what we avoid.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'")


def _chat_of(update: Update) -> str:
    chat = update.effective_chat
    return str(chat.id) if chat else f"update:{update.update_id}"


def _read(entry: Any, bot: Any) -> Update | None:
    """An update as PTB reads it, or None, logged in one line, when it cannot be read."""
    given = entry.get("update_id") if isinstance(entry, dict) else None
    try:
        update = Update.de_json(entry, bot) if isinstance(entry, dict) else None
    except Exception as e:  # PTB raises whatever a missing or odd field gives (KeyError 'date')
        update, reason = None, f"{type(e).__name__}: {e}"
    else:
        reason = "not an update object"
    if update is None or not isinstance(update.update_id, int):
        log.warning(
            "Telegram: update %s cannot be read (%.120s); confirmed and skipped", given, reason
        )
        return None
    return update


def keyboard(reply: Reply) -> InlineKeyboardMarkup | ForceReply | None:
    if reply.buttons:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                for row in reply.buttons
            ]
        )
    if reply.force_reply:
        # Not selective: with no @mention and no replied-to message, selective reaches nobody.
        return ForceReply()
    return None


Sleep = Callable[[float], Awaitable[None]]


class TelegramChannel(Channel):
    platform = PLATFORM
    text_limit = 4096
    has_buttons = True

    def __init__(
        self,
        config: TelegramConfig,
        conversation: Conversation,
        clock: Clock,
        store: Store,
        limiter: RateLimiter | None = None,
        *,
        poll_timeout: int = 30,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        builder = ApplicationBuilder().token(config.token).updater(None).job_queue(None)
        if config.api_base_url:
            builder = builder.base_url(f"{config.api_base_url}/bot").base_file_url(
                f"{config.api_base_url}/file/bot"
            )
        self.app = builder.build()
        self.bot = self.app.bot
        super().__init__(conversation, clock, store, limiter)
        self.webhook = config.webhook
        self.poll_timeout = poll_timeout
        self.sleep = sleep
        self._admins: dict[str, tuple[float, set[str]]] = {}
        self._seen = RecentIds(store, "telegram:updates")
        self.inbox: Inbox[Update] = Inbox(
            self,
            "telegram:inbox",
            id_of=lambda u: u.update_id,
            chat_of=_chat_of,
            encode=lambda u: u.to_dict(),
            decode=lambda raw: Update.de_json(raw, self.bot) if isinstance(raw, dict) else None,
            handle=self.process,
        )
        self.send_timeout: float | None = None  # None: PTB's default (5 s); tests shorten it
        self._started = False
        self.install()

    # -- wiring ---------------------------------------------------------------------------

    def install(self) -> None:
        app = self.app
        app.add_handler(CallbackQueryHandler(self.on_callback))
        app.add_handler(ChatMemberHandler(self.on_my_member, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migrate))
        # Edited messages are ignored on purpose: answering an edit twice confuses a group.
        app.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, self.on_message)
        )
        app.add_error_handler(self.on_error)

    async def start(self) -> None:
        """getMe until Telegram answers: a rejected token raises InvalidToken at once; a network
        that is down is retried with backoff, one log line per attempt, never a crash."""
        await durably(  # InvalidToken is no NetworkError: it ends start-up at once
            "Telegram Bot API unreachable",
            self.app.initialize,
            self.sleep,
            (NetworkError, TimedOut),
        )
        await self.app.start()
        self._started = True
        try:
            await self.bot.set_my_commands([BotCommand(k, v) for k, v in COMMANDS.items()])
            if self.webhook:
                await self.bot.set_webhook(
                    self.webhook.url,
                    secret_token=self.webhook.secret,
                    allowed_updates=Update.ALL_TYPES,
                )
            else:  # a webhook left from an earlier setup would make getUpdates fail
                await self.bot.delete_webhook()
        except TelegramError as e:
            log.warning("Telegram start-up call failed (continuing): %s", e)
        log.info("Telegram: @%s ready (%s)", self.bot.username, self.mode)

    async def close(self) -> None:
        await super().close()
        if self._started:
            await self.app.stop()
            await self.app.shutdown()
            self._started = False

    # -- receiving ------------------------------------------------------------------------

    def _offset(self) -> int | None:
        value = self.store.runtime("telegram:offset")
        return value if isinstance(value, int) else None

    async def receive(self) -> None:
        if self.webhook:
            return
        offset = self._offset()
        self._seen.reload()  # what another process handled before this one took over
        self.inbox.resume()
        while True:
            await self.inbox.room()
            raw = await durably(
                "Telegram getUpdates failed",
                partial(self._fetch, offset),
                self.sleep,
                (NetworkError, TimedOut),
            )
            updates, last = self._readable(raw)
            if last is None:
                continue
            # Handled in the background (chats side by side, each chat in order), written to the
            # inbox journal first: only then confirmed, by the next call's offset (bot/channels/inbox.py)
            await self.inbox.take(updates)
            offset = last + 1
            await durably(
                "Telegram: writing the update offset failed",
                partial(self.store.set_runtime, "telegram:offset", offset),
                self.sleep,
            )

    async def _fetch(self, offset: int | None) -> list[Any]:
        """One long poll's updates as Telegram sent them (JSON objects, not yet read)."""
        params: dict[str, Any] = {"timeout": self.poll_timeout, "allowed_updates": Update.ALL_TYPES}
        if offset is not None:
            params["offset"] = offset
        raw = await self.bot.do_api_request(
            "getUpdates", api_kwargs=params, read_timeout=self.poll_timeout + READ_MARGIN
        )
        return raw if isinstance(raw, list) else []

    def _readable(self, raw: list[Any]) -> tuple[list[Update], int | None]:
        """The updates PTB can read, and the highest id fetched (readable or not, so the next
        call's offset confirms both). One that cannot be read is logged in one line and skipped:
        never confirmed, it would come back, and end the bot, at every start."""
        updates: list[Update] = []
        last: int | None = None
        for entry in raw:
            given = entry.get("update_id") if isinstance(entry, dict) else None
            if isinstance(given, int) and not isinstance(given, bool):
                last = given if last is None else max(last, given)
            update = _read(entry, self.bot)
            if update is not None:
                updates.append(update)
        return updates, last

    async def process(self, update: Update) -> None:
        """One update, once: an id already handled (redelivered) is skipped."""
        if update.update_id in self._seen:
            return
        await self.app.process_update(update)
        await self._seen.add(update.update_id)

    def webhook_route(self) -> tuple[str, WebhookHandler] | None:
        return ("/telegram", self.on_webhook) if self.webhook else None

    async def on_webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        secret = self.webhook.secret if self.webhook else ""
        if not secret or not hmac.compare_digest(given, secret):
            return web.Response(status=403)
        try:
            body = await request.json()
        except ValueError:  # not JSON: nothing to handle, nothing for Telegram to resend
            log.warning("Telegram webhook: a body that is not JSON skipped")
            return web.Response(status=200)
        update = _read(body, self.bot)  # unreadable: logged, answered 200 so it is not resent
        if update is not None:  # answered only once handled: Telegram resends otherwise
            await self.in_order(_chat_of(update), self.process(update))
        return web.Response(status=200)

    # -- incoming -------------------------------------------------------------------------

    async def is_chat_admin(self, msg: Incoming) -> bool:
        if not msg.is_group:
            return True
        cached = self._admins.get(msg.chat_id)
        if not cached or time.monotonic() - cached[0] > ADMIN_CACHE_SECONDS:
            members = await self.bot.get_chat_administrators(int(msg.chat_id))
            cached = (time.monotonic(), {str(m.user.id) for m in members})
            self._admins[msg.chat_id] = cached
        return msg.user_id in cached[1]

    def _incoming(
        self, message: Message, bot_id: int, bot_username: str, text: str, user: User | None
    ) -> Incoming:
        chat = message.chat
        is_group = chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        addressed = True
        if is_group:
            mention = f"@{bot_username}".lower()
            first = text.split(maxsplit=1)[0].lower() if text else ""
            command_for_us = first.startswith("/") and ("@" not in first or first.endswith(mention))
            replied = bool(
                message.reply_to_message
                and message.reply_to_message.from_user
                and message.reply_to_message.from_user.id == bot_id
            )
            addressed = command_for_us or mention in text.lower() or replied
            text = text.replace(f"@{bot_username}", "").strip() if not command_for_us else text
        return Incoming(
            PLATFORM,
            str(chat.id),
            str(user.id) if user else "",
            text=text,
            is_group=is_group,
            user_name=user.full_name if user else "",
            addressed=addressed,
            chat_title=chat.title or "",
        )

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None or message.from_user is None or message.from_user.is_bot:
            return
        text = message.text or message.caption or ""
        msg = self._incoming(message, context.bot.id, context.bot.username, text, message.from_user)
        if message.document or message.photo:
            if not msg.addressed:  # a file shared in a group among members: not for the bot
                return
            msg = replace(msg, file=await self._received(message, msg))
        await self.handle(msg)

    async def _received(self, message: Message, msg: Incoming) -> ReceivedFile:
        """A document (or a photo, which has no name) fetched and read: bot/channels/uploads.py."""
        doc = message.document
        if doc is None:
            biggest = message.photo[-1]
            return ReceivedFile(
                "", biggest.file_size or 0, unreadable=Unreadable.WRONG_TYPE
            )  # a photo has no name

        async def fetch() -> bytes:
            file = await self.bot.get_file(doc.file_id)
            return bytes(await file.download_as_bytearray())

        name = doc.file_name or "tệp"
        group_admin = msg.is_group and await self.is_chat_admin(msg)  # a roster list
        return await uploads.receive(
            self.conversation, msg.user, name, doc.file_size or 0, fetch, group_admin
        )

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await query.answer()  # stop the button's spinner whatever happens next
        message = query.message
        if message is None or not isinstance(message, Message):
            return  # a button on a message too old for Telegram to show: nothing to answer
        msg = self._incoming(message, context.bot.id, context.bot.username, "", query.from_user)
        await self.handle(replace(msg, callback=query.data or "", addressed=True))

    async def on_my_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        if change is None:
            return
        chat = change.chat
        new = change.new_chat_member.status
        present = new in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
        if not present:
            await self.conversation.left(PLATFORM, str(chat.id))
            return
        if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            for reply in await self.conversation.joined(
                PLATFORM, str(chat.id), chat.title or "", self.clock.now()
            ):
                await self.send(str(chat.id), reply, is_group=True)

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message and message.migrate_to_chat_id:
            await self.conversation.migrated(
                PLATFORM, str(message.chat.id), str(message.migrate_to_chat_id)
            )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Update failed: %s", context.error, exc_info=context.error)

    # -- outgoing -------------------------------------------------------------------------

    def split(self, text: str) -> list[str]:
        return html_chunks(text, self.text_limit)

    async def raw_send(self, chat_id: str, reply: Reply) -> None:
        """Exactly one Telegram message (text already escaped), with PTB's errors made neutral."""
        # None would mean "wait forever" to PTB: without a timeout of ours, PTB's default
        timeout = self.send_timeout or BaseRequest.DEFAULT_NONE
        try:
            if reply.attachment is not None:  # a file (an exported table) as a document
                file = reply.attachment
                message = await self.bot.send_document(
                    int(chat_id), InputFile(file.data, filename=file.filename), read_timeout=timeout
                )
            else:
                message = await self.bot.send_message(
                    int(chat_id),
                    reply.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(reply),
                    link_preview_options=None if reply.preview else NO_PREVIEW,
                    read_timeout=timeout,
                )
        except RetryAfter as e:
            wait = e.retry_after
            raise RetryLater(
                wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            ) from e
        except ChatMigrated as e:
            raise Migrated(str(e.new_chat_id)) from e
        except Forbidden as e:
            raise Gone(str(e)) from e
        except BadRequest as e:
            if "chat not found" in str(e).lower():
                raise Gone(str(e)) from e
            raise
        except (TimedOut, NetworkError) as e:
            if _never_sent(e):
                raise NotSent(str(e)) from e
            raise Transient(str(e)) from e
        if reply.pin and chat_id.startswith("-"):
            try:  # only where the bot may pin; otherwise the announcement simply stays unpinned
                await self.bot.pin_chat_message(
                    int(chat_id), message.message_id, disable_notification=True
                )
            except TelegramError as e:
                log.info("Could not pin in %s: %s", chat_id, e)


# What never left an httpx client: the connect phase failed, or no pooled connection came free
_CONNECT_PHASE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _never_sent(error: BaseException) -> bool:
    """Whether PTB's error was raised from an httpx failure before the request was written:
    only then is it certain Telegram counted nothing. A reset, a read timeout or a write error
    may come after the request arrived, and keeps its place in the rate window."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, _CONNECT_PHASE):
            return True
        cause = cause.__cause__
    return False
