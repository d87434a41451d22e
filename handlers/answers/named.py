"""Answers about one thing the question names: a deadline, a target, an occasion, the pilot cell.

One target asked, one target answered: these replies never fall back to the whole list when the
question names an item (see facts.named for how the item is found)."""

from __future__ import annotations

from datetime import date, timedelta

from handlers import lexicon, router
from handlers.answers import facts
from handlers.answers.wording import who_to
from schedules import document_numbers, plan_calendar, vi_format
from schedules.document_numbers import DocRef
from schedules.model import CellEvent, Deadline, Milestone, Occasion, Plan, Recurring, Target
from schedules.plan_calendar import Cell
from schedules.spans import Span
from schedules.vi_dates import V
from schedules.vi_text import fold

DUE_KINDS = ("deadline", "event", "milestone", "recurring")


def status(today: date, last: date) -> str:
    """ "còn 25 ngày", "hôm nay là hạn cuối", "đã quá hạn 2 ngày"."""
    n = (last - today).days
    if n == 0:
        return "hôm nay là hạn cuối"
    if n > 0:
        return f"còn {n} ngày"
    return f"đã quá hạn {-n} ngày"


def _for_whom(d: Deadline) -> str:
    if d.only_cells:
        return f" (riêng Chi bộ {', '.join(d.only_cells)})"
    if d.except_cells:
        return f" (các chi bộ trừ Chi bộ {', '.join(d.except_cells)})"
    return ""


def deadline_lines(plan: Plan, d: Deadline, cell: Cell, today: date) -> list[str]:
    lines = [f"⏰ {d.title}{_for_whom(d)}"]
    if d.before is not None:
        last = d.before - timedelta(days=1)
        lines.append(
            f"Hạn: trước ngày {vi_format.day(d.before)}, tức chậm nhất {vi_format.full(last)}"
            f" — {status(today, last)}."
        )
    else:
        assert d.relative is not None
        event = next(e for e in plan.cell_events if e.id == d.relative.event)
        name = f"{event.name[0].lower()}{event.name[1:]}"
        held = cell.dates.get(d.relative.event)
        if held is None:
            lines.append(
                f"Hạn: trước {d.relative.days_before} ngày tổ chức {name}. Chi bộ chưa báo ngày "
                "tổ chức: đặt trong /caidat để tôi tính ngày cụ thể."
            )
        else:
            last = held - timedelta(days=d.relative.days_before)
            lines.append(
                f"Hạn: trước {d.relative.days_before} ngày tổ chức {name} "
                f"({vi_format.full(held)}), tức chậm nhất {vi_format.full(last)}"
                f" — {status(today, last)}."
            )
    lines.append(who_to(d.who, d.to))
    return lines


def milestone_lines(m: Milestone) -> list[str]:
    return [
        f"⏰ {m.title}",
        f"Thời gian: {m.wording} — kế hoạch không ghi ngày cụ thể.",
        who_to(m.who, m.to),
    ]


def recurring_lines(r: Recurring) -> list[str]:
    return [
        f"⏰ {r.title}",
        f"Thời gian: {facts.EVERY[r.every]} — kế hoạch không ghi ngày cụ thể cho từng kỳ.",
        who_to(r.who, r.to),
    ]


# The words of a period phrase ("cuối năm", "tuần sau"): the period is applied as a window, so
# they are not also evidence for an item worded "cuối quý IV".
_DATE_WORDS = frozenset(
    w for table in (V.thirds, V.units, V.shift) for phrase in table for w in phrase.split()
) | {"quy"}  # the quarter is a rule of its own in the date parser, not a unit


def without_period(words: list[str]) -> list[str]:
    """The words less the period phrase: its words, the number after one ("quý 4", "tháng 12")
    and dates ("25/8")."""
    out: list[str] = []
    for i, w in enumerate(words):
        after_unit = i > 0 and words[i - 1] in _DATE_WORDS and (w.isdigit() or w in _ROMAN)
        if w not in _DATE_WORDS and not after_unit and "/" not in w:
            out.append(w)
    return out


_ROMAN = frozenset({"i", "ii", "iii", "iv"})


