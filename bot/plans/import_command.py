"""`chibo plans import FILE [-o DRAFT.yaml] [--compare PLAN_ID]`: a plan document → a draft plan file."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.failures import BadInput
from bot.plans import document_limits
from schedules import catalog, plan_import
from schedules.plan_import import accents, compare


def lexicon() -> accents.Lexicon:
    """The words of the shipped plans, as written with their marks: what restores a scan's."""
    return accents.of_plans(catalog.load().sorted())


def import_file(path: Path) -> plan_import.Draft:
    """What a later caller (the chat upload) needs: the file's text made into a draft."""
    return plan_import.build(document_limits.read_text(path), path.name, lexicon())


def run(files: list[str], output: str | None, compare_with: str | None) -> int:
    if len(files) != 1:
        raise BadInput("Cần đúng một tệp: chibo plans import TỆP [-o BẢN-NHÁP.yaml]")
    draft = import_file(Path(files[0]))
    text = draft.to_yaml()
    if output:
        Path(output).write_text(text, encoding="utf-8")
        where = output
    else:
        sys.stdout.write(text)
        where = "(màn hình)"
    counts = ", ".join(f"{n} {name}" for name, n in draft.counts().items())
    print(f"Đã ghi bản nháp {where}: {counts}.", file=sys.stderr)
    if draft.todo:
        print(
            f"Còn {len(draft.todo)} việc cần người hoàn thiện (mục todo); "
            f"kiểm tra bằng: chibo plans check {output or 'BẢN-NHÁP.yaml'}",
            file=sys.stderr,
        )
    if compare_with:
        plan = catalog.load().get(compare_with)
        if plan is None:
            raise BadInput(f"Không có kế hoạch “{compare_with}” để so sánh.")
        print(compare.table(compare.compare(plan, draft.data)), file=sys.stderr)
    return 0
