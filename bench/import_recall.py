"""Import each of the five seed plans, and the seeds' facts re-laid out as committees post them
(tests/schedules/plan_import/layouts.py: .txt, .docx with real tables, text-layer .pdf), and
compare each draft, fact by fact, with the curated plan.

    python -m bench.import_recall [-v]     (CHIBO_SEEDS overrides ../shared/seeds)

Prints two tables of kind | curated | in draft | found | right | recall | precision — the seeds,
and the re-laid-out documents on the kinds each carries — (with -v, one per document too), then
the invented facts (a fact whose number or date is not in its quote) and the quotes checked
verbatim against their source: invented must be 0.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from schedules import catalog, plan_import
from schedules.model import Plan
from schedules.plan_import import compare, evidence

SEEDS = Path(
    os.environ.get("CHIBO_SEEDS", Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds")
)


def _quotes(data: object) -> int:
    """How many quotes a draft holds (every one is checked verbatim by evidence.problems)."""
    if isinstance(data, dict):
        return sum(_quotes(v) for k, v in data.items() if k != "todo") + ("quote" in data)
    if isinstance(data, list):
        return sum(_quotes(v) for v in data)
    return 0


class Tally:
    def __init__(self) -> None:
        self.scores = {k: compare.Score() for k in compare.KINDS}
        self.invented: list[str] = []
        self.quotes = 0
        self.todo = 0

    def add(
        self, name: str, plan: Plan, text: str, source: str, kinds: tuple[str, ...], verbose: bool
    ) -> None:
        draft = plan_import.build(text, source)
        scores = {k: s for k, s in compare.compare(plan, draft.data).items() if k in kinds}
        for k, s in scores.items():
            self.scores[k].add(s)
        problems = evidence.problems(draft.data, text)
        self.invented += [f"{name}: {p}" for p in problems]
        self.quotes += _quotes(draft.data)
        self.todo += len(draft.todo)
        if verbose:
            print(f"\n### {name}: {len(draft.todo)} todo")
            print(compare.table(scores))

    def report(self, title: str) -> None:
        print(f"\n## {title}\n")
        print(compare.table({k: s for k, s in self.scores.items() if s.curated or s.draft}))
        print(
            f"\ninvented facts: {len(self.invented)}; quotes checked verbatim: {self.quotes}; "
            f"todo left for a person: {self.todo}"
        )
        for line in self.invented:
            print(f"INVENTED {line}")


def _formats() -> dict[str, Callable[[object], str]]:
    from bot.plans.document_text import text_of
    from tests.bot.pdf_fixture import make_pdf
    from tests.schedules.plan_import import layouts

    return {
        "txt": lambda lay: layouts.as_text(lay),  # type: ignore[arg-type]
        "docx": lambda lay: text_of("plan.docx", layouts.as_docx(lay)),  # type: ignore[arg-type]
        "pdf": lambda lay: text_of("plan.pdf", make_pdf(layouts.as_pdf_lines(lay))),  # type: ignore[arg-type]
    }


def run(verbose: bool = False) -> tuple[Tally, Tally]:
    from tests.schedules.plan_import import layouts

    cat = catalog.load()
    seeds = Tally()
    for plan in cat.sorted():
        text = (SEEDS / plan.source.file).read_text(encoding="utf-8")
        seeds.add(plan.id, plan, text, plan.source.file, tuple(compare.KINDS), verbose)
    relaid = Tally()
    for layout in layouts.all_layouts(cat.plans):
        for fmt, render in _formats().items():
            name = f"{layout.name} (.{fmt})"
            relaid.add(
                name,
                cat.plans[layout.plan_id],
                render(layout),
                f"plan.{fmt}",
                layout.kinds,
                verbose,
            )
    seeds.report("The five seeds, as scanned and posted")
    relaid.report("The seeds' facts re-laid out (txt, docx with tables, text-layer pdf)")
    return seeds, relaid


if __name__ == "__main__":
    run("-v" in sys.argv)
