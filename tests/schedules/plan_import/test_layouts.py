"""The importer on the seeds' facts in other layouts (layouts.py): the same recall as on the
originals, in .txt, .docx with real tables and text-layer .pdf, and nothing invented."""

import pytest

from bot.plans.document_text import text_of
from schedules import catalog, plan_import
from schedules.plan_import import compare, evidence
from tests.bot.pdf_fixture import make_pdf
from tests.schedules.plan_import import layouts

FORMATS = {
    "txt": lambda lay: layouts.as_text(lay),
    "docx": lambda lay: text_of("plan.docx", layouts.as_docx(lay)),
    "pdf": lambda lay: text_of("plan.pdf", make_pdf(layouts.as_pdf_lines(lay))),
}


def _layouts() -> list[layouts.Layout]:
    return layouts.all_layouts(catalog.load().plans)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("layout", _layouts(), ids=lambda lay: lay.name)
def test_a_relaid_document_imports_every_fact_it_carries(cat, layout, fmt):
    text = FORMATS[fmt](layout)
    draft = plan_import.build(text, f"plan.{fmt}")
    scores = compare.compare(cat.plans[layout.plan_id], draft.data)
    for kind in layout.kinds:
        s = scores[kind]
        assert (s.found, s.right, s.draft) == (s.curated, s.curated, s.curated), kind
    assert evidence.problems(draft.data, text) == []


def _deadlines(draft: dict) -> dict[str, dict]:
    return {d.get("before") or f"-{d['relative']['days_before']}": d for d in draft["deadlines"]}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_ky_loi_deadline_has_its_audience(cat, fmt):
    layout = layouts.ky_loi_progress(cat.plans["ky-loi-2022"])
    draft = plan_import.build(FORMATS[fmt](layout), f"plan.{fmt}").data
    got = _deadlines(draft)
    pilot = got["10/9/2022"]
    assert pilot["audience"] == "cells" and pilot["only_cells"] == ["Tân Phúc Thành 3"]
    assert got["20/9/2022"]["except_cells"] == ["Tân Phúc Thành 3"]
    assert got["6/9/2022"]["audience"] == "upper"
    three = got["-3"]
    assert (three["who"], three["to"], three["audience"]) == (
        "Đảng ủy",
        "Ban Tuyên giáo Thị ủy",
        "upper",
    )
    assert got["-5"]["audience"] == "cells" and got["-5"]["to"] == "Thường trực Đảng ủy"
    assert not [t for t in draft["todo"] if t["field"].endswith(".audience")]


def test_the_ky_loi_pilot_cell_deadline_is_the_pilot_cells(seeds):
    text = (seeds / "004_e0cf88b19ba32315.txt").read_text(encoding="utf-8")
    draft = plan_import.build(text, "ky-loi.txt").data
    got = _deadlines(draft)
    assert got["10/9/2022"]["who"] == "Chi bộ Tân Phúc Thành 3"
    assert got["10/9/2022"]["only_cells"] == ["Tân Phúc Thành 3"]
    assert got["10/9/2022"]["audience"] == "cells"
    assert got["20/9/2022"]["except_cells"] == ["Tân Phúc Thành 3"]
    assert got["6/9/2022"]["audience"] == "upper"
    assert got["-3"]["to"] == "Ban Tuyên giáo Thị uỷ" and got["-3"]["audience"] == "upper"
    for d in draft["deadlines"]:
        assert "[bookmark" not in d["title"] + d["quote"]


def test_a_deadline_whose_audience_is_not_written_is_asked_not_guessed():
    text = (
        "KẾ HOẠCH\nTổ chức học tập chuyên đề\n"
        "1. Thời gian thực hiện: từ tháng 3/2024 đến tháng 5/2024.\n"
        "2. Hoàn thành việc học tập chuyên đề trước ngày 30/4/2024.\n"
    )
    draft = plan_import.build(text, "plan.txt")
    (deadline,) = draft.data["deadlines"]
    assert "audience" not in deadline
    ask = next(t for t in draft.todo if t.field == "deadlines[0].audience")
    assert ask.quote == deadline["quote"] and "cells" in ask.message and "upper" in ask.message


def test_no_seed_deadline_reaches_cells_unasked(cat, seeds):
    """Each deadline the curated plan gives the upper level is upper in the draft, or asked."""
    from tests.schedules.test_plans_match_seeds import PLAN_SOURCES

    for plan_id, name in PLAN_SOURCES.items():
        draft = plan_import.build((seeds / name).read_text(encoding="utf-8"), name)
        asked = {t.field for t in draft.todo}
        upper = {
            d.before.strftime("%-d/%-m/%Y") if d.before else f"-{d.relative.days_before}"
            for d in cat.plans[plan_id].deadlines
            if d.audience == "upper"
        }
        for i, d in enumerate(draft.data.get("deadlines", [])):
            key = d.get("before") or f"-{d['relative']['days_before']}"
            if key in upper:
                assert d.get("audience") == "upper" or f"deadlines[{i}].audience" in asked, (
                    plan_id,
                    key,
                )
