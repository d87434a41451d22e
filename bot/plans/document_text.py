"""Reading a plan document's text: .txt, .docx (python-docx), .pdf with a text layer (pypdf).

The readers are the `[import]` extra, imported only here and only when a file needs them, so the
bot itself never loads them. Scanned PDFs (no text layer) are refused in words: OCR is out of
scope — OCR the scan elsewhere and import the resulting .txt, as the three OCR'd seeds are.

Tables come out as "| cell | cell |" lines, one per row, so the month-by-month document list reads
the same from a .docx as from the seed texts.
"""

from __future__ import annotations

import io
from pathlib import Path

from bot.failures import BadInput
from handlers.types import Unreadable

SUFFIXES = (".txt", ".docx", ".pdf")
LIST_SUFFIXES = (".xlsx",)  # a committee group's list of cells (not a plan: never imported)
_EXTRA = "pip install 'chibo[import]'"


class NotReadable(BadInput):
    """A document that gave no text, with the typed reason (the chat says it in its own words)."""

    def __init__(self, reason: Unreadable, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def read_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise NotReadable(
            Unreadable.WRONG_TYPE,
            f"Không đọc được “{path.name}”: chỉ nhận tệp .txt, .docx hoặc .pdf có lớp chữ.",
        )
    if not path.is_file():
        raise BadInput(f"Không thấy tệp “{path}”.")
    return text_of(path.name, path.read_bytes())


def text_of(name: str, data: bytes) -> str:
    """The text of a document's bytes, by its name's suffix (.txt, .yaml and .yml as text)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        return _docx(name, data)
    if suffix == ".pdf":
        return _pdf(name, data)
    if suffix == ".xlsx":
        return _xlsx(name, data)
    return _txt(name, data)


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # "1", not "1.0", in a numbered column
    return "" if value is None else " ".join(str(value).split())


def _xlsx(name: str, data: bytes) -> str:
    """A spreadsheet's first sheet: one line a row, its non-empty cells tab-separated (openpyxl,
    the `export` extra)."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise NotReadable(
            Unreadable.NO_READER, "Đọc tệp .xlsx cần gói openpyxl: pip install 'chibo[export]'"
        ) from None
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        lines = []
        for row in sheet.iter_rows(values_only=True):
            values = [_cell(v) for v in row]
            while values and not values[-1]:
                values.pop()
            if values:  # empty cells kept inside the row: the columns stay where they are
                lines.append("\t".join(values))
        return "\n".join(lines)
    finally:
        book.close()


def _txt(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotReadable(
        Unreadable.NOT_UTF8,
        f"Tệp “{name}” không phải văn bản UTF-8: lưu lại dạng UTF-8 rồi nhập lại.",
    )


def _docx(name: str, data: bytes) -> str:
    try:
        import docx
        from docx.table import Table
    except ImportError:
        raise NotReadable(
            Unreadable.NO_READER, f"Đọc tệp .docx cần gói python-docx: {_EXTRA}"
        ) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several kinds for a damaged or foreign file
        raise NotReadable(
            Unreadable.DAMAGED,
            f"Tệp “{name}” không phải .docx đọc được ({e.__class__.__name__}).",
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


def _pdf(name: str, data: bytes) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise NotReadable(Unreadable.NO_READER, f"Đọc tệp .pdf cần gói pypdf: {_EXTRA}") from None
    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except (PyPdfError, ValueError, KeyError) as e:
        raise NotReadable(
            Unreadable.DAMAGED, f"Tệp “{name}” không phải .pdf đọc được ({e.__class__.__name__})."
        ) from None
    text = "\n".join(pages)
    if len(text.strip()) < 50:
        raise NotReadable(
            Unreadable.NO_TEXT_LAYER,
            f"Tệp “{name}” không có lớp chữ (bản quét?). Chương trình không tự nhận dạng chữ "
            "(OCR): hãy OCR bản quét thành tệp .txt rồi nhập tệp đó.",
        )
    return text
