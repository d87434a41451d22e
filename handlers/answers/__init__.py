"""Replies to questions: what a subscribed cell sees. Every fact comes from a plan file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from handlers import lexicon, router
from handlers.answers import agenda, cited, days, held, named, unstated
from handlers.answers.replies import (
    _occasions,
    _targets,
    deadlines_reply,
    meeting_reply,
    passage_reply,
    plan_info_reply,
    recipients_reply,
    search_reply,
    theme_reply,
)
from handlers.answers.unstated import not_stated_reply
from handlers.answers.wording import (
    HELP,
    cell_notes,
    document_line,
    due_when,
    period_text,
    plan_label,
    status_note,
    topics_reply,
)
from handlers.intents import REMINDER_INTENTS, IntentName
from handlers.router import Intent
from handlers.types import Reply
from schedules import plan_calendar, spans, vi_format
from schedules.model import Plan
from schedules.plan_calendar import Cell, Status
from schedules.spans import Span
from schedules.vi_text import fold

# What callers outside the package use; the reply texts live in replies.py, the words in wording.py.
__all__ = [
    "GENERAL",
    "HELP",
    "Answer",
    "Part",
    "answer",
    "answer_parts",
    "document_line",
    "due_when",
    "period_text",
]


def _topics_or_period(intent: Intent, plan: Plan, cell: Cell, today: date) -> str | Part:
    """ "tháng 7 học gì", or a bare month ("tháng 7"): the topics, and its deadlines if any."""
    when = intent.when
    window = when.span if when else None
    edge = router.plan_edge_asked(intent.words)
    if edge:  # "tháng cuối của kế hoạch": the plan's own month, whatever today is
        period = plan.period.span
        day = period.start if edge == "first" else period.end
        window = spans.month_span(day.year, day.month)
    if intent.name is IntentName.PERIOD and not (when and when.kind == "span" and plan.topics):
        return _deadlines(intent, plan, cell, today)
    asked = window or spans.month_span(today.year, today.month)
    one = cited.narrowed_by_subject(plan, intent.words, asked)  # "văn bản nào về … tháng 8"
    if one:
        return one
    text = topics_reply(plan, asked)
    if (
        intent.name is IntentName.PERIOD
        and window
        and window.overlaps(plan.period.span)
        and plan_calendar.due_between(plan, cell, window)
    ):
        text += "\n\n" + deadlines_reply(plan, cell, today, window)
        return Part(text, _notes_while_running(plan, cell, today))
    return text


def _span_asked(intent: Intent) -> Span | None:
    return intent.when.span if intent.when and intent.when.kind == "span" else None


def _kind_not_set(plan: Plan, words: tuple[str, ...]) -> str | None:
    """ "hạn nộp tham luận", "hạn đăng ký kế hoạch": a kind of deadline none of the plan's dated
    items is of, said so — never the deadlines of another kind in its place."""
    titles = [fold(d.title) for d in plan.deadlines]
    titles += [fold(m.title) for m in plan.milestones] + [fold(r.title) for r in plan.recurring]
    for kind, said in lexicon.section("deadline_kinds").items():
        if lexicon.says_exactly(words, (tuple(kind.split()),)) and not any(
            kind in t for t in titles
        ):
            return (
                f"ℹ️ {plan.short_name} không nêu hạn {said}. "
                "Gõ “hạn sắp tới” để xem các hạn kế hoạch có."
            )
    return None


# "gửi trước mấy ngày so với ngày hội nghị": how long before the cell's own event each step is due
_DAYS_BEFORE = (
    ("truoc", "may", "ngay"),
    ("truoc", "bao", "nhieu", "ngay"),
    ("how", "many", "days"),
)


def _days_before(plan: Plan, cell: Cell, today: date) -> str:
    """Each step counted from the cell's own event, with its lead ("trước 5 ngày …"): the cell's
    step first, then the committee's."""
    counted = [d for d in plan.deadlines if d.relative]
    counted.sort(key=lambda d: d.audience != "cells")
    blocks = ["\n".join(named.deadline_lines(plan, d, cell, today)) for d in counted]
    return f"{plan.short_name}:\n" + "\n\n".join(blocks)


