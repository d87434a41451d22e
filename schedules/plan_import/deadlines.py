"""Dated deadlines ("trước ngày 20/6/2022", "chậm nhất ngày …") and deadlines counted back from an
event each cell fixes ("trước 05 ngày tổ chức hội nghị …"), each with who and to whom.

"trước" is matched loosely because OCR mangles it ("tnuâc", "tru*c", "trtr&c", "truac"); the date
itself must be written out in digits right after it, so no deadline is ever computed.

"trước ngày X" leaves X−1 as the last day, which is what a plan's `before: X` means. "chậm nhất
ngày X" and "hạn chót ngày X" make X itself the last day: the draft writes `before: X+1` (the day
after the one written, so the reminder counts down to X), and the quote keeps the words as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedules.plan_import.common import (
    DATE_ANY,
    Entry,
    Found,
    Todo,
    day_after,
    day_text,
    slug,
    tidy,
)
from schedules.plan_import.source import Source

_BEFORE = r"(?:\bt[rn]\S{1,3}c|cham\s+nhat(?:\s+la)?|han\s+(?:chot|cuoi)(?:\s+la)?)"
# "chậm nhất (là) ngày X", "hạn chót/hạn cuối (là) ngày X": X is still a day to act on.
NO_LATER_THAN = re.compile(r"(?:cham\s+nhat|han\s+(?:chot|cuoi))")
_DATED = re.compile(
    rf"{_BEFORE}\s+(?:ngay\s+)?{DATE_ANY}((?:\s*(?:,|va|;)\s*(?:ngay\s+)?{DATE_ANY})*)"
)
_MORE = re.compile(rf"(?:,|va|;)\s*(?:ngay\s+)?{DATE_ANY}")
_RELATIVE = re.compile(
    r"\bt[rn]\S{1,3}c\s+(\d{1,2})\s+ngay\s+(?!\d)([^.;(\"“”]{5,60}?)(?=\s*[(.;]|\s*[“\"]|$)"
)
_SUBJECT = re.compile(
    r"^\W*(?:(?:de|sau\s+do|roi)\s+)?((?:cac\s+|cap\s+uy\s+|dong\s+chi\s+)?(?:ban|chi|dang|cap|huyen|tinh|thi|xa|uy|thuong|bi\s+thu|doan)\b[^.;:]{2,80}?)\s+"
    r"(?=(?:bao\s+cao|gui|nop|to\s+chuc|hoan\s+thanh|xay\s+dung|trien\s+khai|thuc\s+hien|xem\s+xet|sau\s+khi|la\s+chi\s+bo)\b)"
)
# "…, để Đảng ủy xem xét và gửi …": a subject inside a deadline's own words.
_SEGMENT_SUBJECT = re.compile(
    r"\b(?:de|sau\s+do|roi)\s+((?:ban|chi|dang|cap|huyen|tinh|thi|uy|thuong)\b[^.;:]{0,60}?)\s+"
    r"(?=(?:xem\s+xet|gui|bao\s+cao|nop|to\s+chuc|hoan\s+thanh)\b)"
)


def _segment_subject(src: Source, a: int, b: int) -> re.Match[str] | None:
    """_SEGMENT_SUBJECT in text[a:b], where "de" is written "để" ("chuyên đề" folds the same)."""
    for m in _SEGMENT_SUBJECT.finditer(src.folded[a:b]):
        if src.text[a + m.start() : a + m.start() + 2].lower() in ("để", "sa", "rồ"):
            return m
    return None


_ANY_SUBJECT = re.compile(
    r"\b(cac\s+[^.;:]{2,80}?)\s+(?=(?:bao\s+cao|gui|nop|to\s+chuc|hoan\s+thanh)\b)"
)
_TO = re.compile(
    r"\b(?:gui\s+(?:ve\s+)?|ve\s+)((?:ban\s+thuong|thuong\s+truc|ban\s+tuyen|ban\s+to\s+chuc|ban\s+chap|dang\s+uy|huyen\s+uy|tinh\s+uy)[^.;]{0,60}?(?:\([^)]{0,80}\))?)(?=\s*(?:\d|[.;,]|truoc|t[rn]\S{1,3}c|de|vao|$))"
)
_HEADING = re.compile(r"^\s*\d+\.\s+(\S.{3,120})$")
# Who a deadline is for, from who must act. Cells (or the bodies a plan's cells report through) are
# reminded; the plan's own committee and boards above are not. A subject naming neither is asked.
_CELLS = re.compile(
    r"\bchi\s+bo|\bchi\s+uy|\bcap\s+uy\s+(?:cac\s+)?chi|\bcac\s+(?:chi|dang)\s+bo|\bco\s+so\s+dang"
    r"|\bdang\s+bo\s+(?:co\s+so|truc\s+thuoc)|\btruc\s+thuoc|\bdang\s+vien|\bto\s+dang"
)
_UPPER = re.compile(
    r"^(?:ban\s|dang\s+uy|huyen\s+uy|tinh\s+uy|thi\s+uy|thanh\s+uy|thuong\s+truc|uy\s+ban|van\s+phong)"
)
_OTHERS = re.compile(r"\bcac\s+chi\s+bo\s+con\s+lai\b")
_CELL_NAME = re.compile(r"\bchi\s+bo\s+")
_NOT_A_NAME = re.compile(r"^(?:con\s+lai|truc\s+thuoc|dang\b|diem\b|va\b|do\b|cac\b)")


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


@dataclass
class _Who:
    """Who acts, to whom, for whom (cells or the upper level, None when the text does not say),
    and the cell a deadline is named for."""

    who: str | None = None
    to: str | None = None
    audience: str | None = None
    cell: str | None = None
    others: bool = False  # "các chi bộ còn lại": every cell but the named ones


def _named_cell(src: Source, s: int, e: int) -> str | None:
    """ "Chi bộ Tân Phúc Thành 3" in text[s:e]: the name is the capitalised words after "Chi bộ"."""
    for m in _CELL_NAME.finditer(src.folded, s, e):
        if _NOT_A_NAME.match(src.folded, m.end()):
            continue
        words = []
        for w in src.text[m.end() : e].split():
            bare = w.rstrip(".,;:)")
            if not bare or not (bare[0].isupper() or bare[0].isdigit()):
                break
            words.append(bare)
            if bare != w:
                break
        if words:
            return " ".join(words)
    return None


def _who_and_to(src: Source, segment: int, s: int, e: int) -> _Who:
    """Who acts and to whom: from the words of this deadline (since the previous one in the same
    sentence), its clause, its sentence, the sentences before it in its paragraph, or the section
    heading. A named cell in the paragraph makes it that cell's deadline."""
    own = src.sentence(s, e)
    ps, _ = src.paragraph(s)
    before = [x for x in src.previous_sentences(own[0], 2) if x[0] >= ps - 1]
    sentences = [(segment, s), src.clause(s, e), own, *before]
    out = _Who()
    for n, (a, b) in enumerate(sentences):
        folded = src.folded[a:b]
        if out.who is None:
            m = (
                _SUBJECT.match(folded)
                or (n == 0 and _segment_subject(src, a, b))
                or (n >= 3 and _ANY_SUBJECT.search(folded))
            )
            if m:
                out.who = src.cut(a + m.start(1), a + m.end(1))
        if out.to is None:
            m = _TO.search(folded)
            if m:
                out.to = src.cut(a + m.start(1), a + m.end(1))
        if out.who and out.to:
            break
    if out.who is None:
        out.who = _heading_before(src, s)
    cell = _named_cell(src, max(ps, own[0] if not before else before[-1][0]), e)
    if cell and not (out.who and _OTHERS.search(fold_line(out.who))):
        out.cell = cell
        out.who = f"Chi bộ {cell}"
    folded_who = fold_line(out.who or "").strip()
    if out.cell or _CELLS.search(folded_who):
        out.audience = "cells"
    elif _UPPER.match(folded_who):
        out.audience = "upper"
    out.others = bool(_OTHERS.search(folded_who))
    return out


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


