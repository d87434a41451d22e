"""The draft ↔ form mapping on every seed: the form rendered as the page renders it and posted
back untouched gives back the same plan file, and an edit lands at its path with the draft's type."""

from __future__ import annotations

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.web import plan_form
from bot.web.pages import TEMPLATES
from schedules import catalog, plan_import
from tests.bot.web.test_plan_pages import Form

SEEDS = [
    "000_5510d4fb665e84b8.txt",
    "001_a2135068eb8485e5.txt",
    "002_7956c4d43d58e490.txt",
    "003_197dfa7691475048.txt",
    "004_e0cf88b19ba32315.txt",
]


def rendered(data: dict) -> Form:
    _plan, problems = catalog.load_text(plan_form.plan_yaml(data), "bản nháp")
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    html = env.get_template("draft.html").render(
        title="Bản nháp",
        file="x",
        sections=plan_form.form(data, problems),
        problems=problems,
        todo_left=len(data.get("todo") or ()),
        ready=not problems,
        field=plan_form.FIELD,
        csrf="t",
        session=None,
    )
    return Form(html)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_draft_posted_back_untouched_is_the_same_plan_file(seeds, seed):
    data = plan_import.build((seeds / seed).read_text(encoding="utf-8"), seed).data
    form = rendered(data)
    back = plan_form.apply(data, form.values, removed=[], todo_done=[])
    assert plan_form.plan_yaml(back) == plan_form.plan_yaml(data)
    assert len([n for n, _ in form.checkboxes if n == "xong"]) == len(data["todo"])


def test_an_edit_keeps_the_drafts_types_and_todos_go_when_ticked():
    data = {
        "id": "x",
        "deadlines": [{"id": "a", "title": "Báo cáo", "only_cells": ["A"], "quote": "q q q"}],
        "todo": [
            {"field": "deadlines[0].who", "message": "ghi who"},
            {"field": "", "message": "m"},
        ],
    }
    out = plan_form.apply(
        data,
        {
            "f:deadlines[0].only_cells": "Chi bộ 1\r\n\r\n Chi bộ 2 ",
            "f:deadlines[0].who": "Bí thư",
            "f:todo[0].message": "ignored",
            "csrf": "not a field",
        },
        removed=[],
        todo_done=["0"],
    )
    assert out["deadlines"][0]["only_cells"] == ["Chi bộ 1", "Chi bộ 2"]
    assert out["deadlines"][0]["who"] == "Bí thư"
    assert out["todo"] == [{"field": "", "message": "m"}] and "csrf" not in out
    assert data["deadlines"][0]["only_cells"] == ["A"]  # the stored draft is not changed in place