def _deadlines(intent: Intent, plan: Plan, cell: Cell, today: date) -> Part:
    if (unset := _kind_not_set(plan, intent.words)) is not None:
        return Part(unset)
    if lexicon.says_exactly(intent.words, _DAYS_BEFORE) and any(d.relative for d in plan.deadlines):
        return Part(_days_before(plan, cell, today))
    hits = named.dues_named(plan, intent.words, cell, _span_asked(intent))
    if hits:
        return Part(named.due_reply(plan, hits, cell, today, days.asked_day(intent)))
    window = intent.when.span if intent.when else None
    note = status_note(plan, today) if window is None else None
    text = deadlines_reply(plan, cell, today, window)
    return Part(f"{note}\n{text}" if note else text, _notes_while_running(plan, cell, today))


def _held(intent: Intent, plan: Plan, cell: Cell, today: date) -> Part | str:
    """When the activity is held: the plan's times of holding. How often a report is due ("báo
    cáo mấy tháng 1 lần") is asked by its deadlines, how often a rate is assessed by the target;
    a plan that sets no repeat says so, and gives what it sets with a deadline."""
    w = intent.words  # the "1" of "bao lâu 1 lần" is no round of a report ("đợt 1")
    words = tuple(
        x for i, x in enumerate(w) if not (x in ("1", "mot") and w[i + 1 : i + 2] == ("lan",))
    )
    intent = replace(intent, words=words)
    if router.phrases_found(words, IntentName.TARGETS):
        return _targets(intent, plan, cell, today)
    said = held.held_reply(plan)
    if said and not (" bao cao " in f" {' '.join(words)} " or "nop" in words):
        return Part(said)
    dues = _deadlines(intent, plan, cell, today)
    if said is None:
        return Part(f"{held.no_repeat(plan)}\n\n{dues.text}", dues.notes)
    return dues


def _notes_while_running(plan: Plan, cell: Cell, today: date) -> list[str]:
    """What the chat could tell to get its own dates, while the plan still has anything to do."""
    if plan_calendar.status(plan, today) is Status.ENDED:
        return []
    return cell_notes(plan, cell)


