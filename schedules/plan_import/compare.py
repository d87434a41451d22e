"""Fact-by-fact comparison of a draft with a curated plan: recall (curated facts the draft found)
and precision (draft facts that are right), per kind of fact."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from schedules import spans
from schedules.document_numbers import ref_of
from schedules.model import Plan
from schedules.plan_import.common import Entry

KINDS = [
    "plan number, date, period",
    "documents in their month",
    "dated deadlines",
    "deadlines relative to a cell's event",
    "deadline audience",
    "undated milestones",
    "recurring duties",
    "yearly occasions",
    "targets with numbers",
    "monthly meeting",
]


def _day(v: object) -> date:
    if isinstance(v, date):
        return v
    d, m, y = (int(x) for x in str(v).split("/"))
    return date(y, m, d)


def _month(v: object) -> tuple[int, int]:
    if isinstance(v, tuple):
        return v
    m, y = (int(x) for x in str(v).split("/"))
    return (y, m)


def _span(v: object) -> tuple[date, date]:
    if isinstance(v, dict):  # a Span after model_dump
        return (v["start"], v["end"])
    s = v if isinstance(v, spans.Span) else spans.parse_spec(str(v))
    return (s.start, s.end)


def _occasion(v: object) -> tuple[int, int]:
    if isinstance(v, tuple):
        return v
    d, m = (int(x) for x in str(v).split("/"))
    return (m, d)


def _value(v: str) -> int | None:
    m = re.search(r"\d+", v)
    return int(m[0]) if m else None


Fact = tuple[object, object]  # (key that finds it, details that make it right)


def facts(plan: Plan | Entry) -> dict[str, list[Fact]]:
    """The comparable facts of a curated Plan or a draft dict."""
    p = plan.model_dump(by_alias=True) if isinstance(plan, Plan) else plan
    out: dict[str, list[Fact]] = {k: [] for k in KINDS}
    head = out["plan number, date, period"]
    if p.get("number"):
        head.append((("number", ref_of(p["number"])), None))
    if p.get("issued"):
        head.append((("issued", _day(p["issued"])), None))
    period = p.get("period") or {}
    for k in ("from", "to"):
        if period.get(k):
            head.append(((f"period.{k}", _month(period[k])), None))
    for t in p.get("topics") or []:
        for d in t["documents"]:
            when = _day(d["date"]) if d.get("date") else None
            out["documents in their month"].append(
                (ref_of(d["number"]), (_month(t["month"]), when))
            )
    for d in p.get("deadlines") or []:
        if d.get("audience"):  # a draft leaves it out where a todo asks
            anchor = _day(d["before"]) if d.get("before") else d["relative"]["days_before"]
            cells = (tuple(d.get("only_cells") or ()), tuple(d.get("except_cells") or ()))
            out["deadline audience"].append(((anchor, d["audience"]), cells))
        if d.get("before"):
            out["dated deadlines"].append((_day(d["before"]), None))
        elif d.get("relative"):
            out["deadlines relative to a cell's event"].append((d["relative"]["days_before"], None))
    for m in p.get("milestones") or []:
        out["undated milestones"].append((_span(m["period"]), None))
    for r in p.get("recurring") or []:
        out["recurring duties"].append((r["every"], None))
    for o in p.get("occasions") or []:
        out["yearly occasions"].append((_occasion(o["day"]), None))
    for t in p.get("targets") or []:
        out["targets with numbers"].append((_value(t["value"]), None))
    mm = p.get("monthly_meeting")
    if mm:
        out["monthly meeting"].append(((_month(mm["from"]), _month(mm["to"])), None))
    return out


@dataclass
class Score:
    curated: int = 0
    draft: int = 0
    found: int = 0
    right: int = 0

    def add(self, other: Score) -> None:
        self.curated += other.curated
        self.draft += other.draft
        self.found += other.found
        self.right += other.right

    @property
    def recall(self) -> float | None:
        return self.found / self.curated if self.curated else None

    @property
    def precision(self) -> float | None:
        return self.right / self.draft if self.draft else None


def _match(curated: list[Fact], draft: list[Fact]) -> Score:
    keys = Counter(k for k, _ in draft)
    found = 0
    for k, _ in curated:
        if keys[k] > 0:
            keys[k] -= 1
            found += 1
    whole = Counter(curated)
    right = 0
    for f in draft:
        if whole[f] > 0:
            whole[f] -= 1
            right += 1
    return Score(len(curated), len(draft), found, right)


def compare(curated: Plan, draft: Entry) -> dict[str, Score]:
    c, d = facts(curated), facts(draft)
    return {k: _match(c[k], d[k]) for k in KINDS}


def table(scores: dict[str, Score]) -> str:
    def pct(x: float | None) -> str:
        return "—" if x is None else f"{100 * x:.0f}%"

    rows = [
        "| kind | curated | in draft | found | right | recall | precision |",
        "|---|---|---|---|---|---|---|",
    ]
    total = Score()
    for kind, s in scores.items():
        total.add(s)
        rows.append(
            f"| {kind} | {s.curated} | {s.draft} | {s.found} | {s.right} | {pct(s.recall)} | {pct(s.precision)} |"
        )
    rows.append(
        f"| **all** | {total.curated} | {total.draft} | {total.found} | {total.right} | {pct(total.recall)} | {pct(total.precision)} |"
    )
    return "\n".join(rows)
