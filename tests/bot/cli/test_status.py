"""`chibo status` on a committee's data: cells, not chats — a committee group's roster counted cell
by cell, the cell also followed in its secretary's private chat counted once with both chats
named, in the printed summary and in the table written — from a TinyDB file and from PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime

import pytest

from bot.cli import main
from bot.clock import TZ
from bot.stores.backend import open_backend
from handlers.state import CellFollow, Subscription
from tests.marks import marked

PLAN = "ky-loi-2022"
CELLS = ("Tân Phúc Thành 3", "Đông Yên", "Tân Phúc Thành 1", "Hoành Sơn", "Hải Phong")
GROUP = "Bí thư chi bộ xã Kỳ Lợi"
NOW = datetime(2022, 9, 12, 20, 0, tzinfo=TZ)


async def committee(db: str) -> None:
    """The Kỳ Lợi committee's group following five cells; Đông Yên also followed in its
    secretary's private chat, its ✅ recorded on both (as handlers/cells.py records it)."""
    mark = marked(PLAN, "chi-bo-sinh-hoat", "Đồng chí Yên", "2022-09-12T21:00:00+07:00", "502")
    roster = tuple(CellFollow(n, done=mark if n == "Đông Yên" else {}) for n in CELLS)
    backend = await open_backend(db, NOW)
    try:
        await backend.store.save(
            Subscription("telegram", "-19", (PLAN,), is_group=True, title=GROUP, roster=roster)
        )
        await backend.store.save(
            Subscription("telegram", "502", (PLAN,), "Chi bộ Đông Yên", done=mark)
        )
    finally:
        await backend.close()


@pytest.fixture(params=["tinydb", "postgresql"])
def db(request, tmp_path) -> str:
    if request.param == "tinydb":
        return str(tmp_path / "db.json")
    return request.getfixturevalue("pg_url")


def test_chibo_status_counts_cells_and_names_every_chat_reaching_each(
    db, tmp_path, monkeypatch, capsys
):
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "CHIBO_PLANS_DIR", "CHIBO_COMMITTEES"):
        monkeypatch.delenv(name, raising=False)
    asyncio.run(committee(db))  # `chibo status` runs its own event loop, as from a shell
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_DB={db}\n")
    table = tmp_path / "bang.csv"
    args = ["status", "--plan", PLAN, "--today", "2022-09-12T21:30", "--env", str(env)]
    code = main([*args, "--csv", str(table)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "5 chi bộ đang theo, qua 2 chat (1 nhóm)." in out
    assert f"👥 Nhóm cấp ủy “{GROUP}”: 5 chi bộ nhận tin qua nhóm." in out
    assert "   ↳ Chi bộ Đông Yên còn nhận tin qua chat riêng." in out
    assert (
        "1/4 đã hoàn thành; chưa: Chi bộ Tân Phúc Thành 1, Chi bộ Hoành Sơn, Chi bộ Hải Phong."
        in out
    )

    rows = list(csv.DictReader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
    duty = {r["Chi bộ"]: r for r in rows if r["Mã việc"] == "chi-bo-sinh-hoat"}
    assert sorted(duty) == sorted(f"Chi bộ {n}" for n in CELLS[1:])  # each cell once
    yen = duty["Chi bộ Đông Yên"]
    assert yen["Nhận tin qua"] == f"qua chat riêng và nhóm cấp ủy “{GROUP}”"
    assert (yen["Mã chat"], yen["Nhóm"]) == ("-19, 502", "có, không")
    assert (yen["Đã hoàn thành"], yen["Người đánh dấu"]) == ("có", "Đồng chí Yên")
    assert duty["Chi bộ Hoành Sơn"]["Nhận tin qua"] == f"qua nhóm cấp ủy “{GROUP}”"
    assert duty["Chi bộ Hoành Sơn"]["Đã hoàn thành"] == "chưa"
