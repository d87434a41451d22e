"""Replies to questions: what a subscribed cell sees. Every fact comes from a plan file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from handlers import router
from handlers.answers import days, facts, named
from handlers.intents import IntentName
from handlers.router import Intent
from handlers.types import Reply
from schedules import documents, plan_calendar, spans, vi_format
from schedules.model import Plan
from schedules.plan_calendar import Cell, Due, Status
from schedules.spans import Span
from schedules.vi_text import fold

HELP = (
    "Tôi trả lời được, có dấu hay không dấu đều được:\n"
    "• “tháng này học gì?”, “tháng 7 học gì?”, “T9 học gì?”\n"
    "• “hạn nộp báo cáo khi nào?”, “tuần sau có hạn gì?”\n"
    "• “nghị quyết 04 học tháng nào?”\n"
    "• “chủ đề là gì?”, “trình tự sinh hoạt chuyên đề”, “chỉ tiêu”, “dịp kỷ niệm”\n"
    "• “kế hoạch chạy đến khi nào?”"
)


def period_text(plan: Plan) -> str:
    return f"kế hoạch chạy từ {plan.period.span.text()}"


def plan_label(plan: Plan) -> str:
    return plan.short_name


def plan_named(plan: Plan) -> str:
    """ "kế hoạch Kim Bảng 35-KH/HU" mid-sentence, but never "kế hoạch Kế hoạch thực hiện …"."""
    label = plan_label(plan)
    if fold(label).startswith("ke hoach"):
        return label[:1].lower() + label[1:]
    return f"kế hoạch {label}"


def due_when(d: Due, today: date) -> str:
    """ "Hạn: trước Thứ Năm, 25/8/2022 — chậm nhất Thứ Tư, 24/8/2022 (còn 4 ngày)"."""
    if d.last_day is None and "@" in d.item_id:  # a recurring duty: say how often, and no day
        return f"Thời gian: định kỳ ({d.wording}), kế hoạch không ghi ngày cụ thể"
    if d.last_day is None:
        return f"Thời gian: {d.wording}"
    last = f"chậm nhất {vi_format.full(d.last_day)} ({vi_format.days_until(today, d.last_day)})"
    if d.before is not None:
        return f"Hạn: trước {vi_format.full(d.before)} — {last}"
    return f"Hạn: {last} — {d.wording}"


def _due_line(d: Due, today: date, years: str = "") -> str:
    when = f"Thời gian: hằng năm ({years}), kế hoạch không ghi ngày cụ thể" if years else ""
    line = f"• {d.title}\n  {when or due_when(d, today)}"
    parts = [f"Thực hiện: {d.who}"]
    if d.to:
        parts.append(f"gửi {d.to}")
    return f"{line}\n  {'; '.join(parts)}."


def _cell_notes(plan: Plan, cell: Cell) -> list[str]:
    notes = []
    if plan_calendar.cell_specific_unknown(plan, cell):
        names = sorted({c for d in plan.deadlines for c in d.only_cells + d.except_cells})
        notes.append(
            f"ℹ️ Kế hoạch có hạn riêng cho Chi bộ {', '.join(names)}. Cho tôi biết tên chi bộ "
            "để tính đúng hạn của chi bộ mình."
        )
    for d, event in plan_calendar.missing_cell_dates(plan, cell):
        notes.append(
            f"ℹ️ Chưa có ngày {event[0].lower()}{event[1:]}: khi chi bộ báo ngày, tôi tính hạn "
            f"“{d.title}” ({d.relative.days_before} ngày trước đó)."  # type: ignore[union-attr]
        )
    return notes


def _status_note(plan: Plan, today: date) -> str | None:
    st = plan_calendar.status(plan, today)
    if st is Status.RUNNING:
        return None
    return f"{vi_format.cap(plan_named(plan))} {st.value}: chạy từ {plan.period.span.text()}."


def topics_reply(plan: Plan, span: Span) -> str:
    period = plan.period.span
    if not span.overlaps(period):
        return f"{vi_format.cap(span.text())} nằm ngoài {plan_named(plan)}: {period_text(plan)}."
    if not plan.topics:
        contents = "\n".join(f"• {c.text}" for c in plan.contents[:5])
        return (
            f"📚 {plan_label(plan)} không chia văn bản học tập theo tháng. Nội dung đợt sinh hoạt:\n"
            f"{contents}"
        )
    blocks = []
    for y, m in spans.months_in(span):
        t = plan_calendar.topics(plan, y, m)
        if t is None:
            if spans.month_span(y, m).overlaps(period):
                blocks.append(f"📚 Tháng {m}/{y}: kế hoạch không ghi văn bản cho tháng này.")
            continue
        lines = [f"📚 Tháng {m}/{y} — {plan_label(plan)} ({len(t.documents)} văn bản):"]
        for i, d in enumerate(t.documents, 1):
            lines.append(f"{i}. {document_line(d)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) or (
        f"{vi_format.cap(span.text())}: {plan_named(plan)} không ghi văn bản nào."
    )


def document_line(d) -> str:
    head = f"{d.kind} {d.number}"
    if d.date:
        head += f" ngày {vi_format.day(d.date)}"
    if d.issuer:
        head += f" của {d.issuer}"
    return f"{head}: {d.title}"


def _yearly_once(plan: Plan, items: list[Due]) -> list[tuple[Due, str]]:
    """A yearly duty is one line, "hằng năm (2022–2030)", not one line per year; other items as
    they are (with no years)."""
    yearly = {r.id for r in plan.recurring if r.every == "year"}
    out: list[tuple[Due, str]] = []
    seen: dict[str, int] = {}
    for d in items:
        base = d.item_id.partition("@")[0]
        if "@" not in d.item_id or base not in yearly:
            out.append((d, ""))
            continue
        if base in seen:
            first, _ = out[seen[base]]
            out[seen[base]] = (first, f"{first.span.start.year}–{d.span.end.year}")  # type: ignore[union-attr]
            continue
        seen[base] = len(out)
        out.append((d, f"năm {d.span.start.year}"))  # type: ignore[union-attr]
    return out


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
            title = f"Hạn trong {window.label}"  # "Hạn trong tháng 12/2022"
        else:  # never "Hạn trong 20/8/2022–20/9/2022"
            title = f"Hạn từ {vi_format.day(window.start)} đến {vi_format.day(window.end)}"
        empty = f"{vi_format.cap(window.text())}: không có hạn nào của chi bộ."
    lines = [f"⏰ {title} — {plan_label(plan)}:"]
    lines += [_due_line(d, today, years) for d, years in _yearly_once(plan, items)] or [empty]
    return "\n".join(lines)


def _upcoming(plan: Plan, cell: Cell, today: date, limit: int = 5) -> list[Due]:
    """The next five things due, a yearly duty counted once however many years it spans."""
    items = plan_calendar.upcoming(plan, cell, today, limit=10_000)
    kept, bases = [], set()
    for d in items:
        kept.append(d)
        bases.add(d.item_id.partition("@")[0])
        if len(bases) >= limit:
            break
    yearly = {r.id for r in plan.recurring if r.every == "year"}
    # the later years of a yearly duty already listed, so its line says until when
    kept += [d for d in items[len(kept) :] if d.item_id.partition("@")[0] in yearly & bases]
    return kept


def theme_reply(plan: Plan) -> str:
    if plan.theme:
        return f"🎯 Chủ đề: “{plan.theme}” — {plan_label(plan)}."
    return f"🎯 {plan_label(plan)} không nêu chủ đề riêng. Tên kế hoạch: {plan.title}."


# Words that name the upper committee's own session rather than the cell's.
_COMMITTEE = ("dang uy", "cap uy", "ban thuong vu")


def agendas_for(plan: Plan, words: tuple[str, ...] = ()) -> list:
    """The agenda a cell asks for: the cell's own ("tại Chi bộ"), unless the question names the
    committee ("trình tự sinh hoạt của Đảng ủy"); every agenda when none is marked either way."""
    asked = " ".join(words)
    upper = any(w in asked for w in _COMMITTEE)
    mine = [a for a in plan.agendas if ("chi bo" in fold(a.title)) != upper]
    return mine or list(plan.agendas)


def agenda_reply(plan: Plan, words: tuple[str, ...] = ()) -> str:
    if not plan.agendas:
        return f"📋 {plan_label(plan)} không có trình tự sinh hoạt mẫu."
    blocks = []
    for a in agendas_for(plan, words):
        lines = [f"📋 {a.title}:"]
        for i, s in enumerate(a.sections):
            lines.append(f"{'abcdefgh'[i]}) {s.title}")
            lines += [f"  - {step}" for step in s.steps]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def targets_reply(plan: Plan) -> str:
    if not plan.targets:
        return f"📊 {plan_label(plan)} không đặt chỉ tiêu bằng số."
    lines = [f"📊 Chỉ tiêu — {plan_label(plan)}:"]
    lines += [f"• {t.value}: {t.text}." for t in plan.targets]
    return "\n".join(lines)


def occasions_reply(plan: Plan, today: date) -> str:
    if not plan.occasions:
        return f"🎉 {plan_label(plan)} không nêu dịp kỷ niệm nào."
    days = ", ".join(_occasion_name(o) for o in plan.occasions)
    lines = [f"🎉 Dịp kỷ niệm trong {plan_label(plan)}: {days}."]
    nxt = plan_calendar.next_occasions(plan, today)
    if nxt:
        lines += [
            f"• {vi_format.full(d)} ({vi_format.days_until(today, d)}): {o.name}" for d, o in nxt
        ]
    else:
        lines.append(f"Không còn dịp nào trước khi kế hoạch kết thúc ({period_text(plan)}).")
    return "\n".join(lines)


def _occasion_name(o) -> str:
    """ "… (3/2)", but "… (19/5/1890 - 19/5/2022), ngày 19/5": never two brackets in a row."""
    day = f"{o.day[1]}/{o.day[0]}"
    return f"{o.name}, ngày {day}" if o.name.endswith(")") else f"{o.name} ({day})"


def plan_info_reply(plan: Plan, today: date, intent: Intent | None = None) -> str:
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
    if plan.source.notes:
        lines.append(f"Căn cứ: {plan.source.notes}")
    return "\n".join(lines)


def _targets(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    hits = facts.named(plan, list(intent.words), ("target", *named.DUE_KINDS))
    if hits and plan.targets and all(f.kind == "target" for f in hits):
        return named.target_reply(plan, [f.ref for f in hits])  # type: ignore[misc]
    dues = [f for f in hits if f.kind != "target"]
    if dues and plan.targets:  # "chỉ tiêu bí thư có trình độ trung cấp": a yearly duty
        return named.due_reply(plan, dues, cell, today)
    return targets_reply(plan)


def _occasions(intent: Intent, plan: Plan, today: date) -> str:
    hits = facts.named(plan, list(intent.words), ("occasion",))
    if hits and len(hits) < len(plan.occasions):
        year = intent.when.start.year if intent.when else None
        return named.occasion_reply(plan, [f.ref for f in hits], today, year)  # type: ignore[misc]
    text = occasions_reply(plan, today)
    peak = named.peak_lines(plan) if plan.occasions else []
    return "\n".join([text, *peak])


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def recipients_reply(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    """Whom reports go to and how, in the plan's words; e-mail only where the plan gives one."""
    hits = facts.named(plan, list(intent.words), named.DUE_KINDS)
    items = [f.ref for f in hits] or [
        *plan.deadlines,
        *plan.recurring,
        *plan.milestones,
    ]
    own = [x for x in items if getattr(x, "to", None) and getattr(x, "audience", "") == "cells"]
    own = own or [x for x in items if getattr(x, "to", None)]
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


