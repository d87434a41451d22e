"""Dated deadlines ("trước ngày 20/6/2022", "chậm nhất ngày …") and deadlines counted back from an
event each cell fixes ("trước 05 ngày tổ chức hội nghị …"), each with who and to whom.

"trước" is matched loosely because OCR mangles it ("tnuâc", "tru*c", "trtr&c", "truac"); the date
itself must be written out in digits right after it, so no deadline is ever computed.
"""

from __future__ import annotations

import re

from schedules.plan_import.common import DATE, Entry, Found, Todo, day_text, slug, tidy
from schedules.plan_import.source import Source

_BEFORE = r"(?:\bt[rn]\S{1,3}c|cham\s+nhat(?:\s+la)?|han\s+(?:chot|cuoi)(?:\s+la)?)"
_DATED = re.compile(rf"{_BEFORE}\s+(?:ngay\s+)?{DATE}((?:\s*(?:,|va|;)\s*(?:ngay\s+)?{DATE})*)")
_MORE = re.compile(rf"(?:,|va|;)\s*(?:ngay\s+)?{DATE}")
_RELATIVE = re.compile(
    r"\bt[rn]\S{1,3}c\s+(\d{1,2})\s+ngay\s+(?!\d)([^.;(\"“”]{5,60}?)(?=\s*[(.;]|\s*[“\"]|$)"
)
_SUBJECT = re.compile(
    r"^\W*((?:cac\s+|cap\s+uy\s+|dong\s+chi\s+)?(?:ban|chi|dang|cap|huyen|tinh|thi|xa|uy|thuong|bi\s+thu|doan)\b[^.;:]{2,80}?)\s+"
    r"(?=(?:bao\s+cao|gui|nop|to\s+chuc|hoan\s+thanh|xay\s+dung|trien\s+khai|thuc\s+hien)\b)"
)
_ANY_SUBJECT = re.compile(
    r"\b(cac\s+[^.;:]{2,80}?)\s+(?=(?:bao\s+cao|gui|nop|to\s+chuc|hoan\s+thanh)\b)"
)
_TO = re.compile(
    r"\b(?:gui\s+)?ve\s+((?:ban\s+thuong|thuong\s+truc|ban\s+tuyen|ban\s+to\s+chuc|ban\s+chap|dang\s+uy|huyen\s+uy|tinh\s+uy)[^.;]{0,60}?(?:\([^)]{0,80}\))?)(?=\s*(?:\d|[.;,]|truoc|t[rn]\S{1,3}c|de|vao|$))"
)
_HEADING = re.compile(r"^\s*\d+\.\s+(\S.{3,120})$")
_UPPER = re.compile(r"^(?:ban\s|dang\s+uy|huyen\s+uy|tinh\s+uy|thuong\s+truc|ban\s+chap)")


def _heading_before(src: Source, offset: int) -> str | None:
    """The nearest "N. <body>" heading above a position: who a section's duties belong to."""
    snippet = src.text[:offset]
    lines_before = [line for line in src.lines if line and squash_in(line, snippet)]
    for line in reversed(lines_before[-60:]):
        m = _HEADING.match(line)
        if m and _SUBJECT_WORD.match(fold_line(m[1])):
            return tidy(m[1])
    return None


_SUBJECT_WORD = re.compile(r"^(?:cac\s|ban\s|chi\s|dang\s|cap\s|huyen|tinh|uy\s|thuong|doan\s)")


def fold_line(text: str) -> str:
    from schedules.plan_import.source import fold_same_length

    return fold_same_length(text)


def squash_in(line: str, text: str) -> bool:
    return " ".join(line.split()) in text


def _who_and_to(src: Source, s: int, e: int) -> tuple[str | None, str | None, bool]:
    """Who acts and to whom, from the sentence, the sentences before it, or the section heading."""
    own = src.sentence(s, e)
    sentences = [src.clause(s, e), own] + src.previous_sentences(own[0], 2)
    who = to = None
    for n, (a, b) in enumerate(sentences):
        folded = src.folded[a:b]
        if who is None:
            m = _SUBJECT.match(folded) or (n >= 2 and _ANY_SUBJECT.search(folded))
            if m:
                who = src.cut(a + m.start(1), a + m.end(1))
        if to is None:
            m = _TO.search(folded)
            if m:
                to = src.cut(a + m.start(1), a + m.end(1))
        if who and to:
            break
    if who is None:
        who = _heading_before(src, s)
    upper = bool(who and _UPPER.match(fold_line(who).strip()))
    return who, to, upper


