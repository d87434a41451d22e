"""Reading a plan document's text: .txt, .docx (python-docx), .pdf with a text layer (pypdf).

The readers are the `[import]` extra, imported only here and only when a file needs them, so the
bot itself never loads them. Scanned PDFs (no text layer) are refused in words: OCR is out of
scope — OCR the scan elsewhere and import the resulting .txt, as the three OCR'd seeds are.

Tables come out as "| cell | cell |" lines, one per row, so the month-by-month document list reads
the same from a .docx as from the seed texts.
"""

from __future__ import annotations

from pathlib import Path

from bot.failures import BadInput

SUFFIXES = (".txt", ".docx", ".pdf")
_EXTRA = "pip install 'chibo[import]'"


def read_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise BadInput(
            f"Không đọc được “{path.name}”: chỉ nhận tệp .txt, .docx hoặc .pdf có lớp chữ."
        )
    if not path.is_file():
        raise BadInput(f"Không thấy tệp “{path}”.")
    if suffix == ".txt":
        return _txt(path)
    return _docx(path) if suffix == ".docx" else _pdf(path)


def _txt(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadInput(f"Tệp “{path.name}” không phải văn bản UTF-8: lưu lại dạng UTF-8 rồi nhập lại.")


def _docx(path: Path) -> str:
    try:
        import docx
        from docx.table import Table
    except ImportError:
        raise BadInput(f"Đọc tệp .docx cần gói python-docx: {_EXTRA}") from None
    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises several kinds for a damaged or foreign file
        raise BadInput(
            f"Tệp “{path.name}” không phải .docx đọc được ({e.__class__.__name__})."
        ) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.append("")
            for row in block.rows:
                cells, last = [], None
                for cell in row.cells:
                    if cell._tc is last:  # a merged cell repeats; keep it once
                        continue
                    last = cell._tc
                    cells.append(
                        " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    )
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise BadInput(f"Đọc tệp .pdf cần gói pypdf: {_EXTRA}") from None
    try:
        pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    except (PyPdfError, ValueError, KeyError) as e:
        raise BadInput(
            f"Tệp “{path.name}” không phải .pdf đọc được ({e.__class__.__name__})."
        ) from None
    text = "\n".join(pages)
    if len(text.strip()) < 50:
        raise BadInput(
            f"Tệp “{path.name}” không có lớp chữ (bản quét?). Chương trình không tự nhận dạng chữ "
            "(OCR): hãy OCR bản quét thành tệp .txt rồi nhập tệp đó."
        )
    return text
