"""Diacritics for OCR'd plans that lost them, from a lexicon of the genre: the words of plans
already written with their marks (the shipped plans, their document titles, the catalog's terms).

A run of words is restored only where the lexicon knows exactly one way to write it (a three-,
two- or one-word run, the longest first: "dang uy" is "Đảng ủy" even though "dang" alone may be
"Đảng", "đang" or "đăng"). A field with any word left unsure keeps its scanned text, and a todo
shows both, so a person decides; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from schedules.model import Plan
from schedules.vi_text import fold

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LONGEST = 3
# Letters OCR puts where a Vietnamese mark was: a word holding one is read as unmarked.
_FOREIGN = re.compile(r"[üçñäëïöÿ&!']")


@dataclass
class Lexicon:
    """Folded runs of 1..3 words → the ways they are written (lower-case) in accented text."""

    runs: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def of(cls, texts: Iterable[str]) -> Lexicon:
        out = cls()
        for text in texts:
            for sentence in re.split(r"[.;:!?()“”\"]", text):
                words = [w.lower() for w in _WORD.findall(sentence)]
                for n in range(1, _LONGEST + 1):
                    for i in range(len(words) - n + 1):
                        run = tuple(words[i : i + n])
                        out.runs.setdefault(tuple(fold(w) for w in run), set()).add(run)
        return out

    def only(self, folded: tuple[str, ...]) -> tuple[str, ...] | None:
        ways = self.runs.get(folded)
        return next(iter(ways)) if ways and len(ways) == 1 else None


def _needs(word: str) -> bool:
    """A word to restore: written without marks, or with OCR's stand-ins for them."""
    return word.isascii() or bool(_FOREIGN.search(word))


def _cased(original: str, accented: str) -> str:
    if original.isupper() and len(original) > 1:
        return accented.upper()
    return accented[:1].upper() + accented[1:] if original[:1].isupper() else accented


def restore(text: str, lexicon: Lexicon) -> tuple[str, bool]:
    """The text with marks where the lexicon is sure, and whether it was sure of every word."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    words = [text[s:e] for s, e in spans]
    folded = [fold(w) for w in words]
    out: list[str] = list(words)
    sure = True
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            ways = lexicon.only(tuple(folded[i : i + n]))
            if ways:
                for k in range(n):
                    if _needs(words[i + k]):
                        out[i + k] = _cased(words[i + k], ways[k])
                i += n
                break
        else:
            if _needs(words[i]) and len(words[i]) > 1:
                sure = False
            i += 1
    pieces, pos = [], 0
    for (s, e), w in zip(spans, out, strict=True):
        pieces += [text[pos:s], w]
        pos = e
    pieces.append(text[pos:])
    return "".join(pieces), sure


def of_plans(plans: Iterable[Plan]) -> Lexicon:
    """The lexicon of plans written with their marks (a catalog's): what `chibo plans import`
    and a document sent in chat both restore a scan's marks from."""
    return Lexicon.of(words_of([p.model_dump(by_alias=True) for p in plans]))


def words_of(data: object) -> Iterable[str]:
    """The accented text of plans (model_dump'd): every string but quotes, ids and files, which
    keep the scans' own spelling."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k not in ("quote", "id", "file", "todo", "source", "event", "held_by"):
                yield from words_of(v)
    elif isinstance(data, list | tuple):
        for v in data:
            yield from words_of(v)
    elif isinstance(data, str):
        yield data