_ALL_KINDS = (
    "deadline",
    "milestone",
    "recurring",
    "target",
    "occasion",
    "document",
    "content",
    "meeting",
    "step",
    "source",
)


def related(plan: Plan, intent: Intent, limit: int = 2, floor: float = 2.0) -> list[str]:
    hits = facts.ranked(plan, list(intent.words), _ALL_KINDS)
    return [facts.text_of(f) for s, f in hits[:limit] if s >= floor]


def not_stated_reply(intent: Intent, plan: Plan) -> str:
    """The plan says nothing of it: say so plainly, and give what it does say nearby."""
    asked = router.phrases_found(intent.words, IntentName.NOT_STATED)
    said = related(plan, intent)
    hit = [t for t in said if any(a in fold(t) for a in asked)]
    if hit:
        return f"📄 {plan.short_name} ghi:\n" + "\n".join(f"• {t}" for t in hit)
    what = f" ({', '.join(asked)})" if asked else ""
    lines = [f"ℹ️ {plan.short_name} không nêu điều này{what}."]
    if said:
        lines.append("Kế hoạch có nói:")
        lines += [f"• {t}" for t in said]
    return "\n".join(lines)


def search_reply(intent: Intent, plan: Plan) -> str | None:
    """An unrouted question that shares rare words with facts of the plan: those facts."""
    said = related(plan, intent, limit=3, floor=4.0)
    if not said:
        return None
    return f"📄 {plan.short_name} ghi:\n" + "\n".join(f"• {t}" for t in said)


