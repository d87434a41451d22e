"""A plan document read within limits, in a worker process: what the chat upload and `chibo plans
import` call instead of bot/plans/document_text.py's readers directly.

Why: a small file can hold a great deal. A .docx is a zip, and 232 KB of it unpacked into two
million empty paragraphs kept the readers busy for minutes at more than a gigabyte — inside the
bot's own process, where every chat's answer waited. So the readers run in a separate process
(`spawn`: a fresh interpreter, none of the bot's threads or sockets), which the caller can stop:

- before any reader parses: the file's bytes (MAX_BYTES), a zip's parts (MAX_PARTS) and the bytes
  they really unpack to, counted while unpacking rather than as the archive claims
  (MAX_UNPACKED), a .docx's paragraphs counted in its XML (MAX_PARAGRAPHS), a .pdf's pages
  (MAX_PAGES), and a .docx whose parts point outside the file (an external template, image or
  object: a document that fetches things when opened) refused;
- while they parse: wall time (MAX_SECONDS; the worker is killed when it runs over) and memory
  (the worker's address space, where the platform allows it);
- after: the text's length (MAX_CHARS), since the importer reads all of it.

Each refusal is `OverLimit`, a `NotReadable` whose message says in Vietnamese which limit and by
how much; the chat says it (handlers/upload_text.py), the command line prints it (exit 2).
"""

from __future__ import annotations

import io
import multiprocessing
import re
import zipfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bot.failures import BadInput
from bot.plans import document_text
from bot.plans.document_text import NotReadable
from handlers.types import Unreadable

# A plan document is well under 1 MB and 100 pages; each limit leaves ample room above that.
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 30 * 1024 * 1024  # bytes a .docx's parts unpack to, all together
MAX_PARTS = 500  # files inside a .docx
MAX_PARAGRAPHS = 30_000
MAX_PAGES = 500
MAX_CHARS = 1_000_000  # characters of text the importer is given
MAX_SECONDS = 30.0
MAX_MEMORY = 1536 * 1024 * 1024  # the worker's address space, bytes

_PARAGRAPH = re.compile(rb"<w:p[ />]")
_EXTERNAL = re.compile(rb"""TargetMode\s*=\s*["']External["']""")
_HYPERLINK = re.compile(rb"""Type\s*=\s*["'][^"']*/hyperlink["']""")
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_unpacked: int = MAX_UNPACKED
    max_parts: int = MAX_PARTS
    max_paragraphs: int = MAX_PARAGRAPHS
    max_pages: int = MAX_PAGES
    max_chars: int = MAX_CHARS
    max_seconds: float = MAX_SECONDS
    max_memory: int = MAX_MEMORY


