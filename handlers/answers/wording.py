"""The words every answer shares: a plan's name and period, a deadline's date and days left, the
cell's notes, a document line."""

from __future__ import annotations

from datetime import date

from handlers.answers.facts import EVERY
from schedules import plan_calendar, spans, vi_format
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
    if d.last_day is None and d.every:  # a recurring duty: say how often, and no day
        rhythm = EVERY.get(d.every, "định kỳ")
        return f"Thời gian: {rhythm} ({d.wording}), kế hoạch không ghi ngày cụ thể"
    if d.last_day is None:
        return f"Thời gian: {d.wording}"
    last = f"chậm nhất {vi_format.full(d.last_day)} ({vi_format.days_until(today, d.last_day)})"
    if d.before is not None:
        return f"Hạn: trước {vi_format.full(d.before)} — {last}"
    return f"Hạn: {last} — {d.wording}"


def due_line(d: Due, today: date, years: str = "") -> str:
    when = f"Thời gian: hằng năm ({years}), kế hoạch không ghi ngày cụ thể" if years else ""
    line = f"• {d.title}\n  {when or due_when(d, today)}"
    return f"{line}\n  {who_to(d.who, d.to)}"


def who_to(who: str, to: str | None) -> str:
    """ "Thực hiện: …; gửi …." — who does a duty and whom it goes to, as every answer and push says."""
    return f"Thực hiện: {who}" + (f"; gửi {to}" if to else "") + "."


def cell_notes(plan: Plan, cell: Cell) -> list[str]:
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


def status_note(plan: Plan, today: date) -> str | None:
    st = plan_calendar.status(plan, today)
    if st is Status.RUNNING:
        return None
    return f"{vi_format.cap(plan_named(plan))} {st.value}: chạy từ {plan.period.span.text()}."


def topics_reply(plan: Plan, span: Span) -> str:
    period = plan.period.span
    if not span.overlaps(period):
        return (
            f"{vi_format.cap(span.text())} nằm ngoài {plan_named(plan)}: {period_text(plan)}; "
            "kế hoạch không ghi văn bản học nào cho thời gian đó."
        )
    if not plan.topics:
        contents = "\n".join(f"• {c.text}" for c in plan.contents[:5])
        return (
            f"📚 {plan_label(plan)} không ghi văn bản học theo từng tháng. Nội dung đợt sinh hoạt:\n"
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


def yearly_once(items: list[Due]) -> list[tuple[Due, str]]:
    """A yearly duty is one line, "hằng năm (2022–2030)", not one line per year; other items as
    they are (with no years)."""
    out: list[tuple[Due, str]] = []
    seen: dict[str, int] = {}
    for d in items:
        if d.every != "year":
            out.append((d, ""))
            continue
        if d.entry in seen:
            first, _ = out[seen[d.entry]]
            out[seen[d.entry]] = (first, f"{first.span.start.year}–{d.span.end.year}")  # type: ignore[union-attr]
            continue
        seen[d.entry] = len(out)
        out.append((d, f"năm {d.span.start.year}"))  # type: ignore[union-attr]
    return out
