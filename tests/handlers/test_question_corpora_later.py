"""The third to sixth question corpora (tests/data/questions_v3.yaml … questions_v6.yaml), each
written blind after the one before had been worked through (tests/data/README_questions_v3.md,
README_questions_v4.md): every entry asked through the real Conversation and checked as the second
corpus is (tests/handlers/corpus_v2.py).

Entries the bot does not answer right yet are listed with the reason in the corpus's own
tests/data/questions_vN_xfail.yaml (strict: one that starts passing fails until it leaves the list).
"""

import pytest

from tests.handlers.corpus_tests import DATA, params, xfails
from tests.handlers.corpus_v2 import ask, load

CORPORA = {
    v: (load(DATA / f"questions_{v}.yaml"), xfails(f"questions_{v}_xfail.yaml"))
    for v in ("v3", "v4", "v5", "v6")
}


@pytest.mark.parametrize("version", sorted(CORPORA))
def test_corpus_shape(version):
    entries, xfail = CORPORA[version]
    assert len(entries) >= 120
    assert set(xfail) <= {e["q"] for e in entries}, "an xfail names a question not in the corpus"


def _all_params():
    for version, (entries, xfail) in sorted(CORPORA.items()):
        for p in params(entries, xfail):
            yield pytest.param(*p.values, id=f"{version}-{p.id}", marks=p.marks)


@pytest.mark.parametrize("entry", list(_all_params()))
async def test_entry(entry):
    verdict = await ask(entry)
    assert verdict.ok, f"{entry['q']!r}: {'; '.join(verdict.problems)}\n{verdict.text}"