def dues_named(
    plan: Plan, words, cell: Cell, window: Span | None = None, citing: DocRef | None = None
) -> list[facts.Fact]:
    """The deadlines or duties the words name; with a period asked ("từ giờ đến cuối năm"), only
    those due in it: "cuối" in the question is not evidence for "cuối quý II" outside it. With a
    document named ("KL 21"), only those whose title cites it."""
    if window is not None:
        words = without_period(list(words))
    keep = (
        (lambda f: document_numbers.cited_in(citing, getattr(f.ref, "title", "")))
        if citing
        else None
    )
    hits = facts.named(plan, list(words), DUE_KINDS, keep=keep)
    if cell.name:  # a known cell is not asking about the pilot cell's own deadline, nor the reverse
        hits = [
            f for f in hits if not isinstance(f.ref, Deadline) or plan_calendar.applies(f.ref, cell)
        ]
    if hits and window is not None:
        due = plan_calendar.due_between(plan, cell, window, audience=None)
        ids = {d.entry for d in due}
        if window.days() == 1:  # "nộp trước 15/12": the day the plan writes, not the last day
            ids |= {d.id for d in plan.deadlines if d.before == window.start}
        hits = [f for f in hits if f.ref.id in ids]  # type: ignore[attr-defined]
    return hits


def due_reply(
    plan: Plan, hits: list[facts.Fact], cell: Cell, today: date, on: date | None = None
) -> str:
    """The items named, each with its day. `on`: a day the question gives, for the cell's own
    event ("nếu tổ chức ngày 22/9 thì có trễ hạn không"): what follows if it is held then."""
    events = [f.ref for f in hits if isinstance(f.ref, CellEvent)]
    if events:  # the event named: its day says what the deadlines tied with it are
        return f"{plan.short_name}:\n" + "\n\n".join(
            "\n".join(event_reply(plan, e, cell, today, on)) for e in events
        )
    blocks = []
    for f in hits:
        if isinstance(f.ref, Deadline):
            lines = deadline_lines(plan, f.ref, cell, today)
        elif isinstance(f.ref, Milestone):
            lines = milestone_lines(f.ref)
        else:
            lines = recurring_lines(f.ref)  # type: ignore[arg-type]
        blocks.append("\n".join(lines))
    return f"{plan.short_name}:\n" + "\n\n".join(blocks)


# A target named without "chỉ tiêu" needs rare words in common (one shared word such as "dụng",
# in "áp dụng" as in "xây dựng", is not naming it).
_TARGET_FLOOR = 4.0


def targets_asked(plan: Plan, words, floor: float = _TARGET_FLOOR) -> list[Target]:
    """The targets a question names without saying "chỉ tiêu" ("kết nạp chủ doanh nghiệp mấy
    người", "tỷ lệ thôn có chi bộ phải đạt bao nhiêu"): a target among the facts that fit the
    words best, or, when the words ask how many, a target that fits at least half as well. Every
    target about as close as the best (two thirds) is given: two targets on admitting members are both said."""
    hits = facts.ranked(plan, list(words), facts.ALL_KINDS)
    if not hits or hits[0][0] < floor:
        return []
    best = hits[0][0]
    targets = [(s, f) for s, f in hits if f.kind == "target"]
    if not targets:
        return []
    first = targets[0][0]
    if first < best - 1e-9 and not (router.asks_quantity(words) and first * 2 >= best):
        return []
    # about as close: two thirds of the best ("kết nạp mấy người": both targets on admitting),
    # not targets sharing only "cấp ủy" with "đến năm 2030 … chi bộ có cấp ủy"
    return [f.ref for s, f in targets if s * 3 >= first * 2]  # type: ignore[misc]


def target_reply(plan: Plan, hits: list[Target]) -> str:
    lines = [f"📊 Chỉ tiêu — {plan.short_name}:"]
    for t in hits:
        lines.append(f"• {t.value}: {t.text}.")
        if t.note:
            lines.append(f"  ({t.note})")
    return "\n".join(lines)


def occasion_day(o: Occasion, today: date, year: int | None = None) -> date | None:
    """The occasion in the year asked, else its next one from today."""
    month, day_ = o.day
    for y in [year] if year else [today.year, today.year + 1]:
        try:
            d = date(y, month, day_)
        except ValueError:
            continue
        if year or d >= today:
            return d
    return None


