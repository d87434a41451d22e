"""Loading plan files: YAML → Plan, with Vietnamese errors that name file, line and field.

A broken file is reported and skipped; it never takes the other plans down. Besides the shipped
plans, a catalog may read a plans folder outside the package (published plans); `refresh()`
reloads it when a file there was added, changed or removed, so a running bot needs no restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from schedules.model import Loc, Plan, consistency_problems, todo_line

PLANS_DIR = Path(__file__).parent / "plans"
# Files in a plans folder that are not plans: the committees' configuration may live beside them.
NOT_PLANS = frozenset({"committees.yaml"})


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (so 31/2 is our error, not PyYAML's) and remembers lines.

    Aliases (`*name`) are refused: a plan never needs one, and nested aliases ("billion laughs")
    make a few lines of text a structure that takes forever to walk or validate."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: yaml.Event = self.get_event()  # type: ignore[no-untyped-call]
            mark = event.start_mark if isinstance(event.start_mark, yaml.error.Mark) else None
            raise yaml.composer.ComposerError(
                None, None, "tệp kế hoạch không dùng bí danh YAML (*…)", mark
            )
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, dòng {self.line}"
        return (
            f"{where}, trường “{self.field}”: {self.message}"
            if self.field
            else f"{where}: {self.message}"
        )


Signature = tuple[tuple[str, int, int], ...]  # (file, size, mtime in ns) of every plan file


@dataclass
class Catalog:
    plans: dict[str, Plan] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sources: tuple[Path, ...] = ()  # the files and folders it was loaded from, in order
    signature: Signature = ()
    origins: dict[str, Path] = field(default_factory=dict)  # plan id → the file it came from

    def get(self, plan_id: str) -> Plan | None:
        return self.plans.get(plan_id)

    def sorted(self) -> list[Plan]:
        return sorted(self.plans.values(), key=lambda p: p.id)

    def changed(self) -> bool:
        """Whether a plan file was added, changed or removed since loading (a few stat calls)."""
        return bool(self.sources) and _signature(_files(self.sources)) != self.signature

    def refresh(self) -> bool:
        """Reload when the files changed. `plans` is then a new dict (whoever indexed the old one
        sees that it must rebuild) and `problems` says what is broken now. True when reloaded."""
        if not self.changed():
            return False
        fresh = load(list(self.sources))
        self.plans, self.problems, self.signature = fresh.plans, fresh.problems, fresh.signature
        self.origins = fresh.origins
        return True


def _lines(node: yaml.Node, path: Loc = ()) -> dict[Loc, int]:
    out = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            out.update(_lines(v, (*path, k.value)))
            out[(*path, k.value)] = k.start_mark.line + 1  # an error on a field points at its key
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out.update(_lines(v, (*path, i)))
    return out


def _line_of(lines: dict[Loc, int], loc: Loc) -> int:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 1


def _loc_of(field: str) -> Loc:
    """ "deadlines[2].who" → ("deadlines", 2, "who"): a todo's field as a place in the file."""
    return tuple(
        int(index) if index else name for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field)
    )


