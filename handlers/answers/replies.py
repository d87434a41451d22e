"""One reply text per kind of question, for one plan: topics, deadlines, agenda, targets,
occasions, the plan itself, recipients, what the plan does not say."""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers import lexicon, paging, router
from handlers.answers import agenda, by_year, facts, named
from handlers.answers.wording import due_line, period_text, plan_label, yearly_once
from handlers.intents import IntentName
from handlers.router import Intent
from schedules import plan_calendar, vi_format
from schedules.model import Deadline, Milestone, Plan, Recurring
from schedules.plan_calendar import Cell, Due
from schedules.spans import Span
from schedules.vi_text import fold


def deadlines_reply(plan: Plan, cell: Cell, today: date, window: Span | None) -> str:
    if window is None:
        items = _upcoming(plan, cell, today)
        title = "Việc sắp đến hạn"
        empty = f"Từ {vi_format.full(today)} không còn hạn nào ({period_text(plan)})."
    else:
        items = plan_calendar.due_between(plan, cell, window)
        if window.start == window.end:  # a day: also what is due "trước ngày" that day
            items += [
                d
                for d in plan_calendar.dues(plan, cell)
                if d.before == window.start and d not in items
            ]
            title = f"Hạn ngày {vi_format.full(window.start)}"
        elif window.label:
            # "Hạn trong tháng 12/2022", but "Hạn vào cuối quý II" (a moment, not a span)
            within = "vào" if window.label.split()[0] in ("cuối", "đầu", "giữa") else "trong"
            title = f"Hạn {within} {window.label}"
        else:  # never "Hạn trong 20/8/2022–20/9/2022"
            title = f"Hạn từ {vi_format.day(window.start)} đến {vi_format.day(window.end)}"
        empty = f"{vi_format.cap(window.text())}: không có hạn nào của chi bộ."
    lines = [f"⏰ {title} — {plan_label(plan)}:"]
    around = _in_window(plan, cell, today, window) if window else []
    lines += [due_line(d, today, years) for d, years in yearly_once(items)]
    lines += around
    if not items and not around:
        lines.append(empty)
    if not items and window is not None:  # nothing then: say what comes next, never a guess
        lines += _next_after(plan, cell, today, window)
    return "\n".join(lines)


def _in_window(plan: Plan, cell: Cell, today: date, window: Span) -> list[str]:
    """The cell's own days in the window (its thematic session), and on a day asked, the
    occasion that falls on it with what the plan asks around it ("dịp 3/2")."""
    out = [
        f"📅 {e.name}: {vi_format.full(held)} ({vi_format.days_until(today, held)})."
        for e in plan.cell_events
        if (held := cell.dates.get(e.id)) and held in window
    ]
    if window.start == window.end:
        hits = plan_calendar.occasions_between(plan, window)
        out += [f"🎉 {o.name} ({vi_format.full(d)})." for d, o in hits]
        out += named.peak_lines(plan) if hits else []
    return out


def _next_after(plan: Plan, cell: Cell, today: date, window: Span) -> list[str]:
    nxt = plan_calendar.upcoming(plan, cell, max(today, window.end + timedelta(days=1)), limit=1)
    return ["Hạn gần nhất sau đó:", due_line(nxt[0], today)] if nxt else []


def _upcoming(plan: Plan, cell: Cell, today: date, limit: int = 5) -> list[Due]:
    """The next five things due, a yearly duty counted once however many years it spans."""
    items = plan_calendar.upcoming(plan, cell, today, limit=10_000)
    kept, bases = [], set()
    for d in items:
        kept.append(d)
        bases.add(d.entry)
        if len(bases) >= limit:
            break
    # the later years of a yearly duty already listed, so its line says until when
    kept += [d for d in items[len(kept) :] if d.every == "year" and d.entry in bases]
    return kept


def theme_reply(plan: Plan) -> str:
    if plan.theme:
        return f"🎯 Chủ đề: “{plan.theme}” — {plan_label(plan)}."
    return f"🎯 {plan_label(plan)} không nêu chủ đề riêng. Tên kế hoạch: {plan.title}."


def targets_reply(plan: Plan) -> str:
    if not plan.targets:
        return f"📊 {plan_label(plan)} không có chỉ tiêu bằng số."
    lines = [f"📊 Chỉ tiêu — {plan_label(plan)}:"]
    lines += [f"• {t.value}: {t.text}." for t in plan.targets]
    return "\n".join(lines)


def occasions_reply(plan: Plan, today: date) -> str:
    if not plan.occasions:
        return f"🎉 {plan_label(plan)} không nêu dịp kỷ niệm nào."
    days = ", ".join(occasion_name(o) for o in plan.occasions)
    lines = [f"🎉 Dịp kỷ niệm trong {plan_label(plan)}: {days}."]
    nxt = plan_calendar.next_occasions(plan, today)
    if nxt:
        lines += [
            f"• {vi_format.full(d)} ({vi_format.days_until(today, d)}): {o.name}" for d, o in nxt
        ]
    else:
        lines.append(f"Không còn dịp nào trước khi kế hoạch kết thúc ({period_text(plan)}).")
    return "\n".join(lines)