class OverLimit(NotReadable):
    """A document refused before or while it was read: too large, too long, too slow, or pointing
    outside itself. The message says which, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(Unreadable.OVER_LIMIT, message)


def _n(number: float) -> str:
    return f"{number:,.0f}".replace(",", ".")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def read_text(path: Path, limits: Limits = Limits()) -> str:
    """`document_text.read_text` within the limits: for `chibo plans import`."""
    if path.suffix.lower() not in document_text.SUFFIXES:
        return document_text.read_text(path)  # its refusal of the type, in its words
    if not path.is_file():
        raise BadInput(f"Không thấy tệp “{path}”.")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise OverLimit(
            f"Tệp “{path.name}” quá lớn ({_mb(size)}; tối đa {_mb(limits.max_bytes)}). "
            "Một kế hoạch thường dưới 1 MB."
        )
    return text_of(path.name, path.read_bytes(), limits)


def text_of(name: str, data: bytes, limits: Limits = Limits()) -> str:
    """The text of a document's bytes, read in a worker process within `limits`. Raises
    NotReadable (OverLimit among them) with the reason; blocks the calling thread only (the
    chat upload calls it on a worker thread)."""
    if len(data) > limits.max_bytes:
        raise OverLimit(f"Tệp “{name}” quá lớn ({_mb(len(data))}; tối đa {_mb(limits.max_bytes)}).")
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe(duplex=False)
    worker = context.Process(
        target=_work, args=(theirs, name, data, limits), name="chibo-document", daemon=True
    )
    worker.start()
    theirs.close()
    try:
        if not ours.poll(limits.max_seconds):
            raise OverLimit(
                f"Đọc tệp “{name}” quá {limits.max_seconds:g} giây nên đã dừng: tệp quá phức "
                "tạp. Xin lưu lại thành .docx hoặc .txt gọn hơn rồi gửi lại."
            )
        try:
            outcome: tuple[str, Any, Any] = ours.recv()
        except EOFError:  # the worker died: out of memory, most likely
            raise OverLimit(
                f"Đọc tệp “{name}” cần quá nhiều bộ nhớ nên đã dừng. Xin gửi bản gọn hơn."
            ) from None
    finally:
        ours.close()
        if worker.is_alive():
            worker.kill()
        worker.join(5)
    kind, first, second = outcome
    if kind == "text":
        return str(first)
    if kind == "over":
        raise OverLimit(str(first))
    if kind == "refused":
        raise NotReadable(Unreadable(first), str(second))
    raise NotReadable(
        Unreadable.DAMAGED, f"Tệp “{name}” không phải tệp đọc được ({first})."
    )  # a reader's own error on a file it cannot parse


# -- in the worker process ------------------------------------------------------------------


def _work(conn: Connection, name: str, data: bytes, limits: Limits) -> None:
    _cap_memory(limits.max_memory)
    try:
        conn.send(("text", _limited(name, data, limits), None))
    except OverLimit as e:
        conn.send(("over", str(e), None))
    except NotReadable as e:
        conn.send(("refused", e.reason.value, str(e)))
    except MemoryError:
        conn.send(("over", f"Đọc tệp “{name}” cần quá nhiều bộ nhớ nên đã dừng.", None))
    except Exception as e:  # whatever a reader raises on a file it cannot parse
        conn.send(("error", e.__class__.__name__, None))
    finally:
        conn.close()


def _cap_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: wall time still bounds the worker
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _limited(name: str, data: bytes, limits: Limits) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        _check_docx(name, data, limits)
    elif suffix == ".pdf":
        _check_pdf(name, data, limits)
    text = document_text.text_of(name, data)
    if len(text) > limits.max_chars:
        raise OverLimit(
            f"Tệp “{name}” dài quá ({_n(len(text))} ký tự; tối đa {_n(limits.max_chars)}). "
            "Một kế hoạch thường dưới 100.000 ký tự."
        )
    return text


def _check_docx(name: str, data: bytes, limits: Limits) -> None:
    """Parts, the bytes they really unpack to, paragraphs, and relationships to outside the
    file — before python-docx parses anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # not a zip: document_text says the .docx is damaged, in its words
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            raise OverLimit(
                f"Tệp “{name}” chứa {_n(len(parts))} phần (tối đa {_n(limits.max_parts)}): "
                "không giống một văn bản Word bình thường."
            )
        unpacked = 0
        for part in parts:
            if part.is_dir():
                continue
            paragraphs, rels = 0, part.filename.endswith(".rels")
            tail = b""
            with archive.open(part) as stream:
                while chunk := stream.read(1 << 20):
                    unpacked += len(chunk)
                    if unpacked > limits.max_unpacked:
                        raise OverLimit(
                            f"Tệp “{name}” giải nén ra hơn {_mb(limits.max_unpacked)}: quá lớn "
                            "cho một kế hoạch (tệp nén bất thường?)."
                        )
                    window = tail + chunk
                    if part.filename == "word/document.xml":
                        paragraphs += len(_PARAGRAPH.findall(window)) - len(
                            _PARAGRAPH.findall(tail)
                        )
                        if paragraphs > limits.max_paragraphs:
                            raise OverLimit(
                                f"Tệp “{name}” có hơn {_n(limits.max_paragraphs)} đoạn văn: quá "
                                "dài cho một kế hoạch."
                            )
                    if rels:
                        _refuse_external(name, window)
                    tail = chunk[-4096:]


def _refuse_external(name: str, xml: bytes) -> None:
    for relationship in _RELATIONSHIP.findall(xml):
        if _EXTERNAL.search(relationship) and not _HYPERLINK.search(relationship):
            raise OverLimit(
                f"Tệp “{name}” trỏ tới nội dung bên ngoài tệp (mẫu, ảnh hoặc đối tượng liên kết "
                "từ xa): bot không mở loại tệp này. Xin lưu thành .docx thường (nhúng mọi thứ) "
                "rồi gửi lại."
            )


def _check_pdf(name: str, data: bytes, limits: Limits) -> None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return  # document_text says the reader is missing, in its words
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return  # document_text says the .pdf is damaged, in its words
    if pages > limits.max_pages:
        raise OverLimit(
            f"Tệp “{name}” có {_n(pages)} trang (tối đa {_n(limits.max_pages)}): quá dài cho một "
            "kế hoạch."
        )
