"""Rules that read a period: a half year ("6 tháng đầu năm"), a quarter ("quý III", "cuối quý
này"), a month ("tháng 9", "T9", "9/2024", "đầu tháng sau"), a week ("tuần sau"), a year ("năm
2025", "cuối năm")."""

from __future__ import annotations

import re
from datetime import timedelta

from schedules import spans
from schedules.spans import Span
from schedules.vi_dates.grammar import rule
from schedules.vi_dates.nearest import month_near, month_shift, quarter_near, third_of
from schedules.vi_dates.results import DateError, When, span
from schedules.vi_dates.words import (
    MONTHW,
    NUMW,
    ROMAN,
    SHIFT,
    THIRD,
    Ctx,
    V,
    num,
    shift_of,
    written_year,
    year,
)


@rule(
    "half_year",
    rf"\b(?:6|sau|nua) (?:thang )?(?P<h>dau|cuoi) nam(?: (?P<y>\d{{4}})| (?P<shift>{SHIFT}))?\b",
    priority=70,
)
def _half(m: re.Match[str], ctx: Ctx) -> When | None:
    y = year(m["y"]) or ctx.today.year + (V.shift[m["shift"]] if m["shift"] else 0)
    return span(spans.half_span(y, 1 if m["h"] == "dau" else 2))


@rule(
    "quarter",
    rf"\b(?:(?P<third>{THIRD}) )?(?:quy|q) ?(?:(?P<q>\d{{1,2}}|iv|i{{1,3}}|{NUMW})\b(?:(?: nam)? ?/? ?(?P<y>\d{{4}})| nam (?P<yshift>{SHIFT})\b)?|(?P<shift>{SHIFT})\b)?",
    priority=80,
)
def _quarter(m: re.Match[str], ctx: Ctx) -> When | None:
    if m["q"] == "sau" and "sáu" not in ctx.accented(m, "q") and not (m["y"] or m["yshift"]):
        cur = (ctx.today.month - 1) // 3  # "quý sau" typed without accents: next quarter
        y, q = divmod(ctx.today.year * 4 + cur + 1, 4)
        s = spans.quarter_span(y, q + 1)
        return span(third_of(s, "quy", V.thirds[m["third"]]) if m["third"] else s)
    if m["q"]:
        q = ROMAN.get(m["q"]) or num(m["q"])
        if not 1 <= q <= 4:
            raise DateError(f"không có quý {m['q'].upper()}")
        if m["yshift"]:
            y = ctx.today.year + V.shift[m["yshift"]]
        else:
            y = year(m["y"]) or quarter_near(ctx.today, q)[0]
    else:
        cur = (ctx.today.month - 1) // 3 + 1
        if m["shift"] is None and m["third"] is None:
            return None
        n = V.shift[m["shift"]] if m["shift"] else 0
        idx = ctx.today.year * 4 + cur - 1 + n
        y, q = divmod(idx, 4)
        q += 1
    s = spans.quarter_span(y, q)
    return span(third_of(s, "quy", V.thirds[m["third"]]) if m["third"] else s)


@rule(
    "month",
    rf"\b(?:(?P<third>{THIRD}) )?thang(?: (?P<m>\d{{1,2}}|{MONTHW})\b(?:(?: nam)? ?[/-]? ?(?P<y>\d{{4}})| nam (?P<yshift>{SHIFT}))?| (?P<shift>{SHIFT})\b)?(?! ?(?:nua|toi|truoc)\b)",
    priority=90,
)
def _month(m: re.Match[str], ctx: Ctx) -> When | None:
    if m["m"] and m["m"] == "sau" and "sáu" not in ctx.accented(m, "m") and not m["y"]:
        y, mo = month_shift((ctx.today.year, ctx.today.month), 1)  # "tháng sau" without accents
    elif m["m"]:
        mo = int(m["m"]) if m["m"].isdigit() else V.month_words[m["m"]]
        if not 1 <= mo <= 12:
            raise DateError(f"không có tháng {mo}")
        if m["y"]:
            y = written_year(m["y"])
        elif m["yshift"]:
            y = ctx.today.year + V.shift[m["yshift"]]
        else:
            y = month_near(ctx.today, mo)[0]
    elif m["shift"]:
        n = shift_of(ctx, m)
        if n is None:
            return None
        y, mo = month_shift((ctx.today.year, ctx.today.month), n)
    elif m["third"]:
        y, mo = ctx.today.year, ctx.today.month
    else:
        return None
    s = spans.month_span(y, mo)
    return span(third_of(s, "thang", V.thirds[m["third"]]) if m["third"] else s)


@rule("t_month", r"\bt(?P<m>\d{1,2})(?: ?[/-] ?(?P<y>\d{4}))?\b", priority=100)
def _t_month(m: re.Match[str], ctx: Ctx) -> When | None:
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        raise DateError(f"không có tháng {mo}")
    y = written_year(m["y"]) if m["y"] else month_near(ctx.today, mo)[0]
    return span(spans.month_span(y, mo))


@rule("month_year", r"\b(?P<m>\d{1,2}) ?[/-] ?(?P<y>\d{4})\b", priority=110)
def _month_year(m: re.Match[str], ctx: Ctx) -> When | None:
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        raise DateError(f"không có tháng {mo}")
    return span(spans.month_span(written_year(m["y"]), mo))


@rule("week", rf"\btuan (?P<shift>{SHIFT})\b", priority=130)
def _week(m: re.Match[str], ctx: Ctx) -> When | None:
    n = shift_of(ctx, m)
    if n is None:
        return None
    s = spans.week_span(ctx.today + timedelta(weeks=n))
    word = {0: "tuần này", 1: "tuần sau", 2: "tuần sau nữa", -1: "tuần trước"}.get(n, "")
    return span(Span(s.start, s.end, f"{word} ({s.text()})"))


@rule(
    "year",
    rf"\b(?:(?P<third>{THIRD}) )?nam(?: (?P<y>\d{{4}})\b| (?P<shift>{SHIFT})\b)?",
    priority=140,
)
def _year(m: re.Match[str], ctx: Ctx) -> When | None:
    if m["y"]:
        y = written_year(m["y"])
    elif m["shift"]:
        y = ctx.today.year + V.shift[m["shift"]]
    elif m["third"]:
        y = ctx.today.year
    else:
        return None
    s = spans.year_span(y)
    return span(third_of(s, "nam", V.thirds[m["third"]]) if m["third"] else s)
