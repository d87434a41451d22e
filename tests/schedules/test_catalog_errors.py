"""A bad plan file is reported with file, line and field in Vietnamese, and never takes others down."""

import shutil
from pathlib import Path

from bot.cli import main
from schedules import catalog

GOOD = catalog.PLANS_DIR / "ky-loi-2022.yaml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def variant(tmp_path: Path, old: str, new: str, name: str = "bad.yaml") -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path, name, text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_shipped_plans_load_cleanly():
    cat = catalog.load()
    assert cat.problems == []
    assert len(cat.plans) == len(list(catalog.PLANS_DIR.glob("*.yaml")))  # every file, none lost


def test_unknown_key(tmp_path):
    bad = variant(
        tmp_path, "    before: 25/8/2022\n", "    before: 25/8/2022\n    deadline: 1/9/2022\n"
    )
    _, problems = catalog.load_file(bad)
    assert [(p.line, p.field) for p in problems] == [
        (line_of(bad, "deadline: 1/9"), "deadlines[0].deadline")
    ]
    assert "không có trong mẫu" in problems[0].message


def test_impossible_date(tmp_path):
    bad = variant(tmp_path, "before: 25/8/2022", "before: 31/2/2022")
    _, problems = catalog.load_file(bad)
    assert len(problems) == 1
    assert problems[0].line == line_of(bad, "31/2/2022")
    assert problems[0].field == "deadlines[0].before"
    assert problems[0].message == "ngày không tồn tại: 31/2/2022"


def test_month_outside_the_period(tmp_path):
    tv = (catalog.PLANS_DIR / "tra-vinh-60-2022.yaml").read_text(encoding="utf-8")
    bad = write(tmp_path, "tv.yaml", tv.replace("  - month: 11/2022", "  - month: 12/2022"))
    _, problems = catalog.load_file(bad)
    assert [p.field for p in problems] == ["topics[7].month"]
    assert problems[0].line == line_of(bad, "month: 12/2022")
    assert "nằm ngoài thời gian kế hoạch (4/2022 đến 11/2022)" in problems[0].message


def test_duplicate_item_id(tmp_path):
    bad = variant(tmp_path, "id: dang-uy-gui-btg\n", "id: gui-bao-cao-chuyen-de\n")
    _, problems = catalog.load_file(bad)
    assert [p.field for p in problems] == ["deadlines[5].id"]
    assert problems[0].message == "trùng id “gui-bao-cao-chuyen-de”"


def test_dangling_reference(tmp_path):
    bad = variant(
        tmp_path,
        "held_by: [chi-bo-diem-sinh-hoat, chi-bo-sinh-hoat]",
        "held_by: [chi-bo-diem, chi-bo-sinh-hoat]",
    )
    _, problems = catalog.load_file(bad)
    assert [(p.field, p.message) for p in problems] == [
        ("cell_events[0].held_by[0]", "không có hạn “chi-bo-diem” trong deadlines")
    ]


def test_missing_source(tmp_path):
    text = GOOD.read_text(encoding="utf-8")
    start = text.index("source:\n")
    end = text.index("\ncontents:")
    bad = write(tmp_path, "nosrc.yaml", text[:start] + text[end + 1 :])
    _, problems = catalog.load_file(bad)
    assert [(p.field, p.message) for p in problems] == [("source", "thiếu trường bắt buộc")]


def test_yaml_syntax_error_names_the_line(tmp_path):
    bad = write(tmp_path, "broken.yaml", "id: x\ntitle: [unclosed\nissuer: y\n")
    _, problems = catalog.load_file(bad)
    assert problems[0].line >= 2 and "YAML sai cú pháp" in problems[0].message


def test_broken_file_never_takes_the_others_down(tmp_path):
    shutil.copy(GOOD, tmp_path / "good.yaml")
    write(tmp_path, "zz-bad.yaml", "id: [\n")
    cat = catalog.load([tmp_path])
    assert list(cat.plans) == ["ky-loi-2022"]
    assert len(cat.problems) == 1


def test_duplicate_plan_id_across_files(tmp_path):
    shutil.copy(GOOD, tmp_path / "a.yaml")
    shutil.copy(GOOD, tmp_path / "b.yaml")
    cat = catalog.load([tmp_path])
    assert list(cat.plans) == ["ky-loi-2022"]
    assert "trùng id kế hoạch" in cat.problems[0].message


def test_cli_check_prints_file_line_field_and_exits_1(tmp_path, capsys):
    bad = variant(tmp_path, "before: 25/8/2022", "before: 31/2/2022")
    good = tmp_path / "good.yaml"
    shutil.copy(catalog.PLANS_DIR / "thai-nguyen-49-2022.yaml", good)
    assert main(["plans", "check", str(bad), str(good)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{bad}, dòng {line_of(bad, '31/2/2022')}, trường “deadlines[0].before”: ngày không tồn tại: 31/2/2022"
        in out
    )
    assert "✓ thai-nguyen-49-2022: hợp lệ" in out


def test_cli_check_passes_on_shipped_plans(capsys):
    files = [str(p) for p in sorted(catalog.PLANS_DIR.glob("*.yaml"))]
    assert main(["plans", "check", *files]) == 0
    assert capsys.readouterr().out.count("hợp lệ") == len(files)
