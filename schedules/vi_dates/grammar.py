"""The rule registry the date grammar is made of (rules live in days.py, periods.py and
relative.py). Each rule: (name, regex over folded text, handler(match, ctx) -> When | None,
priority). A handler returning None means "this was not a date after all" and the match is not
consumed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from schedules.vi_dates.results import When
from schedules.vi_dates.words import Ctx

Reader = Callable[[re.Match[str], Ctx], When | None]


class Rule(NamedTuple):
    name: str
    pattern: re.Pattern[str]
    read: Reader
    priority: int


RULES: list[Rule] = []


def rule(name: str, pattern: str, priority: int) -> Callable[[Reader], Reader]:
    """Register a date rule. Rules apply in priority order, lowest first, each consuming what it
    matches: longer, more specific phrases first ("thứ 2 tuần sau" before "tuần sau", "3 tháng
    tới" before "tháng tới", "6 tháng cuối năm" before "cuối năm"). Spaced by ten, so a new rule
    slots in between without renumbering the others."""

    def deco(fn: Reader) -> Reader:
        RULES.append(Rule(name, re.compile(pattern), fn, priority))
        RULES.sort(key=lambda r: r.priority)
        return fn

    return deco
