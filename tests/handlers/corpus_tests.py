"""What the blind question corpora's test modules share: one pytest case per entry, strict xfail
for the entries listed (with the capability each lacks) in the corpus's own xfail file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).parents[1] / "data"


def xfails(name: str) -> dict[str, str]:
    """question → why it is not answered right yet (tests/data/<name>)."""
    return yaml.safe_load((DATA / name).read_text("utf-8")) or {}


def params(entries: list[dict], xfail: dict[str, str]):
    for i, e in enumerate(entries):
        marks = []
        reason = xfail.get(e["q"])
        if reason:  # strict: an entry that starts passing fails until it leaves the xfail list
            marks.append(pytest.mark.xfail(reason=reason, strict=True))
        yield pytest.param(e, id=f"{i}-{e['kind']}", marks=marks)


def blind_corpus(name: str, at_least: int) -> tuple[Callable[[], None], Callable[..., Any]]:
    """The two tests of a blind corpus module, `test_corpus_shape` and `test_entry`, for
    tests/data/<name>.yaml and its <name>_xfail.yaml: each entry asked through the real
    Conversation and checked as the second corpus is (tests/handlers/corpus_v2.py)."""
    from tests.handlers.corpus_v2 import ask, load

    entries = load(DATA / f"{name}.yaml")
    xfail = xfails(f"{name}_xfail.yaml")

    def test_corpus_shape() -> None:
        assert len(entries) >= at_least
        assert set(xfail) <= {e["q"] for e in entries}, "an xfail names a question not in it"

    @pytest.mark.parametrize("entry", list(params(entries, xfail)))
    async def test_entry(entry: dict[str, Any]) -> None:
        verdict = await ask(entry)
        assert verdict.ok, f"{entry['q']!r}: {'; '.join(verdict.problems)}\n{verdict.text}"

    return test_corpus_shape, test_entry
