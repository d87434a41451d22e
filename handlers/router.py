"""The free-text router: which intent a message carries, and its slots (a span, a document, a cell).

Keyword knowledge is data (intents.yaml, unstated.yaml, read by lexicon.py); this module only
scores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache

from handlers import lexicon, time_read
from handlers.intents import IntentName
from handlers.lexicon import Topic, words_of
from schedules import document_numbers, vi_dates
from schedules.document_numbers import DocRef
from schedules.vi_dates import When
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


@lru_cache(maxsize=20000)
def _near(word: str) -> frozenset[str]:
    """The phrase words this message word matches (itself, or one edit away)."""
    vocab = lexicon.vocabulary()
    apart = _never_near()
    near = {
        v
        for n in (len(word) - 1, len(word), len(word) + 1)
        for v in vocab.get(n, ())
        if _close(word, v) and (word == v or frozenset((word, v)) not in apart)
    }
    return frozenset(near)


@cache
def _never_near() -> frozenset[frozenset[str]]:
    return frozenset(frozenset(pair) for pair in lexicon.section("never_near"))


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


def _phrases_in(
    words: list[str], near: list[frozenset[str]], ends: frozenset[int] = frozenset()
) -> set[int]:
    """The phrases the message carries, found from each word's start: a long paste costs its
    length times the few phrases that start with each word, not every phrase times its length.
    A one-word phrase must be written as it is: one edit away, "chấp" would be "chào".
    No two-word phrase runs over a clause's end (`ends`: the index of each clause's last word):
    in "báo trước 3 ngày thôi, nhắc sớm quá" the particle "thôi" and the next clause's "nhắc" are
    not "thôi nhắc" (stop reminding), nor one letter from "thôi nhận" (leave the plan). A longer
    phrase is too particular to be chance ("số mấy, ngày nào" asks the plan's number and date)."""
    table = _by_first_word()
    found: set[int] = set()
    for i, here in enumerate(near):
        for first in here:
            for index, phrase in table.get(first, ()):
                if index in found or i + len(phrase) > len(near):
                    continue
                if len(phrase) == 2 and i in ends:
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
    return list(_phrases_found(tuple(words), intent))


@lru_cache(maxsize=256)  # one question is answered for each plan the chat follows: scan it once
def _phrases_found(words: tuple[str, ...], intent: IntentName) -> tuple[str, ...]:
    near = [_near(w) for w in words]
    phrases = lexicon.data().phrases
    return tuple(" ".join(p) for i, p, _, _ in phrases if i is intent and _found(near, p))


def topics_asked(words: tuple[str, ...] | list[str]) -> list[Topic]:
    """The unstated topics whose phrases the words carry."""
    found = set(phrases_found(words, IntentName.NOT_STATED))
    return [t for t in lexicon.unstated_topics().values() if found & set(t.phrases)]


def _cell(text: str) -> str | None:
    m = re.search(r"\b[Cc]hi [Bb]ộ\s+(?P<name>[^,.;:!?\n]+)", text)
    return f"Chi bộ {m['name'].strip()}" if m else None


# What the chat does rather than asks: a question about it ("hạn đăng ký qua chưa", "đăng ký thời
# gian hội nghị còn bao nhiêu ngày") is a question.
_WISHES = (IntentName.SUBSCRIBE, IntentName.UNSUBSCRIBE, IntentName.SETTINGS)
_RULE_BESIDE = (IntentName.PERIOD, IntentName.SETTINGS, IntentName.UNKNOWN)
_DATED = (IntentName.PERIOD, IntentName.DOCUMENT_MONTH)  # read from the date or document alone
# Lead days said with their count ("nhắc trước 1 ngày", "báo trc 2 hôm", "3 ngày trước"): the
# wish is the lead days, whatever the next clause grumbles ("đừng nhắc dồn dập" is no pause).
_LEAD_COUNT = re.compile(
    r"\b(?:nhac|bao) truoc (?:\d{1,2}|mot|hai|ba|bon|nam) (?:ngay|hom|tuan)\b"
    r"|\b(?:nhac|bao) (?:\d{1,2}|mot|hai|ba|bon|nam) (?:ngay|hom|tuan) truoc\b"
)


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


# A clause ends at a comma, semicolon, "!", "?" or a full stop not inside a number ("7.30").
_CLAUSE_END = re.compile(r"[,;!?]+|\.(?!\d)")


def _clause_ends(text: str) -> tuple[list[str], frozenset[int]]:
    """The message's words and the index of each clause's last word."""
    words: list[str] = []
    ends: set[int] = set()
    for clause in _CLAUSE_END.split(text):
        words.extend(words_of(clause))
        if words:
            ends.add(len(words) - 1)
    return words, frozenset(ends)


def _scores(words: list[str], ends: frozenset[int]) -> dict[IntentName, tuple[float, int]]:
    """Each intent the words carry a phrase of: its best phrase's weight, and its priority."""
    near = [_near(w) for w in words]
    scores: dict[IntentName, tuple[float, int]] = {}
    phrases = lexicon.data().phrases
    for index in sorted(_phrases_in(words, near, ends)):  # in the phrases' order
        intent, _, weight, prio = phrases[index]
        best = scores.get(intent, (0.0, prio))
        scores[intent] = (max(best[0], weight), prio)
    return scores


_REMINDER_WISHES = frozenset(
    {IntentName.REMINDER_PAUSE, IntentName.REMINDER_HOUR, IntentName.REMINDER_LEADS}
)


def _wish_over_reason(text: str, scores: dict) -> dict:
    """ "Tắt nhắc nhở giùm tôi, chi bộ đang bận thu hoạch": a clause that wishes a change of the
    reminders, beside another that only gives the reason, is the message; a topic word in the
    reason ("thu hoạch") is not a question about that topic."""
    clauses = [_scores(*_clause_ends(c)) for c in _CLAUSE_END.split(text) if c.strip()]
    wishing = [c for c in clauses if c.keys() & _REMINDER_WISHES]
    if wishing and all(IntentName.NOT_STATED not in c for c in wishing):
        return {k: v for k, v in scores.items() if k is not IntentName.NOT_STATED}
    return scores


def route(text: str, now: datetime) -> Intent:
    text = lexicon.untelex(text)
    words, ends = _clause_ends(text)
    scores = _scores(words, ends)
    if scores.keys() & set(_WISHES) and ("?" in text or asks_when(words)):
        for wish in _WISHES:
            scores.pop(wish, None)
    if IntentName.REMINDER_LEADS in scores and _LEAD_COUNT.search(" ".join(words)):
        weight, prio = scores[IntentName.REMINDER_LEADS]
        scores[IntentName.REMINDER_LEADS] = (weight + 1.0, prio)
    if IntentName.NOT_STATED in scores and scores.keys() & _REMINDER_WISHES:
        scores = _wish_over_reason(text, scores)
    when, error = time_read.read(text, now, lambda clause: asks_when(words_of(clause)))
    doc = document_numbers.parse_ref(text)
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
    if name is IntentName.HELD:  # "mấy tháng 1 lần" asks how often, not about January
        when, error = None, None
    if when and name in _RULE_BESIDE and time_read.stated_rule(text):
        name = IntentName.MEETING  # a meeting rule stated, a month asked: that month's meeting
    bare = name is IntentName.PERIOD and isinstance(vi_dates.parse(_unaddressed(text), now), When)
    asked = time_read.asked_part(text, lambda clause: asks_when(words_of(clause)))
    if asked:  # "đã nộp đợt 1 rồi, đợt 2 hạn khi nào": what is named is named in the question
        words, asked_ends = _clause_ends(asked)
        # …and what it asks is asked there: "hôm qua chi bộ họp xong rồi, … báo cáo lần 3 hạn
        # ngày nào" asks a deadline, not the meeting told as past; a bare "ngày mấy" there asks
        # the day of what the told clause names ("họp tháng 8 xong rồi, lần sau ngày mấy")
        again = {k: v for k, v in _scores(words, asked_ends).items() if k not in _WISHES}
        best = max(again.items(), key=lambda kv: (kv[1][0], -kv[1][1]), default=None)
        if best and best[0] is not IntentName.DAY_INFO and name not in _DATED:
            name, score = best[0], best[1][0]
    return Intent(name, when, error, doc, cell, score, tuple(words), bare)