def document_reply(plan: Plan, ref: documents.DocRef) -> str:
    hits = documents.find(plan, ref)
    if not hits:
        if not plan.topics:
            return f"{plan_label(plan)} không có danh mục văn bản theo tháng."
        return f"Không thấy văn bản {ref_text(ref)} trong danh mục của {plan_label(plan)}."
    return "\n".join(
        f"📚 {document_line(d)}\n→ Học trong tháng {t.month[1]}/{t.month[0]} ({plan_label(plan)})."
        for t, d in hits
    )


def ref_text(ref: documents.DocRef) -> str:
    code = f"{ref.kind.upper()}" if ref.kind else ""
    return (
        f"số {ref.number:02d}"
        + (f"-{code}" if code else "")
        + (f"/{ref.suffix.upper()}" if ref.suffix else "")
    )


def meeting_reply(plan: Plan) -> str:
    mm = plan.monthly_meeting
    if mm is None:
        return f"{plan_label(plan)} không quy định sinh hoạt hằng tháng."
    return (
        f"🗓 {mm.title} Từ tháng {mm.start[1]}/{mm.start[0]} đến tháng {mm.end[1]}/{mm.end[0]}.\n"
        "Ngày họp của chi bộ đặt trong phần cài đặt."
    )


def _topics_or_period(intent: Intent, plan: Plan, cell: Cell, today: date) -> str | Part:
    """ "tháng 7 học gì", or a bare month ("tháng 7"): the topics, and its deadlines if any."""
    when = intent.when
    window = when.span if when else None
    if intent.name is IntentName.PERIOD and not (when and when.kind == "span" and plan.topics):
        return _deadlines(intent, plan, cell, today)
    text = topics_reply(plan, window or spans.month_span(today.year, today.month))
    if (
        intent.name is IntentName.PERIOD
        and window
        and window.overlaps(plan.period.span)
        and plan_calendar.due_between(plan, cell, window)
    ):
        text += "\n\n" + deadlines_reply(plan, cell, today, window)
        return Part(text, _notes_while_running(plan, cell, today))
    return text


