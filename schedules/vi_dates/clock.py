"""Times of day ("7h30", "2 giờ chiều", "4 rưỡi", "7pm"): the one time-of-day reader, for dates
with an hour and for settings (the reminder hour)."""

from __future__ import annotations

import re
from datetime import date, time

from schedules.vi_dates.results import DateError, NotUnderstood
from schedules.vi_dates.words import POD, Ctx, V, blank, prepare

# A colon and a space is punctuation: "tháng 6: 17/6" is no 6:17. An hour is marked ("7h", "7:15",
# "7 giờ"), is a half ("4 rưỡi"), or carries am/pm ("7pm", "7:15 pm"); a bare number also matches
# here (so the regex stays one) and is skipped by times().
TIME = re.compile(
    rf"\b(?P<h>\d{{1,2}})(?:(?P<mark> ?(?:h|g|gio|:(?! )))(?: ?(?P<mi>\d{{1,2}}|ruoi))?"
    rf"| (?P<half>ruoi))?(?: ?(?:phut|p))?(?: ?(?P<ampm>am|pm)\b|\b(?: (?P<pod>{POD})\b)?)"
)
POD_WORD = re.compile(rf"\b(?P<pod>{POD})\b")


def _pod(ctx: Ctx, m: re.Match[str] | None, next_to_hour: bool = True) -> str | None:
    if m is None or m["pod"] is None:
        return None
    pod: str = m["pod"]
    if pod == "toi":
        word = ctx.accented(m, "pod")
        if word in ("tới", "tôi") or (not next_to_hour and word != "tối"):
            return None  # "tới" is next, "tôi" is me; away from the hour only "tối" is evening
    return pod


class _NotATime(Exception):
    pass


def _clock(ctx: Ctx, m: re.Match[str]) -> time:
    """The time one TIME match says, its part of day read next to it or elsewhere in the text."""
    if not (m["mark"] or m["half"] or m["ampm"]):
        raise _NotATime  # a bare number: a day, a count
    h = int(m["h"])
    mi = 30 if m["half"] or m["mi"] == "ruoi" else int(m["mi"] or 0)
    if m["ampm"]:
        if ctx.accented(m, "ampm") not in ("am", "pm"):
            raise _NotATime  # "âm" (lịch): a lunar date, not a morning
        if h > 12 or mi > 59:
            raise DateError(f"không có giờ {ctx.orig[m.start() : m.end()].strip()}")
        return time((h % 12) + (12 if m["ampm"] == "pm" else 0), mi)
    pod = _pod(ctx, m)
    if pod is None:  # "chiều thứ 6 lúc 2 giờ": the part of day may stand elsewhere
        words = (_pod(ctx, x, next_to_hour=False) for x in POD_WORD.finditer(ctx.folded))
        pod = next((p for p in words if p), None)
    if pod and h < 12 and not (pod == "trua" and h >= 11):
        h += V.parts_of_day[pod]
    if h > 23 or mi > 59:
        raise DateError(f"không có giờ {ctx.orig[m.start() : m.end()].strip()}")
    return time(h, mi)


def times(ctx: Ctx) -> list[tuple[time, tuple[int, int]]]:
    """Every clock time in the text, with where it stands (to be blanked before date rules)."""
    out: list[tuple[time, tuple[int, int]]] = []
    for m in TIME.finditer(ctx.folded):
        try:
            at = _clock(ctx, m)
        except _NotATime:
            continue
        pod = _pod(ctx, m)
        end = m.end() if pod or m["pod"] is None else m.start("pod") - 1
        out.append((at, (m.start(), end)))
    return out


def extract_time(ctx: Ctx) -> tuple[time | None, tuple[int, int] | None]:
    """The first clock time in the text, if any, and where it stands."""
    found = times(ctx)
    return found[0] if found else (None, None)


def clock_times(text: str) -> list[time] | NotUnderstood:
    """Every time of day in a message, in order ("7h30 sớm quá, cho 8h15" → 7:30, 8:15): the one
    time-of-day parser, also for settings (the reminder hour)."""
    orig, folded = prepare(text)
    try:
        return [at for at, _ in times(Ctx(orig, folded, date.min))]
    except DateError as e:
        return NotUnderstood(str(e))


def take_clock(text: str) -> tuple[time | None, str] | NotUnderstood:
    """The first time of day in `text`, and the text folded with that time blanked out: for
    parsers of other things said with a time ("thứ 6 đầu tiên hằng tháng lúc 19h30")."""
    orig, folded = prepare(text)
    try:
        at, where = extract_time(Ctx(orig, folded, date.min))
    except DateError as e:
        return NotUnderstood(str(e))
    return at, blank(folded, *where) if where else folded
