"""The plan schema. Every fact carries `quote`: a short excerpt of the seed it was read from.

Dates are written as plan authors write them (d/m/yyyy, months as m/yyyy), so a province can
add a plan without learning ISO dates; impossible dates are refused, never rounded.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from schedules import spans


def _parse_day(value: object) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    parts = text.split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"ngày phải viết dạng ngày/tháng/năm, ví dụ 20/6/2022 (gặp “{text}”)")
    d, m, y = (int(p) for p in parts)
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(f"ngày không tồn tại: {text}") from None


def _parse_month(value: object) -> tuple[int, int]:
    text = str(value).strip()
    parts = text.split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"tháng phải viết dạng tháng/năm, ví dụ 7/2022 (gặp “{text}”)")
    m, y = int(parts[0]), int(parts[1])
    if not 1 <= m <= 12:
        raise ValueError(f"tháng không tồn tại: {text}")
    return (y, m)


def _parse_day_of_year(value: object) -> tuple[int, int]:
    text = str(value).strip()
    parts = text.split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"ngày kỷ niệm viết dạng ngày/tháng, ví dụ 19/5 (gặp “{text}”)")
    d, m = int(parts[0]), int(parts[1])
    try:
        date(2024, m, d)  # a leap year, so 29/2 is allowed
    except ValueError:
        raise ValueError(f"ngày không tồn tại: {text}") from None
    return (m, d)


def _parse_span(value: object) -> spans.Span:
    if isinstance(value, spans.Span):
        return value
    return spans.parse_spec(str(value))


Day = Annotated[date, BeforeValidator(_parse_day)]
Month = Annotated[tuple[int, int], BeforeValidator(_parse_month)]
DayOfYear = Annotated[tuple[int, int], BeforeValidator(_parse_day_of_year)]
SpanSpec = Annotated[spans.Span, BeforeValidator(_parse_span)]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Quote = Annotated[str, Field(min_length=3)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where the plan file was read from. `notes` are the curator's, about how the file was made
    (for operators): never shown to a chat as what the plan says."""

    file: str = Field(min_length=1)
    quote: Quote  # the heading the number, date and issuer were read from
    notes: str = ""


class Detail(Strict):
    """A fact the plan states that no other part holds: what it implements (`about: Căn cứ`), who
    signed it, where it is publicised, what a cited regulation is about — in the plan's words."""

    about: str = Field(min_length=2)  # what the fact is, as a chat would name it: "Người ký"
    text: str = Field(min_length=2)
    quote: Quote  # the seed's words, as written (OCR seeds as scanned)
    known_as: list[str] = []  # other words a question may use for it ("ai ký", "signed")


class Period(Strict):
    start: Month = Field(alias="from")
    end: Month = Field(alias="to")
    note: str = ""
    quote: Quote

    @property
    def span(self) -> spans.Span:
        s = spans.month_span(*self.start)
        e = spans.month_span(*self.end)
        label = f"{self.start[1]}/{self.start[0]} đến {self.end[1]}/{self.end[0]}"
        return spans.Span(s.start, e.end, label)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("thời gian kết thúc (to) trước thời gian bắt đầu (from)")
        return self


class Item(Strict):
    text: str = Field(min_length=3)
    quote: Quote


class Document(Strict):
    kind: str  # Nghị quyết, Kế hoạch, Quy định, ...
    number: str = Field(min_length=3)  # 04-NQ/TW
    date: Day | None = None
    issuer: str | None = None
    title: str = Field(min_length=3)
    quote: Quote


class MonthTopics(Strict):
    month: Month
    documents: list[Document] = Field(min_length=1)
    note: str = ""


class CellEvent(Strict):
    """An event each cell fixes for itself (Kỳ Lợi: the cell's own thematic session)."""

    id: Id
    name: str
    held_by: list[Id] = []  # the deadlines by which the cell must hold it (one applies per cell)
    quote: Quote


class Relative(Strict):
    event: Id
    days_before: int = Field(ge=0, le=60)


class Deadline(Strict):
    id: Id
    title: str = Field(min_length=3)
    who: str
    to: str | None = None
    before: Day | None = None  # "trước ngày X": the last day to act is the day before X
    relative: Relative | None = None
    only_cells: list[str] = []
    except_cells: list[str] = []
    audience: Literal["cells", "upper"] = "cells"
    quote: Quote

    @model_validator(mode="after")
    def _one_anchor(self) -> Deadline:
        if (self.before is None) == (self.relative is None):
            raise ValueError("mỗi hạn cần đúng một trong hai: before (ngày) hoặc relative")
        if self.only_cells and self.except_cells:
            raise ValueError("chỉ dùng một trong hai: only_cells hoặc except_cells")
        return self


