"""Theme, content lines and agendas imported as the document writes them, each with its quote;
in a scan without marks, restored where the lexicon is sure and asked field by field where not."""

from schedules import catalog, plan_import
from schedules.plan_import import accents, evidence
from schedules.vi_text import squash

KY_LOI = "004_e0cf88b19ba32315.txt"
KIM_BANG = "000_5510d4fb665e84b8.txt"


def test_the_ky_loi_theme_contents_and_agendas(cat, seeds):
    text = (seeds / KY_LOI).read_text(encoding="utf-8")
    data = plan_import.build(text, "ky-loi.txt").data
    assert evidence.problems(data, text) == []
    assert data["theme"] == cat.plans["ky-loi-2022"].theme == "Tự soi, tự sửa"
    texts = [c["text"] for c in data["contents"]]
    assert texts[1].startswith("Kết luận số 21-KL/TW của Ban Chấp hành Trung ương")
    assert (
        texts[2]
        == "Quy định số 37-QĐ/TW của Ban Chấp hành Trung ương về những điều đảng viên không được làm."
    )
    assert not any(t.endswith(":") for t in texts)  # "…, cụ thể:" leads, not items
    curated = cat.plans["ky-loi-2022"].agendas
    assert [a["title"] for a in data["agendas"]] == [
        "Trình tự sinh hoạt chuyên đề “Tự soi, tự sửa” tại Chi bộ",
        "Trình tự sinh hoạt chuyên đề “Tự soi, tự sửa” tại Đảng ủy",
    ]
    for got, want in zip(data["agendas"], curated, strict=True):
        assert [len(s["steps"]) for s in got["sections"]] == [len(s.steps) for s in want.sections]
        assert got["sections"][0]["title"] == "Mở đầu"
        flat = squash(text)
        assert all(squash(step) in flat for s in got["sections"] for step in s["steps"])


def test_a_scans_theme_and_contents_are_kept_as_scanned_and_asked(seeds):
    text = (seeds / KIM_BANG).read_text(encoding="utf-8")
    lexicon = accents.of_plans(catalog.load().sorted())
    draft = plan_import.build(text, "kim-bang.txt", lexicon)
    assert evidence.problems(draft.data, text) == []
    assert draft.data["theme"] == "7m- soi, Uy suu"  # as scanned, never guessed …
    (asked,) = [t for t in draft.todo if t.field == "theme"]  # … and asked, showing both
    assert "bản quét: “7m- soi, Uy suu”" in asked.message
    assert len(draft.data["contents"]) >= 5
    asked_contents = {t.field for t in draft.todo if t.field.startswith("contents[")}
    for i, c in enumerate(draft.data["contents"]):
        assert squash(c["quote"]) in squash(text)
        restored, sure = accents.restore(c["text"], lexicon)
        assert sure or f"contents[{i}].text" in asked_contents
