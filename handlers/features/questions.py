"""Questions about the chat's plans, typed freely or asked by command or quick button."""

from __future__ import annotations

from handlers import answers
from handlers.buttons import Ask
from handlers.feature import Feature, Turn
from handlers.features.common import QUICK, offer_plans
from handlers.intents import IntentName
from handlers.router import route
from handlers.settings import meeting_summary
from handlers.types import Reply
from schedules import plan_calendar

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
    if intent.cell:
        cell = plan_calendar.Cell(intent.cell, cell.dates)
    if intent.name is IntentName.MEETING and sub and sub.meeting_rule:
        return [Reply(meeting_summary(sub, turn.today))]
    return [answers.answer(intent, plans, cell, turn.today)]
