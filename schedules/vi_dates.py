"""Vietnamese dates as secretaries type them: text + a reference moment → a day, a span or a moment.

The vocabulary lives in language/vi.yaml; this module holds the grammar. Every phrase either
resolves exactly or is refused with a Vietnamese reason — never a guess, never an exception.

Rules for what is left unsaid (also in the README):
- A day/month or a month without a year is the one nearest the reference day (within six months);
  at an exact tie, the current year. Asked in December, "5/1" is next January; "tháng 7" is July of
  this year. Quarters follow the same rule.
- 29/2 without a year: the year is chosen as for 28/2, and if that year has no 29 February, the
  next leap year's. So a past 29/2 is meant only within six months of it: asked on 10/8/2024 it is
  29/2/2024, on 10/8/2022 29/2/2024, anywhere in 2025 or 2026 29/2/2028. 30/2, 31/4 … never exist.
- A day of the month alone ("mùng 3", "ngày 15") is the next such day, today included.
- A weekday alone or with "này" is the next such day, today included; "tuần sau" is next week's.
- "Tn" is tháng n (T9 = tháng 9); weekdays are written "thứ n".
- đầu/giữa/cuối tháng are days 1–10, 11–20, 21–end; of a quarter its first, second, last month;
  of a year quý I, tháng 6–7, quý IV.
- "trước ngày X" is a deadline: the answer is the last day to act, X − 1.
- A part of day without an hour ("sáng mai") keeps the day only; "2 giờ chiều" is 14:00.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from schedules import spans, vi_format
from schedules.language import vocabulary
from schedules.spans import Span


@dataclass(frozen=True)
class When:
    kind: Literal["day", "span", "moment"]
    start: date
    end: date
    at: time | None = None
    label: str = ""
    weekday: int | None = (
        None  # named by a weekday word ("thứ 6"): checked against a date beside it
    )

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.label)

    def iso(self) -> str:
        if self.kind == "moment":
            return f"{self.start.isoformat()}T{self.at.hour:02d}:{self.at.minute:02d}"  # type: ignore[union-attr]
        if self.kind == "day":
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def text(self) -> str:
        if self.kind == "moment":
            return vi_format.moment(datetime.combine(self.start, self.at))  # type: ignore[arg-type]
        if self.kind == "day":
            return vi_format.full(self.start)
        return self.label or self.span.text()


@dataclass(frozen=True)
class NotUnderstood:
    message: str


class DateError(ValueError):
    """An impossible date (31/2, tháng 13): refused, never rounded to a near one."""


# ---------------------------------------------------------------- text preparation

_PUNCT = re.compile(r"[,;!?()\[\]\"“”‘’'…*]|\.(?!\d)|(?<!\d)\.")


def _prepare(text: str) -> tuple[str, str]:
    """Return (original, folded) of equal length, so accents can be consulted at any match."""
    orig = unicodedata.normalize("NFC", text).lower()
    orig = re.sub(r"\s+", " ", _PUNCT.sub(" ", orig)).strip()
    folded = "".join("d" if c == "đ" else unicodedata.normalize("NFD", c)[0] for c in orig)
    return orig, folded


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


V = vocabulary()
NUMW = _alt(V.numbers)
N = rf"(?:\d{{1,3}}|{NUMW})"
MONTHW = _alt(V.month_words)
WEEKDAY = _alt(V.weekdays)
SHIFT = _alt(V.shift)
THIRD = _alt(V.thirds)
POD = _alt(V.parts_of_day)
RELDAY = _alt(V.relative_days)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _num(word: str) -> int:
    return int(word) if word.isdigit() else V.numbers[word]


def _year(y: str | None) -> int | None:
    if y is None:
        return None
    n = int(y)
    return 2000 + n if n < 100 else n


def _written_year(y: str) -> int:
    """A four-digit year as written; "0000" is no year (datetime starts at year 1)."""
    if int(y) < 1:
        raise DateError(f"không có năm {y}")
    return int(y)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _month_shift(ym: tuple[int, int], n: int) -> tuple[int, int]:
    d = _add_months(date(ym[0], ym[1], 1), n)
    return d.year, d.month


def _nearest(candidates: list[tuple[int, object]], key_today: int) -> object:
    """Pick the candidate nearest today; ties go to the current year (listed in the middle)."""
    return min(candidates, key=lambda c: (abs(c[0] - key_today), c is not candidates[1]))[1]


def _make_day(y: int, m: int, d: int) -> date:
    if not 1 <= m <= 12:
        raise DateError(f"không có tháng {m}")
    try:
        return date(y, m, d)
    except ValueError:
        raise DateError(f"ngày {d}/{m}/{y} không tồn tại") from None


def _day_near(today: date, d: int, m: int) -> date:
    if not 1 <= m <= 12:
        raise DateError(f"không có tháng {m}")
    if not 1 <= d <= 31 or d > calendar.monthrange(2024, m)[1]:
        raise DateError(f"ngày {d}/{m} không tồn tại")
    if (d, m) == (29, 2):
        # Choose the year as for the day after 28/2, then move on to a leap year: a past 29/2 is
        # named only within the usual six months, never years back (asked in 2025 → 2028).
        year = _day_near(today, 28, 2).year
        while not calendar.isleap(year):
            year += 1
        return date(year, 2, 29)
    cands = [
        ((date(y, m, d) - today).days, date(y, m, d)) for y in range(today.year - 1, today.year + 2)
    ]
    return _nearest(cands, 0)  # type: ignore[return-value]


def _month_near(today: date, m: int) -> tuple[int, int]:
    if not 1 <= m <= 12:
        raise DateError(f"không có tháng {m}")
    now = today.year * 12 + today.month
    cands = [(y * 12 + m, (y, m)) for y in (today.year - 1, today.year, today.year + 1)]
    return _nearest(cands, now)  # type: ignore[return-value]


def _quarter_near(today: date, q: int) -> tuple[int, int]:
    now = today.year * 4 + (today.month - 1) // 3
    cands = [(y * 4 + q - 1, (y, q)) for y in (today.year - 1, today.year, today.year + 1)]
    return _nearest(cands, now)  # type: ignore[return-value]


def _third_of(span: Span, unit: str, third: int) -> Span:
    word = ("đầu", "giữa", "cuối")[third]
    if unit == "thang":
        last = span.end.day
        bounds = ((1, 10), (11, 20), (21, last))[third]
        s = span.start.replace(day=bounds[0])
        e = span.start.replace(day=bounds[1])
    elif unit == "quy":
        m = spans.month_span(span.start.year, span.start.month + third)
        s, e = m.start, m.end
    else:
        y = span.start.year
        s, e = (
            (date(y, 1, 1), date(y, 3, 31)),
            (date(y, 6, 1), date(y, 7, 31)),
            (date(y, 10, 1), date(y, 12, 31)),
        )[third]
    return Span(s, e, f"{word} {span.label}")


@dataclass
class _Ctx:
    orig: str
    folded: str
    today: date

    def accented(self, m: re.Match, group: str) -> str:
        return self.orig[m.start(group) : m.end(group)]


# ---------------------------------------------------------------- the grammar
# Each rule: (name, regex over folded text, handler(match, ctx) -> When | None).
# A handler returning None means "this was not a date after all" and the match is not consumed.

Rule = tuple[str, re.Pattern[str], Callable[[re.Match, _Ctx], "When | None"], int]
RULES: list[Rule] = []


def rule(name: str, pattern: str, priority: int):
    """Register a date rule. Rules apply in priority order, lowest first, each consuming what it
    matches: longer, more specific phrases first ("thứ 2 tuần sau" before "tuần sau", "3 tháng
    tới" before "tháng tới", "6 tháng cuối năm" before "cuối năm"). Spaced by ten, so a new rule
    slots in between without renumbering the others."""

    def deco(fn):
        RULES.append((name, re.compile(pattern), fn, priority))
        RULES.sort(key=lambda r: r[3])
        return fn

    return deco


def _day(d: date) -> When:
    return When("day", d, d)


def _span(s: Span) -> When:
    return When("span", s.start, s.end, label=s.label)


def _shift_of(ctx: _Ctx, m: re.Match, group: str = "shift") -> int | None:
    word = m[group]
    if word is None:
        return None
    if word == "sau" and "sáu" in ctx.accented(m, group):
        return None  # "tháng sáu" is June, not next month
    if word == "toi" and "tối" in ctx.accented(m, group):
        return None  # "tối" is evening
    return V.shift[word]


@rule("before", r"\btruoc(?: ngay)? (?=\d|mung |mong |ngay )", priority=10)
def _before(m, ctx):  # marker only: handled in parse()
    return None


@rule(
    "dmy_words",
    rf"\b(?:ngay |mung |mong )?(?P<d>\d{{1,2}}|{NUMW}) thang (?P<m>\d{{1,2}}|{MONTHW})"
    rf"(?: (?:nam |/)?(?P<y>\d{{4}}))?\b(?! (?:nam )?(?:nay|sau|toi|truoc|ngoai)\b)",
    priority=20,
)
def _dmy_words(m, ctx):
    mw = m["m"]
    if mw == "sau" and "sáu" not in ctx.accented(m, "m"):
        return None  # "mùng 3 tháng sau" is next month, handled below
    month = int(mw) if mw.isdigit() else V.month_words[mw]
    d = _num(m["d"])
    y = _year(m["y"])
    return _day(_make_day(y, month, d) if y else _day_near(ctx.today, d, month))


@rule(
    "day_of_shifted_month",
    rf"\b(?:ngay |mung |mong )(?P<d>\d{{1,2}}|{NUMW}) thang (?P<shift>{SHIFT})\b",
    priority=30,
)
def _day_shifted(m, ctx):
    n = _shift_of(ctx, m)
    if n is None:
        return None
    y, mo = _month_shift((ctx.today.year, ctx.today.month), n)
    return _day(_make_day(y, mo, _num(m["d"])))


@rule(
    "dmy",
    r"\b(?:ngay |mung |mong )?(?P<d>\d{1,2}) ?[/.-] ?(?P<m>\d{1,2})(?: ?[/.-] ?(?P<y>\d{4}|\d{2}))?\b(?![/.-]\d)",
    priority=40,
)
def _dmy(m, ctx):
    d, month, y = int(m["d"]), int(m["m"]), _year(m["y"])
    return _day(_make_day(y, month, d) if y else _day_near(ctx.today, d, month))


@rule(
    "half_year",
    rf"\b(?:6|sau|nua) (?:thang )?(?P<h>dau|cuoi) nam(?: (?P<y>\d{{4}})| (?P<shift>{SHIFT}))?\b",
    priority=70,
)
def _half(m, ctx):
    y = _year(m["y"]) or ctx.today.year + (V.shift[m["shift"]] if m["shift"] else 0)
    return _span(spans.half_span(y, 1 if m["h"] == "dau" else 2))


@rule(
    "quarter",
    rf"\b(?:(?P<third>{THIRD}) )?(?:quy|q) ?(?:(?P<q>\d{{1,2}}|iv|i{{1,3}}|{NUMW})\b(?:(?: nam)? ?/? ?(?P<y>\d{{4}})| nam (?P<yshift>{SHIFT})\b)?|(?P<shift>{SHIFT})\b)?",
    priority=80,
)
def _quarter(m, ctx):
    if m["q"] == "sau" and "sáu" not in ctx.accented(m, "q") and not (m["y"] or m["yshift"]):
        cur = (ctx.today.month - 1) // 3  # "quý sau" typed without accents: next quarter
        y, q = divmod(ctx.today.year * 4 + cur + 1, 4)
        s = spans.quarter_span(y, q + 1)
        return _span(_third_of(s, "quy", V.thirds[m["third"]]) if m["third"] else s)
    if m["q"]:
        q = ROMAN.get(m["q"]) or _num(m["q"])
        if not 1 <= q <= 4:
            raise DateError(f"không có quý {m['q'].upper()}")
        if m["yshift"]:
            y = ctx.today.year + V.shift[m["yshift"]]
        else:
            y = _year(m["y"]) or _quarter_near(ctx.today, q)[0]
    else:
        cur = (ctx.today.month - 1) // 3 + 1
        if m["shift"] is None and m["third"] is None:
            return None
        n = V.shift[m["shift"]] if m["shift"] else 0
        idx = ctx.today.year * 4 + cur - 1 + n
        y, q = divmod(idx, 4)
        q += 1
    s = spans.quarter_span(y, q)
    return _span(_third_of(s, "quy", V.thirds[m["third"]]) if m["third"] else s)


@rule(
    "month",
    rf"\b(?:(?P<third>{THIRD}) )?thang(?: (?P<m>\d{{1,2}}|{MONTHW})\b(?:(?: nam)? ?[/-]? ?(?P<y>\d{{4}})| nam (?P<yshift>{SHIFT}))?| (?P<shift>{SHIFT})\b)?(?! ?(?:nua|toi|truoc)\b)",
    priority=90,
)
def _month(m, ctx):
    if m["m"] and m["m"] == "sau" and "sáu" not in ctx.accented(m, "m") and not m["y"]:
        n = 1  # "tháng sau" typed without accents: next month
        y, mo = _month_shift((ctx.today.year, ctx.today.month), n)
    elif m["m"]:
        mo = int(m["m"]) if m["m"].isdigit() else V.month_words[m["m"]]
        if not 1 <= mo <= 12:
            raise DateError(f"không có tháng {mo}")
        if m["y"]:
            y = _written_year(m["y"])
        elif m["yshift"]:
            y = ctx.today.year + V.shift[m["yshift"]]
        else:
            y = _month_near(ctx.today, mo)[0]
    elif m["shift"]:
        n = _shift_of(ctx, m)
        if n is None:
            return None
        y, mo = _month_shift((ctx.today.year, ctx.today.month), n)
    elif m["third"]:
        y, mo = ctx.today.year, ctx.today.month
    else:
        return None
    s = spans.month_span(y, mo)
    return _span(_third_of(s, "thang", V.thirds[m["third"]]) if m["third"] else s)


@rule("t_month", r"\bt(?P<m>\d{1,2})(?: ?[/-] ?(?P<y>\d{4}))?\b", priority=100)
def _t_month(m, ctx):
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        raise DateError(f"không có tháng {mo}")
    y = _written_year(m["y"]) if m["y"] else _month_near(ctx.today, mo)[0]
    return _span(spans.month_span(y, mo))


@rule("month_year", r"\b(?P<m>\d{1,2}) ?[/-] ?(?P<y>\d{4})\b", priority=110)
def _month_year(m, ctx):
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        raise DateError(f"không có tháng {mo}")
    return _span(spans.month_span(_written_year(m["y"]), mo))


@rule(
    "in_n_units",
    rf"\btrong (?P<n>{N}) (?P<unit>ngay|tuan|thang) (?:toi|sau|nua)(?: nay)?\b",
    priority=50,
)
@rule(
    # "lịch họp 3 tháng tới", "10 ngày tới": the coming months or days, as "trong 3 tháng tới";
    # "3 tháng nữa" (and "sau 3 tháng") is one day, that far ahead (n_units).
    "n_units_ahead",
    rf"(?<!thang )(?<!quy )(?<!thu )\b(?P<n>{N}) (?P<unit>ngay|tuan|thang) (?P<dir>toi)(?: nay)?\b",
    priority=55,
)
def _within(m, ctx):
    if m.groupdict().get("dir") and "tối" in ctx.accented(m, "dir"):
        return None  # "3 ngày tối": evenings, not the days ahead
    unit = V.units[m["unit"]]
    n = _num(m["n"])
    end = (
        (ctx.today + timedelta(days=unit.get("days", 0) * n))
        if "days" in unit
        else _add_months(ctx.today, unit["months"] * n)
    )
    return _span(Span(ctx.today, end, f"{n} {_UNIT_VI[m['unit']]} tới"))


_UNIT_VI = {"ngay": "ngày", "tuan": "tuần", "thang": "tháng", "nam": "năm"}


@rule(
    "n_units",
    rf"(?<!thang )(?<!quy )(?<!thu )\b(?:(?P<after>sau|cach day) )?(?P<n>{N}) (?P<unit>ngay|hom|tuan|thang|nam)(?: (?P<dir>nua|toi|sau|truoc|qua))?\b",
    priority=60,
)
def _n_units(m, ctx):
    if not (m["after"] or m["dir"]):
        return None
    sign = -1 if (m["after"] == "cach day" or m["dir"] in ("truoc", "qua")) else 1
    unit = V.units[m["unit"]]
    n = _num(m["n"]) * sign
    if "days" in unit:
        return _day(ctx.today + timedelta(days=unit["days"] * n))
    return _day(_add_months(ctx.today, unit["months"] * n))


@rule(
    "weekday", rf"\b(?P<wd>{WEEKDAY})\b(?: (?:(?:cua )?tuan )?(?P<shift>{SHIFT})\b)?", priority=120
)
def _weekday(m, ctx):
    wd = V.weekdays[m["wd"]]
    n = _shift_of(ctx, m) if m["shift"] else 0
    if n is None:
        n = 0
    if m["shift"] and n != 0:
        monday = ctx.today - timedelta(days=ctx.today.weekday()) + timedelta(weeks=n)
        d = monday + timedelta(days=wd)
    else:
        d = ctx.today + timedelta(days=(wd - ctx.today.weekday()) % 7)
    return When("day", d, d, weekday=wd)


@rule("week", rf"\btuan (?P<shift>{SHIFT})\b", priority=130)
def _week(m, ctx):
    n = _shift_of(ctx, m)
    if n is None:
        return None
    s = spans.week_span(ctx.today + timedelta(weeks=n))
    word = {0: "tuần này", 1: "tuần sau", 2: "tuần sau nữa", -1: "tuần trước"}.get(n, "")
    return _span(Span(s.start, s.end, f"{word} ({s.text()})"))


@rule(
    "year",
    rf"\b(?:(?P<third>{THIRD}) )?nam(?: (?P<y>\d{{4}})\b| (?P<shift>{SHIFT})\b)?",
    priority=140,
)
def _year_rule(m, ctx):
    if m["y"]:
        y = _written_year(m["y"])
    elif m["shift"]:
        y = ctx.today.year + V.shift[m["shift"]]
    elif m["third"]:
        y = ctx.today.year
    else:
        return None
    s = spans.year_span(y)
    return _span(_third_of(s, "nam", V.thirds[m["third"]]) if m["third"] else s)


@rule("day_of_month", rf"\b(?:mung|mong|ngay) (?P<d>\d{{1,2}}|{NUMW})\b(?! ?[/.-]\d)", priority=150)
def _day_of_month(m, ctx):
    if m[0].startswith("ngay") and m["d"] == "mot" and "một" not in ctx.accented(m, "d"):
        return None  # "ngày mốt" is the day after tomorrow
    d = _num(m["d"])
    if not 1 <= d <= 31:
        raise DateError(f"không có ngày {d}")
    first = ctx.today.replace(day=1)
    for k in range(0, 3):
        month_first = _add_months(first, k)
        if d <= calendar.monthrange(month_first.year, month_first.month)[1]:
            cand = month_first.replace(day=d)
            if cand >= ctx.today:
                return _day(cand)
    raise DateError(f"không có ngày {d}")


@rule("relative_day", rf"\b(?P<rd>{RELDAY})\b", priority=160)
def _relative_day(m, ctx):
    before = ctx.folded[: m.start()].split()
    if m["rd"] == "nay" and before and before[-1] not in V.parts_of_day:
        return (
            None  # bare "nay" is today only when it opens the message ("nay học gì"), not "đợt này"
        )
    return _day(ctx.today + timedelta(days=V.relative_days[m["rd"]]))


@rule("now", r"\b(?:bay gio|luc nay|hien gio)\b", priority=170)
def _now(m, ctx):
    return None  # a moment: handled by parse() with the reference time


# A colon and a space is punctuation: "tháng 6: 17/6" is no 6:17. An hour is marked ("7h", "7:15",
# "7 giờ"), is a half ("4 rưỡi"), or carries am/pm ("7pm", "7:15 pm"); a bare number also matches
# here (so the regex stays one) and is skipped by _times.
TIME = re.compile(
    rf"\b(?P<h>\d{{1,2}})(?:(?P<mark> ?(?:h|g|gio|:(?! )))(?: ?(?P<mi>\d{{1,2}}|ruoi))?"
    rf"| (?P<half>ruoi))?(?: ?(?:phut|p))?(?: ?(?P<ampm>am|pm)\b|\b(?: (?P<pod>{POD})\b)?)"
)
POD_WORD = re.compile(rf"\b(?P<pod>{POD})\b")


def _pod(ctx: _Ctx, m: re.Match | None, next_to_hour: bool = True) -> str | None:
    if m is None or m["pod"] is None:
        return None
    if m["pod"] == "toi":
        word = ctx.accented(m, "pod")
        if word in ("tới", "tôi") or (not next_to_hour and word != "tối"):
            return None  # "tới" is next, "tôi" is me; away from the hour only "tối" is evening
    return m["pod"]


def _clock(ctx: _Ctx, m: re.Match) -> time:
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


class _NotATime(Exception):
    pass


def _times(ctx: _Ctx) -> list[tuple[time, tuple[int, int]]]:
    """Every clock time in the text, with where it stands (to be blanked before date rules)."""
    out = []
    for m in TIME.finditer(ctx.folded):
        try:
            at = _clock(ctx, m)
        except _NotATime:
            continue
        pod = _pod(ctx, m)
        end = m.end() if pod or m["pod"] is None else m.start("pod") - 1
        out.append((at, (m.start(), end)))
    return out


def _extract_time(ctx: _Ctx) -> tuple[time | None, tuple[int, int] | None]:
    """The first clock time in the text, if any, and where it stands."""
    found = _times(ctx)
    return found[0] if found else (None, None)


def clock_times(text: str) -> list[time] | NotUnderstood:
    """Every time of day in a message, in order ("7h30 sớm quá, cho 8h15" → 7:30, 8:15): the one
    time-of-day parser, also for settings (the reminder hour)."""
    orig, folded = _prepare(text)
    try:
        return [at for at, _ in _times(_Ctx(orig, folded, date.min))]
    except DateError as e:
        return NotUnderstood(str(e))


def take_clock(text: str) -> tuple[time | None, str] | NotUnderstood:
    """The first time of day in `text`, and the text folded with that time blanked out: for
    parsers of other things said with a time ("thứ 6 đầu tiên hằng tháng lúc 19h30")."""
    orig, folded = _prepare(text)
    try:
        at, span = _extract_time(_Ctx(orig, folded, date.min))
    except DateError as e:
        return NotUnderstood(str(e))
    return at, _blank(folded, *span) if span else folded


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


# ---------------------------------------------------------------- public API


@dataclass(frozen=True)
class Found:
    when: When
    start: int
    end: int
    rule: str


def _scan(ctx: _Ctx) -> tuple[list[Found], str]:
    """Apply the rules in order, consuming what each matches. Returns matches and leftover text."""
    text = ctx.folded
    found: list[Found] = []
    for name, rx, fn, _ in RULES:
        pos = 0
        while True:
            m = rx.search(text, pos)
            if not m or not m.group(0).strip():
                break
            if name in ("before", "now"):
                when = When("day", ctx.today, ctx.today, label=name)
            else:
                when = fn(m, _Ctx(ctx.orig, text, ctx.today))
            if when is None:
                pos = m.start() + 1
                continue
            found.append(Found(when, m.start(), m.end(), name))
            text = _blank(text, m.start(), m.end())
            pos = m.end()
    return sorted(found, key=lambda f: f.start), text


def _combine(found: list[Found], at: time | None, now: datetime) -> When | NotUnderstood:
    before = any(f.rule == "before" for f in found)
    if any(f.rule == "now" for f in found):
        return When("moment", now.date(), now.date(), at=time(now.hour, now.minute))
    dates = [f.when for f in found if f.rule not in ("before", "now")]
    if not dates:
        if at is None:
            return NotUnderstood("không thấy mốc thời gian nào")
        dates = [_day(now.date())]
    explicit = [d for d in dates if d.weekday is None]
    weekdays = [d for d in dates if d.weekday is not None]
    if len(explicit) > 1 and len({(d.start, d.end) for d in explicit}) > 1:
        return NotUnderstood("có hai mốc thời gian khác nhau, xin nói một mốc thôi")
    when = explicit[0] if explicit else weekdays[0]
    for w in weekdays:
        wd = w.weekday
        if explicit and when.kind == "day" and when.start.weekday() != wd:
            return NotUnderstood(
                f"{vi_format.day(when.start)} là {vi_format.weekday(when.start)}, "
                f"không phải {vi_format.WEEKDAYS[wd]}"
            )
    when = replace(when, weekday=None)
    if before:
        if when.kind != "day" and when.kind != "span":
            return NotUnderstood("“trước ngày …” cần một ngày cụ thể")
        last = when.start - timedelta(days=1)
        return When("day", last, last, label=f"trước ngày {vi_format.day(when.start)}")
    if at is not None:
        if when.kind != "day":
            return NotUnderstood("giờ cần đi với một ngày cụ thể")
        return When("moment", when.start, when.start, at=at)
    return when


def _analyse(text: str, now: datetime) -> tuple[str, str, list[Found], time | None]:
    """Time first, then the date rules. Returns (original text, what no rule used, matches, time);
    raises DateError for an impossible date."""
    orig, folded = _prepare(text)
    ctx = _Ctx(orig, folded, now.date())
    at, cut = _extract_time(ctx)
    if cut:
        ctx.folded = _blank(ctx.folded, *cut)
    found, rest = _scan(ctx)
    return orig, rest, _day_in_month(_meant(found, ctx.folded)), at


NEGATED = re.compile(rf"\b(?:{_alt(V.negations)}) *$")


def _meant(found: list[Found], folded: str) -> list[Found]:
    """Without the dates said not to be meant ("họp ngày 8, không phải ngày 5"), if one is left."""
    kept = [f for f in found if not NEGATED.search(folded[: f.start])]
    return kept if any(f.rule not in ("before", "now") for f in kept) else found


def _day_in_month(found: list[Found]) -> list[Found]:
    """A day and the month named apart are one day: "tháng này họp ngày 8" is the 8th of this
    month (the day alone would be the next 8th); "tháng 10 họp ngày 11/10" is 11/10."""
    days = [f for f in found if f.when.kind == "day" and f.when.weekday is None] or [
        f
        for f in found
        if f.when.kind == "day"  # "tháng 6 họp thứ 6 tuần sau"
    ]
    months = [
        f
        for f in found
        if f.rule == "month"
        and f.when.start.day == 1
        and f.when.end == spans.month_span(f.when.start.year, f.when.start.month).end
    ]
    if len(days) != 1 or len(months) != 1:
        return found
    (day,), (month,) = days, months
    first = month.when.start
    if day.rule == "day_of_month":
        when = _day(_make_day(first.year, first.month, day.when.start.day))
    elif first <= day.when.start <= month.when.end:
        when = day.when
    else:
        return found  # "tháng 7 … 3/8": two times indeed
    merged = Found(when, min(day.start, month.start), max(day.end, month.end), "dmy")
    rest = [f for f in found if f is not day and f is not month]
    return sorted([*rest, merged], key=lambda f: f.start)


def parse(text: str, now: datetime) -> When | NotUnderstood:
    """The whole text as one date phrase. Words left over that are not fillers → NotUnderstood."""
    try:
        orig, rest, found, at = _analyse(text, now)
    except DateError as e:
        return NotUnderstood(str(e))
    leftover = [w for w in rest.split() if w not in V.fillers and w not in FILLER_PHRASE_WORDS]
    if leftover:
        words = " ".join(
            orig[m.start() : m.end()] for m in re.finditer(r"\S+", rest) if m[0] in leftover
        )
        return NotUnderstood(f"không hiểu “{words or ' '.join(leftover)}”")
    return _combine(found, at, now)


# Part-of-day words without an hour ("sáng mai") keep the day only, so they may be left over.
FILLER_PHRASE_WORDS = {w for f in V.fillers for w in f.split()} | set(V.parts_of_day)


def find(text: str, now: datetime) -> When | NotUnderstood | None:
    """The date phrase inside a longer message (a question). None when it names no time."""
    try:
        _, _, found, at = _analyse(text, now)
    except DateError as e:
        return NotUnderstood(str(e))
    if not found and at is None:
        return None
    return _combine(found, at, now)


def find_all(text: str, now: datetime) -> list[tuple[str, When]]:
    """Every date phrase in the message with the rule that read it, for a caller that combines
    them ("19/5 năm nay", "tháng 5 với tháng 6"); [] for an impossible date."""
    try:
        _, _, found, _ = _analyse(text, now)
    except DateError:
        return []
    return [(f.rule, f.when) for f in found if f.rule not in ("before", "now")]