def occasion_reply(plan: Plan, hits: list[Occasion], today: date, year: int | None) -> str:
    lines = [f"🎉 {plan.short_name}:"]
    for o in hits:
        d = occasion_day(o, today, year)
        when = f"{vi_format.full(d)} ({vi_format.days_until(today, d)})" if d else ""
        note = f", {o.note}" if o.note else ""
        lines.append(f"• {o.name} — ngày {o.day[1]}/{o.day[0]}{note}: {when}.")
    lines += peak_lines(plan)
    return "\n".join(lines)


def peak_lines(plan: Plan) -> list[str]:
    """What the plan asks around its occasions ("tập trung cao điểm vào dịp …")."""
    return [f"📌 {c.text}" for c in plan.contents if "cao diem" in fold(c.text)]


def pilot_reply(plan: Plan, cell: Cell, today: date, words: tuple[str, ...] = ()) -> str:
    """The pilot cell and its own deadline; the other cells' too when the cell is unknown or the
    words ask how the pilot differs ("Tân Phúc Thành 3 thì khác mấy chi bộ kia chỗ nào")."""
    both = not cell.name or not set(lexicon.section("difference_words")).isdisjoint(words)
    own = [d for d in plan.deadlines if d.only_cells]
    if not own:
        return f"{plan.short_name} không chọn chi bộ điểm nào."
    pilots = sorted({c for d in own for c in d.only_cells})
    lines = [f"🎯 Chi bộ điểm theo {plan.short_name}: Chi bộ {', '.join(pilots)}."]
    if cell.name:
        is_pilot = any(plan_calendar.applies(d, cell) for d in own)
        lines.append(f"{cell.name} {'là' if is_pilot else 'không phải là'} chi bộ điểm.")
    lines += event_lines(plan, cell, today)
    for d in own + [d for d in plan.deadlines if d.except_cells]:
        if both or plan_calendar.applies(d, cell):
            lines += [""] + deadline_lines(plan, d, cell, today)
    return "\n".join(lines)


def event_reply(
    plan: Plan, event: CellEvent, cell: Cell, today: date, on: date | None = None
) -> list[str]:
    """The cell's own event: its day (the one the cell set, or the one asked about), whether that
    day keeps the plan's deadline for holding it, and the deadlines counted from it."""
    held = cell.dates.get(event.id)
    day = on or held
    name = f"{event.name[0].lower()}{event.name[1:]}"
    if day is None:
        lines = [f"📅 Chi bộ chưa báo ngày {name} (đặt trong /caidat)."]
    elif on and on != held:
        was = f"; ngày chi bộ đã báo: {vi_format.full(held)}" if held else ""
        lines = [f"📅 Nếu tổ chức {name} vào {vi_format.full(on)}{was}:"]
    else:
        lines = [f"📅 {event.name}: {vi_format.full(day)} ({vi_format.days_until(today, day)})."]
    for d in plan.deadlines:
        mine = not cell.name or plan_calendar.applies(d, cell)  # unnamed: each, for whom it is
        if d.id in event.held_by and d.before and mine:
            last = d.before - timedelta(days=1)
            if day is None:
                verdict = f"chậm nhất {vi_format.full(last)} — {status(today, last)}"
            elif day <= last:
                verdict = f"chậm nhất {vi_format.full(last)}: ngày {vi_format.day(day)} kịp hạn"
            else:
                late = (day - last).days
                verdict = (
                    f"chậm nhất {vi_format.full(last)}: ngày {vi_format.day(day)} trễ hạn "
                    f"{late} ngày"
                )
            lines.append(f"⏰ {d.title}{_for_whom(d)}: {verdict}.")
    counted = Cell(cell.name, {**cell.dates, event.id: day}) if day else cell
    for d in plan.deadlines:
        if d.relative and d.relative.event == event.id and d.audience == "cells":
            lines += deadline_lines(plan, d, counted, today)
    return lines


def event_lines(plan: Plan, cell: Cell, today: date) -> list[str]:
    """The days the cell fixed itself (its thematic session), and what is counted from them."""
    out = []
    for e in plan.cell_events:
        held = cell.dates.get(e.id)
        if held:
            out.append(
                f"📅 {e.name}: {vi_format.full(held)} ({vi_format.days_until(today, held)})."
            )
            for d in plan.deadlines:
                if d.relative and d.relative.event == e.id and d.audience == "cells":
                    out += deadline_lines(plan, d, cell, today)
        else:
            out.append(
                f"📅 Chi bộ chưa báo ngày {e.name[0].lower()}{e.name[1:]} (đặt trong /caidat)."
            )
    return out
