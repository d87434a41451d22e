"""The time a message is about, read from its words: one date phrase, or two that make one
("19/5 năm nay", "tháng 5 với tháng 6", "từ nay đến 20/9"), or the one its question asks when
another clause tells of a time already past ("hôm qua họp rồi, vậy tháng sau họp hôm nào")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from handlers import lexicon
from handlers.lexicon import words_of
from schedules import meetings, vi_dates
from schedules.vi_dates import NotUnderstood, When
from schedules.vi_text import fold

_NO_DATE = "không thấy mốc thời gian nào"  # "ngày nào?": a question word, not a broken date
_TWO_DATES = "có hai mốc thời gian"
_DONE = frozenset(lexicon.section("done_words"))
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


# Where one clause ends and the next begins: punctuation, "vậy" or "còn" opening the question,
# or the "rồi" closing a clause told as done ("hôm qua họp rồi thì tháng sau họp hôm nào").
_CLAUSES = re.compile(
    r"[,.;!?\n]+|\s(?:vậy|vay|thế thì|the thi|còn|con)\s|(?:(?<=rồi)|(?<=roi))\s+(?:thì\s|thi\s)?",
    re.I,
)


@dataclass(frozen=True)
class _Clause:
    when: When | NotUnderstood | None
    asks: bool  # it carries a question word ("hôm nào", "hạn")
    done: bool  # it tells of something done or missed ("rồi", "xong", "lỡ")


def _clauses(text: str, now: datetime, asks: Callable[[str], bool]) -> list[_Clause]:
    if _DONE.isdisjoint(words_of(text)):  # nothing told as done: one question, however long
        return []
    return [
        _Clause(vi_dates.find(c, now), asks(c), bool(_DONE & set(words_of(c))))
        for c in _CLAUSES.split(text)
        if c.strip()
    ]


def asked_part(text: str, asks: Callable[[str], bool]) -> str | None:
    """ "đã nộp đợt 1 rồi, đợt 2 hạn khi nào": the clauses that ask, when every other clause
    tells of something done; what they name is what the question is about. In a longer chatty
    message ("hôm qua họp xong rồi, anh em hỏi báo cáo lần 3 hạn ngày nào, tôi trả lời chưa
    chắc. Nhờ xem giúp"), the one clause that asks, beside one told as done. None otherwise."""
    if _DONE.isdisjoint(words_of(text)):
        return None
    parts = [c for c in _CLAUSES.split(text) if c.strip()]
    asking = [c for c in parts if asks(c)]
    told = [c for c in parts if c not in asking]
    if not asking or not told or not any(_DONE & set(words_of(c)) for c in told):
        return None
    if len(asking) > 1 and not all(_DONE & set(words_of(c)) for c in told):
        return None
    return " ".join(asking)


def wished_part(text: str) -> str:
    """ "nhắc tôi lúc 5 rưỡi sáng được không, 7 rưỡi tôi đã ra đồng rồi": the clauses that do not
    tell of something done; the time in a reason clause is not the time wished. The whole text
    when no clause is told as done, or when every clause is."""
    if _DONE.isdisjoint(words_of(text)):
        return text
    parts = [c for c in _CLAUSES.split(text) if c.strip()]
    wished = [c for c in parts if _DONE.isdisjoint(words_of(c))]
    return " , ".join(wished) if wished else text


def _asked_clause(clauses: list[_Clause]) -> When | None:
    """ "hôm qua họp rồi, vậy tháng sau họp hôm nào": the time of the one clause that asks, when
    every other dated clause tells of something done, not asked."""
    dated = [c for c in clauses if c.when is not None]
    asked = [c.when for c in dated if c.asks]
    # not "tháng 5, tháng 6 hạn gì": both asked
    one = len(asked) == 1 and isinstance(asked[0], When)
    return asked[0] if one and all(c.done for c in dated if not c.asks) else None  # type: ignore[return-value]


def _told_only(clauses: list[_Clause]) -> bool:
    """ "đã nộp đợt 1 hôm 10/6 rồi, đợt 2 hạn khi nào": the one time given is of a clause told as
    done, and another clause asks without a time: the question is not about that day."""
    dated = [c for c in clauses if c.when is not None]
    return (
        len(clauses) > 1
        and bool(dated)
        and all(c.done and not c.asks for c in dated)
        and any(c.asks for c in clauses if c.when is None)
    )


def _beside_the_rule(text: str, now: datetime) -> When | None:
    """ "Thứ 2 đầu tháng mình họp, tháng 5 có phải lùi không": a clause stating the monthly
    meeting rule names no day; the one time in the other clauses is the one asked."""
    parts = [c for c in _CLAUSES.split(text) if c.strip()]
    rest = [c for c in parts if meetings.parse_rule(c) is None]
    if len(rest) == len(parts):
        return None
    found = [w for c in rest if (w := vi_dates.find(c, now)) is not None]
    return found[0] if len(found) == 1 and isinstance(found[0], When) else None


def _english(text: str) -> str:
    folded = fold(text)
    for en, vi in lexicon.data().english_times.items():
        if en in folded:
            folded = re.sub(rf"\b{re.escape(en)}\b", vi, folded)
    return folded


_RULE_SAID = re.compile(r"\b(?:hang|moi) thang\b")


def stated_rule(text: str) -> meetings.MeetingRule | None:
    """The monthly meeting rule a clause states ("chi bộ tui họp mùng 3 hàng tháng"), if any."""
    if not _RULE_SAID.search(fold(text)):
        return None
    rules = (meetings.parse_rule(c) for c in _CLAUSES.split(text) if c.strip())
    return next((r for r in rules if r is not None), None)


def read(text: str, now: datetime, asks: Callable[[str], bool]) -> tuple[When | None, str | None]:
    """The time the message is about, or what is wrong with the date it gives."""
    if stated_rule(text):  # "họp mùng 3 hàng tháng, tháng 12 có bị dời không": the month asked
        beside = _beside_the_rule(text, now)
        if beside is not None:
            return beside, None
    found = vi_dates.find(text, now)
    if found is None:  # "thg 6", "this month": shorthand and English read as Vietnamese
        expanded = " ".join(words_of(_english(text)))
        found = vi_dates.find(expanded, now) if expanded != fold(text) else None
        if isinstance(found, NotUnderstood):
            found = None
    if isinstance(found, NotUnderstood) and found.message.startswith(_TWO_DATES):
        nested = (
            _nested(text, now)
            or _asked_clause(_clauses(text, now, asks))
            or _beside_the_rule(text, now)
        )
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
    if isinstance(found, When) and _told_only(_clauses(text, now, asks)):
        return None, None
    if found is not None and _FROM_NOW.search(fold(text)) and found.end > now.date():
        return When("span", now.date(), found.end), None  # "từ giờ đến 20/9"
    return found, None
