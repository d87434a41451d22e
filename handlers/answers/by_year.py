"""What a plan sets for a given year or horizon ("chỉ tiêu đến năm 2030", "năm 2023 phải xong
gì"), and its milestones by year ("các mốc thời gian"): targets whose own words name the year, and
milestones due in it; a year the plan sets nothing for is said so, with the years it does set."""

from __future__ import annotations

import re

from handlers.answers.wording import plan_label
from schedules.model import Plan

_YEAR = re.compile(r"^(20\d\d)$")


def year_asked(words: tuple[str, ...]) -> int | None:
    """The one year the words name ("2030", "năm 2023"), if exactly one."""
    years = {int(m[1]) for w in words if (m := _YEAR.match(w))}
    return years.pop() if len(years) == 1 else None


# Words before the year that make it a horizon ("đến 2025", "tới năm 2030", "by 2030"): what is
# to be reached by then, not what is done every year.
_BY = ("den", "toi", "by")


def horizon_asked(words: tuple[str, ...]) -> bool:
    for i, w in enumerate(words):
        if _YEAR.match(w):
            before = words[max(0, i - 2) : i]
            return any(b in _BY for b in before)
    return False


def _yearly(plan: Plan) -> list[str]:
    """Targets the plan sets for every year ("Hằng năm, …", "… hằng năm")."""
    return [f"• {t.value}: {t.text}." for t in plan.targets if "hằng năm" in t.text.lower()]


def _year_lines(plan: Plan) -> dict[int, list[str]]:
    """Each year the plan names, with what it sets then: milestones (by the year their period
    ends in) and targets whose text names the year ("Đến năm 2030, chi bộ có cấp ủy")."""
    out: dict[int, list[str]] = {}
    for m in plan.milestones:
        out.setdefault(m.period.end.year, []).append(f"• {m.title} ({m.wording}).")
    for t in plan.targets:
        for y in {int(y) for y in re.findall(r"năm (20\d\d)", t.text)}:
            out.setdefault(y, []).append(f"• {t.value}: {t.text}.")
    return out


def milestones_reply(plan: Plan) -> str:
    by_year = _year_lines(plan)
    if not by_year:
        return f"📍 {plan_label(plan)} không nêu mốc theo năm."
    lines = [f"📍 Các mốc theo năm — {plan_label(plan)}:"]
    for year in sorted(by_year):
        lines += [f"Năm {year}:", *by_year[year]]
    return "\n".join(lines)


def year_reply(plan: Plan, year: int, horizon: bool = False) -> str:
    """What the plan sets for `year`: for a year within its span, its yearly targets too; for a
    horizon ("đến 2025"), only what is set for that year."""
    by_year = _year_lines(plan)
    own = by_year.get(year, [])
    yearly = [] if horizon or year < plan.period.start[0] else _yearly(plan)
    if own:
        lines = [f"📍 {plan_label(plan)} — năm {year}:", *own]
        if yearly:
            lines += ["Chỉ tiêu hằng năm:", *yearly]
        return "\n".join(lines)
    said = f"ℹ️ {plan_label(plan)} không nêu chỉ tiêu hay mốc riêng cho năm {year}"
    if yearly:
        return "\n".join([f"{said}; chỉ tiêu hằng năm:", *yearly])
    return f"{said}.\n\n{milestones_reply(plan)}" if by_year else f"{said}."
