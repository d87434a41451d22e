"""The Telegram adapter (python-telegram-bot 22): updates in, Incoming to the conversation, Replies out."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import replace
from datetime import timedelta

# Opt in early to PTB's coming retry_after as a timedelta; raw_send reads either form.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import (  # noqa: E402
    BotCommand,
    ChatMemberUpdated,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.clock import Clock
from bot.config import Config
from bot.outbox import Gone, Migrated, Outbox, RateLimiter, RetryLater, Transient
from bot.outgoing import html_chunks
from bot.scheduler import Scheduler
from handlers.conversation import COMMANDS, Conversation
from handlers.types import Incoming, Reply

log = logging.getLogger(__name__)
PLATFORM = "telegram"
ADMIN_CACHE_SECONDS = 300


def keyboard(reply: Reply):
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


class TelegramAdapter:
    def __init__(self, conversation: Conversation, clock: Clock, bot, limiter: RateLimiter) -> None:
        self.conversation = conversation
        self.clock = clock
        self.bot = bot
        self._admins: dict[str, tuple[float, set[str]]] = {}
        self._tasks: set[asyncio.Task] = set()
        self.outbox = Outbox(self.raw_send, limiter, self._gone, self._migrated)

    async def _gone(self, chat_id: str) -> None:
        log.info("Chat %s blocked or removed the bot; marked inactive", chat_id)
        await self.conversation.left(PLATFORM, chat_id)

    async def _migrated(self, old: str, new: str) -> None:
        await self.conversation.migrated(PLATFORM, old, new)

    # -- wiring ---------------------------------------------------------------------------

    def install(self, app: Application) -> None:
        app.add_handler(CallbackQueryHandler(self.on_callback))
        app.add_handler(ChatMemberHandler(self.on_my_member, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migrate))
        # Edited messages are ignored on purpose: answering an edit twice confuses a group.
        app.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, self.on_message)
        )
        app.add_error_handler(self.on_error)

    # -- incoming -------------------------------------------------------------------------

    async def is_chat_admin(self, msg: Incoming) -> bool:
        bot = self.bot
        cached = self._admins.get(msg.chat_id)
        if not cached or time.monotonic() - cached[0] > ADMIN_CACHE_SECONDS:
            members = await bot.get_chat_administrators(int(msg.chat_id))
            cached = (time.monotonic(), {str(m.user.id) for m in members})
            self._admins[msg.chat_id] = cached
        return msg.user_id in cached[1]

    def _incoming(
        self, message: Message, bot_id: int, bot_username: str, text: str, user
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
        replies = await self.conversation.handle(msg, self.clock.now())
        for reply in replies:
            await self.send(msg.chat_id, reply)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()  # stop the button's spinner whatever happens next
        message = query.message
        if message is None or not isinstance(message, Message):
            return  # a button on a message too old for Telegram to show: nothing to answer
        msg = self._incoming(message, context.bot.id, context.bot.username, "", query.from_user)
        msg = replace(msg, callback=query.data or "", addressed=True)
        replies = await self.conversation.handle(msg, self.clock.now())
        for reply in replies:
            await self.send(msg.chat_id, reply)

    async def on_my_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change: ChatMemberUpdated = update.my_chat_member
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
                await self.send(str(chat.id), reply)

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message and message.migrate_to_chat_id:
            await self.conversation.migrated(
                PLATFORM, str(message.chat.id), str(message.migrate_to_chat_id)
            )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Update failed: %s", context.error, exc_info=context.error)

    # -- outgoing -------------------------------------------------------------------------

    async def send(self, chat_id: str, reply: Reply) -> None:
        """A reply, split if long, each piece through the outbox (limits, retries, gone chats)."""
        chunks = html_chunks(reply.text)
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            piece = Reply(
                chunk, reply.buttons if last else (), reply.pin and last, reply.force_reply and last
            )
            if await self.outbox.deliver(chat_id, piece) == "gone":
                return

    async def raw_send(self, chat_id: str, reply: Reply) -> None:
        """Exactly one Telegram message (text already escaped), with PTB's errors made neutral."""
        try:
            message = await self.bot.send_message(
                int(chat_id), reply.text, parse_mode=ParseMode.HTML, reply_markup=keyboard(reply)
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
            raise Transient(str(e)) from e
        if reply.pin and chat_id.startswith("-"):
            try:  # only where the bot may pin; otherwise the announcement simply stays unpinned
                await self.bot.pin_chat_message(
                    int(chat_id), message.message_id, disable_notification=True
                )
            except TelegramError as e:
                log.info("Could not pin in %s: %s", chat_id, e)

    async def broadcast(self, chat_keys: list[str], reply: Reply) -> int:
        """Queue one announcement to many chats; returns at once with how many were queued."""
        chats = [k.split(":", 1)[1] for k in chat_keys if k.startswith(f"{PLATFORM}:")]

        async def fan_out() -> None:  # one sender, like the scheduler: limits hold by construction
            for chat_id in chats:
                await self.send(chat_id, reply)

        self._tasks.add(task := asyncio.create_task(fan_out()))
        task.add_done_callback(self._tasks.discard)
        return len(chats)


def build_application(
    config: Config, conversation: Conversation, clock: Clock, limiter: RateLimiter | None = None
) -> tuple[Application, TelegramAdapter]:
    builder = ApplicationBuilder().token(config.token)
    if config.api_base_url:
        builder = builder.base_url(f"{config.api_base_url}/bot").base_file_url(
            f"{config.api_base_url}/file/bot"
        )

    async def post_init(app: Application) -> None:
        await app.bot.set_my_commands([BotCommand(k, v) for k, v in COMMANDS.items()])

    app = builder.post_init(post_init).build()
    adapter = TelegramAdapter(conversation, clock, app.bot, limiter or RateLimiter())
    conversation.set_admin_check(adapter.is_chat_admin)
    conversation.set_broadcaster(adapter.broadcast)
    adapter.install(app)
    return app, adapter


def install_tick(app: Application, scheduler: Scheduler, clock: Clock, every: float = 60.0) -> None:
    """One tick a minute on PTB's JobQueue. No misfire grace: a late tick still runs, and the
    tick itself works from stored watermarks, so a skipped or late run loses nothing."""

    async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
        report = await scheduler.tick(clock.now())
        if report and report.pushes:
            log.info(
                "Tick to %s: %d due, %d messages sent, %d folded into summaries, %d late, %d chats behind",
                report.end.isoformat(timespec="minutes"),
                report.pushes,
                report.sent,
                report.folded,
                report.late,
                len(report.behind),
            )

    app.job_queue.run_repeating(
        tick,
        interval=every,
        first=1.0,
        name="chibo-tick",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
