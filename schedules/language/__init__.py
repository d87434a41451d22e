"""Language knowledge as data (vi.yaml), the way dateparser keeps one file per language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Vocabulary:
    numbers: dict[str, int]
    month_words: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    units: dict[str, dict[str, int]]
    shift: dict[str, int]
    parts_of_day: dict[str, int]
    thirds: dict[str, int]
    fillers: tuple[str, ...]
    doc_kinds: tuple[tuple[str, str], ...]  # longest phrase first
    meeting_nth: dict[str, int]
    meeting_no_shift: tuple[str, ...]
    negations: tuple[str, ...]

    @property
    def doc_codes(self) -> set[str]:
        return {code for _, code in self.doc_kinds}


@cache
def vocabulary() -> Vocabulary:
    raw = yaml.safe_load((Path(__file__).parent / "vi.yaml").read_text(encoding="utf-8"))
    kinds = sorted(raw["doc_kinds"].items(), key=lambda kv: -len(kv[0]))
    return Vocabulary(
        numbers=raw["numbers"],
        month_words=raw["month_words"],
        weekdays=raw["weekdays"],
        relative_days=raw["relative_days"],
        units=raw["units"],
        shift=raw["shift"],
        parts_of_day=raw["parts_of_day"],
        thirds=raw["thirds"],
        fillers=tuple(raw["fillers"]),
        doc_kinds=tuple(kinds),
        meeting_nth={str(k): v for k, v in raw["meeting_nth"].items()},
        meeting_no_shift=tuple(raw["meeting_no_shift"]),
        negations=tuple(raw["negations"]),
    )