def _deadlines(intent: Intent, plan: Plan, cell: Cell, today: date) -> Part:
    hits = facts.named(plan, list(intent.words), named.DUE_KINDS)
    if hits:
        return Part(named.due_reply(plan, hits, cell, today))
    window = intent.when.span if intent.when else None
    note = _status_note(plan, today) if window is None else None
    text = deadlines_reply(plan, cell, today, window)
    return Part(f"{note}\n{text}" if note else text, _notes_while_running(plan, cell, today))


def _notes_while_running(plan: Plan, cell: Cell, today: date) -> list[str]:
    """What the chat could tell to get its own dates, while the plan still has anything to do."""
    if plan_calendar.status(plan, today) is Status.ENDED:
        return []
    return _cell_notes(plan, cell)


def _document(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    if intent.doc is None:
        return "Xin ghi số văn bản, ví dụ “nghị quyết 04” hoặc “04-NQ/TW”."
    return document_reply(plan, intent.doc)


def _done_in_chat(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    return "Đăng ký, hủy và cài đặt làm trong chat: /dangky, /huy, /caidat."


@dataclass(frozen=True)
class Part:
    """One plan's answer, and the notes that go with it (said once, at the end: see Answer)."""

    text: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    """An answer as the conversation shows it: the body, one block per plan (soonest due first),
    and the notes about the chat's settings ("Cho tôi biết tên chi bộ …"), each once. The
    conversation shows a note once a day, not under every answer."""

    blocks: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.blocks)

    def text(self, notes: list[str] | None = None) -> str:
        shown = self.notes if notes is None else notes
        return "\n".join([self.body, *shown]) if shown else self.body


PerPlan = Callable[[Intent, Plan, Cell, date], "str | Part"]

# The answer to each question, per plan the chat follows. Intents without a plan-wide answer
# (help, greeting, unknown) are answered by GENERAL below.
PER_PLAN: dict[IntentName, PerPlan] = {
    IntentName.TOPICS: _topics_or_period,
    IntentName.PERIOD: _topics_or_period,
    IntentName.DEADLINES: _deadlines,
    IntentName.DOCUMENT_MONTH: _document,
    IntentName.THEME: lambda i, plan, c, t: theme_reply(plan),
    IntentName.AGENDA: lambda i, plan, c, t: agenda_reply(plan, i.words),
    IntentName.TARGETS: lambda i, plan, cell, today: _targets(i, plan, cell, today),
    IntentName.OCCASIONS: lambda i, plan, c, today: _occasions(i, plan, today),
    IntentName.PILOT: lambda i, plan, cell, today: named.pilot_reply(plan, cell, today),
    IntentName.RECIPIENTS: lambda i, plan, cell, today: recipients_reply(i, plan, cell, today),
    IntentName.NOT_STATED: lambda i, plan, cell, today: not_stated_reply(i, plan),
    IntentName.MEETING: lambda i, plan, c, t: meeting_reply(plan),
    IntentName.PLAN_INFO: lambda i, plan, c, today: plan_info_reply(plan, today, i),
    IntentName.SUBSCRIBE: _done_in_chat,
    IntentName.UNSUBSCRIBE: _done_in_chat,
    IntentName.SETTINGS: _done_in_chat,
}

# With several plans followed, those that have nothing of the kind share one line at the end
# instead of one block each ("📋 Không có trình tự sinh hoạt mẫu: Kim Bảng 35-KH/HU, …").
LACKING: dict[IntentName, tuple[Callable[[Plan], bool], str]] = {
    IntentName.AGENDA: (lambda p: bool(p.agendas), "📋 Không có trình tự sinh hoạt mẫu"),
    IntentName.TARGETS: (lambda p: bool(p.targets), "📊 Không đặt chỉ tiêu bằng số"),
    IntentName.OCCASIONS: (lambda p: bool(p.occasions), "🎉 Không nêu dịp kỷ niệm nào"),
}

GENERAL: dict[IntentName, str] = {
    IntentName.GREETING: "Xin chào! " + HELP,
    IntentName.UNKNOWN: "Xin lỗi, tôi chưa hiểu câu này. " + HELP,
    IntentName.HELP: HELP,
}


# Intents whose words may name one deadline ("Đảng ủy sinh hoạt chuyên đề trước ngày mấy").
_MAY_NAME_A_DUE = (
    IntentName.TOPICS,
    IntentName.PERIOD,
    IntentName.UNKNOWN,
    IntentName.AGENDA,
    IntentName.THEME,
    IntentName.PLAN_INFO,
)


def soonest_first(plans: list[Plan], cell: Cell, today: date) -> list[Plan]:
    """Several plans followed: the one with the nearest thing due leads; plans with nothing left
    keep their order after them."""

    def key(plan: Plan) -> date:
        nxt = plan_calendar.upcoming(plan, cell, today, limit=1)
        return nxt[0].sort_key if nxt else date.max

    return sorted(plans, key=key)


def answer(intent: Intent, plans: list[Plan], cell: Cell, today: date) -> Reply:
    """The reply to a routed question, over every plan the chat follows, notes included."""
    return Reply(answer_parts(intent, plans, cell, today).text())


def answer_parts(intent: Intent, plans: list[Plan], cell: Cell, today: date) -> Answer:
    """The answer in parts: one block per plan, soonest due first, and the notes apart."""
    if intent.date_error:
        return Answer([f"⚠️ {vi_format.cap(intent.date_error)}. Xin gõ lại ngày, ví dụ 25/8/2022."])
    if intent.name is IntentName.PERIOD and intent.bare_date and intent.when.kind == "day":
        return Answer([days.clarify(intent)])
    if intent.name is IntentName.DAY_INFO:
        return Answer([days.day_info(intent, plans, cell, today)])
    plans = soonest_first(plans, cell, today) if len(plans) > 1 else plans
    if intent.name in _MAY_NAME_A_DUE and router.asks_when(intent.words):
        found = [
            named.due_reply(p, hits, cell, today)
            for p in plans
            if (hits := facts.named(p, list(intent.words), named.DUE_KINDS))
        ]
        if found:
            return Answer(found)
    if intent.name is IntentName.UNKNOWN and plans:
        found = [t for p in plans if (t := search_reply(intent, p))]
        if found:
            return Answer(found)
    if intent.name in GENERAL:
        return Answer([GENERAL[intent.name]])
    lacking_line = ""
    if len(plans) > 1 and intent.name in LACKING:
        has, said = LACKING[intent.name]
        lacking = [p for p in plans if not has(p)]
        if lacking:
            lacking_line = f"{said}: {', '.join(plan_label(p) for p in lacking)}."
            plans = [p for p in plans if has(p)]
    one = PER_PLAN[intent.name]
    parts = [
        p if isinstance(p, Part) else Part(p) for p in (one(intent, x, cell, today) for x in plans)
    ]
    notes = list(dict.fromkeys(n for p in parts for n in p.notes))
    return Answer([p.text for p in parts] + ([lacking_line] if lacking_line else []), notes)