class Milestone(Strict):
    """A deadline without a day: "cuối quý II", "trong năm 2023", "đến năm 2030"."""

    id: Id
    title: str
    who: str
    to: str | None = None
    period: SpanSpec
    wording: str  # the source's own words for the time ("cuối quý II/2022")
    audience: Literal["cells", "upper"] = "cells"
    quote: Quote


class Recurring(Strict):
    """A duty repeated every quarter (or month) of the plan, with no day given."""

    id: Id
    title: str
    who: str
    to: str | None = None
    every: Literal["month", "quarter", "year"]
    audience: Literal["cells", "upper"] = "cells"
    quote: Quote


class MonthlyMeeting(Strict):
    title: str
    start: Month = Field(alias="from")
    end: Month = Field(alias="to")
    quote: Quote


class Occasion(Strict):
    id: Id
    name: str
    day: DayOfYear
    note: str = ""
    quote: Quote


class Target(Strict):
    id: Id
    text: str
    value: str  # "3%", "100%", "01 tổ chức"
    note: str = ""
    quote: Quote


class AgendaSection(Strict):
    title: str
    steps: list[str] = Field(min_length=1)


class Agenda(Strict):
    id: Id
    title: str
    sections: list[AgendaSection] = Field(min_length=1)
    quote: Quote


class Todo(Strict):
    """What an imported draft could not place: a person finishes it, then deletes the entry.

    A plan with any entry here does not load, so a draft never reaches a secretary half-done.
    """

    field: str = (
        ""  # where the answer goes ("issued", "deadlines[2].who"); empty for the whole plan
    )
    message: str = Field(min_length=3)  # what to do, in Vietnamese
    quote: str = ""  # the source text it is about, verbatim


class Plan(Strict):
    id: Id
    short_name: str
    title: str
    issuer: str
    number: str | None = None
    issued: Day | None = None
    issued_note: str = ""
    place: str | None = None
    theme: str | None = None
    applies_to: str
    period: Period
    source: Source
    contents: list[Item] = []
    topics: list[MonthTopics] = []
    deadlines: list[Deadline] = []
    cell_events: list[CellEvent] = []
    milestones: list[Milestone] = []
    recurring: list[Recurring] = []
    monthly_meeting: MonthlyMeeting | None = None
    occasions: list[Occasion] = []
    targets: list[Target] = []
    agendas: list[Agenda] = []
    details: list[Detail] = []
    todo: list[Todo] = []


def todo_line(field: str, message: str) -> str:
    where = f" ({field})" if field else ""
    return f"việc chưa hoàn thiện{where}: {message} — làm xong thì xóa mục này khỏi todo"


Loc = tuple[str | int, ...]


def consistency_problems(plan: Plan) -> list[tuple[Loc, str]]:
    """What pydantic cannot see field by field: duplicate ids, months outside the period, dangling refs."""
    out: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for group in (
        "deadlines",
        "cell_events",
        "milestones",
        "recurring",
        "occasions",
        "targets",
        "agendas",
    ):
        for i, thing in enumerate(getattr(plan, group)):
            if thing.id in seen:
                out.append(((group, i, "id"), f"trùng id “{thing.id}”"))
            seen.add(thing.id)
    period = plan.period
    seen_months: set[tuple[int, int]] = set()
    for i, t in enumerate(plan.topics):
        y, m = t.month
        if not period.start <= t.month <= period.end:
            out.append(
                (
                    (("topics", i, "month")),
                    f"tháng {m}/{y} nằm ngoài thời gian kế hoạch ({period.span.text()})",
                )
            )
        if t.month in seen_months:
            out.append((("topics", i, "month"), f"tháng {m}/{y} khai báo hai lần"))
        seen_months.add(t.month)
    mm = plan.monthly_meeting
    if mm and not (period.start <= mm.start <= mm.end <= period.end):
        out.append((("monthly_meeting",), "sinh hoạt hằng tháng nằm ngoài thời gian kế hoạch"))
    events = {e.id for e in plan.cell_events}
    for i, d in enumerate(plan.deadlines):
        if d.relative and d.relative.event not in events:
            out.append(
                (
                    ("deadlines", i, "relative", "event"),
                    f"sự kiện “{d.relative.event}” chưa khai báo trong cell_events",
                )
            )
    deadline_ids = {d.id for d in plan.deadlines}
    for i, e in enumerate(plan.cell_events):
        for j, ref in enumerate(e.held_by):
            if ref not in deadline_ids:
                out.append(
                    (("cell_events", i, "held_by", j), f"không có hạn “{ref}” trong deadlines")
                )
    for i, todo in enumerate(plan.todo):
        out.append((("todo", i), todo_line(todo.field, todo.message)))
    return out
