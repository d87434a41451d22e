"""The free-text router: which intent a message carries, and its slots (a span, a document, a cell).

Keyword knowledge is data (intents.yaml, unstated.yaml, read by lexicon.py); this module only
scores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache

from handlers import lexicon
from handlers.intents import IntentName
from handlers.lexicon import Topic
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
    words: tuple[str, ...] = ()  # the message's words, folded and shorthand expanded
    bare_date: bool = False  # the message is nothing but a date ("19/9", "thứ 6 tuần sau")


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
    folded = re.sub(r"[^\w/\-]+", " ", fold(lexicon.untelex(text)))
    out: list[str] = []
    shorthand = lexicon.data().shorthand
    for w in folded.split():
        out.extend(shorthand.get(w, w).split())
    return out


@lru_cache(maxsize=20000)
def _near(word: str) -> frozenset[str]:
    """The phrase words this message word matches (itself, or one edit away)."""
    vocab = lexicon.vocabulary()
    near = {
        v
        for n in (len(word) - 1, len(word), len(word) + 1)
        for v in vocab.get(n, ())
        if _close(word, v)
    }
    return frozenset(near)


def _find(words: list[str], phrase: tuple[str, ...]) -> bool:
    return _found([_near(w) for w in words], phrase)


def _found(near: list[frozenset[str]], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(all(phrase[k] in near[i + k] for k in range(n)) for i in range(len(near) - n + 1))


@cache
def _by_first_word() -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """Every intent phrase by its first word, with its place in lexicon.data().phrases."""
    table: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for i, (_, phrase, _, _) in enumerate(lexicon.data().phrases):
        table.setdefault(phrase[0], []).append((i, phrase))
    return {w: tuple(v) for w, v in table.items()}


def _phrases_in(words: list[str], near: list[frozenset[str]]) -> set[int]:
    """The phrases the message carries, found from each word's start: a long paste costs its
    length times the few phrases that start with each word, not every phrase times its length.
    A one-word phrase must be written as it is: one edit away, "chấp" would be "chào"."""
    table = _by_first_word()
    found: set[int] = set()
    for i, here in enumerate(near):
        for first in here:
            for index, phrase in table.get(first, ()):
                if index in found or i + len(phrase) > len(near):
                    continue
                if len(phrase) == 1 and first != words[i]:
                    continue
                if all(phrase[k] in near[i + k] for k in range(1, len(phrase))):
                    found.add(index)
    return found


@lru_cache(maxsize=4096)
def _carries(words: tuple[str, ...], group: str) -> bool:
    """The words carry one of a group of phrases (lexicon data: "question_words", …), looked up
    from each word's start as _phrases_in does; once per message, however many plans ask."""
    near = [_near(w) for w in words]
    starts = _group_by_first_word(group)
    return any(
        i + len(p) <= len(near) and all(p[k] in near[i + k] for k in range(1, len(p)))
        for i, here in enumerate(near)
        for first in here
        for p in starts.get(first, ())
    )