def occasion_name(o) -> str:
    """ "… (3/2)", but "… (19/5/1890 - 19/5/2022), ngày 19/5": never two brackets in a row."""
    day = f"{o.day[1]}/{o.day[0]}"
    return f"{o.name}, ngày {day}" if o.name.endswith(")") else f"{o.name} ({day})"


def issuer_line(plan: Plan) -> str:
    """Who issued the plan, its number and day: the day only as the plan gives it."""
    number = f" số {plan.number}" if plan.number else ""
    day = f" ngày {vi_format.day(plan.issued)}" if plan.issued else ""
    return f"Kế hoạch{number}{day} do {plan.issuer} ban hành."


def _asks_issue_day(words: tuple[str, ...]) -> bool:
    """ "ký ngày bao nhiêu", "ban hành hôm nào": the plan's own day is asked (its phrases in
    intents.yaml say signing or issuing; "ngày kỷ niệm" folds alike but is no such phrase)."""
    found = router.phrases_found(words, IntentName.PLAN_INFO)
    signed = any("ban hanh" in p or "ky" in p.split() for p in found)
    return signed and ("ngay" in words or router.asks_when(words))


def plan_info_reply(plan: Plan, today: date, intent: Intent | None = None) -> str:
    if intent and _asks_issue_day(intent.words):  # a month named with it is not the day asked
        if plan.issued:
            return f"🗂 {issuer_line(plan)}"
        note = f" {plan.issued_note}" if plan.issued_note else ""
        lines = [f"ℹ️ {plan.short_name} không ghi ngày ký.{note}", issuer_line(plan)]
        return "\n".join([*lines, f"Thời gian thực hiện: {period_text(plan)}."])
    head = "Kế hoạch"
    if plan.number:
        head += f" số {plan.number}"
    if plan.issued:
        head += f" ngày {vi_format.day(plan.issued)}"
    lines = [f"🗂 {head} của {plan.issuer}", plan.title]
    if plan.issued_note:
        lines.append(f"Ghi chú: {plan.issued_note}")  # a note may hold brackets: none around it
    st = plan_calendar.status(plan, today)
    lines.append(f"Trạng thái: {st.value} — {period_text(plan)}.")
    if plan.period.note:
        lines.append(f"Ghi chú: {plan.period.note}")
    lines.append(f"Áp dụng cho: {plan.applies_to}.")
    lines += [f"{d.about}: {d.text}" for d in plan.details if d.about == BASIS]
    return "\n".join(lines)