def _todo_line(lines: dict[Loc, int], i: int, field: str) -> int:
    """The line a todo is about: its field's, or where that field would go (its holder, as in
    deadlines[2] for a missing deadlines[2].audience); the todo's own line for the whole plan or
    a top-level field not written yet."""
    loc = _loc_of(field)
    for n in range(len(loc), 0, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return _line_of(lines, ("todo", i))


def _field(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không có trong mẫu kế hoạch (gõ sai tên?)",
    "string_type": "phải là chữ",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "list_type": "phải là danh sách (mỗi mục bắt đầu bằng “- ”)",
    "model_type": "phải là một nhóm trường (key: value)",
    "dict_type": "phải là một nhóm trường (key: value)",
    "string_pattern_mismatch": "id chỉ gồm chữ thường không dấu, số và dấu gạch ngang",
    "string_too_short": "quá ngắn hoặc để trống",
    "too_short": "danh sách không được để trống",
    "literal_error": "giá trị không hợp lệ",
    "greater_than_equal": "phải lớn hơn hoặc bằng 0",
    "less_than_equal": "quá lớn",
}


def _message(err: ErrorDetails) -> str:
    if err["type"] == "value_error":
        return str(err["ctx"]["error"])
    if err["type"] == "literal_error":
        return f"giá trị phải là một trong: {err['ctx']['expected']}"
    return _MESSAGES.get(err["type"], err["msg"])


def _clean_loc(loc: Loc) -> Loc:
    # pydantic puts validator names such as "function-before[...]" into locs; drop them.
    return tuple(p for p in loc if isinstance(p, int) or "[" not in p)


def _raw_todos(data: dict[str, Any]) -> list[tuple[int, str, str]]:
    """The todo entries of a file that does not validate, read leniently so each is still reported."""
    raw = data.get("todo")
    if not isinstance(raw, list):
        return []
    out: list[tuple[int, str, str]] = []
    for i, entry in enumerate(raw):
        if isinstance(entry, dict):
            out.append(
                (i, str(entry.get("field") or ""), str(entry.get("message") or "cần xem lại"))
            )
    return out


def load_file(path: Path) -> tuple[Plan | None, list[Problem]]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return None, [Problem(name, 1, "", f"không đọc được tệp ({e.__class__.__name__})")]
    return load_text(text, name)


def load_text(text: str, name: str) -> tuple[Plan | None, list[Problem]]:
    """A plan file's text → the plan, or the problems (named `name`, with lines) that keep it
    out: what `chibo plans check` says, for a text that never touched the disk (a chat upload)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, [Problem(name, line, "", f"tệp YAML sai cú pháp ({getattr(e, 'problem', e)})")]
    if node is None or not isinstance(data, dict):
        return None, [Problem(name, 1, "", "tệp kế hoạch phải là một nhóm trường (id, title, …)")]
    lines = _lines(node)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as e:
        # A draft names in `todo` the fields it left for a person: say that once, not also "missing".
        todos = _raw_todos(data)
        left_open = {field for _, field, _ in todos}
        problems = []
        for err in e.errors():
            loc = _clean_loc(err["loc"])
            if err["type"] == "missing" and _field(loc) in left_open:
                continue
            problems.append(Problem(name, _line_of(lines, loc), _field(loc), _message(err)))
        for i, field, message in todos:
            problems.append(
                Problem(name, _todo_line(lines, i, field), "", todo_line(field, message))
            )
        return None, problems
    problems = [
        Problem(name, _line_of(lines, loc), _field(loc), msg)
        for loc, msg in consistency_problems(plan)
        if loc[0] != "todo"
    ]
    problems += [
        Problem(name, _todo_line(lines, i, t.field), "", todo_line(t.field, t.message))
        for i, t in enumerate(plan.todo)
    ]
    return (None if problems else plan), problems


def _files(paths: tuple[Path, ...] | list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(f for f in sorted(p.glob("*.yaml")) if f.name not in NOT_PLANS)
        elif p.exists() or p.suffix:  # a folder not created yet holds no plans (yet)
            files.append(p)
    return files


def _signature(files: list[Path]) -> Signature:
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append((str(f), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((str(f), -1, -1))
    return tuple(out)


def load(paths: list[Path] | None = None, extra: list[Path] | None = None) -> Catalog:
    """Load the shipped plans (or the given files/folders), then the `extra` folders (published
    plans). Duplicate plan ids are refused: the first file keeps its id."""
    sources = tuple([*(paths or [PLANS_DIR]), *(extra or [])])
    files = _files(sources)
    cat = Catalog(sources=sources, signature=_signature(files))
    origin = cat.origins
    for f in files:
        plan, problems = load_file(f)
        cat.problems.extend(problems)
        if plan is None:
            continue
        if plan.id in cat.plans:
            cat.problems.append(
                Problem(str(f), 1, "id", f"trùng id kế hoạch “{plan.id}” với tệp {origin[plan.id]}")
            )
            continue
        cat.plans[plan.id] = plan
        origin[plan.id] = f
    return cat
