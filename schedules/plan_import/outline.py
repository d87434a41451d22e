"""What a plan says besides its dates: its theme ("với chủ đề “Tự soi, tự sửa”"), the lines of its
content section ("3. Nội dung sinh hoạt": the bullets under it) and the agendas it lays down
("4.2. Trình tự sinh hoạt … tại Chi bộ": a) Mở đầu, b) Tiến hành …, each with its steps).

All taken as written: a content line's text is its own words (bullet and markup removed), its
quote the line itself; an agenda's steps are its lines, its quote its heading. Nothing is
summarised, so a scan's words stay as scanned (draft.py restores their marks or asks).
"""

from __future__ import annotations

import re

from schedules.plan_import.common import Entry, Found, slug, tidy
from schedules.plan_import.source import Source

# "với chủ đề “Tự soi, tự sửa”", scanned "chu dd “…”".
_THEME = re.compile(r"\bchu\s+d\S{0,2}\s*[“\"]\s*([^”\"]{3,80}?)\s*[”\"]")
# "3. Nội dung sinh hoạt", and scanned "1. Ndi dung …", "1. Ni dung …".
_CONTENT_HEADING = re.compile(r"^\W*(?:\d+|[ivx]+)\s*[.)]\s*n\S{0,2}i\s+dung\b")
# A heading of the content heading's level or above ("2. Đối tượng", "III. …"), not "1.1.".
_TOP_HEADING = re.compile(r"^\W*(?:\d+\s*\.(?!\s*\d)|[ivx]+\s*[.)-])\s*\S")
_ITEM = re.compile(r"^\s*(?:[-+•–]|\d+\.\d+\.?|\(\d+\))\s*(?=\S)")
_AGENDA_HEADING = re.compile(r"^\W*(\d+(?:\.\d+)+\.?|\d+\.)\s*(trinh\s+tu\b.*)$")
_HEADING = re.compile(r"^\W*(?:\d+(?:\.\d+)*\s*[.)]|[ivx]+\s*[.)-])\s*\S")
_SECTION = re.compile(r"^\s*([a-h])\s*\)\s*(\S.*)$")
_BULLET = re.compile(r"^\s*[-+•–]\s*(\S.*)$")
_MONTH_LINE = re.compile(r"^\W*thang\s+\d")
QUOTE_CHARS = 160


def _quote(line: str) -> str:
    """A line as quoted: the whole line, or its first words up to about QUOTE_CHARS."""
    line = " ".join(line.split()).strip(" -+•–")
    if len(line) <= QUOTE_CHARS:
        return line
    return line[:QUOTE_CHARS].rsplit(" ", 1)[0]


def _theme(src: Source) -> str | None:
    """The theme the plan first names ("… với chủ đề “Tự soi, tự sửa”")."""
    m = _THEME.search(src.folded)
    return tidy(src.text[m.start(1) : m.end(1)]) if m else None


def _contents(src: Source) -> list[Entry]:
    """The items under the content heading: bullets ("- …", "+ …") and numbered items ("1.1. …",
    "(1) …"), each up to the end of its first sentence (lines a scan broke joined), until the next
    heading of the heading's own level. A lead ending in ":" ("…, cụ thể:") is not an item."""
    pairs = src.line_pairs()
    for i, (_, folded) in enumerate(pairs):
        if not _CONTENT_HEADING.match(folded):
            continue
        section = []
        for line, f in pairs[i + 1 :]:
            if _TOP_HEADING.match(f) or _AGENDA_HEADING.match(f):
                break
            section.append((line, f))
        if any(_MONTH_LINE.match(f) for _, f in section):
            continue  # a month-by-month list: the documents reader's
        items: list[tuple[list[str], bool]] = []  # an item's lines, and whether it is finished
        for line, f in section:
            m = _ITEM.match(f)
            if m:
                items.append(([line], False))
            elif items and line.strip() and not items[-1][1] and len(items[-1][0]) < 6:
                items[-1][0].append(line)
            else:
                continue
            lines, _ = items[-1]
            items[-1] = (lines, bool(re.search(r"[.:;]\s*$", line)))
        out: list[Entry] = []
        for lines, _ in items:
            first = lines[0]
            text = tidy(_ITEM.sub("", " ".join(" ".join(lines).split()), count=1))
            if len(text) >= 3 and not text.endswith(":") and not lines[-1].rstrip().endswith(":"):
                out.append({"text": text, "quote": _quote(_ITEM.sub("", first, count=1))})
        if out:
            return out
    return []


def _agendas(src: Source) -> list[Entry]:
    out: list[Entry] = []
    taken: set[str] = set()
    pairs = src.line_pairs()
    for i, (line, folded) in enumerate(pairs):
        m = _AGENDA_HEADING.match(folded)
        if not m:
            continue
        title = tidy(line[m.start(2) :])
        sections: list[Entry] = []
        for more, f in pairs[i + 1 :]:
            s = _SECTION.match(f)
            if s:
                sections.append({"title": tidy(more[s.start(2) :]), "steps": []})
                continue
            if _HEADING.match(f) or _AGENDA_HEADING.match(f):
                break
            step = _BULLET.match(more)
            text = tidy(step[1] if step else more)
            if sections and len(text) >= 3:
                sections[-1]["steps"].append(text)
        sections = [s for s in sections if s["steps"]]
        if sections:
            out.append(
                {
                    "id": slug(title, taken),
                    "title": title,
                    "sections": sections,
                    "quote": _quote(line),
                }
            )
    return out


def read(src: Source) -> Found:
    out = Found()
    theme = _theme(src)
    if theme:
        out.fields["theme"] = theme
    contents = _contents(src)
    if contents:
        out.fields["contents"] = contents
    agendas = _agendas(src)
    if agendas:
        out.fields["agendas"] = agendas
    return out
