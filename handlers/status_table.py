"""The status of one plan as a table: one row per cell and deadline — done by whom and when, and
every chat that reaches the cell (its channel, id and whether a group: one value per chat, in the
same order in each column, so a cell counts once however many chats reach it).

Written as a spreadsheet (openpyxl, the optional `export` extra, imported only when used) and as
CSV (standard library; UTF-8 with a byte-order mark, so a spreadsheet opens the accents right).
The chat gets the spreadsheet with the CSV as its plainer form; `chibo status` writes either.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from handlers.status import Mark, PlanStatus, cell_name, reached_by
from handlers.types import Attachment
from schedules import plan_calendar, vi_format

HEADER = (
    "Kế hoạch",
    "Việc",
    "Mã việc",
    "Hạn",
    "Ngày cuối",
    "Chi bộ",
    "Nhận tin qua",
    "Kênh",
    "Mã chat",
    "Nhóm",
    "Trạng thái chat",
    "Đã hoàn thành",
    "Người đánh dấu",
    "Lúc",
)
WIDTHS = (18, 40, 22, 28, 12, 24, 36, 9, 14, 6, 12, 8, 20, 24)  # of HEADER's columns, in characters
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"


Row = tuple[str | date, ...]  # the last day is a date: a real date cell in the spreadsheet


def rows(status: PlanStatus) -> list[Row]:
    """Every deadline with every cell it applies to, in date order; a deadline no cell has yet
    (the cells have not set the day it hangs on) is one row with no cell."""
    plan = status.plan
    blocked: dict[str, list[Mark]] = {}  # chats that blocked the bot still have their rows
    for sub in status.blocked:
        for due in plan_calendar.dues(plan, sub.cell()):
            blocked.setdefault(due.item_id, []).append(Mark(sub, due, sub.done.get(due.ref)))
    out: list[Row] = []
    for d in status.deadlines:
        marks = d.marks + blocked.get(d.due.item_id, [])
        if not marks:
            out.append((plan.id, d.due.title, d.due.item_id, d.due.wording, _day(d.due.last_day)))
            continue
        for m in marks:
            via = status.via(m.sub)  # every chat reaching the cell, one value each, in order
            out.append(
                (
                    plan.id,
                    m.due.title,
                    m.due.item_id,
                    m.due.wording,
                    _day(m.due.last_day),
                    cell_name(m.sub),
                    reached_by(via),
                    ", ".join(c.platform for c in via),
                    ", ".join(c.chat_id for c in via),
                    ", ".join("có" if c.is_group else "không" for c in via),
                    "đang theo" if m.sub.active else "đã chặn bot",
                    "có" if m.record else "chưa",
                    m.record.by if m.record else "",
                    m.record.when if m.record else "",
                )
            )
    return [tuple(r) + ("",) * (len(HEADER) - len(r)) for r in out]


def _day(d: date | None) -> str | date:
    return d if d else ""


def csv_bytes(table: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(
        tuple(vi_format.day(c) if isinstance(c, date) else c for c in row) for row in table
    )
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: list[Row], title: str, now: datetime) -> bytes:
    """The table as a spreadsheet; raises ImportError when openpyxl is not installed."""
    from openpyxl import Workbook  # the optional `export` extra
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # the format's limit for a sheet's name
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for n, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions  # a filter on every column
    # the file's own dates are the bot's clock, not the machine's (rehearsals, tests)
    book.properties.created = book.properties.modified = now.replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(status: PlanStatus, now: datetime) -> Attachment:
    """The status file for a chat: a spreadsheet with the CSV as its plainer form (CSV alone
    when openpyxl is not installed)."""
    table = rows(status)
    stem = f"tinh-hinh-{status.plan.id}-{now:%Y-%m-%d}"
    plain = Attachment(
        f"{stem}.csv",
        csv_bytes(table),
        CSV,
        instead=(
            f"Bảng có {len(table)} dòng, quá dài để gửi thành tin nhắn. Lấy tệp bằng lệnh "
            f"“chibo status --plan {status.plan.id} --xlsx {stem}.xlsx” trên máy chạy bot, "
            "hoặc gõ /xuatbang trên Telegram."
        ),
    )
    try:
        data = xlsx_bytes(table, status.plan.id, now)
    except ImportError:
        return plain
    return Attachment(f"{stem}.xlsx", data, XLSX, plainer=plain, instead=plain.instead)
