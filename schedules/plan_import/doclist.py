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
from schedules.plan_import.common import DATE, Entry, Found, Todo, day_text, tidy
from schedules.plan_import.source import Source, fold_same_length

# A month label: "Tháng 4/2022", "Tháng 01 năm 2024", or "Tháng 1" under a heading naming the year;
# alone in its cell or line, or before a colon and the month's first item ("Tháng 4: Nghị quyết …").
_MONTH = r"thang\s+(\d{1,2})(?:(?:\s*/\s*|\s+nam\s+)(\d{4})\b|(?=\s*(?::|\||$)))"
_LABEL = re.compile(rf"^{_MONTH}\s*:?\s*")
_ROW_LABEL = re.compile(rf"^\|?\s*(?:[-+•]\s*)?{_MONTH}")
# A heading that names the year for the months under it: "NĂM 2022", "Quý II năm 2022", "QUÝ II/2022".
_YEAR_HEADING = re.compile(r"^\W*(?:nam\s+(\d{4})|quy\s+[ivx]+\s*(?:/|\s+nam\s+)\s*(\d{4}))\W*$")
_KINDS = "|".join(
    sorted((re.escape(k) for k, _ in vocabulary().doc_kinds if " " in k), key=len, reverse=True)
)
_ITEM = re.compile(rf"(?:^|(?<=\s))(\d{{1,2}})\.\s+(?=(?:{_KINDS})\b)")
# An item without a number: a document's kind and number opening a fragment, a bullet or a sentence.
_BARE_ITEM = re.compile(
    rf"(?:^|(?<=[.;]\s))(?:[-+•]\s+)?(?=(?:{_KINDS})\s+(?:so\s+)?\d{{1,4}}\s*-\s*[a-z]{{1,5}}\s*/)"
)
_NUMBER = re.compile(r"(\d{1,4})\s*-\s*([A-Za-zĐđ]{1,5})\s*/\s*([A-Za-zĐđ]{1,6})")
_SPLIT = re.compile(r"</?\w+>|\|")


@dataclass
class _Item:
    n: int | None  # None: the list does not number its items
    row: int
    pieces: list[str] = field(default_factory=list)
    closed: bool = False


@dataclass
class _Label:
    month: tuple[int, int]  # (year, month); year 0 when nothing names it
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


def _years(src: Source) -> list[int]:
    """For each line, the year named by the nearest heading or dated month label above it (0: none)."""
    out, year = [], 0
    for f in src.folded_lines:
        h = _YEAR_HEADING.match(f)
        m = _ROW_LABEL.match(f)
        if h:
            year = int(h[1] or h[2])
        elif m and m[2]:
            year = int(m[2])
        out.append(year)
    return out


def _stream(src: Source, start: int, end: int, table: bool) -> list[tuple[int, str, int]]:
    """(row, fragment, year) in reading order; a fragment never spans a tag or a cell border."""
    out = []
    row = 0
    years = _years(src)
    for i, (line, folded) in enumerate(src.line_pairs(start, end), start):
        if not line or _YEAR_HEADING.match(folded):
            continue
        if table or _ROW_LABEL.match(folded):
            row += 1
        if table and re.fullmatch(r"[|\s:-]*", line):
            continue
        for frag in _SPLIT.split(line):
            frag = frag.strip()
            if frag:
                out.append((row, frag, years[i]))
    return out


def _events(stream: list[tuple[int, str, int]]) -> list[_Item | _Label]:
    events: list[_Item | _Label] = []
    current: _Item | None = None
    for row, frag, year in stream:
        folded = fold_same_length(frag)
        m = _LABEL.match(folded)
        if m:
            events.append(_Label((int(m[2] or year), int(m[1])), row, frag[: m.end()].strip(" :")))
            frag, folded = frag[m.end() :], folded[m.end() :]
            if not frag.strip():
                continue
        numbered = [(s.start(), int(s[1])) for s in _ITEM.finditer(folded)]
        starts: list[tuple[int, int | None]] = list(numbered)
        if not numbered:
            starts = [(s.end(), None) for s in _BARE_ITEM.finditer(folded)]
        pos = 0
        for at, n in starts:
            if current and at > pos:
                _add(current, frag[pos:at])
            current = _Item(n, row)
            events.append(current)
            pos = at
        if current:
            _add(current, frag[pos:])
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
        last = runs[-1]["items"][-1].n if runs else None
        if ev.n is None:  # unnumbered: a month's items are those after its label
            new_run = not runs or pending is not None
        else:
            new_run = not runs or ev.n == 1 or last is None or ev.n <= last
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
    of = re.match(r"^(?:của|cua)\s+", rest)
    rest = rest[of.end() :] if of else rest
    issuer = _issuer(rest) if of or _BODY_START.match(fold_same_length(rest)) else ""
    if issuer:
        doc["issuer"] = issuer
        rest = rest[len(issuer) :]
    doc["title"] = rest.strip(" ,.;")
    if len(doc["title"]) < 3:
        doc["title"] = body.strip(" ,.;")
    return doc


