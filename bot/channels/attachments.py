"""A reply's file where the channel carries none (Zalo: sendMessage, sendPhoto and sendSticker
only): a text file (the CSV form of an export) is sent as a few messages to copy into a
spreadsheet; when that would take more than MOST_MESSAGES messages — each one counted against
Zalo's monthly allowance — one message says how else to get the file (Attachment.instead)."""

from __future__ import annotations

from collections.abc import Callable

from handlers.types import Attachment

MOST_MESSAGES = 4


def as_text(attachment: Attachment, split: Callable[[str], list[str]]) -> list[str]:
    """The messages that stand for the file: its text in pieces, or one line saying why not."""
    plain = attachment if attachment.is_text else attachment.plainer
    if plain is not None and plain.is_text:
        body = plain.data.decode("utf-8-sig", errors="replace").rstrip("\n")
        head = (
            f"📎 {plain.filename} (kênh này không gửi được tệp; chép các dòng dưới vào bảng tính):"
        )
        pieces = split(f"{head}\n{body}")
        if len(pieces) <= MOST_MESSAGES:
            return pieces
    why = attachment.instead or "Bảng quá dài để gửi thành tin nhắn."
    return split(f"📎 Kênh này không gửi được tệp {attachment.filename}. {why}")
