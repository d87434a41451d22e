"""What the blind question corpora's test modules share: one pytest case per entry, strict xfail
for the entries listed (with the capability each lacks) in the corpus's own xfail file."""

from __future__ import annotations

from pathlib import Path

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
