"""Questions about one document: where the plan lists it (its month, date, issuer), or, for a
document the plan only cites ("Thực hiện Chương trình hành động 42-CTr/TU ngày 27/10/2022 …"),
the plan's own words about it. "văn bản số 31" names a number without a kind: every listed
document with that number, narrowed to the month asked if any."""

from __future__ import annotations

import re

from handlers.answers import facts, named
from handlers.answers.wording import document_line, plan_label
from schedules import document_numbers
from schedules.document_numbers import DocRef
from schedules.model import Plan
from schedules.spans import Span
from schedules.vi_text import fold

# Where a clause citing a document ends: a comma, semicolon, full stop or "và" between document_numbers.
_CLAUSE_END = re.compile(r"[,;]\s|\.\s|\.$|\s(?:va|and)\s")


def document_reply(plan: Plan, ref: DocRef, month: Span | None = None) -> str:
    answer = document_answer(plan, ref, month)
    if answer:
        return answer
    if not plan.topics:
        return f"{plan_label(plan)} không có danh mục văn bản theo tháng."
    return f"Không thấy văn bản {ref_text(ref)} trong danh mục của {plan_label(plan)}."


def document_answer(plan: Plan, ref: DocRef, month: Span | None = None) -> str | None:
    """The document as the plan lists or cites it; None when the plan has no such document."""
    hits = document_numbers.find(plan, ref)
    in_month = [(t, d) for t, d in hits if month and (t.month[0], t.month[1]) in _months(month)]
    listed = [
        f"📚 {document_line(d)}\n→ Học trong tháng {t.month[1]}/{t.month[0]} ({plan_label(plan)})."
        for t, d in in_month or hits
    ]
    if listed:
        return "\n".join(listed)
    said = cited(plan, ref)
    if said:
        return f"📄 {plan_label(plan)} ghi:\n" + "\n".join(f"• {c}" for c in said)
    return None


def next_after(plan: Plan, ref: DocRef) -> str | None:
    """ "học xong 03-NQ/TW rồi, văn bản tiếp theo": the document listed after it, in the plan's
    order; the list's end said as such. None when the plan does not list the document."""
    listed = [(t, d) for t in plan.topics for d in t.documents]
    at = [i for i, (_, d) in enumerate(listed) if document_numbers.matches(ref, d)]
    if not at:
        return None
    done = listed[at[-1]][1].number
    if at[-1] + 1 >= len(listed):
        return f"📚 {done} là văn bản cuối trong danh mục của {plan_label(plan)}."
    t, d = listed[at[-1] + 1]
    return (
        f"Sau {done}, văn bản tiếp theo trong danh mục:\n📚 {document_line(d)}\n"
        f"→ Học trong tháng {t.month[1]}/{t.month[0]} ({plan_label(plan)})."
    )


# A subject needs rare words in common ("trách nhiệm người đứng đầu"), not "học" of "học gì".
_SUBJECT_FLOOR = 4.0


def by_subject(plan: Plan, words, month: Span | None = None) -> str | None:
    """The listed document a question names by its subject ("văn bản nào về trách nhiệm người
    đứng đầu học tháng 8"), within the month asked if any; None when none stands out."""
    months = _months(month) if month else None
    hits = facts.named(
        plan,
        named.without_period(list(words)),
        ("document",),
        keep=lambda f: months is None or tuple(facts.listed_document(f)[0].month) in months,
        floor=_SUBJECT_FLOOR,
    )
    listed = [
        f"📚 {document_line(d)}\n→ Học trong tháng {t.month[1]}/{t.month[0]} ({plan_label(plan)})."
        for t, d in (facts.listed_document(f) for f in hits)
    ]
    return "\n".join(listed) or None


def narrowed_by_subject(plan: Plan, words, span: Span) -> str | None:
    """by_subject, when it names fewer documents than the period lists (else: the whole list)."""
    one = by_subject(plan, words, span) if plan.topics else None
    listed = sum(len(t.documents) for t in plan.topics if tuple(t.month) in _months(span))
    return one if one and one.count("📚") < listed else None


def _months(span: Span) -> set[tuple[int, int]]:
    y, m, out = span.start.year, span.start.month, set()
    while (y, m) <= (span.end.year, span.end.month):
        out.add((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def is_the_plan(plan: Plan, ref: DocRef) -> bool:
    """The number names the plan itself ("kh 35" in a chat following 35-KH/HU), not a document."""
    own = document_numbers.ref_of(plan.number) if plan.number else None
    return bool(
        own
        and own.number == ref.number
        and ref.kind in (None, own.kind)
        and ref.suffix in (None, own.suffix)
        and not document_numbers.find(plan, ref)
    )


def cited(plan: Plan, ref: DocRef) -> list[str]:
    """The clauses of the plan's own text that cite the document, as written."""
    if is_the_plan(plan, ref):
        return []  # the plan itself, not a document it cites
    kind = ref.kind or "[a-z]+"
    number = re.compile(rf"\b0*{ref.number}\s*-\s*{kind}\b")
    whole = [d.text for d in plan.details if number.search(fold(d.about))]
    if whole:  # a document the plan's details name: what it is about, said whole
        return whole
    texts = [*(d.text for d in plan.details), plan.title, *(c.text for c in plan.contents)]
    out: list[str] = []
    for text in texts:
        folded = fold(text)  # same length as the text: offsets carry over
        for m in number.finditer(folded):
            starts = [e.end() for e in _CLAUSE_END.finditer(folded, 0, m.start())]
            end = _CLAUSE_END.search(folded, m.end())
            clause = text[starts[-1] if starts else 0 : end.start() if end else len(text)]
            if clause.strip() not in out:
                out.append(clause.strip())
        if (
            out
        ):  # the sources cite it with its date; the title's mention, cut at a comma, adds little
            break
    return out[:3]


def ref_text(ref: DocRef) -> str:
    code = f"{ref.kind.upper()}" if ref.kind else ""
    return (
        f"số {ref.number:02d}"
        + (f"-{code}" if code else "")
        + (f"/{ref.suffix.upper()}" if ref.suffix else "")
    )
