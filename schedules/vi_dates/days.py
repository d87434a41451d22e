"""Rules that read one day: a day and month ("5/9", "mùng 3 tháng 9"), a day of a month named by
its shift ("mùng 3 tháng sau"), a weekday ("thứ 6 tuần sau"), a day of the month alone ("ngày
15"), a relative day ("mai", "hôm qua"); and the markers "trước ngày …" and "bây giờ", which
clauses.py reads."""

from __future__ import annotations

import calendar
import re
from datetime import timedelta

from schedules.vi_dates.grammar import rule
from schedules.vi_dates.nearest import add_months, day_near, make_day, month_shift
from schedules.vi_dates.results import DateError, When, day
from schedules.vi_dates.words import (
    MONTHW,
    NUMW,
    RELDAY,
    SHIFT,
    WEEKDAY,
    Ctx,
    V,
    num,
    shift_of,
    year,
)


@rule("before", r"\btruoc(?: ngay)? (?=\d|mung |mong |ngay )", priority=10)
def _before(m: re.Match[str], ctx: Ctx) -> When | None:  # marker only: handled in parse()
    return None


@rule(
    "dmy_words",
    rf"\b(?:ngay |mung |mong )?(?P<d>\d{{1,2}}|{NUMW}) thang (?P<m>\d{{1,2}}|{MONTHW})"
    rf"(?: (?:nam |/)?(?P<y>\d{{4}}))?\b(?! (?:nam )?(?:nay|sau|toi|truoc|ngoai)\b)",
    priority=20,
)
def _dmy_words(m: re.Match[str], ctx: Ctx) -> When | None:
    mw = m["m"]
    if mw == "sau" and "sáu" not in ctx.accented(m, "m"):
        return None  # "mùng 3 tháng sau" is next month, handled below
    month = int(mw) if mw.isdigit() else V.month_words[mw]
    d = num(m["d"])
    y = year(m["y"])
    return day(make_day(y, month, d) if y else day_near(ctx.today, d, month))


@rule(
    "day_of_shifted_month",
    rf"\b(?:ngay |mung |mong )(?P<d>\d{{1,2}}|{NUMW}) thang (?P<shift>{SHIFT})\b",
    priority=30,
)
def _day_shifted(m: re.Match[str], ctx: Ctx) -> When | None:
    n = shift_of(ctx, m)
    if n is None:
        return None
    y, mo = month_shift((ctx.today.year, ctx.today.month), n)
    return day(make_day(y, mo, num(m["d"])))


@rule(
    "dmy",
    r"\b(?:ngay |mung |mong )?(?P<d>\d{1,2}) ?[/.-] ?(?P<m>\d{1,2})(?: ?[/.-] ?(?P<y>\d{4}|\d{2}))?\b(?![/.-]\d)",
    priority=40,
)
def _dmy(m: re.Match[str], ctx: Ctx) -> When | None:
    d, month, y = int(m["d"]), int(m["m"]), year(m["y"])
    return day(make_day(y, month, d) if y else day_near(ctx.today, d, month))


@rule(
    "weekday", rf"\b(?P<wd>{WEEKDAY})\b(?: (?:(?:cua )?tuan )?(?P<shift>{SHIFT})\b)?", priority=120
)
def _weekday(m: re.Match[str], ctx: Ctx) -> When | None:
    wd = V.weekdays[m["wd"]]
    n = shift_of(ctx, m) if m["shift"] else 0
    if n is None:
        n = 0
    if m["shift"] and n != 0:
        monday = ctx.today - timedelta(days=ctx.today.weekday()) + timedelta(weeks=n)
        d = monday + timedelta(days=wd)
    else:
        d = ctx.today + timedelta(days=(wd - ctx.today.weekday()) % 7)
    return When("day", d, d, weekday=wd)


@rule("day_of_month", rf"\b(?:mung|mong|ngay) (?P<d>\d{{1,2}}|{NUMW})\b(?! ?[/.-]\d)", priority=150)
def _day_of_month(m: re.Match[str], ctx: Ctx) -> When | None:
    if m[0].startswith("ngay") and m["d"] == "mot" and "một" not in ctx.accented(m, "d"):
        return None  # "ngày mốt" is the day after tomorrow
    d = num(m["d"])
    if not 1 <= d <= 31:
        raise DateError(f"không có ngày {d}")
    first = ctx.today.replace(day=1)
    for k in range(0, 3):
        month_first = add_months(first, k)
        if d <= calendar.monthrange(month_first.year, month_first.month)[1]:
            cand = month_first.replace(day=d)
            if cand >= ctx.today:
                return day(cand)
    raise DateError(f"không có ngày {d}")


@rule("relative_day", rf"\b(?P<rd>{RELDAY})\b", priority=160)
def _relative_day(m: re.Match[str], ctx: Ctx) -> When | None:
    before = ctx.folded[: m.start()].split()
    if m["rd"] == "nay" and before and before[-1] not in V.parts_of_day:
        return (
            None  # bare "nay" is today only when it opens the message ("nay học gì"), not "đợt này"
        )
    return day(ctx.today + timedelta(days=V.relative_days[m["rd"]]))


@rule("now", r"\b(?:bay gio|luc nay|hien gio)\b", priority=170)
def _now(m: re.Match[str], ctx: Ctx) -> When | None:
    return None  # a moment: handled by parse() with the reference time