@cache
def _group_by_first_word(group: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in getattr(lexicon.data(), group):
        table.setdefault(phrase[0], []).append(phrase)
    return {w: tuple(v) for w, v in table.items()}


def asks_when(words: tuple[str, ...] | list[str]) -> bool:
    """The words ask for a time ("khi nào", "trước ngày mấy", "hạn")."""
    return _carries(tuple(words), "question_words")


def asks_passage(words: tuple[str, ...] | list[str]) -> bool:
    """The words ask who or how ("ai trình bày", "làm thế nào"): a passage may answer."""
    return _carries(tuple(words), "passage_words")


def asks_next(words: tuple[str, ...] | list[str]) -> bool:
    """The words ask for the one after ("lần sau", "kỳ tới")."""
    return _carries(tuple(words), "next_words")


def asks_quantity(words: tuple[str, ...] | list[str]) -> bool:
    """The words ask how many or how much ("bao nhiêu", "mấy người", "đạt bao nhiêu")."""
    return _carries(tuple(words), "quantity_words")


def plan_edge_asked(words: tuple[str, ...] | list[str]) -> str | None:
    """ "first" or "last" when the words ask for the plan's first or last month, else None."""
    near = [_near(w) for w in words]
    for edge, phrases in lexicon.data().plan_edge_months.items():
        if any(_found(near, p) for p in phrases):
            return edge
    return None


def phrases_found(words: tuple[str, ...] | list[str], intent: IntentName) -> list[str]:
    """Which of the intent's phrases the words carry ("kinh phi" for not_stated)."""
    near = [_near(w) for w in words]
    return [" ".join(p) for i, p, _, _ in lexicon.data().phrases if i is intent and _found(near, p)]


def topics_asked(words: tuple[str, ...] | list[str]) -> list[Topic]:
    """The unstated topics whose phrases the words carry."""
    found = set(phrases_found(words, IntentName.NOT_STATED))
    return [t for t in lexicon.unstated_topics().values() if found & set(t.phrases)]


def _cell(text: str) -> str | None:
    m = re.search(r"\b[Cc]hi [Bb]ộ\s+(?P<name>[^,.;:!?\n]+)", text)
    return f"Chi bộ {m['name'].strip()}" if m else None


# What the chat does rather than asks: a question about it ("hạn đăng ký qua chưa") is a question.
_WISHES = (IntentName.SUBSCRIBE, IntentName.UNSUBSCRIBE, IntentName.SETTINGS)
_NO_DATE = "không thấy mốc thời gian nào"  # "ngày nào?": a question word, not a broken date
_TWO_DATES = "có hai mốc thời gian"
_JOINERS = re.compile(r"\s(?:với|voi|và|va|hoặc|hoac|or|and|,)\s", re.I)
_FROM_NOW = re.compile(
    r"\b(?:tu|from) (?:gio|bay gio|nay|hom nay|now) (?:den|toi|to|until)(?: het)?\b"
)


def _nested(text: str, now: datetime) -> When | None:
    """Two date phrases that make one: "19/5 năm nay", "3/2 năm sau", "tháng 2 này"."""
    found = vi_dates.find_all(text, now)
    years = [w for r, w in found if r == "year"]
    rest = [(r, w) for r, w in found if r != "year"]
    if len(years) == 1 and len(rest) == 1 and rest[0][1].kind in ("day", "span"):
        w, y = rest[0][1], years[0].start.year
        try:
            start, end = w.start.replace(year=y), w.end.replace(year=y)
        except ValueError:
            return None
        return When(w.kind, start, end, label=w.label.replace(str(w.start.year), str(y)))
    days_ = [w for r, w in found if r == "relative_day"]
    others = [w for r, w in found if r != "relative_day"]
    if len(others) == 1 and all(others[0].start <= d.start <= others[0].end for d in days_):
        return others[0]  # "tháng 2 này": the month, not today
    return None


def _english(text: str) -> str:
    folded = fold(text)
    for en, vi in lexicon.data().english_times.items():
        if en in folded:
            folded = re.sub(rf"\b{re.escape(en)}\b", vi, folded)
    return folded


def _when(text: str, now: datetime) -> tuple[When | None, str | None]:
    """The time the message is about, or what is wrong with the date it gives."""
    found = vi_dates.find(text, now)
    if found is None:  # "thg 6", "this month": shorthand and English read as Vietnamese
        expanded = " ".join(words_of(_english(text)))
        found = vi_dates.find(expanded, now) if expanded != fold(text) else None
        if isinstance(found, NotUnderstood):
            found = None
    if isinstance(found, NotUnderstood) and found.message.startswith(_TWO_DATES):
        nested = _nested(text, now)
        if nested:
            return nested, None
        # "tháng 5 với tháng 6 học gì": both, as one span
        parts = [vi_dates.find(p, now) for p in _JOINERS.split(text)]
        whens = [p for p in parts if isinstance(p, When)]
        if len(whens) >= 2 and len(whens) == len([p for p in parts if p is not None]):
            first, last = min(whens, key=lambda w: w.start), max(whens, key=lambda w: w.end)
            label = (
                " và ".join(w.label or w.iso() for w in whens)
                if all(w.label for w in whens)
                else ""
            )
            return When("span", first.start, last.end, label=label), None
        since = _FROM_NOW.search(fold(text))  # "từ hôm nay đến hết tháng 9": "hôm nay" starts it
        until = vi_dates.find(fold(text)[since.end() :], now) if since else None
        if isinstance(until, When) and until.end > now.date():
            return When("span", now.date(), until.end), None
        others = [w for r, w in vi_dates.find_all(text, now) if w.start != now.date()]
        if len(others) == 1:  # "nộp trước 15/12 đúng không, hôm nay còn kịp không": 15/12
            return others[0], None
    if isinstance(found, NotUnderstood):
        return None, (None if found.message == _NO_DATE else found.message)
    if found is not None and _FROM_NOW.search(fold(text)) and found.end > now.date():
        return When("span", now.date(), found.end), None  # "từ giờ đến 20/9"
    return found, None


def _unaddressed(text: str) -> str:
    """The message without the call that opens it ("@trolychibo_bot", "Trợ lý ơi,")."""
    typed = text.split()
    while typed and typed[0].startswith("@"):
        typed.pop(0)
    folded = [re.sub(r"\W", "", fold(w)) for w in typed]
    for phrase in sorted((p.split() for p in lexicon.section("addresses")), key=len, reverse=True):
        if folded[: len(phrase)] == phrase:
            return " ".join(typed[len(phrase) :])
    return " ".join(typed)


def route(text: str, now: datetime) -> Intent:
    text = lexicon.untelex(text)
    words = words_of(text)
    near = [_near(w) for w in words]
    scores: dict[IntentName, tuple[float, int]] = {}
    phrases = lexicon.data().phrases
    for index in sorted(
        _phrases_in(words, near)
    ):  # in the phrases' order, as scanning them all was
        intent, _, weight, prio = phrases[index]
        best = scores.get(intent, (0.0, prio))
        scores[intent] = (max(best[0], weight), prio)
    if scores.keys() & set(_WISHES) and ("?" in text or asks_when(words)):
        for wish in _WISHES:
            scores.pop(wish, None)
    when, error = _when(text, now)
    doc = documents.parse_ref(text)
    cell = _cell(text)
    if doc:  # "hướng dẫn 07", "kế hoạch 31": the kind of a document named, not a request for help
        scores.pop(IntentName.HELP, None)
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
    bare = name is IntentName.PERIOD and isinstance(vi_dates.parse(_unaddressed(text), now), When)
    return Intent(name, when, error, doc, cell, score, tuple(words), bare)
