"""Document numbers ("04-NQ/TW") and how people name them ("nghị quyết 04", "nq04", "KL 21")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedules.language import vocabulary
from schedules.model import Document, MonthTopics, Plan
from schedules.vi_text import fold

_NUMBER = re.compile(r"^\s*(\d+)\s*[-/]\s*([a-z]+)\s*(?:[/-]\s*([a-z]+))?", re.I)


@dataclass(frozen=True)
class DocRef:
    number: int
    kind: str | None = None  # "nq", "kl", "qd" …
    suffix: str | None = None  # "tw", "tu", "duk" …


def ref_of(number: str) -> DocRef | None:
    m = _NUMBER.match(fold(number))
    if not m:
        return None
    return DocRef(int(m[1]), m[2], m[3])


def parse_ref(text: str) -> DocRef | None:
    """Find a document reference in free text; None when there is none."""
    t = fold(text)
    m = re.search(r"\b(\d{1,4})\s*[-/]\s*([a-z]{2,4})(?:\s*[/-]\s*([a-z]{2,4}))?\b", t)
    if m and m[2] in vocabulary().doc_codes:
        return DocRef(int(m[1]), m[2], m[3])
    for phrase, code in vocabulary().doc_kinds:
        m = re.search(rf"\b{re.escape(phrase)}\s*(?:so\s*)?(\d{{1,4}})\b", t)
        if m:
            return DocRef(int(m[1]), code or None)  # "văn bản số 31": a number, no kind
    return None


def matches(ref: DocRef, doc: Document) -> bool:
    return _same(ref, ref_of(doc.number))


# A document number as a plan's text writes it: "21-KL/TW", "37-QĐ/TW".
_WRITTEN = re.compile(r"\b\d{1,4}-[^\W\d_]{2,4}(?:/[^\W\d_]{2,4})?")


def cited_in(ref: DocRef, text: str) -> bool:
    """The text names that document ("Kết luận 21-KL/TW, Quy định 37-QĐ/TW" names "KL 21")."""
    return any(_same(ref, ref_of(n)) for n in _WRITTEN.findall(text))


def _same(ref: DocRef, own: DocRef | None) -> bool:
    if own is None or own.number != ref.number:
        return False
    if ref.kind and own.kind != ref.kind:
        return False
    return not (ref.suffix and own.suffix != ref.suffix)


def find(plan: Plan, ref: DocRef) -> list[tuple[MonthTopics, Document]]:
    return [(t, d) for t in plan.topics for d in t.documents if matches(ref, d)]
