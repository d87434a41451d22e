"""The "no invented fact" rule, checked mechanically: every quote stands in the source, and every
date, number, month and count in a fact is written in that fact's own quote (or, for the plan's
number and date, in the source's letterhead)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from schedules.plan_import.common import Entry
from schedules.plan_import.source import clean, fold_same_length
from schedules.vi_text import squash

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _ints(text: str) -> set[int]:
    out = {int(n) for n in re.findall(r"\d+", text)}
    folded = fold_same_length(text)
    out |= {_ROMAN[r] for r in re.findall(r"\bquy\s+(iv|iii|ii|i)\b", folded)}
    return out


def _period_months(quote: str) -> set[int]:
    """The numbers a period's quote vouches for: those written, and the first and last months of
    the whole quarters ("từ quý II đến quý IV") or whole years ("giai đoạn 2022 - 2026") it names."""
    out = {int(n) for n in re.findall(r"\d+", quote)}
    folded = fold_same_length(quote)
    for r in re.findall(r"\bquy\s+(iv|iii|ii|i)\b", folded):
        out |= {3 * _ROMAN[r] - 2, 3 * _ROMAN[r]}
    if re.search(r"\bgiai\s+doan\s+\d{4}\s*-\s*\d{4}|\bnam\s+\d{4}\s+den\s+(?:het\s+)?nam", folded):
        out |= {1, 12}
    return out


def _no_later_than(quote: str) -> bool:
    return bool(re.search(r"\b(?:cham\s+nhat|han\s+(?:chot|cuoi))", fold_same_length(quote)))


def _day_before(text: str) -> str:
    d, m, y = (int(x) for x in text.split("/"))
    last = date(y, m, d) - timedelta(days=1)
    return f"{last.day}/{last.month}/{last.year}"


def _need(value: object) -> set[int]:
    return {int(n) for n in re.findall(r"\d+", str(value))}


def problems(data: Entry, source_text: str) -> list[str]:
    text = squash(clean(source_text))
    folded = fold_same_length(text)
    out: list[str] = []

    def check(where: str, fact: Entry, keys: tuple[str, ...]) -> None:
        quote = fact.get("quote", "")
        if squash(quote) not in text:
            out.append(f"{where}: quote not in the source: {quote!r}")
            return
        have = _ints(quote)
        for k in keys:
            if k in fact and fact[k] is not None and not _need(fact[k]) <= have:
                out.append(f"{where}.{k} = {fact[k]!r} is not written in its quote {quote!r}")

    period = data.get("period") or {}
    if period:
        if squash(period.get("quote", "")) not in text:
            out.append(f"period: quote not in the source: {period.get('quote')!r}")
        else:
            have = _period_months(period["quote"])
            for k in ("from", "to"):
                if k in period and not _need(period[k]) <= have:
                    out.append(f"period.{k} = {period[k]!r} is not written in its quote")
    for i, t in enumerate(data.get("topics", [])):
        m, y = (int(x) for x in t["month"].split("/"))
        # "Tháng 4/2022", "Tháng 04 năm 2022", or "Tháng 4" under a heading naming the year.
        if not re.search(rf"\bthang\s+0?{m}\s*(?:/|\s+nam\s+)\s*{y}\b", folded) and not (
            re.search(rf"\bthang\s+0?{m}\b(?!\s*/)", folded)
            and re.search(rf"\bnam\s+{y}\b|\bquy\s+[iv]+\s*/\s*{y}\b", folded)
        ):
            out.append(f"topics[{i}].month {t['month']} is not written in the source")
        for j, d in enumerate(t["documents"]):
            check(f"topics[{i}].documents[{j}]", d, ("number", "date"))
    for i, d in enumerate(data.get("deadlines", [])):
        before = d.get("before")
        if before and _no_later_than(d.get("quote", "")) and not _need(before) <= _ints(d["quote"]):
            # "chậm nhất ngày X" is written as before: X+1; X is what the quote must hold.
            check(f"deadlines[{i}]", {**d, "before": _day_before(before)}, ("before",))
            continue
        check(f"deadlines[{i}]", d, ("before",))
        if "relative" in d and not {d["relative"]["days_before"]} <= _ints(d["quote"]):
            out.append(f"deadlines[{i}].relative.days_before not in its quote")
    for group, keys in (
        ("milestones", ("period",)),
        ("occasions", ("day",)),
        ("targets", ("value",)),
        ("recurring", ()),
        ("cell_events", ()),
        ("contents", ()),
    ):
        for i, fact in enumerate(data.get(group, [])):
            check(f"{group}[{i}]", fact, keys)
    mm = data.get("monthly_meeting")
    if mm:
        check("monthly_meeting", {**mm, "quote": period.get("quote", "")}, ("from", "to"))
        if squash(mm["quote"]) not in text:
            out.append("monthly_meeting: quote not in the source")
    src = data.get("source") or {}
    if squash(src.get("quote", "")) not in text:
        out.append("source.quote not in the source")
    number = data.get("number")
    if number:
        # A plan's number opens with digits ("35-KH/HU"); one that does not is not the number
        # the source writes either, so it is reported, not read.
        n = re.match(r"\d+", number)
        if n is None or not re.search(rf"\b{n[0]}\s*-\s*k", folded):
            out.append(f"number {number} is not written in the source")
    issued = data.get("issued")
    if issued:
        d, m, y = issued.split("/")
        if not re.search(
            rf"ngay\s+0?{d}\s+th\S+\s+0?{m}\s+n\S+m\s+{y}|ngay\s+0?{d}\s*/\s*0?{m}\s*/\s*{y}",
            folded,
        ):
            out.append(f"issued {issued} is not written in the source")
    return out
