"""Every answer path through the real Conversation, fed dates from year 0 to far beyond 9999 and
the phrases built from them, answers in words — never the apology for an error (a year like 9999
raised in `_next_after` and `asks_back`, a traceback per message in the running bot)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from schedules import catalog
from tests.handlers.conversing import Chat
from tests.schedules.date_phrases_strategy import MOMENTS, phrases, questions

FAILED = "gặp lỗi khi xử lý"  # handlers/conversation.py: what a chat sees when handling raised
PLANS = (
    "kim-bang-35-2022",
    "ky-loi-2022",
    "nq21-huyen-2022",
    "thai-nguyen-49-2022",
    "tra-vinh-60-2022",
)
# The commands and settings that take a date or a time after them.
COMMANDS = ("/hanchot {}", "/thangnay {}", "/lichnhac {}", "{} mình họp chi bộ nhé", "nhắc tôi {}")
SETTINGS = ("/caidat", "hạn nộp báo cáo")

FAST = settings(max_examples=60, deadline=None)
CAT = catalog.load()  # the shipped plans, loaded once for every example


def _answered(replies: str, text: str) -> None:
    assert FAILED not in replies, (text, replies)
    assert replies.strip(), text


@FAST
@given(plan=st.sampled_from(PLANS), text=questions(), now=MOMENTS)
def test_every_question_is_answered(plan: str, text: str, now: datetime) -> None:
    chat = Chat(CAT, now=now)
    chat.follows(plan)
    _answered(asyncio.run(chat(text)), text)


@FAST
@given(
    plan=st.sampled_from(PLANS),
    command=st.sampled_from(COMMANDS),
    phrase=phrases(),
    now=MOMENTS,
)
def test_every_command_with_a_date_is_answered(
    plan: str, command: str, phrase: str, now: datetime
) -> None:
    chat = Chat(CAT, now=now)
    chat.follows(plan)
    text = command.format(phrase)
    _answered(asyncio.run(chat(text)), text)


@FAST
@given(plan=st.sampled_from(PLANS), phrase=phrases(), now=MOMENTS)
def test_a_date_typed_into_a_setting_is_answered(plan: str, phrase: str, now: datetime) -> None:
    """A setting's prompt answered with a date: read back or refused, never an error."""

    async def talk() -> str:
        chat = Chat(CAT, now=now)
        chat.follows(plan)
        shown = await chat.reply("/caidat")
        said = []
        for row in shown.buttons[:4]:
            for button in row[:1]:
                await chat.reply(callback=button.data)
                said.append(await chat(phrase))
        return "\n".join(said)

    _answered(asyncio.run(talk()) or "-", phrase)


async def test_year_9999_is_refused_in_words(chat: Chat) -> None:
    chat.follows("kim-bang-35-2022")
    for text in ("hạn nộp 31/12/9999", "cuối năm 9999"):
        said = await chat(text, at="2026-12-07T08:00")
        assert FAILED not in said and "9999" in said, said
