"""Questions about the chat's plans, typed freely or asked by command or quick button."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import answers
from handlers.answers import days, other_plans
from handlers.buttons import Ask
from handlers.feature import Feature, Turn
from handlers.features.common import QUICK, offer_plans
from handlers.intents import IntentName
from handlers.router import route
from handlers.types import Reply
from schedules import plan_calendar
from schedules.vi_text import cell_key, fold

feature = Feature("questions")

# Answered the same with or without a plan: no plan needed, no plan list offered.
WITHOUT_PLAN = (IntentName.HELP, IntentName.GREETING, IntentName.UNKNOWN)
# What the chat does (subscribe, settings) is another feature's; everything else is a question.
QUESTIONS = tuple(
    i
    for i in IntentName
    if i not in (IntentName.SUBSCRIBE, IntentName.UNSUBSCRIBE, IntentName.SETTINGS)
)
ASKED = {"topics": "tháng này học gì", "deadlines": "hạn chót"}  # what a quick button asks


@feature.command("help", "trogiup", "giup", description="Các câu hỏi và lệnh")
async def help_(turn: Turn) -> list[Reply]:
    return [Reply(answers.HELP + "\n\n" + turn.conversation.command_help, (QUICK,))]


@feature.command("thangnay", description="Tháng này học gì", hint="tháng này học gì")
async def this_month(turn: Turn) -> list[Reply]:
    return _answer(turn.but(intent=route(ASKED["topics"], turn.now)))


@feature.command("hanchot", description="Các hạn sắp tới", hint="hạn sắp tới")
async def deadlines(turn: Turn) -> list[Reply]:
    return _answer(turn.but(intent=route(ASKED["deadlines"], turn.now)))


@feature.button(Ask)
async def quick(turn: Turn) -> list[Reply]:
    return _answer(turn.but(intent=route(ASKED[turn.press.what], turn.now)))


@feature.intent(*QUESTIONS)
async def asked(turn: Turn) -> list[Reply]:
    return _answer(turn)


def _answer(turn: Turn) -> list[Reply]:
    intent = turn.intent
    assert intent is not None
    sub = turn.sub
    plans = turn.plans(sub)
    if intent.name in WITHOUT_PLAN or intent.date_error:
        reply = answers.answer(intent, plans, plan_calendar.Cell(), turn.today)
        return [reply.with_buttons(QUICK) if plans else reply]
    if not plans:
        return [
            offer_plans(
                turn, "Chat này chưa đăng ký kế hoạch nào. Chọn kế hoạch để tôi trả lời đúng:"
            )
        ]
    cell = sub.cell() if sub else plan_calendar.Cell()
    if intent.cell and _looks_like_a_name(intent.cell):
        cell = plan_calendar.Cell(intent.cell, cell.dates)
    named_cell = _cell_named(turn.args, plans)
    if named_cell:  # "chi bo Tan Phuc Thanh 3 …": the cell the plan names, however typed
        cell = plan_calendar.Cell(named_cell, cell.dates)
    other = _other_plans(turn, plans)
    if other:
        return [other]
    if intent.name is IntentName.MEETING and sub:
        rule, moved = sub.meeting_rule, sub.meeting_days
        return [Reply(days.meeting_reply(intent, rule, moved, plans, turn.today))]
    return [answers.answer(intent, plans, cell, turn.today)]


# "Chi bộ mình có phải chi bộ điểm không" names no cell: words a cell's name never holds.
_NOT_A_NAME = {"minh", "diem", "nao", "co", "khong", "thi", "la", "ko", "k", "phai", "toi", "nay"}


def _looks_like_a_name(name: str) -> bool:
    words = cell_key(name).split()
    return 0 < len(words) <= 5 and not _NOT_A_NAME & set(words)


def _cell_named(text: str, plans: list) -> str | None:
    folded = f" {re.sub(r'[^a-z0-9]+', ' ', fold(text))} "
    for plan in plans:
        for d in plan.deadlines:
            for name in d.only_cells + d.except_cells:
                if f" {cell_key(name)} " in folded:
                    return name
    return None


def _other_plans(turn: Turn, plans: list) -> Reply | None:
    """A question naming a plan the chat does not follow: answered from that plan and saying so,
    or, for a wish to be reminded of it, how to add it. Never silently from the wrong plan."""
    text, intent = turn.args, turn.intent
    assert intent is not None
    ids = {p.id for p in plans}
    others = [p for p in other_plans.named_plans(text, turn.catalog.sorted()) if p.id not in ids]
    if others and other_plans.own_document(text, plans):
        others = [p for p in others if other_plans.named_by_place(text, p)]
    if not others:
        return None
    if other_plans.is_wish(text) or intent.name in (IntentName.SUBSCRIBE, IntentName.SETTINGS):
        return Reply("\n".join(other_plans.not_followed(p) for p in others))
    if intent.name in (IntentName.HELP, IntentName.GREETING):
        intent = replace(intent, name=IntentName.PLAN_INFO)
    body = answers.answer(intent, others, plan_calendar.Cell(intent.cell), turn.today)
    if body.text == answers.GENERAL.get(intent.name):  # nothing found: what the plan is
        body = answers.answer(
            replace(intent, name=IntentName.PLAN_INFO), others, plan_calendar.Cell(), turn.today
        )
    note = "\n".join(other_plans.answered_from(p) for p in others)
    return Reply(f"{note}\n{body.text}")
