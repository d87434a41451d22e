"""The words a date phrase is made of: the text folded for matching (accents kept aside to be
consulted), the vocabulary of language/vi.yaml as regex alternatives, and numbers and years as
written."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from schedules.language import vocabulary
from schedules.vi_dates.results import DateError

_PUNCT = re.compile(r"[,;!?()\[\]\"“”‘’'…*]|\.(?!\d)|(?<!\d)\.")


def prepare(text: str) -> tuple[str, str]:
    """Return (original, folded) of equal length, so accents can be consulted at any match."""
    orig = unicodedata.normalize("NFC", text).lower()
    orig = re.sub(r"\s+", " ", _PUNCT.sub(" ", orig)).strip()
    folded = "".join("d" if c == "đ" else unicodedata.normalize("NFD", c)[0] for c in orig)
    return orig, folded


def alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


V = vocabulary()
NUMW = alt(V.numbers)
N = rf"(?:\d{{1,3}}|{NUMW})"
MONTHW = alt(V.month_words)
WEEKDAY = alt(V.weekdays)
SHIFT = alt(V.shift)
THIRD = alt(V.thirds)
POD = alt(V.parts_of_day)
RELDAY = alt(V.relative_days)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def num(word: str) -> int:
    return int(word) if word.isdigit() else V.numbers[word]


def year(y: str | None) -> int | None:
    if y is None:
        return None
    n = int(y)
    return 2000 + n if n < 100 else n


def written_year(y: str) -> int:
    """A four-digit year as written; "0000" is no year (datetime starts at year 1)."""
    if int(y) < 1:
        raise DateError(f"không có năm {y}")
    return int(y)


def blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


@dataclass
class Ctx:
    """The text being read, folded and as typed, and the day it is read on."""

    orig: str
    folded: str
    today: date

    def accented(self, m: re.Match[str], group: str) -> str:
        return self.orig[m.start(group) : m.end(group)]


def shift_of(ctx: Ctx, m: re.Match[str], group: str = "shift") -> int | None:
    """How many units on a shift word ("sau", "tới", "trước") says; None when the word is not a
    shift after all, as its accents show."""
    word = m[group]
    if word is None:
        return None
    if word == "sau" and "sáu" in ctx.accented(m, group):
        return None  # "tháng sáu" is June, not next month
    if word == "toi" and "tối" in ctx.accented(m, group):
        return None  # "tối" is evening
    return V.shift[word]
