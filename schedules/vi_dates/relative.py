"""Rules that read a count of units from today: "trong 3 tháng tới", "10 ngày tới" (the span
ahead) and "3 tháng nữa", "sau 2 tuần", "5 ngày trước" (the one day that far away)."""

from __future__ import annotations

import re
from datetime import timedelta

from schedules.spans import Span
from schedules.vi_dates.grammar import rule
from schedules.vi_dates.nearest import add_months
from schedules.vi_dates.results import When, day, span
from schedules.vi_dates.words import Ctx, N, V, num

_UNIT_VI = {"ngay": "ngày", "tuan": "tuần", "thang": "tháng", "nam": "năm"}


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
def _within(m: re.Match[str], ctx: Ctx) -> When | None:
    if m.groupdict().get("dir") and "tối" in ctx.accented(m, "dir"):
        return None  # "3 ngày tối": evenings, not the days ahead
    unit = V.units[m["unit"]]
    n = num(m["n"])
    end = (
        (ctx.today + timedelta(days=unit.get("days", 0) * n))
        if "days" in unit
        else add_months(ctx.today, unit["months"] * n)
    )
    return span(Span(ctx.today, end, f"{n} {_UNIT_VI[m['unit']]} tới"))


@rule(
    "n_units",
    rf"(?<!thang )(?<!quy )(?<!thu )\b(?:(?P<after>sau|cach day) )?(?P<n>{N}) (?P<unit>ngay|hom|tuan|thang|nam)(?: (?P<dir>nua|toi|sau|truoc|qua))?\b",
    priority=60,
)
def _n_units(m: re.Match[str], ctx: Ctx) -> When | None:
    if not (m["after"] or m["dir"]):
        return None
    sign = -1 if (m["after"] == "cach day" or m["dir"] in ("truoc", "qua")) else 1
    unit = V.units[m["unit"]]
    n = num(m["n"]) * sign
    if "days" in unit:
        return day(ctx.today + timedelta(days=unit["days"] * n))
    return day(add_months(ctx.today, unit["months"] * n))
