"""A reply's file on each channel: a document on Telegram (see test_committees_e2e), text on Zalo
— or, when that would take too many messages, one line saying how else to get it — and a file
written to the current folder by the console."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from bot.channels.attachments import MOST_MESSAGES, as_text
from bot.channels.console import Console
from bot.channels.shaping import utf16_chunks
from bot.cli import main
from bot.clock import TZ, Clock
from bot.stores.tinydb.store import TinyStore
from handlers import status_table
from handlers.conversation import Conversation
from handlers.state import MemoryStore, Subscription
from handlers.status import plan_status
from handlers.types import Attachment, Reply
from schedules import catalog
from tests.marks import marked

NOW = datetime(2022, 12, 1, 8, 0, tzinfo=TZ)
CAT = catalog.load()


def zalo_split(text: str) -> list[str]:
    return utf16_chunks(text, 2000)


def status(n_cells: int):
    subs = [
        Subscription("zalo", f"c{i}", ("tra-vinh-60-2022",), f"Chi bộ Số {i}")
        for i in range(n_cells)
    ]
    return plan_status(CAT.get("tra-vinh-60-2022"), subs)


def test_zalo_shows_a_small_table_as_text_and_a_large_one_as_a_line_saying_where_to_get_it():
    small = status_table.attachment(status(2), NOW)
    assert small.mime == status_table.XLSX and small.plainer.mime == status_table.CSV
    pieces = as_text(small, zalo_split)
    assert len(pieces) <= MOST_MESSAGES
    head, _, body = "\n".join(pieces).partition("\n")
    assert head.startswith("📎 tinh-hinh-tra-vinh-60-2022-2022-12-01.csv (kênh này không gửi")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["Chi bộ"] for r in rows} == {"Chi bộ Số 0", "Chi bộ Số 1"}

    large = status_table.attachment(status(200), NOW)
    (line,) = as_text(large, zalo_split)
    assert line.startswith("📎 Kênh này không gửi được tệp tinh-hinh-tra-vinh-60-2022")
    assert "chibo status --plan tra-vinh-60-2022 --xlsx" in line
    assert "/xuatbang trên Telegram" in line


async def test_the_console_writes_a_file_it_is_sent_to_the_current_folder(tmp_path):
    out = io.StringIO()
    console = Console(Conversation(CAT, MemoryStore()), Clock(NOW), out=out)
    console.files_dir = tmp_path
    file = Attachment("bang.csv", b"a,b\n", "text/csv")
    await console.show(Reply("📥 Bảng:", attachment=file))
    await console.show(Reply("📥 Lần nữa:", attachment=file))  # never over an existing file
    assert (tmp_path / "bang.csv").read_text() == "a,b\n"
    assert (tmp_path / "bang-2.csv").exists()
    assert f"📎 Đã ghi tệp {tmp_path / 'bang.csv'} (4 byte)." in out.getvalue()


async def test_chibo_status_writes_the_table_as_xlsx_and_csv(tmp_path, monkeypatch, capsys):
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "CHIBO_PLANS_DIR", "CHIBO_COMMITTEES"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "db.json"
    store = TinyStore(db, NOW)
    await store.save(
        Subscription(
            "telegram",
            "5",
            ("kim-bang-35-2022",),
            "Chi bộ Thôn Đông",
            done=marked("kim-bang-35-2022", "bao-cao-dot-2", "Đồng chí Lan", "2022-11-30T08:00"),
        )
    )
    await store.save(Subscription("zalo", "ab", ("kim-bang-35-2022",), "Chi bộ Thôn Tây"))
    store.close()
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_DB={db}\n")
    xlsx, csv_path = tmp_path / "bang.xlsx", tmp_path / "bang.csv"
    code = main(
        [
            "status",
            "--plan",
            "kim-bang-35-2022",
            "--today",
            "2022-12-01T08:00",
            "--xlsx",
            str(xlsx),
            "--csv",
            str(csv_path),
            "--env",
            str(env),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "1/2 đã hoàn thành; chưa: Chi bộ Thôn Tây." in out
    assert f"📥 Đã ghi {xlsx}: 4 dòng." in out
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == status_table.HEADER
    done_rows = [r for r in rows[1:] if r[status_table.HEADER.index("Đã hoàn thành")] == "có"]
    assert [(r[5], r[2], r[-2]) for r in done_rows] == [
        ("Chi bộ Thôn Đông", "bao-cao-dot-2", "Đồng chí Lan")
    ]
    text = Path(csv_path).read_bytes().decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 4
