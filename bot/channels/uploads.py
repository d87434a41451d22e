"""A file a user sent to the bot, made into the conversation's ReceivedFile: checked by name and
size, fetched (Telegram: getFile, then the download; the console: the local file), its text
extracted by bot/plans/document_limits.py (document_text's readers in a worker process, within
limits) — or the typed reason it has none.

Fetched only for someone who may upload plans (an admin in some scope): anyone else is refused
by the conversation anyway, so a stranger's file costs no download.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.plans import document_limits, document_text
from handlers.conversation import Conversation
from handlers.types import ReceivedFile, Unreadable, UserRef

log = logging.getLogger(__name__)

# A plan document is well under 1 MB; 5 MB leaves room for embedded logos and stays far below
# the 20 MB a Telegram bot may download at all.
MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (*document_text.SUFFIXES, ".yaml", ".yml")  # a finished draft comes back as .yaml

Fetch = Callable[[], Awaitable[bytes]]


async def receive(
    conversation: Conversation, user: UserRef, filename: str, size: int, fetch: Fetch
) -> ReceivedFile:
    """The file as the conversation sees it. Never raises: a failure is a reason."""

    def unreadable(why: Unreadable, size: int = size) -> ReceivedFile:
        return ReceivedFile(filename, size, unreadable=why)

    file = ReceivedFile(filename, size)
    if file.suffix not in SUFFIXES:
        return unreadable(Unreadable.WRONG_TYPE)
    if size > MAX_BYTES:
        return unreadable(Unreadable.TOO_BIG)
    if conversation.scope_of(user) is None:
        return unreadable(Unreadable.NOT_READ)
    try:
        data = await fetch()
    except Exception as e:  # the platform's or the network's error: say so, keep going
        log.warning("Could not fetch %r from %s:%s: %s", filename, user.platform, user.user_id, e)
        return unreadable(Unreadable.DOWNLOAD_FAILED)
    if len(data) > MAX_BYTES:  # the announced size was wrong or missing
        return unreadable(Unreadable.TOO_BIG, len(data))
    try:  # in a worker process, within limits: no document holds up other chats' answers
        text = await asyncio.to_thread(document_limits.text_of, filename, data)
    except document_limits.OverLimit as e:
        log.warning("Document %r from %s:%s refused: %s", filename, user.platform, user.user_id, e)
        return ReceivedFile(filename, len(data), unreadable=e.reason, detail=str(e))
    except document_text.NotReadable as e:
        return unreadable(e.reason, len(data))
    except Exception:  # a reader's own error on a file it cannot parse
        log.info("Unreadable %r", filename, exc_info=True)
        return unreadable(Unreadable.DAMAGED, len(data))
    return ReceivedFile(filename, len(data), text=text)
