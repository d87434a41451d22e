"""Every phrase of the date corpus resolves to its expected answer."""

from pathlib import Path

import pytest
import yaml

from bot.clock import parse_moment
from schedules import vi_dates

CORPUS = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "date_phrases.yaml").read_text("utf-8")
)
CASES = [
    (ref, phrase, str(expected))
    for ref, items in CORPUS.items()
    for phrase, expected in items.items()
]


def test_corpus_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize("ref, phrase, expected", CASES, ids=[f"{r[:10]}|{p}" for r, p, _ in CASES])
def test_phrase(ref, phrase, expected):
    result = vi_dates.parse(phrase, parse_moment(ref))
    if expected == "error":
        assert isinstance(result, vi_dates.NotUnderstood)
        assert result.message  # said in Vietnamese, never empty
    else:
        assert isinstance(result, vi_dates.When), result
        assert result.iso() == expected
