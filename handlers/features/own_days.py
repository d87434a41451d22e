"""The cell's own days stated in passing: "14/6 mình họp chi bộ nhé", "thứ 6 tuần sau chi bộ sinh
hoạt chuyên đề". A statement naming the meeting or the thematic session with a day is a wish to set
that day, read back and saved only on ✅ Lưu, as /caidat does (the settings are
handlers/settings/items.py's: a meeting moved for its month, or the plan's cell event). A question
("14/6 có họp không?") and a bare date ("15/9") are left to the questions feature.

The words are data (intents.yaml's stated_days); the day is read by the router's date reading
(schedules/vi_dates/), never here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from handlers import settings
from handlers.feature import Feature, Permission, Turn
from handlers.features.settings import confirm
from handlers.intents import IntentName
from handlers.lexicon import says_exactly, section, words_of
from handlers.router import asks_when, phrases_found, route
from handlers.settings.items import CellEventDay, Meeting
from handlers.types import Reply
from schedules import meetings, vi_format
from schedules.vi_dates import When
from schedules.vi_text import fold

feature = Feature("own_days")

# What the router may make of such a statement: nothing else recognised in it ("14/6 nộp báo cáo
# tổng hợp" is about a deadline, whatever "hợp" folds to).
_ROUTED = frozenset(
    {
        IntentName.MEETING,
        IntentName.PERIOD,
        IntentName.UNKNOWN,
        IntentName.SETTINGS,
        IntentName.PILOT,
        IntentName.THEME,
        IntentName.GREETING,
    }
)
_REMINDER_WISHES = (
    IntentName.REMINDER_LEADS,
    IntentName.REMINDER_HOUR,
    IntentName.REMINDER_PAUSE,
)
_TWO_DATES = "có hai mốc thời gian"  # a choice between days is asked back by the questions feature
_CLAUSES = re.compile(r"[,.;!\n]+")


@dataclass(frozen=True)
class _Words:
    meeting: tuple[tuple[str, ...], ...]
    event: tuple[tuple[str, ...], ...]
    every_month: tuple[tuple[str, ...], ...]
    asking_ends: frozenset[str]  # as typed (accents kept), and folded where that is unambiguous
    asking_starts: tuple[tuple[str, ...], ...]
    asking_words: tuple[tuple[str, ...], ...]


@cache
def _words() -> _Words:
    data = section("stated_days")
    ends = {unicodedata.normalize("NFC", w) for w in data["asking_ends"]}
    # "a" typed without accents may be "à" (asking) or "ạ" (polite): only the accented one counts
    folded = {fold(w) for w in ends} - {"a"}
    return _Words(
        tuple(tuple(p.split()) for p in data["meeting"]),
        tuple(tuple(p.split()) for p in data["event"]),
        tuple(tuple(p.split()) for p in data["every_month"]),
        frozenset(ends | folded),
        tuple(tuple(fold(p).split()) for p in data["asking_starts"]),
        tuple(tuple(fold(p).split()) for p in data["asking_words"]),
    )


def _asks(text: str, words: list[str]) -> bool:
    """A question, not a statement: "?", a question word ("ngày nào", "cho hỏi"), a clause ending
    in an asking particle ("có họp không", "họp à"), or an English question's opening."""
    w = _words()
    if "?" in text or asks_when(words) or says_exactly(words, w.asking_words):
        return True
    for clause in _CLAUSES.split(unicodedata.normalize("NFC", text).lower()):
        last = clause.split()[-1:] or [""]
        if last[0] in w.asking_ends:
            return True
    return any(tuple(words[: len(p)]) == p for p in w.asking_starts)


@dataclass(frozen=True)
class Stated:
    event: bool  # the thematic session, not the meeting
    when: When | None  # a day, or a moment ("19h thứ 5 này")
    error: str | None  # an impossible day ("31/2"): said back
    rule: bool = False  # the monthly rule ("ngày 20 hằng tháng"), read as /caidat reads it


def stated(turn: Turn) -> Stated | None:
    """A day stated for the meeting or the session, in a chat following a plan; None otherwise."""
    sub = turn.sub
    if not sub or not sub.plan_ids or not turn.args:
        return None
    words = words_of(turn.args)
    event = says_exactly(words, _words().event)
    if not (event or says_exactly(words, _words().meeting)) or _asks(turn.args, words):
        return None
    if any(phrases_found(words, wish) for wish in _REMINDER_WISHES):
        return None  # "nhắc trước 2 ngày trước khi họp": about the reminders, not the day
    if not event and says_exactly(words, _words().every_month):
        return Stated(False, None, None, rule=True) if meetings.parse_rule(turn.args) else None
    intent = route(turn.args, turn.now)
    if intent.name not in _ROUTED:
        return None
    if intent.when is not None and intent.when.kind in ("day", "moment"):
        return Stated(event, intent.when, None)
    if intent.date_error and not intent.date_error.startswith(_TWO_DATES):
        return Stated(event, None, intent.date_error)
    return None


@feature.text(stated, permission=Permission.CHAT_ADMIN)  # in a group, the same people as /caidat
async def own_day(turn: Turn) -> list[Reply]:
    said: Stated = turn.match
    sub = turn.sub
    assert sub is not None  # stated() found a subscribed chat
    plans = turn.plans(sub)
    what = "ngày sinh hoạt chuyên đề" if said.event else "ngày họp"
    meeting = settings.find("meeting", plans)
    assert isinstance(meeting, Meeting)  # every chat has a meeting setting
    if said.rule:
        return await confirm(turn, sub, meeting, meeting.parse(turn.args, turn.now, sub, plans))
    if said.when is None:
        return [Reply(f"⚠️ Chưa hiểu {what} ({said.error}). Xin nói lại ngày, ví dụ: 15/9.")]
    day = said.when.start
    found = [s for s in settings.settings_for(plans) if isinstance(s, CellEventDay)]
    if said.event and not found:
        names = ", ".join(p.short_name for p in plans)
        return [
            Reply(
                f"Kế hoạch của chat này ({names}) không có buổi sinh hoạt chuyên đề nào do chi bộ "
                "tự đặt ngày, nên tôi không có gì để ghi. Nếu chi bộ sinh hoạt chuyên đề trong kỳ "
                f"họp tháng {day.month}, gõ “ngày họp: {day.day}/{day.month}” để dời kỳ họp."
            )
        ]
    if day < turn.today:
        return [
            Reply(
                f"⚠️ {vi_format.full(day)} đã qua, nên tôi không đặt {what} vào ngày đó. "
                "Xin nói một ngày sắp tới."
            )
        ]
    setting: settings.Setting
    if said.event:
        setting = found[0]  # the plans shipped have one cell event each at most
        parsed = setting.on(day, sub, plans)
        if said.when.at:  # the event's reminders name its day only: say the hour is not kept
            hour = vi_format.clock(said.when.at.strftime("%H:%M"))
            note = f"\n(Tôi ghi ngày; giờ {hour} không có trong tin nhắc.)"
            parsed = settings.Parsed(parsed.value, parsed.description + note)
    else:
        setting, parsed = meeting, meeting.one_off(day, said.when.at, turn.now, sub)
    return await confirm(turn, sub, setting, parsed)
