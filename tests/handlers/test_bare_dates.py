"""A message that is nothing but a time (issue 11): not a question about that day's deadlines
unless the words ask it. Asked back, even when it opens by calling the bot; a bare period is
asked back too, unless a plan lists documents to study in it."""

from datetime import datetime

import pytest

from bot.clock import TZ
from handlers.conversation import Conversation
from handlers.state import MemoryStore, Subscription
from handlers.types import Incoming
from schedules import catalog

CAT = catalog.load()


async def reply_to(plan: str, text: str, now: datetime, group: bool = False) -> str:
    store = MemoryStore()
    await store.save(Subscription("test", "1", (plan,), is_group=group))
    conv = Conversation(CAT, store)
    msg = Incoming("test", "1", "u1", text=text, is_group=group, is_group_admin=True)
    return "\n".join(r.text for r in await conv.handle(msg, now))


@pytest.mark.parametrize(
    "text",
    ["@chibo_helper_bot 19/5", "Bot ơi, 19/5", "ad ơi 19/5", "trợ lý 19/5"],
)
async def test_a_date_after_a_call_to_the_bot_is_asked_back(text):
    # Trà Vinh's quarterly report is what a date phrase used to list as "due" on any day.
    now = datetime(2022, 5, 10, 9, 0, tzinfo=TZ)
    said = await reply_to("tra-vinh-60-2022", text, now, group=True)
    assert said.startswith("📅 Thứ Năm, 19/5/2022. Đồng chí muốn hỏi gì về ngày này?")
    assert "Báo cáo kết quả" not in said


async def test_the_words_asking_still_get_the_days_deadlines():
    now = datetime(2022, 2, 21, 8, 0, tzinfo=TZ)
    said = await reply_to("thai-nguyen-49-2022", "Trợ lý ơi 27/2 có hạn gì", now)
    assert "(lần 1)" in said


async def test_a_bare_period_without_documents_to_study_is_asked_back():
    now = datetime(2022, 11, 20, 9, 0, tzinfo=TZ)
    said = await reply_to("nq21-huyen-2022", "quý 4", now)
    assert said.startswith("📅 Quý IV/2022 (1/10/2022–31/12/2022). Đồng chí muốn hỏi gì")
    assert "“quý IV/2022 có hạn gì?”" in said
    assert "Đánh giá" not in said


async def test_a_bare_month_with_documents_to_study_still_shows_them():
    now = datetime(2022, 6, 1, 9, 0, tzinfo=TZ)
    said = await reply_to("tra-vinh-60-2022", "tháng 7", now)
    assert "Đồng chí muốn hỏi gì" not in said
    assert "04-NQ/TW" in said  # the first document July lists
