"""Putting the readers' findings together into a draft plan file (a dict in the plan schema, then
YAML), with the list of what a person must finish."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import yaml

from schedules.plan_import import accents, deadlines, doclist, header, outline, targets, timeline
from schedules.plan_import.common import Entry, Todo, slug
from schedules.plan_import.source import Source

_ORDER = [
    "id", "short_name", "title", "issuer", "number", "issued", "issued_note", "theme", "applies_to",
    "period", "source", "contents", "monthly_meeting", "topics", "deadlines", "cell_events", "milestones",
    "recurring", "occasions", "targets", "agendas", "todo",
]  # fmt: skip


@dataclass
class Draft:
    data: Entry
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


# The draft's own words, which a person reads: restored where the source lost its marks.
_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "": ("title", "issuer", "applies_to", "theme"),
    "deadlines": ("title", "who", "to"),
    "milestones": ("title",),
    "recurring": ("title",),
    "occasions": ("name",),
    "targets": ("text",),
    "contents": ("text",),
    "cell_events": ("name",),
    "monthly_meeting": ("title",),
    "agendas": ("title",),
}


def _restore_marks(data: dict[str, Any], lexicon: accents.Lexicon) -> list[Todo]:
    """Every text field restored where the lexicon is sure; a todo per field where it is not."""
    todo: list[Todo] = []

    def one(holder: dict[str, Any], key: str, path: str) -> None:
        value = holder.get(key)
        if not isinstance(value, str) or not value:
            return
        restored, sure = accents.restore(value, lexicon)
        if sure:
            holder[key] = restored
            return
        todo.append(
            Todo(
                path,
                f"Bản quét OCR mất dấu: viết lại có dấu. Theo từ điển: “{restored}” — "
                f"bản quét: “{value}”.",
            )
        )

    for group, keys in _TEXT_FIELDS.items():
        holders: list[tuple[str, Any]]
        if not group:
            holders = [("", data)]
        elif isinstance(data.get(group), list):
            holders = [(f"{group}[{i}].", h) for i, h in enumerate(data[group])]
        else:
            holders = [(f"{group}.", data.get(group))]
        for prefix, holder in holders:
            if isinstance(holder, dict):
                for key in keys:
                    one(holder, key, f"{prefix}{key}")
    for i, agenda in enumerate(data.get("agendas") or []):
        for j, section in enumerate(agenda["sections"]):
            one(section, "title", f"agendas[{i}].sections[{j}].title")
            steps = {str(k): step for k, step in enumerate(section["steps"])}
            for k in steps:
                one(steps, k, f"agendas[{i}].sections[{j}].steps[{k}]")
            section["steps"] = list(steps.values())
    for i, topic in enumerate(data.get("topics") or []):
        for j, doc in enumerate(topic["documents"]):
            for key in ("title", "issuer"):
                one(doc, key, f"topics[{i}].documents[{j}].{key}")
    return todo


def build(text: str, source_file: str, lexicon: accents.Lexicon | None = None) -> Draft:
    """The draft of a plan document's text. With a lexicon of accented plans, the text fields of a
    scan without marks are restored where it is sure, and asked field by field where it is not."""
    src = Source(text)
    todo: list[Todo] = []
    h = header.read(src)
    todo += h.todo
    fields = dict(h.fields)
    source_quote = fields.pop("source_quote", None) or next(
        (ln for ln in src.lines if len(ln) >= 3), ""
    )
    data: Entry = {}
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
    source_notes = fields.pop("source_notes", None)
    data["source"] = {"file": PurePath(source_file).name, "quote": source_quote}
    if source_notes:
        data["source"]["notes"] = source_notes
    for reader in (doclist.read, deadlines.read, targets.read):
        found = reader(src)
        data.update(found.fields)
        todo += found.todo
    found = outline.read(src)
    # The content section's lines after the monthly topics read as words, if any.
    contents = data.get("contents", []) + found.fields.pop("contents", [])
    data.update(found.fields)
    if contents:
        data["contents"] = contents
    found = timeline.read(src, fields.get("period"))
    data.update(found.fields)
    todo += found.todo
    if not src.has_diacritics and lexicon is not None:
        todo += _restore_marks(data, lexicon)
    elif not src.has_diacritics:
        todo.append(
            Todo(
                "",
                "Văn bản gốc là bản quét OCR mất dấu: viết lại có dấu các trường chữ (title, issuer, "
                "theme, who, to, name, text, steps); giữ nguyên quote như bản gốc để còn đối chiếu.",
            )
        )
    data["todo"] = [t.as_dict() for t in todo]
    ordered = {k: data[k] for k in _ORDER if k in data}
    return Draft(ordered, todo)
