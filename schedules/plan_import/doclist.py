"""The month-by-month list of documents to study ("Tháng 4/2022 | 1. Nghị quyết số …").

The list is read as one stream of month labels and numbered items, whatever the layout (a table
turned into "| … |" rows, or plain lines from a PDF). Numbering restarts at 1 for each month, so a
month's items are a run from a "1." to the next "1.". A run takes the month label written in one of
its own rows, or the label just before its "1."; a label just before the next run's "1." belongs to
that run. So a table split across pages still puts each item in its month: a row with an empty
month cell holding "1. Nghị quyết 04…" joins the run whose next row says "Tháng 7/2022", and a row
holding the end of item 3 and item 4 stays with the month above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schedules.language import vocabulary
from schedules.plan_import.common import DATE, Entry, Found, Todo, day_text
from schedules.plan_import.source import Source, fold_same_length

_LABEL = re.compile(r"^thang\s+(\d{1,2})\s*/\s*(\d{4})$")
_ROW_LABEL = re.compile(r"^\|?\s*thang\s+(\d{1,2})\s*/\s*(\d{4})\b")
_KINDS = "|".join(
    sorted((re.escape(k) for k, _ in vocabulary().doc_kinds if " " in k), key=len, reverse=True)
)
_ITEM = re.compile(rf"(?:^|(?<=\s))(\d{{1,2}})\.\s+(?=(?:{_KINDS})\b)")
_NUMBER = re.compile(r"(\d{1,4})\s*-\s*([A-Za-zĐđ]{1,5})\s*/\s*([A-Za-zĐđ]{1,6})")
_SPLIT = re.compile(r"</?\w+>|\|")


@dataclass
class _Item:
    n: int
    row: int
    pieces: list[str] = field(default_factory=list)
    closed: bool = False


@dataclass
class _Label:
    month: tuple[int, int]
    row: int
    text: str


def _region(src: Source) -> tuple[int, int, bool] | None:
    lines = src.folded_lines
    first = next((i for i, f in enumerate(lines) if _ROW_LABEL.match(f)), None)
    if first is None:
        return None
    table = lines[first].startswith("|")
    start = first
    while table and start > 0 and lines[start - 1].startswith("|"):
        start -= 1
    end = first
    for i in range(first, len(lines)):
        f = lines[i]
        if table:
            if f.startswith("|"):
                end = i
            elif f and not f.startswith("|") and i > end + 3:
                break
        else:
            if f.startswith("*") or re.match(r"^[ivx]+\.\s", f):
                break
            end = i
    return start, end + 1, table


def _stream(src: Source, start: int, end: int, table: bool) -> list[tuple[int, str]]:
    """(row, fragment) in reading order; a fragment never spans a tag or a cell border."""
    out = []
    row = 0
    for line, folded in src.line_pairs(start, end):
        if not line:
            continue
        if table or _ROW_LABEL.match(folded):
            row += 1
        if table and re.fullmatch(r"[|\s:-]*", line):
            continue
        for frag in _SPLIT.split(line):
            frag = frag.strip()
            if frag:
                out.append((row, frag))
    return out


def _events(stream: list[tuple[int, str]]) -> list[_Item | _Label]:
    events: list[_Item | _Label] = []
    current: _Item | None = None
    for row, frag in stream:
        folded = fold_same_length(frag)
        m = _LABEL.match(folded.strip())
        if m:
            events.append(_Label((int(m[2]), int(m[1])), row, frag))
            continue
        starts = list(_ITEM.finditer(folded))
        pos = 0
        for s in starts:
            if current and s.start() > pos:
                _add(current, frag[pos : s.start()])
            current = _Item(int(s[1]), row)
            events.append(current)
            pos = s.start()
        if current:
            _add(current, frag[pos:])
            if starts:
                current.row = current.row  # the item starts in this row
    return events


def _add(item: _Item, text: str) -> None:
    text = text.strip()
    if item.closed or not text:
        return
    item.pieces.append(text)
    if text.endswith((".", ";")) and len(" ".join(item.pieces)) > 40:
        item.closed = True  # the entry ended; what follows is not its title


def _runs(
    events: list[_Item | _Label],
) -> list[tuple[list[_Item], set[tuple[int, int]], list[str]]]:
    runs: list[Entry] = []
    pending: _Label | None = None
    for ev in events:
        if isinstance(ev, _Label):
            pending = ev
            continue
        new_run = not runs or ev.n == 1 or ev.n <= runs[-1]["items"][-1].n
        if new_run:
            runs.append({"items": [], "labels": [], "rows": set()})
            if pending is not None:  # a label right before a "1." names that run
                runs[-1]["labels"].append(pending)
        elif pending is not None:
            runs[-1]["labels"].append(pending)
        pending = None
        runs[-1]["items"].append(ev)
        runs[-1]["rows"].add(ev.row)
    # A label written in a row of a run (beside its continuation text) names that run.
    owned = {id(lab) for r in runs for lab in r["labels"]}
    for ev in events:
        if isinstance(ev, _Label) and id(ev) not in owned:
            for r in runs:
                if ev.row in r["rows"]:
                    r["labels"].append(ev)
    return [
        (r["items"], {lab.month for lab in r["labels"]}, [lab.text for lab in r["labels"]])
        for r in runs
    ]


def _document(text: str) -> Entry | None:
    body = re.sub(r"^\d{1,2}\.\s+", "", text).strip()
    folded = fold_same_length(body)
    num = _NUMBER.search(body)
    if not num:
        return None
    kind = re.sub(r"\s+s[oố]$", "", body[: num.start()].strip(" ,"), flags=re.I).strip()
    doc: Entry = {"kind": kind, "number": re.sub(r"\s+", "", num[0])}
    rest_at = num.end()
    m = re.compile(rf"[\s,]*(?:ngay\s*)?{DATE}").match(folded, num.end())
    if m and (d := day_text(m[1], m[2], m[3])):
        doc["date"] = d
        rest_at = m.end()
    rest = body[rest_at:].strip(" ,")
    rest = re.sub(r"^(?:của|cua)\s+", "", rest)
    sep = re.search(r"\s(?=về\s)|[“\"]", rest)
    if sep and sep.start() > 2:
        doc["issuer"] = rest[: sep.start()].strip(" ,")
        doc["title"] = rest[sep.start() :].strip(" ,.;")
    elif sep:
        doc["title"] = rest.strip(" ,.;")
    else:
        doc["title"] = rest.strip(" ,.;")
    if len(doc["title"]) < 3:
        doc["title"] = body.strip(" ,.;")
    return doc


def _quote(first_piece: str) -> str:
    body = re.sub(r"^\d{1,2}\.\s+", "", first_piece).strip()
    cut = re.search(r"\s(?:về|ve)\s|[“\"]", body[20:])
    q = body[: 20 + cut.start()] if cut else body
    if len(q) > 160:
        q = q[:160].rsplit(" ", 1)[0]
    return q.strip(" ,")


def read(src: Source) -> Found:
    out = Found()
    region = _region(src)
    if region is None:
        return out
    runs = _runs(_events(_stream(src, *region)))
    topics: dict[tuple[int, int], list[Entry]] = {}
    for items, months, label_texts in runs:
        docs = []
        for item in items:
            text = " ".join(item.pieces)
            doc = _document(text)
            if doc is None:
                out.todo.append(
                    Todo(
                        "topics",
                        "Mục trong danh mục không có số văn bản: thêm tay nếu cần.",
                        _quote(item.pieces[0]),
                    )
                )
                continue
            doc["quote"] = _quote(item.pieces[0])
            docs.append(doc)
        if not docs:
            continue
        if len(months) != 1:
            numbers = ", ".join(d["number"] for d in docs)
            why = "không ghi tháng" if not months else f"có nhiều tháng ({', '.join(label_texts)})"
            out.todo.append(
                Todo(
                    "topics", f"Các văn bản {numbers} {why}: xếp vào tháng đúng.", docs[0]["quote"]
                )
            )
            continue
        (month,) = months
        topics.setdefault(month, []).extend(docs)
    if topics:
        out.fields["topics"] = [
            {"month": f"{m}/{y}", "documents": docs} for (y, m), docs in sorted(topics.items())
        ]
    return out