def _aims(plan: Plan, words: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """ "mục tiêu tổng quát là gì": the plan's aims, its lines headed "Mục tiêu …" (the numbers
    are "chỉ tiêu"): those whose heading shares the question's words, and all of them."""
    said = " ".join(words)
    if " muc tieu" not in f" {said}" or "chi tieu" in said:
        return [], []
    aims = [i.text for i in plan.contents if fold(i.text).startswith("muc tieu")]
    asked = set(words) - {"muc", "tieu"}
    return [a for a in aims if set(facts.words(a.split(":")[0])) & asked], aims


def _targets(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    year = by_year.year_asked(intent.words)
    if lexicon.says_exactly(intent.words, _MILESTONES):  # "các mốc thời gian", "milestones"
        return by_year.year_reply(plan, year) if year else by_year.milestones_reply(plan)
    if year and (plan.targets or plan.milestones):  # "chỉ tiêu đến năm 2030", "đến 2025 … đạt gì"
        if not plan.targets:
            return targets_reply(plan)
        return by_year.year_reply(plan, year, by_year.horizon_asked(intent.words))
    if paging.asks_for_all(" ".join(intent.words)):  # "cho xin toàn bộ các chỉ tiêu"
        return targets_reply(plan)
    named_aims, aims = _aims(plan, intent.words)
    asked = named.targets_asked(plan, intent.words, facts.FLOOR)
    # "mục tiêu kết nạp bao nhiêu" asks a target; "mục tiêu của kế hoạch" its aims
    aims = named_aims or ([] if asked or router.asks_quantity(intent.words) else aims)
    if aims:
        return f"🎯 {plan.short_name} ghi:\n" + "\n".join(f"• {a}" for a in aims)
    if asked:
        return named.target_reply(plan, asked)
    hits = facts.named(plan, list(intent.words), ("target", *named.DUE_KINDS))
    dues = [f for f in hits if f.kind != "target"]
    if dues and plan.targets:  # "chỉ tiêu bí thư có trình độ trung cấp": a yearly duty
        return named.due_reply(plan, dues, cell, today)
    return targets_reply(plan)


_MILESTONES = (("moc",), ("milestones",), ("milestone",))


# How a plan says which anniversary it is ("132 năm", "lần thứ 92").
_COUNT = re.compile(r"\b\d+ năm\b|lần thứ \d+")


def _occasions(intent: Intent, plan: Plan, today: date) -> str:
    hits = facts.named(plan, list(intent.words), ("occasion",))
    if hits and len(hits) < len(plan.occasions):
        year = intent.when.start.year if intent.when else None
        text = named.occasion_reply(plan, [f.ref for f in hits], today, year)  # type: ignore[misc]
        uncounted = [f.ref.name for f in hits if not _COUNT.search(f.ref.name)]  # type: ignore[attr-defined]
        if uncounted and router.asks_quantity(intent.words):  # "kỷ niệm bao nhiêu năm": not said
            text = f"ℹ️ {plan.short_name} không nêu đây là kỷ niệm bao nhiêu năm.\n{text}"
        return text
    text = occasions_reply(plan, today)
    peak = named.peak_lines(plan) if plan.occasions else []
    return "\n".join([text, *peak])


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def recipients_reply(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    """Whom reports go to and how, in the plan's words; e-mail only where the plan gives one."""
    hits = facts.named(
        plan, list(intent.words), named.DUE_KINDS, keep=lambda f: bool(getattr(f.ref, "to", None))
    )
    items = [f.ref for f in hits] or [
        *plan.deadlines,
        *plan.recurring,
        *plan.milestones,
    ]
    sent = [x for x in items if isinstance(x, (Deadline, Milestone, Recurring)) and x.to]
    own = [x for x in sent if x.audience == "cells"] or sent
    if hits:
        return named.due_reply(plan, hits, cell, today)
    lines = [f"📮 Gửi báo cáo — {plan.short_name}:"]
    seen: set[str] = set()
    for x in own:
        key = f"{x.title}|{x.to}"
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"• {x.title}: gửi {x.to}.")
    if len(lines) == 1:
        lines.append("Kế hoạch không ghi nơi nhận báo cáo của chi bộ.")
    text = " ".join(str(getattr(x, "to", "")) for x in own)
    if not _EMAIL.search(text) and any(
        w in intent.words for w in ("email", "mail", "mem", "online")
    ):
        lines.append("Kế hoạch không ghi địa chỉ email; gửi theo nơi nhận ở trên.")
    if any("bằng văn bản" in getattr(x, "title", "") for x in own):
        lines.append("Báo cáo bằng văn bản (kế hoạch ghi như vậy).")
    return "\n".join(lines)


def related(plan: Plan, intent: Intent, limit: int = 2, floor: float = 2.0) -> list[str]:
    hits = facts.ranked(plan, list(intent.words), facts.ALL_KINDS)
    return [facts.text_of(f) for s, f in hits[:limit] if s >= floor]


def search_reply(intent: Intent, plan: Plan) -> str | None:
    """An unrouted question that shares rare words with facts of the plan: those facts. One word
    in common ("phụ" of "phụ trách" and "Phú" of a name) is no answer to a question."""
    hits = [(s, f) for s, f in facts.ranked(plan, list(intent.words), facts.ALL_KINDS)[:3]]
    said = [facts.text_of(f) for s, f in hits if s >= 4.0]
    if not said:
        return None
    if not facts.covers(intent.words, hits[0][1]):
        return None
    return f"📄 {plan.short_name} ghi:\n" + "\n".join(f"• {t}" for t in said)


# Facts that are passages of the plan's text rather than items with a date or a number.
_PASSAGES = ("step", "content", "detail")
# The `about` of a plan detail that says what the plan implements: shown with what the plan is.
BASIS = "Căn cứ"
_PASSAGE_FLOOR = 6.0


def passage_reply(intent: Intent, plan: Plan) -> str | None:
    """ "ai trình bày dự thảo báo cáo", "báo cáo làm theo đề cương nào": a question asking who or
    how, whose words fit a passage of the plan (an agenda step, a content line, its sources)
    clearly better than any item due: that passage, in the plan's words; a part of the agenda
    named whole ("phần mở đầu làm gì"): its steps."""
    part = agenda.section_reply(intent, plan)
    if part or not router.asks_passage(intent.words):
        return part
    if plan.agendas and agenda.names_whole(intent.words):  # "trình tự … thế nào": the agenda
        return None
    hits = facts.ranked(plan, list(intent.words), facts.ALL_KINDS)
    if not hits or hits[0][1].kind not in _PASSAGES or hits[0][0] < _PASSAGE_FLOOR:
        return None
    best = hits[0][0]
    due = next((s for s, f in hits if f.kind in named.DUE_KINDS), 0.0)
    if due * 1.15 > best or not facts.covers(intent.words, hits[0][1]):
        return None  # one rare word in common ("chủ" in "chủ trì" and "chủ đề") is no passage
    said = [facts.text_of(f) for s, f in hits[:3] if f.kind in _PASSAGES and s * 1.15 >= best]
    return f"📄 {plan.short_name} ghi:\n" + "\n".join(f"• {t}" for t in said)


def meeting_reply(plan: Plan) -> str:
    mm = plan.monthly_meeting
    if mm is None:
        return f"{plan_label(plan)} không quy định sinh hoạt hằng tháng."
    return (
        f"🗓 {mm.title} Từ tháng {mm.start[1]}/{mm.start[0]} đến tháng {mm.end[1]}/{mm.end[0]}.\n"
        "Ngày họp của chi bộ đặt trong phần cài đặt."
    )