# Who issued a cited document opens with a body ("Ban Thường vụ Tỉnh ủy", "Hội nghị Trung ương 4 khóa
# XI", "Tỉnh ủy"); text that opens otherwise ("thực hiện Nghị quyết …") is the title, not an issuer.
_BODY_START = re.compile(
    r"^(?:ban\s|bo\s+chinh|hoi\s+nghi|tinh\s+uy|huyen\s+uy|thi\s+uy|thanh\s+uy|dang\s+uy|ubnd"
    r"|uy\s+ban|chinh\s+phu|quoc\s+hoi|thu\s+tuong|trung\s+uong)"
)
# Lower-case words that belong inside a body's name; any other lower-case word ends the name.
_NAME_WORDS = {
    "vu", "hanh", "uy", "chinh", "tri", "bi", "thu", "khoa", "lan", "cac", "co", "quan", "va",
    "doanh", "nghiep", "tinh", "huyen", "xa", "giao", "nghi", "truong", "nhan", "dan", "khoi",
    "thuong", "chap", "tuyen", "to", "chuc", "kiem", "tra", "ban", "dang", "bo", "thi", "uong",
}  # fmt: skip


def _issuer(rest: str) -> str:
    """The body's name at the start of `rest`: capitalised words, numbers, and the lower-case
    words names are made of ("Ban Thường vụ Đảng ủy Khối các cơ quan"), up to the first other word
    ("Tỉnh ủy | một số vấn đề …", "Ban Thường vụ Tỉnh ủy | về …")."""
    words = rest.split(" ")
    taken = 0
    for w in words:
        bare = w.strip("(),")
        if not bare or not (
            bare[:1].isupper() or bare[:1].isdigit() or fold_same_length(bare) in _NAME_WORDS
        ):
            break
        taken += 1
    return " ".join(words[:taken]).rstrip(" ,")


def _quote(first_piece: str) -> str:
    body = re.sub(r"^\d{1,2}\.\s+", "", first_piece).strip()
    cut = re.search(r"\s(?:về|ve)\s|[“\"]", body[20:])
    q = body[: 20 + cut.start()] if cut else body
    if len(q) > 160:
        q = q[:160].rsplit(" ", 1)[0]
    return q.strip(" ,")


# A month's topic in free words: "Chủ đề tháng 3: …", "Tháng 3/2024: Chủ đề …", or a table row whose
# first cell is the month and whose next cell cites no document.
_FREE_TOPIC = re.compile(
    r"^\W*(?:chu\s+de\s+(?:sinh\s+hoat\s+)?)?thang\s+(\d{1,2})(?:(?:\s*/\s*|\s+nam\s+)(\d{4}))?"
    r"\s*(?::|\|)\s*(?:chu\s+de\s*:?\s*)?([^|]{5,}?)\s*\|?\s*$"
)
_CITES = re.compile(r"\d{1,4}\s*-\s*[a-z]{1,5}\s*/|^\s*\d{1,2}\.\s")


def _free_topics(src: Source) -> tuple[list[dict[str, str]], list[Todo]]:
    """Monthly topics written as words, not as documents: the plan's content, month by month."""
    years = _years(src)
    contents: list[dict[str, str]] = []
    todo: list[Todo] = []
    for i, (line, folded) in enumerate(src.line_pairs()):
        m = _FREE_TOPIC.match(folded)
        if not m or _CITES.search(m[3]):
            continue
        topic = tidy(line[m.start(3) : m.end(3)])
        written = line[m.start() : m.end(3)]
        quote = topic if "|" in written else " ".join(written.split()).strip(" -+•")
        year = int(m[2] or years[i])
        if not year:
            todo.append(Todo("contents", "Chủ đề tháng không thấy ghi năm: ghi tháng/năm.", quote))
            continue
        contents.append({"text": f"Tháng {int(m[1])}/{year}: {topic}", "quote": quote})
    return contents, todo


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
        if month[0] == 0:
            out.todo.append(
                Todo(
                    "topics",
                    f"Các văn bản {', '.join(d['number'] for d in docs)} ở “{label_texts[0]}” "
                    "không thấy ghi năm: ghi tháng/năm đúng.",
                    docs[0]["quote"],
                )
            )
            continue
        topics.setdefault(month, []).extend(docs)
    contents, todo = _free_topics(src)
    out.todo += todo
    if contents:
        out.fields["contents"] = contents
    if topics:
        out.fields["topics"] = [
            {"month": f"{m}/{y}", "documents": docs} for (y, m), docs in sorted(topics.items())
        ]
    return out
