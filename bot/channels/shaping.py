"""Shaping replies for a channel: split long texts at line boundaries, escape HTML (Telegram),
count UTF-16 units (Zalo)."""

from __future__ import annotations

import html

TELEGRAM_LIMIT = 4096


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Chunks under the limit, cut between lines; a single overlong line is cut between words."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def to_html(text: str) -> str:
    """Replies are plain text; escaping lets a cell name like “<b>” show as typed."""
    return html.escape(text, quote=False)


def html_chunks(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    # Escaping can lengthen a chunk (& → &amp;), so split with room and check again.
    out = []
    for chunk in split_text(text, limit):
        escaped = to_html(chunk)
        out.extend(
            [escaped]
            if len(escaped) <= limit
            else [to_html(c) for c in split_text(chunk, limit // 2)]
        )
    return out


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: an emoji outside the BMP counts 2, Vietnamese letters 1."""
    return len(text.encode("utf-16-le")) // 2


def utf16_chunks(text: str, limit: int) -> list[str]:
    """split_text under a limit counted in UTF-16 units (Zalo may count them so)."""
    out = []
    for chunk in split_text(text, limit):
        # a code point is one or two units: re-split the rare chunk full of emoji
        out.extend([chunk] if utf16_len(chunk) <= limit else split_text(chunk, limit // 2))
    return out
