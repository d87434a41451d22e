"""Every question of the corpus lands on its intent with its slots."""

from pathlib import Path

import pytest
import yaml

from bot.clock import parse_moment
from handlers.router import route

DATA = yaml.safe_load((Path(__file__).parents[2] / "data" / "questions.yaml").read_text("utf-8"))
NOW = parse_moment(DATA["reference"])
CASES = list(DATA["questions"].items())


def parse_expected(spec: str):
    intent, span, doc, error = spec, None, None, False
    if spec.endswith("!"):
        intent, error = spec[:-1].strip(), True
    if "=" in intent:
        intent, doc = (s.strip() for s in intent.split("="))
    if "@" in intent:
        intent, span = (s.strip() for s in intent.split("@"))
    return intent.strip(), span, doc, error


def test_corpus_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize("text, spec", CASES, ids=[t or "<empty>" for t, _ in CASES])
def test_question(text, spec):
    intent, span, doc, error = parse_expected(spec)
    got = route(text, NOW)
    assert got.name == intent
    if error:
        assert got.date_error
        return
    assert (got.when.iso() if got.when else None) == span
    if doc:
        number, kind, *suffix = doc.split()
        assert (got.doc.number, got.doc.kind, got.doc.suffix) == (
            int(number),
            kind,
            suffix[0] if suffix else None,
        )
    else:
        assert got.doc is None
