"""`chibo plans import` on .docx and .pdf files built here from the seed texts (no binary fixtures).

The .docx keeps the Trà Vinh list as Word tables, split where the seed's page breaks split it; the
.pdf has a real text layer (tests/bot/pdf_fixture.py) with the list laid out as a PDF table
extracts: the month, then each entry on its own line.
"""

import re
from pathlib import Path

import docx
import pytest
import yaml

from bot.cli import main
from schedules import catalog
from schedules.plan_import import compare
from tests.bot.pdf_fixture import make_pdf
from tests.schedules.test_plans_match_seeds import TRA_VINH

TRA_VINH_SEED = "002_7956c4d43d58e490.txt"
KY_LOI_SEED = "004_e0cf88b19ba32315.txt"


def _cells(row: str) -> list[list[str]]:
    """A seed table row → its cells, each a list of paragraphs without markup."""
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    return [
        [
            re.sub(r"</?\w+>", "", p).strip()
            for p in re.split(r"</?p>", c)
            if re.sub(r"</?\w+>", "", p).strip()
        ]
        for c in cells
    ]


def _is_table(line: str) -> bool:
    return line.startswith("|") and not re.fullmatch(r"[|\s:-]*", line)


def build_docx(seed_text: str, path: Path) -> None:
    document = docx.Document()
    rows: list[str] = []

    def flush() -> None:
        if rows:
            cells = [_cells(r) for r in rows]
            table = document.add_table(rows=len(cells), cols=max(len(c) for c in cells))
            for r, row in enumerate(cells):
                for c, paragraphs in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = paragraphs[0] if paragraphs else ""
                    for p in paragraphs[1:]:
                        cell.add_paragraph(p)
            rows.clear()

    for line in seed_text.splitlines():
        if _is_table(line):
            rows.append(line)
        elif line.startswith("|"):
            continue  # the separator row under a header
        else:
            flush()
            document.add_paragraph(line)
    flush()
    document.save(str(path))


def pdf_lines(seed_text: str) -> list[str]:
    lines = []
    for line in seed_text.splitlines():
        if not line.startswith("|"):
            lines.append(line)
        elif _is_table(line):
            for cell in _cells(line):
                lines.extend(cell)
    return lines


def _import(tmp_path: Path, source: Path, capsys) -> dict:
    out = tmp_path / "draft.yaml"
    assert main(["plans", "import", str(source), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Đã ghi bản nháp" in err
    return yaml.safe_load(out.read_text(encoding="utf-8"))


def _months(draft: dict) -> dict:
    out = {}
    for t in draft["topics"]:
        m, y = (int(x) for x in t["month"].split("/"))
        out[(y, m)] = [d["number"] for d in t["documents"]]
    return out


@pytest.fixture
def tra_vinh_text(seeds) -> str:
    return (seeds / TRA_VINH_SEED).read_text(encoding="utf-8")


def test_docx_tra_vinh_list_lands_in_its_months(tmp_path, tra_vinh_text, capsys):
    source = tmp_path / "ke-hoach-60.docx"
    build_docx(tra_vinh_text, source)
    draft = _import(tmp_path, source, capsys)
    assert _months(draft) == TRA_VINH
    scores = compare.compare(catalog.load().get("tra-vinh-60-2022"), draft)
    assert scores["documents in their month"].right == 27
    assert draft["number"] == "60-KH/ĐUK" and draft["issued"] == "18/4/2022"


def test_pdf_tra_vinh_list_lands_in_its_months(tmp_path, tra_vinh_text, capsys):
    source = tmp_path / "ke-hoach-60.pdf"
    source.write_bytes(make_pdf(pdf_lines(tra_vinh_text)))
    draft = _import(tmp_path, source, capsys)
    assert _months(draft) == TRA_VINH
    july = next(t for t in draft["topics"] if t["month"] == "7/2022")
    assert "trong nội bộ" in july["documents"][0]["title"]  # the half past the page break


def test_pdf_ky_loi_deadlines(tmp_path, seeds, capsys):
    source = tmp_path / "ky-loi.pdf"
    source.write_bytes(make_pdf((seeds / KY_LOI_SEED).read_text(encoding="utf-8").splitlines()))
    draft = _import(tmp_path, source, capsys)
    assert sorted(d["before"] for d in draft["deadlines"] if "before" in d) == [
        "10/9/2022",
        "20/9/2022",
        "25/8/2022",
        "6/9/2022",
    ]
    assert sorted(d["relative"]["days_before"] for d in draft["deadlines"] if "relative" in d) == [
        3,
        5,
    ]


def test_a_scan_without_text_is_refused_in_words(tmp_path, capsys):
    source = tmp_path / "scan.pdf"
    source.write_bytes(make_pdf([]))
    assert main(["plans", "import", str(source)]) == 2
    err = capsys.readouterr().err
    assert "không có lớp chữ" in err and "OCR" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("plan.odt", b"x", "chỉ nhận tệp .txt, .docx hoặc .pdf"),
        ("broken.docx", b"not a zip", "không phải .docx đọc được"),
        ("broken.pdf", b"%PDF-1.4 nonsense", "không"),
    ],
)
def test_bad_files_get_one_vietnamese_line(tmp_path, capsys, name, content, words):
    source = tmp_path / name
    source.write_bytes(content)
    assert main(["plans", "import", str(source)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_txt_import_prints_the_draft_and_compares(seeds, capsys):
    assert main(["plans", "import", str(seeds / KY_LOI_SEED), "--compare", "ky-loi-2022"]) == 0
    out, err = capsys.readouterr()
    assert yaml.safe_load(out)["todo"]
    assert "| dated deadlines | 4 | 4 | 4 | 4 | 100% | 100% |" in err
