"""The free-text router: which intent a message carries, and its slots (a span, a document, a cell).

Keyword knowledge is data (intents.yaml); this module only scores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import yaml

from handlers.intents import IntentName
from schedules import documents, vi_dates
from schedules.documents import DocRef
from schedules.vi_dates import NotUnderstood, When
from schedules.vi_text import fold


@dataclass(frozen=True)
class Intent:
    name: IntentName
    when: When | None = None
    date_error: str | None = None  # "ngày 31/2/2022 không tồn tại": said back to the user
    doc: DocRef | None = None
    cell: str | None = None
    score: float = 0.0


@dataclass(frozen=True)
class _Data:
    shorthand: dict[str, str]
    phrases: tuple[
        tuple[IntentName, tuple[str, ...], float, int], ...
    ]  # (intent, words, weight, priority)


@cache
def _data() -> _Data:
    raw = yaml.safe_load((Path(__file__).parent / "intents.yaml").read_text(encoding="utf-8"))
    phrases = []
    for prio, (name, items) in enumerate(raw["intents"].items()):
        intent = IntentName(name)  # a misspelt intent in the YAML fails at load, not silently
        for item in items:
            phrase, weight = next(iter(item.items())) if isinstance(item, dict) else (item, None)
            words = tuple(phrase.split())
            phrases.append((intent, words, float(weight or len(words)), prio))
    return _Data(raw["shorthand"], tuple(phrases))


def _close(a: str, b: str) -> bool:
    """Equal, or one edit apart (insert, delete, substitute, swap) for words of 4+ letters."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def words_of(text: str) -> list[str]:
    folded = re.sub(r"[^\w/\-]+", " ", fold(text))
    out: list[str] = []
    shorthand = _data().shorthand
    for w in folded.split():
        out.extend(shorthand.get(w, w).split())
    return out


def _find(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(
        all(_close(words[i + k], phrase[k]) for k in range(n)) for i in range(len(words) - n + 1)
    )


def _cell(text: str) -> str | None:
    m = re.search(r"\b[Cc]hi [Bb]ộ\s+(?P<name>[^,.;:!?\n]+)", text)
    return f"Chi bộ {m['name'].strip()}" if m else None


def route(text: str, now: datetime) -> Intent:
    words = words_of(text)
    scores: dict[IntentName, tuple[float, int]] = {}
    for intent, phrase, weight, prio in _data().phrases:
        if _find(words, phrase):
            best = scores.get(intent, (0.0, prio))
            scores[intent] = (max(best[0], weight), prio)
    found = vi_dates.find(text, now)
    when = found if isinstance(found, When) else None
    error = found.message if isinstance(found, NotUnderstood) else None
    doc = documents.parse_ref(text)
    cell = _cell(text)
    if doc and IntentName.DOCUMENT_MONTH not in scores and not scores.keys() - {IntentName.TOPICS}:
        scores[IntentName.DOCUMENT_MONTH] = (1.0, -1)
    if scores:
        name, (score, _) = max(scores.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
    elif when or error:
        name, score = IntentName.PERIOD, 0.5
    elif doc:
        name, score = IntentName.DOCUMENT_MONTH, 0.5
    else:
        name, score = IntentName.UNKNOWN, 0.0
    return Intent(name, when, error, doc, cell, score)
