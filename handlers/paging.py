"""A long answer on a phone: pages of about one screen, cut between blocks, never inside an item.

Pure text in, pages out; the questions feature keeps what is needed to show the next page when
the “Xem tiếp” button is pressed (handlers/features/questions.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedules.vi_text import fold

SCREEN = 1000  # about one phone screen: what a page of an answer holds
FOOTER = 160  # the footer line under a page ("— Trang 1/3. Còn: …") is counted apart
BODY = SCREEN
# An answer a little over a screen is shown whole: cutting 1,100 characters into 1,000 and 100
# makes the reader press for one line. Longer ones are paged.
WHOLE = 1200


@dataclass(frozen=True)
class Screen:
    """What one message of an answer holds on a platform: a page's body, and the longest answer
    shown whole. Telegram's chats read a screen of about 1,000 characters; Zalo's are narrower,
    and its first message must fit one phone screen (about 600 characters, footer included)."""

    body: int = BODY
    whole: int = WHOLE


PHONE = 600  # Zalo: the first message of any answer, its footer included
_SCREENS = {"zalo": Screen(body=PHONE - FOOTER, whole=PHONE)}


def screen(platform: str) -> Screen:
    return _SCREENS.get(platform, Screen())


# Words that ask for the whole answer at once, in a question ("tất cả các hạn") or alone.
_ALL = re.compile(r"\b(tat ca|xem het|toan bo|day du|all|everything)\b")
# A message that asks for the next page of the last answer.
_NEXT = re.compile(r"^(xem )?(tiep|tiep theo|them|nua|next|more)( di| nua| a)?$")
_REST = re.compile(r"^(xem )?(het|tat ca|toan bo|all)( di| a)?$")


def asks_for_all(text: str) -> bool:
    return bool(_ALL.search(fold(text)))


def wants_more(text: str) -> str | None:
    """ "xem tiếp" → "next", "xem hết" → "rest", anything else → None."""
    t = " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(text)).split())
    if _NEXT.match(t):
        return "next"
    if _REST.match(t):
        return "rest"
    return None


def _items(paragraph: str) -> tuple[str, list[str]]:
    """A paragraph's header line (ending with ':') and its items: an item is a line and the
    indented lines under it ("• title" then "  Hạn: …")."""
    lines = paragraph.split("\n")
    header = lines[0] if lines[0].endswith(":") and len(lines) > 1 else ""
    items: list[str] = []
    for line in lines[1:] if header else lines:
        if items and line.startswith((" ", "\t")):
            items[-1] += "\n" + line
        else:
            items.append(line)
    return header, items


def _wrap(text: str, limit: int) -> list[str]:
    """A single item longer than a page: cut between words."""
    out, cur = [], ""
    for word in text.split(" "):
        if cur and len(cur) + 1 + len(word) > limit:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    return out + [cur]


def _units(text: str, limit: int) -> list[str]:
    """Blocks no longer than a page: paragraphs, or a long paragraph's items under its header
    (repeated as "… (tiếp):" on the next page)."""
    units = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            units.append(paragraph)
            continue
        header, items = _items(paragraph)
        again = f"{header[:-1]} (tiếp):" if header else ""
        chunk = header
        for item in (piece for it in items for piece in _wrap(it, limit - len(again) - 1)):
            if chunk and len(chunk) + 1 + len(item) > limit:
                units.append(chunk)
                chunk = again
            chunk = f"{chunk}\n{item}" if chunk else item
        units.append(chunk)
    return units


def split(text: str, first: int = BODY, limit: int = BODY, whole: int = WHOLE) -> list[str]:
    """The pages of an answer: as many blocks as fit on each, in order; the first page holds at
    most `first` characters (what goes beside it takes the rest). One page if it all fits in
    `whole` (less what goes beside it)."""
    if len(text) <= whole - (limit - first):
        return [text]
    pages: list[str] = []
    for unit in _units(text, limit):
        room = first if len(pages) == 1 else limit
        if pages and len(pages[-1]) + 2 + len(unit) <= room:
            pages[-1] += "\n\n" + unit
        else:
            pages.append(unit)
    return pages
