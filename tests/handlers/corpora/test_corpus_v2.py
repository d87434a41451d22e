"""The second question corpus (tests/data/questions_v2.yaml), written blind: every entry asked
through the real Conversation, its reply checked for the facts it must and must not contain.

Entries the bot cannot answer yet are listed with the missing capability in
tests/data/questions_v2_xfail.yaml (strict: one that starts passing fails until it leaves the
list). Settings wishes (`expects: confirm`) are checked like every other entry.
"""

import pytest

from tests.handlers.corpus_tests import params, xfails
from tests.handlers.corpus_v2 import ENTRIES, ask, shares

XFAIL = xfails("questions_v2_xfail.yaml")


def _params():
    return params(ENTRIES, XFAIL)


def test_corpus_shape():
    assert len(ENTRIES) >= 200
    assert set(XFAIL) <= {e["q"] for e in ENTRIES}, "an xfail names a question not in the corpus"


@pytest.mark.parametrize("entry", list(_params()))
async def test_entry(entry):
    verdict = await ask(entry)
    assert verdict.ok, f"{entry['q']!r}: {'; '.join(verdict.problems)}\n{verdict.text}"


def test_share_report(capsys):
    """Prints the share right per kind (run with -s to see it); the counts are in the README."""
    table = shares()
    with capsys.disabled():
        for kind, (right, total) in table.items():
            print(f"\n  {kind:16} {right:3}/{total:3}", end="")
    assert sum(r for r, _ in table.values()) > 0