def _title(src: Source, clause_start: int, marker: int) -> str:
    """The sentence's lead (up to its colon) and the clause's own words before "trước"."""
    ss, _ = src.sentence(clause_start, marker)
    lead_end = src.text.find(":", ss, clause_start)
    label = tidy(src.text[clause_start:marker])
    if lead_end > 0:
        lead = tidy(src.text[ss:lead_end])
        return f"{lead} — {label}" if label and label != lead else lead
    return label or tidy(src.text[ss:marker])


def _short(src: Source, start: int, marker: int, end: int, keep: int = 140) -> str:
    """A quote of the clause, shortened at a word boundary to what leads up to the marker."""
    if marker - start > keep:
        cut = src.text.find(" ", marker - keep, marker)
        start = cut + 1 if cut > 0 else start
    return src.cut(start, end)


def read(src: Source) -> Found:
    out = Found()
    deadlines: list[Entry] = []
    events: dict[str, Entry] = {}
    taken: set[str] = set()
    for m in _DATED.finditer(src.folded):
        dates = [(m.start(1), m.end(3), m[1], m[2], m[3])]
        for more in _MORE.finditer(src.folded, m.end(3), m.end()):
            dates.append((more.start(1), more.end(3), more[1], more[2], more[3]))
        cs, ce = src.clause(m.start(), m.end())
        quote = src.cut(cs, max(ce, m.end()))
        title = _title(src, cs, m.start())
        who, to, upper = _who_and_to(src, m.start(), m.end())
        for k, (_, _, d, mo, y) in enumerate(dates, 1):
            when = day_text(d, mo, y)
            if when is None:
                out.todo.append(
                    Todo(
                        "deadlines",
                        f"Ngày “{d}/{mo}/{y}” không tồn tại (lỗi quét?): đối chiếu bản gốc.",
                        quote,
                    )
                )
                continue
            entry: Entry = {
                "id": slug(f"han {when}", taken),
                "title": (title + (f" (đợt {k})" if len(dates) > 1 else "")) or quote,
                "who": who,
                "to": to,
                "before": when,
                "audience": "upper" if upper else "cells",
                "quote": quote,
            }
            deadlines.append(entry)
    for m in _RELATIVE.finditer(src.folded):
        days = int(m[1])
        event_name = src.cut(m.start(2), m.end(2))
        key = " ".join(m[2].split())
        if key not in events:
            events[key] = {
                "id": slug(event_name, taken),
                "name": event_name,
                "quote": src.cut(m.start(), m.end()),
            }
        cs, _ = src.clause(m.start(), m.end())
        who, to, upper = _who_and_to(src, m.start(), m.end())
        # "gửi về X trước 05 ngày …": the addressee is the one named just before "trước".
        near = list(_TO.finditer(src.folded, max(cs, m.start() - 160), m.start()))
        if near:
            to = src.cut(near[-1].start(1), near[-1].end(1))
        deadlines.append(
            {
                "id": slug(f"truoc {days} ngay {event_name}", taken),
                "title": _title(src, cs, m.start()) or event_name,
                "who": who,
                "to": to,
                "relative": {"event": events[key]["id"], "days_before": days},
                "audience": "upper" if upper else "cells",
                "quote": _short(src, cs, m.start(), m.end()),
            }
        )
    for i, d in enumerate(deadlines):
        if not d["who"]:
            out.todo.append(Todo(f"deadlines[{i}].who", "Ghi ai phải làm việc này.", d["quote"]))
        for name in ("who", "to"):
            if d[name] is None:
                del d[name]
    for ev in events.values():
        out.todo.append(
            Todo(
                "cell_events",
                f"Hạn tính theo ngày chi bộ tự định (“{ev['name']}”): kiểm tra tên sự kiện và ghi "
                "held_by (các hạn mà chi bộ phải tổ chức sự kiện trước đó) nếu kế hoạch có.",
                ev["quote"],
            )
        )
    if deadlines:
        out.fields["deadlines"] = deadlines
    if events:
        out.fields["cell_events"] = list(events.values())
    return out
