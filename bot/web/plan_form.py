"""An imported draft as a web form, and the form's answers back into the draft.

The draft is the importer's dict (schedules/plan_import): the form shows every value of it as a
field named by its path in the plan file ("topics[0].documents[1].title", the path `chibo plans
check` and the draft's `todo` use), next to the quote of the entry it belongs to, with the todos
and the check's problems about that entry. Posting the form sets each field it carries at its
path, removes ticked rows and todos, and adds the rows asked for; what is finished is dumped as
the same YAML a person would have written by hand, so publishing goes the chat's way.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from schedules.catalog import Problem

Key = str | int

LABELS = {
    "id": "Mã kế hoạch",
    "short_name": "Tên ngắn",
    "title": "Tiêu đề",
    "issuer": "Cơ quan ban hành",
    "number": "Số văn bản",
    "issued": "Ngày ban hành",
    "issued_note": "Ghi chú ngày ban hành",
    "place": "Nơi ban hành",
    "theme": "Chủ đề",
    "applies_to": "Áp dụng cho",
    "file": "Tệp gốc",
    "notes": "Ghi chú",
    "note": "Ghi chú",
    "month": "Tháng",
    "kind": "Loại văn bản",
    "date": "Ngày",
    "who": "Ai làm",
    "before": "Hạn (trước ngày)",
    "audience": "Nhắc ai",
    "only_cells": "Chỉ các chi bộ (mỗi dòng một tên; để trống: mọi chi bộ)",
    "except_cells": "Trừ các chi bộ (mỗi dòng một tên)",
    "period": "Thời gian (quý/tháng/năm)",
    "wording": "Lời văn bản về thời gian",
    "every": "Lặp lại",
    "name": "Tên",
    "day": "Ngày (ngày/tháng)",
    "text": "Nội dung",
    "value": "Chỉ tiêu",
    "held_by": "Tổ chức trước các hạn (mã, mỗi dòng một)",
    "days_before": "Số ngày trước",
    "event": "Sự kiện",
}
# "from"/"to" read differently in a period than in a deadline
SPAN_LABELS = {"from": "Từ tháng", "to": "Đến tháng"}
TO_LABEL = "Gửi cho"

SECTIONS = {
    "period": "Thời gian thực hiện",
    "source": "Văn bản gốc",
    "monthly_meeting": "Sinh hoạt chi bộ hằng tháng",
    "contents": "Nội dung",
    "topics": "Chuyên đề từng tháng",
    "deadlines": "Các hạn",
    "cell_events": "Việc chi bộ tự định ngày",
    "milestones": "Các mốc (không có ngày cụ thể)",
    "recurring": "Việc định kỳ",
    "occasions": "Ngày kỷ niệm",
    "targets": "Chỉ tiêu",
}
CHOICES = {
    "audience": (("cells", "Các chi bộ"), ("upper", "Cấp ủy cấp trên")),
    "every": (("month", "Hằng tháng"), ("quarter", "Hằng quý"), ("year", "Hằng năm")),
}
LIST_FIELDS = frozenset({"only_cells", "except_cells", "held_by"})
# Rows a person adds on the form, and the fields a duty shows even when the draft lacks them.
NEW_ROWS: dict[str, dict[str, Any]] = {
    "topics": {"month": "", "documents": [], "quote": ""},
    "documents": {"kind": "", "number": "", "date": "", "issuer": "", "title": "", "quote": ""},
    "deadlines": {"id": "", "title": "", "who": "", "to": "", "before": "", "quote": ""},
}
DUTY_FIELDS = {
    "deadlines": ("who", "to", "audience", "only_cells", "except_cells"),
    "milestones": ("who", "to", "audience"),
    "recurring": ("who", "to", "audience"),
}
TOP_FIELDS = ("id", "short_name", "title", "issuer", "number", "issued", "applies_to")
LONG = 70  # longer values get a text area

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(text: str) -> tuple[Key, ...]:
    """ "topics[0].documents[1].title" → ("topics", 0, "documents", 1, "title")."""
    return tuple(int(i) if i else name for name, i in _PART.findall(text))


def path_text(path: tuple[Key, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass
class Field:
    path: str
    key: str
    label: str
    value: str
    kind: str  # "text", "area", "lines", "choice"
    choices: tuple[tuple[str, str], ...] = ()


@dataclass
class Note:
    index: int  # in the draft's todo list
    message: str
    quote: str


@dataclass
class Group:
    """One entry of the plan: its fields, the quote it came from, and what is still to do."""

    path: str
    title: str
    quote: str
    fields: list[Field] = field(default_factory=list)
    todo: list[Note] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: list[Group] = field(default_factory=list)  # a month's documents
    removable: bool = False
    adds: str = ""  # the list path a "Thêm" button appends to
    add_label: str = ""


@dataclass
class Section:
    key: str
    title: str
    groups: list[Group]
    adds: str = ""
    add_label: str = ""


def _label(holder_path: tuple[Key, ...], key: str) -> str:
    if key in SPAN_LABELS and holder_path and holder_path[0] in ("period", "monthly_meeting"):
        return SPAN_LABELS[key]
    if key == "to":
        return TO_LABEL
    return LABELS.get(key, key)


def _field(holder_path: tuple[Key, ...], key: str, value: Any) -> Field:
    path = path_text((*holder_path, key))
    label = _label(holder_path, key)
    if key in CHOICES:
        return Field(path, key, label, str(value or ""), "choice", CHOICES[key])
    if key in LIST_FIELDS or isinstance(value, list):
        return Field(path, key, label, "\n".join(str(v) for v in value or ()), "lines")
    text = "" if value is None else str(value)
    return Field(path, key, label, text, "area" if len(text) > LONG else "text")


def _fields(
    holder: Mapping[str, Any], at: tuple[Key, ...], extra: tuple[str, ...], row: bool = False
) -> list[Field]:
    out = []
    keys = [k for k in holder if k != "quote"] + [k for k in extra if k not in holder]
    if row and not holder.get("quote"):
        keys.append("quote")  # a row a person added: they say where it comes from
    for key in keys:
        value = holder.get(key)
        if isinstance(value, dict) or (
            isinstance(value, list) and value and isinstance(value[0], dict)
        ):
            continue
        out.append(
            _field(at, key, value)
            if key != "quote"
            else Field(path_text((*at, key)), key, "Trích nguyên văn", str(value or ""), "text")
        )
    return out


def _owner(path: str, groups: dict[str, Group]) -> Group:
    """The group a todo or problem about `path` belongs to: the longest group path it starts with."""
    parts = parse_path(path)
    while parts:
        found = groups.get(path_text(parts))
        if found is not None:
            return found
        parts = parts[:-1]
    return groups[""]


def form(data: Mapping[str, Any], problems: Sequence[Problem] = ()) -> list[Section]:
    """The sections of the form for a draft (and the problems of its last check)."""
    by_path: dict[str, Group] = {}
    top = Group(
        "",
        "",  # the section's heading says it
        "",
        _fields({k: v for k, v in data.items() if not isinstance(v, (dict, list))}, (), TOP_FIELDS),
    )
    by_path[""] = top
    sections = [Section("", "Thông tin chung", [top])]
    for key, value in data.items():
        if key == "todo":
            continue
        title = SECTIONS.get(key, key)
        if isinstance(value, dict):
            g = Group(key, "", str(value.get("quote", "")), _fields(value, (key,), ()))
            by_path[key] = g
            sections.append(Section(key, title, [g]))
        elif isinstance(value, list) and (not value or isinstance(value[0], dict)):
            rows = []
            for i, row in enumerate(value):
                at: tuple[Key, ...] = (key, i)
                g = Group(
                    path_text(at),
                    _row_title(key, row, i),
                    str(row.get("quote", "")),
                    _fields(row, at, DUTY_FIELDS.get(key, ()), row=True),
                    removable=True,
                )
                by_path[g.path] = g
                for j, doc in enumerate(row.get("documents") or ()):
                    d_at: tuple[Key, ...] = (*at, "documents", j)
                    d = Group(
                        path_text(d_at),
                        f"{doc.get('kind', '')} {doc.get('number', '')}".strip() or "Văn bản mới",
                        str(doc.get("quote", "")),
                        _fields(doc, d_at, (), row=True),
                        removable=True,
                    )
                    by_path[d.path] = d
                    g.rows.append(d)
                if key == "topics":
                    g.adds, g.add_label = path_text((*at, "documents")), "＋ Thêm văn bản"
                rows.append(g)
            adds = key if key in NEW_ROWS else ""
            label = {"topics": "＋ Thêm tháng", "deadlines": "＋ Thêm hạn"}.get(key, "")
            sections.append(Section(key, title, rows, adds, label))
    for key in NEW_ROWS:
        if key not in data and key != "documents":
            label = {"topics": "＋ Thêm tháng", "deadlines": "＋ Thêm hạn"}[key]
            sections.append(Section(key, SECTIONS[key], [], key, label))
    for i, todo in enumerate(data.get("todo") or ()):
        _owner(str(todo.get("field", "")), by_path).todo.append(
            Note(i, str(todo.get("message", "")), str(todo.get("quote", "")))
        )
    for p in problems:
        if p.message.startswith("việc chưa hoàn thiện"):
            continue  # shown as the todo itself
        _owner(p.field, by_path).problems.append(p.message)
    return sections


def _row_title(key: str, row: Mapping[str, Any], i: int) -> str:
    if key == "topics":
        return f"Tháng {row.get('month') or '…'}"
    name = row.get("title") or row.get("name") or row.get("text") or ""
    return str(name)[:80] or f"Mục {i + 1}"


# -- the answers ------------------------------------------------------------------------------


def _holder(data: Any, path: tuple[Key, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _value(key: str, text: str, old: Any) -> Any:
    text = text.replace("\r\n", "\n").strip()
    if key in LIST_FIELDS or isinstance(old, list):
        return [line.strip() for line in text.splitlines() if line.strip()]
    if isinstance(old, int) and not isinstance(old, bool) and re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


FIELD = "f:"  # the form's names for the draft's fields: "f:topics[0].month"


def apply(
    data: Mapping[str, Any],
    values: Mapping[str, str],
    removed: list[str],
    todo_done: list[str],
    add: str = "",
) -> dict[str, Any]:
    """The draft after a posted form: every field (named FIELD + its path) set at its path (the
    draft's own type kept: lists stay lists), the ticked rows and todos removed, a new row added
    where asked."""
    out: dict[str, Any] = copy.deepcopy(dict(data))
    for name, text in values.items():
        if not name.startswith(FIELD):
            continue
        path = parse_path(name.removeprefix(FIELD))
        if not path or not isinstance(path[-1], str) or path[0] == "todo":
            continue
        try:
            holder = _holder(out, path[:-1])
        except (KeyError, IndexError, TypeError):
            continue  # a field of a row removed meanwhile
        if isinstance(holder, dict):
            holder[path[-1]] = _value(path[-1], text, holder.get(path[-1]))
    done = {int(i) for i in todo_done if i.isdigit()}
    if done and isinstance(out.get("todo"), list):
        out["todo"] = [t for i, t in enumerate(out["todo"]) if i not in done]
    # rows last, deepest and highest index first, so the other paths still point where they did
    for name in sorted(removed, key=lambda n: parse_path(n), reverse=True):
        path = parse_path(name)
        if not path or not isinstance(path[-1], int):
            continue
        try:
            del _holder(out, path[:-1])[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    if add:
        path = parse_path(add)
        template = NEW_ROWS.get(str(path[-1])) if path else None
        if template is not None:
            try:
                parent = _holder(out, path[:-1])
            except (KeyError, IndexError, TypeError):
                parent = None
            if isinstance(parent, dict):
                parent.setdefault(str(path[-1]), []).append(copy.deepcopy(template))
    return out


def _finished(value: Any) -> Any:
    """Without the blanks the form leaves: an empty field is a field not written."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _finished(v)
            if v in ("", None, []) and k != "documents":
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [_finished(v) for v in value]
    return value


def plan_yaml(data: Mapping[str, Any]) -> str:
    """The plan file the form's draft stands for, as `chibo plans publish` would read it."""
    return yaml.safe_dump(
        _finished(dict(data)),
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
