"""The question router and every answer over random text, 5,000-character pastes and all
corpus phrases with random typos: no exception, and a non-empty reply for every plan."""

from datetime import datetime

from bot.clock import TZ
from handlers import answers
from handlers.router import route
from schedules import catalog
from schedules.plan_calendar import Cell
from tests.handlers.sweep_inputs import messages

NOW = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)


def test_sweep_never_raises():
    plans = catalog.load().sorted()
    cell = Cell("Chi bộ Tân Phúc Thành 3")
    for text in messages():
        intent = route(text[:500], NOW)  # the conversation routes a message's first 500 chars
        for plan in plans:
            reply = answers.answer(intent, [plan], cell, NOW.date())
            assert reply.text.strip(), text
