"""How much of our date corpus plain dateparser gets right, next to ours (numbers go in the README).

Scoring is lenient to dateparser, which cannot return a span: for a span it counts as right when
the date it returns lies inside the span. For a phrase that must be refused, right means None.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

import dateparser
import yaml

from bot.clock import TZ, parse_moment
from schedules import vi_dates

CORPUS = Path(__file__).parents[1] / "tests" / "data" / "date_phrases.yaml"


def plain(phrase: str, ref: datetime):
    settings = {
        "RELATIVE_BASE": ref.replace(tzinfo=None),
        "DATE_ORDER": "DMY",
        "TIMEZONE": "Asia/Ho_Chi_Minh",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dateparser.parse(phrase, languages=["vi"], settings=settings)


def right(expected: str, got: datetime | None) -> bool:
    if expected == "error":
        return got is None
    if got is None:
        return False
    if ".." in expected:
        start, end = expected.split("..")
        return start <= got.date().isoformat() <= end
    if "T" in expected:
        return got.strftime("%Y-%m-%dT%H:%M") == expected
    return got.date().isoformat() == expected


def main() -> None:
    corpus = yaml.safe_load(CORPUS.read_text("utf-8"))
    total = ours = theirs = 0
    for ref_text, items in corpus.items():
        ref = parse_moment(ref_text)
        for phrase, expected in items.items():
            expected = str(expected)
            total += 1
            result = vi_dates.parse(phrase, ref)
            got = result.iso() if isinstance(result, vi_dates.When) else "error"
            ours += got == expected
            theirs += right(expected, plain(phrase, ref.astimezone(TZ)))
    print(f"date corpus: {total} phrases")
    print(f"  chibo (schedules/vi_dates): {ours}/{total} = {ours / total:.0%}")
    print(
        f"  plain dateparser {dateparser.__version__} (languages=['vi']): {theirs}/{total} = {theirs / total:.0%}"
    )


if __name__ == "__main__":
    main()
