"""The imported text, held twice with the same length: as written and accent-folded.

Patterns are matched on the folded copy (so OCR'd text without diacritics matches too) and every
quote is cut from the written copy at the same offsets: a quote is always verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from schedules.vi_text import squash


def _fold_char(c: str) -> str:
    if c == "đ" or c == "Đ":
        return "d"
    base = "".join(
        x for x in unicodedata.normalize("NFD", c.lower()) if unicodedata.category(x) != "Mn"
    )
    return base[:1] or " "


def fold_same_length(text: str) -> str:
    """fold() without collapsing white space: offsets in the result are offsets in `text`."""
    return "".join(_fold_char(c) for c in text)


# What a converter leaves that is not the document's words: Word bookmarks ("[bookmark: _GoBack]"),
# markdown emphasis ("**tổ chức**", "*Trà Vinh*"). Removed before anything is read or quoted.
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\*+(?=[^\s*])|(?<=[^\s*])\*+")


def clean(text: str) -> str:
    """The document's words without conversion artefacts; what quotes are checked against."""
    return _ARTEFACTS.sub("", unicodedata.normalize("NFC", text))


# Where a clause ends: a full stop or semicolon before a space, or a bullet starting.
_CLAUSE_END = re.compile(r"[.;!?](?=\s)|\s[-+•]\s|\(\d\)\s")
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
# A line that opens a paragraph whatever the line before it: a bullet, a numbered heading, a row.
_PARAGRAPH_OPENS = re.compile(r"^(?:[-+•*|]|\d+(?:\.\d+)*[.)]\s|[IVXL]+[.\-]\s|[a-zđ]\)\s)")


@dataclass
class Source:
    raw: str  # the extracted text, lines kept
    text: str = field(init=False)  # white space collapsed: what quotes are checked against
    folded: str = field(init=False)

    def __post_init__(self) -> None:
        self.raw = clean(self.raw)
        self.text = squash(self.raw)
        self.folded = fold_same_length(self.text)

    @cached_property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.raw.splitlines()]

    @cached_property
    def folded_lines(self) -> list[str]:
        return [fold_same_length(line) for line in self.lines]

    def line_pairs(self, start: int = 0, end: int | None = None) -> list[tuple[str, str]]:
        """Lines start..end, each with its folded form (patterns read one, quotes the other)."""
        return list(zip(self.lines[start:end], self.folded_lines[start:end], strict=True))

    def cut(self, start: int, end: int) -> str:
        return self.text[start:end].strip(" ,;")

    def clause(self, start: int, end: int, limit: int = 220) -> tuple[int, int]:
        """The clause around [start, end): back to the last clause end, on to the next one."""
        head = max(0, start - limit)
        # A bullet dash inside brackets ("(qua đ/c A - Văn phòng)") does not end a clause.
        ends = [
            m.end()
            for m in _CLAUSE_END.finditer(self.text, head, start)
            if self.text.count("(", m.end(), start) >= self.text.count(")", m.end(), start)
        ]
        s = ends[-1] if ends else head
        m = _CLAUSE_END.search(self.text, end)
        e = m.start() + 1 if m and m.start() - end < limit else min(len(self.text), end + 1)
        return s, max(e, end)

    def sentence(self, start: int, end: int, limit: int = 400) -> tuple[int, int]:
        head = max(0, start - limit)
        ends = [m.end() for m in _SENTENCE_END.finditer(self.text, head, start)]
        s = ends[-1] if ends else head
        m = _SENTENCE_END.search(self.text, end)
        e = m.start() + 1 if m and m.start() - end < limit else min(len(self.text), end + limit)
        return s, e

    @cached_property
    def paragraph_starts(self) -> list[int]:
        """Offsets in `text` where a paragraph opens. A line that follows one ending mid-sentence
        (a PDF's or a scan's wrapped line) continues its paragraph: the sentence is joined."""
        starts: list[int] = []
        pos, ended, heading = 0, True, False
        for line in self.lines:
            piece = " ".join(line.split())
            if not piece:
                ended = True
                continue
            at = self.text.find(piece, pos)
            if at < 0:
                continue
            if ended or _PARAGRAPH_OPENS.match(piece) or (heading and piece[0].isupper()):
                starts.append(at)
            pos, ended = at + len(piece), piece[-1] in ".:;!?|"
            # A short line without a stop is a heading: a capitalised line after it opens anew.
            heading = not ended and len(piece) < 60
        return starts

    def paragraph(self, offset: int) -> tuple[int, int]:
        """The paragraph (bullet, numbered point, table row) holding `offset`."""
        starts = self.paragraph_starts
        i = bisect_right(starts, offset) - 1
        s = starts[i] if i >= 0 else 0
        e = starts[i + 1] if i + 1 < len(starts) else len(self.text)
        return s, e

    def previous_sentences(self, start: int, n: int) -> list[tuple[int, int]]:
        """Up to n whole sentences before offset `start`, nearest first."""
        out = []
        pos = start
        for _ in range(n):
            # The stop that ends the sentence just before `pos` may sit right at it: look past it.
            found = _SENTENCE_END.finditer(
                self.text, max(0, pos - 600), min(len(self.text), pos + 1)
            )
            ends = [m.end() for m in found if m.end() <= pos]
            if not ends:
                break
            e = ends[-1]
            before = [m.end() for m in _SENTENCE_END.finditer(self.text, max(0, e - 600), e - 1)]
            s = before[-1] if before else max(0, e - 600)
            out.append((s, e))
            pos = s
        return out

    @cached_property
    def has_diacritics(self) -> bool:
        """False for OCR'd text that lost its accents: its words need a person's rewrite."""
        words = re.findall(r"\w+", self.text.lower())
        common = {"của", "và", "các", "được", "những", "với", "thực", "hiện", "đảng", "chức"}
        plain = {"cua", "va", "cac", "duoc", "nhung", "voi", "thuc", "hien", "dang", "chuc"}
        good = sum(w in common for w in words)
        bare = sum(w in plain for w in words)
        foreign = len(re.findall(r"[üçñäëïöÿ&]", self.text))  # OCR's guesses at Vietnamese marks
        return good > 2 * bare and foreign * 50 < len(self.text)
