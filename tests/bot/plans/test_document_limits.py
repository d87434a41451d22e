"""Documents are read in a worker process within limits, through the command line and the chat
upload alike: a small .docx of two million empty paragraphs held `chibo plans import` past 180 s
at 1.24 GB and `chibo run` for minutes; now each such file is refused in seconds with the reason
in Vietnamese, and a reader running over its time is stopped."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from bot.cli import main
from bot.plans import document_limits
from bot.plans.document_limits import Limits, OverLimit
from tests.bot.drivers import TelegramDriver
from tests.bot.plans import document_bombs as bombs
from tests.bot.plans.test_committees import running
from tests.bot.plans.test_upload_in_chat import Admin

SOON = 60  # seconds: each is refused in a few; before, the first took minutes

REFUSED = [
    ("dong-rong.docx", bombs.empty_paragraphs, "có hơn 30.000 đoạn văn"),
    ("mot-dong-dai.docx", bombs.one_huge_text, "dài quá (3.000.0"),
    ("bom-nen.docx", bombs.zip_bomb, "giải nén ra hơn 30,0 MB"),
    ("nhieu-phan.docx", bombs.many_parts, "phần (tối đa 500)"),
    ("mau-tu-xa.docx", bombs.external_template, "trỏ tới nội dung bên ngoài tệp"),
    ("nhieu-trang.pdf", lambda: bombs.many_pages(2_000), "có 2.000 trang (tối đa 500)"),
    ("xref-hong.pdf", bombs.broken_xref, "không có lớp chữ"),  # pypdf reads past the xref,
]


@pytest.mark.parametrize(("name", "make", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_the_command_line_refuses_with_the_reason(tmp_path, capsys, name, make, words):
    path = tmp_path / name
    path.write_bytes(make())
    started = time.monotonic()
    code = main(["plans", "import", str(path), "-o", str(tmp_path / "nhap.yaml")])
    err = capsys.readouterr().err
    assert time.monotonic() - started < SOON
    assert code == 2, err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "nhap.yaml").exists()


def test_the_command_line_refuses_a_text_file_over_the_size_limit(tmp_path, capsys):
    path = tmp_path / "lon.txt"
    path.write_bytes(("Kế hoạch số 1-KH/ĐU\n" * 400_000).encode())  # about 8 MB
    started = time.monotonic()
    assert main(["plans", "import", str(path)]) == 2
    assert time.monotonic() - started < SOON
    assert "quá lớn" in capsys.readouterr().err


def test_a_reader_over_its_time_is_stopped():
    # A millisecond: the worker is a fresh interpreter that has not even started by then, on any
    # machine. (A plain document under a few tenths of a second was read in time when idle.)
    with pytest.raises(OverLimit, match="quá 0.001 giây nên đã dừng"):
        document_limits.text_of("ke-hoach.docx", bombs.plain_docx(), Limits(max_seconds=0.001))
    assert multiprocessing.active_children() == []  # the worker is gone, not left running


def test_a_plain_document_is_read_as_before():
    assert document_limits.text_of("ke-hoach.docx", bombs.plain_docx("Xin chào")) == "Xin chào"


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


@pytest.mark.parametrize(("name", "make", "words"), REFUSED, ids=[r[0] for r in REFUSED])
async def test_the_chat_upload_refuses_with_the_reason(driver, tmp_path, name, make, words):
    async with running(driver, tmp_path):
        started = time.monotonic()
        (answer,) = await Admin(driver, 9002).sends(name, make())
        assert time.monotonic() - started < SOON
        assert words in answer.text and "Traceback" not in answer.text
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["committees.yaml"]
