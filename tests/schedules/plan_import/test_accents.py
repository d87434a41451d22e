"""Marks restored on a scan's text fields where the lexicon of accented plans is sure; a todo per
field, showing both, where it is not."""

from schedules import catalog, plan_import
from schedules.plan_import import accents, evidence


def test_a_run_the_lexicon_knows_one_way_is_restored():
    lexicon = accents.Lexicon.of(["Ban Thường vụ Tỉnh ủy", "Đảng ủy xã", "đang học tập"])
    assert accents.restore("Ban Thuong vu Tinh uy", lexicon) == ("Ban Thường vụ Tỉnh ủy", True)
    assert accents.restore("DANG UY XA", lexicon) == ("ĐẢNG ỦY XÃ", True)


def test_a_word_written_two_ways_or_unknown_is_not_guessed():
    lexicon = accents.Lexicon.of(["Đảng ủy", "đang học tập"])
    assert accents.restore("dang", lexicon) == ("dang", False)
    assert accents.restore("chirc", lexicon) == ("chirc", False)


def test_the_kim_bang_scan_gets_marks_or_a_todo_per_field(seeds):
    text = (seeds / "000_5510d4fb665e84b8.txt").read_text(encoding="utf-8")
    lexicon = accents.Lexicon.of(
        accents.words_of([p.model_dump(by_alias=True) for p in catalog.load().sorted()])
    )
    draft = plan_import.build(text, "kim-bang.txt", lexicon)
    assert draft.data["issuer"] == "Ban Thường vụ Huyện ủy"
    title = next(t for t in draft.todo if t.field == "title")
    assert draft.data["title"] in title.message  # the scan's words, shown …
    assert "Đảng và hệ thống" in title.message  # … beside what the lexicon could restore
    assert not any(t.field == "" for t in draft.todo)  # no catch-all todo: one per field
    assert evidence.problems(draft.data, text) == []