def _segments(src: Source, starts: list[tuple[int, int]]) -> dict[int, int]:
    """For each deadline (start, end), where its own words begin: after the deadline before it in
    the same sentence ("… gửi X trước 05 ngày …, để Đảng ủy gửi Y trước 03 ngày …"), or its clause."""
    out: dict[int, int] = {}
    previous_end = -1
    for start, end in sorted(starts):
        cs, _ = src.clause(start, end)
        ss, _ = src.sentence(start, end)
        out[start] = previous_end if previous_end > max(cs, ss) else cs
        previous_end = end
    return out


def _audience(d: dict[str, object], w: _Who, i: int, out: Found) -> None:
    """Who a deadline is for, written into it; asked in a todo when the text does not say."""
    if w.cell:
        d["only_cells"] = [w.cell]
    if w.audience:
        d["audience"] = w.audience
        return
    out.todo.append(
        Todo(
            f"deadlines[{i}].audience",
            "Không rõ hạn này nhắc ai: ghi audience: cells (các chi bộ phải làm) hoặc upper "
            "(cấp ủy cấp trên làm, không nhắc chi bộ); chỉ một chi bộ thì thêm only_cells.",
            str(d["quote"]),
        )
    )


def read(src: Source) -> Found:
    out = Found()
    deadlines: list[Entry] = []
    whos: list[_Who] = []
    events: dict[str, Entry] = {}
    taken: set[str] = set()
    dated = list(_DATED.finditer(src.folded))
    relative = list(_RELATIVE.finditer(src.folded))
    segment = _segments(src, [(m.start(), m.end()) for m in dated + relative])
    for m in dated:
        dates = [(m.start(1), m.end(3), m[1], m[2], m[3])]
        for more in _MORE.finditer(src.folded, m.end(3), m.end()):
            dates.append((more.start(1), more.end(3), more[1], more[2], more[3]))
        cs, ce = src.clause(m.start(), m.end())
        quote = src.cut(cs, max(ce, m.end()))
        title = _title(src, cs, m.start())
        w = _who_and_to(src, segment[m.start()], m.start(), m.end())
        on_the_day = bool(NO_LATER_THAN.match(src.folded, m.start()))
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
            if on_the_day:
                when = day_after(when)
            entry: Entry = {
                "id": slug(f"han {when}", taken),
                "title": (title + (f" (đợt {k})" if len(dates) > 1 else "")) or quote,
                "who": w.who,
                "to": w.to,
                "before": when,
                "quote": quote,
            }
            deadlines.append(entry)
            whos.append(w)
    for m in relative:
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
        seg = segment[m.start()]
        w = _who_and_to(src, seg, m.start(), m.end())
        # "gửi về X trước 05 ngày …": the addressee is the one named just before "trước".
        near = list(_TO.finditer(src.folded, max(seg, m.start() - 160), m.start()))
        if near:
            w.to = src.cut(near[-1].start(1), near[-1].end(1))
        deadlines.append(
            {
                "id": slug(f"truoc {days} ngay {event_name}", taken),
                "title": _title(src, seg, m.start()) or event_name,
                "who": w.who,
                "to": w.to,
                "relative": {"event": events[key]["id"], "days_before": days},
                "quote": _short(src, seg, m.start(), m.end()),
            }
        )
        whos.append(w)
    named = sorted({w.cell for w in whos if w.cell})
    for i, (d, w) in enumerate(zip(deadlines, whos, strict=True)):
        if w.others and named:  # "các chi bộ còn lại": all but the cells named for their own
            d["except_cells"] = named
        _audience(d, w, i, out)
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
