"""Import each of the five seed plans and compare the draft, fact by fact, with the curated plan.

    python -m bench.import_recall [-v]     (CHIBO_SEEDS overrides ../shared/seeds)

Prints kind | curated | in draft | found | right | recall | precision over the five plans (with -v,
one table per plan too), and the facts whose numbers are not in their quotes (must be none).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from schedules import catalog, plan_import
from schedules.plan_import import compare, evidence

SEEDS = Path(
    os.environ.get("CHIBO_SEEDS", Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds")
)


def run(verbose: bool = False) -> dict[str, compare.Score]:
    cat = catalog.load()
    total = {k: compare.Score() for k in compare.KINDS}
    for plan in cat.sorted():
        text = (SEEDS / plan.source.file).read_text(encoding="utf-8")
        draft = plan_import.build(text, plan.source.file)
        scores = compare.compare(plan, draft.data)
        invented = evidence.problems(draft.data, text)
        for k, s in scores.items():
            total[k].add(s)
        if verbose:
            print(f"\n### {plan.id} ({plan.source.file}): {len(draft.todo)} todo")
            print(compare.table(scores))
        for line in invented:
            print(f"INVENTED {plan.id}: {line}")
    print("\n" + compare.table(total))
    return total


if __name__ == "__main__":
    run("-v" in sys.argv)
