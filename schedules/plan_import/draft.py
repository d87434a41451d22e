"""Putting the readers' findings together into a draft plan file (a dict in the plan schema, then
YAML), with the list of what a person must finish."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

import yaml

from schedules.plan_import import deadlines, doclist, header, targets, timeline
from schedules.plan_import.common import Todo, slug
from schedules.plan_import.source import Source

_ORDER = [
    "id", "short_name", "title", "issuer", "number", "issued", "issued_note", "theme", "applies_to",
    "period", "source", "contents", "monthly_meeting", "topics", "deadlines", "cell_events", "milestones",
    "recurring", "occasions", "targets", "todo",
]  # fmt: skip


@dataclass
class Draft:
    data: dict
    todo: list[Todo] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        d = self.data
        return {
            "văn bản": sum(len(t["documents"]) for t in d.get("topics", [])),
            "hạn": len(d.get("deadlines", [])),
            "mốc": len(d.get("milestones", [])),
            "việc định kỳ": len(d.get("recurring", [])),
            "dịp kỷ niệm": len(d.get("occasions", [])),
            "chỉ tiêu": len(d.get("targets", [])),
        }

    def to_yaml(self) -> str:
        head = (
            "# BẢN NHÁP do `chibo plans import` tạo từ văn bản gốc. Mỗi mục có quote trích nguyên văn.\n"
            "# Làm hết các việc trong `todo` (rồi xóa mục đó), sửa chính tả/dấu các trường chữ,\n"
            "# chạy `chibo plans check TỆP.yaml` cho tới khi hợp lệ, rồi ban hành bằng nút ✅ Ban hành\n"
            "# trong chat hoặc `chibo plans publish TỆP.yaml --as NỀN-TẢNG:MÃ` (vào thư mục CHIBO_PLANS_DIR).\n"
        )
        return head + yaml.safe_dump(
            self.data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
        )


def build(text: str, source_file: str) -> Draft:
    src = Source(text)
    todo: list[Todo] = []
    h = header.read(src)
    todo += h.todo
    fields = dict(h.fields)
    source_quote = fields.pop("source_quote", None) or next(
        (ln for ln in src.lines if len(ln) >= 3), ""
    )
    data: dict = {}
    number = fields.get("number")
    year = (fields.get("issued") or "").rsplit("/", 1)[-1] or (
        fields.get("period", {}).get("from", "").rsplit("/", 1)[-1]
    )
    data["id"] = slug(f"{number} {year}" if number else PurePath(source_file).stem, set())
    if number:
        data["short_name"] = number
    else:
        todo.append(
            Todo("short_name", "Ghi tên ngắn của kế hoạch (ví dụ “Kỳ Lợi — Tự soi, tự sửa”).")
        )
    data.update(fields)
    data["source"] = {"file": PurePath(source_file).name, "quote": source_quote}
    for reader in (doclist.read, deadlines.read, targets.read):
        found = reader(src)
        data.update(found.fields)
        todo += found.todo
    found = timeline.read(src, fields.get("period"))
    data.update(found.fields)
    todo += found.todo
    if not src.has_diacritics:
        todo.append(
            Todo(
                "",
                "Văn bản gốc là bản quét OCR mất dấu: viết lại có dấu các trường chữ (title, issuer, "
                "who, to, name, text); giữ nguyên quote như bản gốc để còn đối chiếu.",
            )
        )
    data["todo"] = [t.as_dict() for t in todo]
    ordered = {k: data[k] for k in _ORDER if k in data}
    return Draft(ordered, todo)
