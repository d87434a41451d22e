"""The importer on the five seeds: the targets of issue 13 (every Trà Vinh document in its month,
every dated deadline, no invented fact) and the draft's life until a person finishes it."""

import copy

import pytest
import yaml

from schedules import catalog, plan_import
from schedules.plan_import import compare, evidence
from tests.schedules.test_plans_match_seeds import EXPECTED_DEADLINES, PLAN_SOURCES, TRA_VINH


@pytest.fixture(scope="module")
def drafts(seeds):
    out = {}
    for plan_id, name in PLAN_SOURCES.items():
        text = (seeds / name).read_text(encoding="utf-8")
        out[plan_id] = (plan_import.build(text, name), text)
    return out


def test_every_tra_vinh_document_is_in_its_month_with_its_date(cat, drafts):
    draft, _ = drafts["tra-vinh-60-2022"]
    got = {}
    for t in draft.data["topics"]:
        m, y = (int(x) for x in t["month"].split("/"))
        got[(y, m)] = [d["number"] for d in t["documents"]]
    assert got == TRA_VINH
    score = compare.compare(cat.plans["tra-vinh-60-2022"], draft.data)["documents in their month"]
    assert (score.curated, score.found, score.right, score.draft) == (27, 27, 27, 27)


@pytest.mark.parametrize("plan_id", sorted(PLAN_SOURCES))
def test_every_dated_deadline_is_found(drafts, plan_id):
    draft, _ = drafts[plan_id]
    got = sorted(d["before"] for d in draft.data.get("deadlines", []) if "before" in d)
    assert got == sorted(EXPECTED_DEADLINES[plan_id].values())


@pytest.mark.parametrize("plan_id", sorted(PLAN_SOURCES))
def test_no_invented_fact(drafts, plan_id):
    draft, text = drafts[plan_id]
    assert evidence.problems(draft.data, text) == []


def test_the_invented_fact_check_catches_a_changed_date_and_number(drafts):
    draft, text = drafts["tra-vinh-60-2022"]
    bent = copy.deepcopy(draft.data)
    bent["topics"][0]["documents"][0]["date"] = "27/6/1992"
    bent["topics"][1]["documents"][0]["number"] = "07-NQ/TU"
    bent["topics"].append({"month": "12/2022", "documents": bent["topics"][0]["documents"]})
    found = evidence.problems(bent, text)
    assert len([p for p in found if "27/6/1992" in p]) == 2  # once as itself, once in the copy
    assert any("07-NQ/TU" in p for p in found)
    assert any("12/2022" in p for p in found)
    draft, text = drafts["ky-loi-2022"]
    bent = copy.deepcopy(draft.data)
    bent["deadlines"][0]["before"] = "7/9/2022"
    assert evidence.problems(bent, text)


def test_what_the_scan_does_not_say_is_left_to_a_person(drafts):
    kim_bang, _ = drafts["kim-bang-35-2022"]
    assert "issued" not in kim_bang.data  # the day is blank in the original
    assert "để trống ngày" in kim_bang.data["issued_note"]
    assert {"issued", "period.to"} <= {t.field for t in kim_bang.todo}
    nq21, _ = drafts["nq21-huyen-2022"]
    assert "number" not in nq21.data and "issued" not in nq21.data
    slip = next(t for t in nq21.data["targets"] if t["value"] == "109%")  # kept as written …
    assert any(
        t.field.endswith(".value") and "109%" in t.message for t in nq21.todo
    )  # … and flagged
    assert (
        slip["quote"]
        in nq21.data["todo"][
            [t.field for t in nq21.todo].index(f"targets[{nq21.data['targets'].index(slip)}].value")
        ]["quote"]
    )
    assert any("OCR" in t.message for t in kim_bang.todo)  # no diacritics: words need rewriting


def test_a_draft_fails_check_once_per_todo_then_loads_when_finished(drafts, tmp_path):
    draft, _ = drafts["tra-vinh-60-2022"]
    path = tmp_path / "draft.yaml"
    path.write_text(draft.to_yaml(), encoding="utf-8")
    plan, problems = catalog.load_file(path)
    assert plan is None
    assert len(problems) == len(draft.todo) >= 1
    lines = [str(p) for p in problems]
    assert all("việc chưa hoàn thiện" in line for line in lines)
    assert any("(applies_to)" in line for line in lines)

    # A person finishes it: fills what was asked, then deletes the todo entries.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["applies_to"] = "Các chi bộ, đảng bộ cơ sở trực thuộc"
    for group in ("milestones", "recurring"):
        for item in data.get(group, []):
            item.setdefault("who", "Ban Tuyên giáo Đảng ủy Khối")
    del data["todo"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan, problems = catalog.load_file(path)
    assert problems == [] and plan is not None
    assert [len(t.documents) for t in plan.topics] == [4, 4, 3, 3, 3, 3, 4, 3]


def test_every_draft_reports_only_its_todos_as_missing(drafts, tmp_path):
    """A required field the importer left open is reported once, by its todo line."""
    for plan_id, (draft, _) in drafts.items():
        path = tmp_path / f"{plan_id}.yaml"
        path.write_text(draft.to_yaml(), encoding="utf-8")
        plan, problems = catalog.load_file(path)
        assert plan is None
        lines = [str(p) for p in problems]
        assert len(lines) == len(draft.todo), (plan_id, lines)