def _document(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    if intent.doc is None:  # "nghị quyết về … học tháng nào": the document by its subject
        month = _span_asked(intent)
        return cited.by_subject(plan, intent.words, month) or (
            "Xin ghi số văn bản, ví dụ “nghị quyết 04” hoặc “04-NQ/TW”."
        )
    if cited.is_the_plan(plan, intent.doc):  # "kh 35 thực hiện theo hướng dẫn nào"
        return plan_info_reply(plan, today, intent)
    month = intent.when.span if intent.when else None
    return cited.document_reply(plan, intent.doc, month)


def _reminders_in_chat(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    return "Tắt, tạm dừng, đổi giờ nhắc làm trong chat (/caidat); các tin nhắc sắp tới: /lichnhac."


def _done_in_chat(intent: Intent, plan: Plan, cell: Cell, today: date) -> str:
    return "Đăng ký, hủy và cài đặt làm trong chat: /dangky, /huy, /caidat."


@dataclass(frozen=True)
class Part:
    """One plan's answer, and the notes that go with it (said once, at the end: see Answer)."""

    text: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    """An answer as the conversation shows it: the body, one block per plan (soonest due first),
    and the notes about the chat's settings ("Cho tôi biết tên chi bộ …"), each once. The
    conversation shows a note once a day, not under every answer."""

    blocks: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.blocks)

    def text(self, notes: list[str] | None = None) -> str:
        shown = self.notes if notes is None else notes
        return "\n".join([self.body, *shown]) if shown else self.body


PerPlan = Callable[[Intent, Plan, Cell, date], "str | Part"]

# The answer to each question, per plan the chat follows. Intents without a plan-wide answer
# (help, greeting, unknown) are answered by GENERAL below.
PER_PLAN: dict[IntentName, PerPlan] = {
    IntentName.TOPICS: _topics_or_period,
    IntentName.PERIOD: _topics_or_period,
    IntentName.DEADLINES: _deadlines,
    IntentName.DOCUMENT_MONTH: _document,
    IntentName.THEME: lambda i, plan, c, t: theme_reply(plan),
    IntentName.AGENDA: lambda i, plan, c, t: agenda.agenda_reply(plan, i.words),
    IntentName.TARGETS: lambda i, plan, cell, today: _targets(i, plan, cell, today),
    IntentName.OCCASIONS: lambda i, plan, c, today: _occasions(i, plan, today),
    IntentName.HELD: _held,
    IntentName.PILOT: lambda i, plan, cell, today: named.pilot_reply(plan, cell, today, i.words),
    IntentName.RECIPIENTS: lambda i, plan, cell, today: recipients_reply(i, plan, cell, today),
    IntentName.NOT_STATED: lambda i, plan, cell, today: not_stated_reply(i, plan),
    IntentName.MEETING: lambda i, plan, c, t: meeting_reply(plan),
    IntentName.PLAN_INFO: lambda i, plan, c, today: plan_info_reply(plan, today, i),
    IntentName.SUBSCRIBE: _done_in_chat,
    IntentName.UNSUBSCRIBE: _done_in_chat,
    IntentName.SETTINGS: _done_in_chat,
    **dict.fromkeys(REMINDER_INTENTS, _reminders_in_chat),  # handlers/features/reminders.py
}

# With several plans followed, those that have nothing of the kind share one line at the end
# instead of one block each ("📋 Không có trình tự sinh hoạt mẫu: Kim Bảng 35-KH/HU, …").
LACKING: dict[IntentName, tuple[Callable[[Plan], bool], str]] = {
    IntentName.AGENDA: (lambda p: bool(p.agendas), "📋 Không có trình tự sinh hoạt mẫu"),
    IntentName.TARGETS: (lambda p: bool(p.targets), "📊 Không có chỉ tiêu bằng số"),
    IntentName.OCCASIONS: (lambda p: bool(p.occasions), "🎉 Không nêu dịp kỷ niệm nào"),
}

GENERAL: dict[IntentName, str] = {
    IntentName.GREETING: "Xin chào! " + HELP,
    IntentName.UNKNOWN: "Xin lỗi, tôi chưa hiểu câu này. " + HELP,
    IntentName.HELP: HELP,
}


# Intents whose words may name one deadline ("Đảng ủy sinh hoạt chuyên đề trước ngày mấy").
_MAY_NAME_A_DUE = (
    IntentName.TOPICS,
    IntentName.PERIOD,
    IntentName.UNKNOWN,
    IntentName.AGENDA,
    IntentName.THEME,
    IntentName.PLAN_INFO,
)


# Intents whose words may name a target without saying "chỉ tiêu" ("kết nạp … mấy người").
_MAY_NAME_A_TARGET = (*_MAY_NAME_A_DUE, IntentName.DEADLINES)


# Intents whose question may be about a document it names rather than about the plan.
_MAY_NAME_A_DOCUMENT = (IntentName.PLAN_INFO, IntentName.TOPICS, IntentName.UNKNOWN)


# Intents whose words may ask who or how about a passage ("ai trình bày dự thảo báo cáo").
_MAY_ASK_A_PASSAGE = (
    IntentName.AGENDA,
    IntentName.PILOT,  # "phần mở đầu buổi sinh hoạt chuyên đề làm gì": a part of the agenda
    IntentName.DEADLINES,
    IntentName.PLAN_INFO,
    IntentName.TOPICS,
    IntentName.THEME,
    IntentName.UNKNOWN,
)


def _about_the_plan(intent: Intent) -> bool:
    """A plan-info phrase of weight 3 or more ("ban hành", "bắt đầu", "số mấy ngày nào") asks
    about the plan, not a deadline sharing its words ("đợt sinh hoạt … bắt đầu khi nào")."""
    return intent.name is IntentName.PLAN_INFO and intent.score >= 3.0


def answer(intent: Intent, plans: list[Plan], cell: Cell, today: date) -> Reply:
    """The reply to a routed question, over every plan the chat follows, notes included."""
    return Reply(answer_parts(intent, plans, cell, today).text())


def answer_parts(intent: Intent, plans: list[Plan], cell: Cell, today: date) -> Answer:
    """The answer in parts: one block per plan, soonest due first, and the notes apart."""
    if intent.date_error:
        return Answer([f"⚠️ {vi_format.cap(intent.date_error)}. Xin gõ lại ngày, ví dụ 25/8/2022."])
    if intent.name is IntentName.PERIOD and intent.bare_date and days.asks_back(intent, plans):
        return Answer([days.clarify(intent)])
    plans = plan_calendar.soonest_first(plans, cell, today) if len(plans) > 1 else plans
    if intent.name is IntentName.DAY_INFO and intent.doc and intent.when is None:
        intent = replace(intent, name=IntentName.DOCUMENT_MONTH)  # "53-KH/ĐUK ngày bao nhiêu"
    if intent.doc and router.asks_next(intent.words):  # "học xong 03-NQ/TW, tiếp theo là gì"
        found = [a for p in plans if (a := cited.next_after(p, intent.doc))]
        if found:
            return Answer(found)
    if intent.doc and intent.name in _MAY_NAME_A_DOCUMENT:  # "chương trình 18 ban hành ngày nào"
        month = intent.when.span if intent.when else None
        found = [a for p in plans if (a := cited.document_answer(p, intent.doc, month))]
        if found:
            return Answer(found)
    if found := days.own_event_reply(intent, plans, cell, today):
        return Answer(found)
    if intent.name in _MAY_ASK_A_PASSAGE:
        found = [t for p in plans if (t := passage_reply(intent, p))]
        if found:
            return Answer(found)
    # "năm sau chi bộ cần hoàn thành việc gì" asks for a period's (or a deadline's) duties, not
    # the target worded "hoàn thành tốt nhiệm vụ"; "năm nay kết nạp mấy người" asks a number
    period_only = (
        _span_asked(intent) is not None or intent.name is IntentName.DEADLINES
    ) and not router.asks_quantity(intent.words)
    if intent.name in _MAY_NAME_A_TARGET and not period_only:
        targets = [
            named.target_reply(p, asked)
            for p in plans
            if (asked := named.targets_asked(p, intent.words))
        ]
        if targets:
            return Answer(targets)
    # "… trước ngày mấy" with no date in it asks for the day of the thing it names, if it names one
    # ("học tập quán triệt KL 21 phải xong trước ngày nào": a deadline citing the document named)
    cites = intent.doc if intent.name is IntentName.DOCUMENT_MONTH else None
    names_a_due = (intent.name in _MAY_NAME_A_DUE and not _about_the_plan(intent)) or (
        intent.name is IntentName.DAY_INFO and intent.when is None
    )
    if (names_a_due or cites) and router.asks_when(intent.words):
        found = [
            named.due_reply(p, hits, cell, today, days.asked_day(intent))
            for p in plans
            if (hits := named.dues_named(p, intent.words, cell, _span_asked(intent), cites))
        ]
        if found:
            return Answer(found)
    if intent.name is IntentName.DAY_INFO:
        return Answer([days.day_info(intent, plans, cell, today)])
    if intent.name is IntentName.UNKNOWN and plans:
        found = [t for p in plans if (t := search_reply(intent, p))]
        if found:
            return Answer(found)
        if unstated.asks_something(intent.words):  # asked, and no line of any plan fits it
            return Answer([unstated.nothing_found_reply(intent, p) for p in plans])
    if intent.name in GENERAL:
        return Answer([GENERAL[intent.name]])
    lacking_line = ""
    if len(plans) > 1 and intent.name in LACKING:
        has, said = LACKING[intent.name]
        lacking = [p for p in plans if not has(p)]
        if lacking:
            lacking_line = f"{said}: {', '.join(plan_label(p) for p in lacking)}."
            plans = [p for p in plans if has(p)]
    one = PER_PLAN[intent.name]
    parts = [
        p if isinstance(p, Part) else Part(p) for p in (one(intent, x, cell, today) for x in plans)
    ]
    notes = list(dict.fromkeys(n for p in parts for n in p.notes))
    return Answer([p.text for p in parts] + ([lacking_line] if lacking_line else []), notes)
