"""The same question in other words than the standard ones: Telex tone keys left at word ends,
English (and English that is no Telex leftover), Central Vietnamese, an English month name."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import TZ


async def test_telex_tone_keys_left_at_word_ends_are_read_as_the_words(chat):
    reply = await chat.ask("tra-vinh-60-2022", "thangs 7 hocj nhungx gi", "2022-06-20T08:00")
    assert reply.text.startswith("📚 Tháng 7/2022") and "04-NQ/TW" in reply.text
    due = await chat.ask(
        "ky-loi-2022", "ngayf nao het hanj gui ke hoach sinh hoat chuyen de", "2022-08-20T08:00"
    )
    assert "24/8/2022" in due.text


async def test_english_this_is_not_a_telex_leftover(chat):
    reply = await chat.ask("tra-vinh-60-2022", "which documents this month", "2022-05-03T08:00")
    assert reply.text.startswith("📚 Tháng 5/2022")


@pytest.mark.parametrize(
    "central",
    ["tháng ni học chi rứa", "thang ni chi bo minh hoc chi", "tháng 9 ni hc chi rứa ad?"],
)
async def test_central_vietnamese_asks_what_is_studied_as_the_standard_words_do(chat, central):
    # "ni" is "này", "chi" is "gì" after "học", "rứa" is "vậy"; "chi bộ" is still the cell
    chat.follows("tra-vinh-60-2022", rule=None)
    now = datetime(2022, 9, 6, 8, 0, tzinfo=TZ)
    standard = await chat.send("tháng 9 học gì", at=now)
    replies = await chat.send(central, at=now)
    assert "KH/" in standard[0].text
    assert replies[0].text == standard[0].text


@pytest.mark.parametrize(
    "english", ["topics for october?", "what is the topic of the october meeting"]
)
async def test_a_month_named_alone_in_english_asks_that_month_as_the_vietnamese_does(chat, english):
    chat.follows("tra-vinh-60-2022", rule=None)
    now = datetime(2022, 9, 6, 8, 0, tzinfo=TZ)
    standard = await chat.send("tháng 10 học gì", at=now)
    replies = await chat.send(english, at=now)
    assert "tháng 10" in standard[0].text.lower() and "KH/" in standard[0].text
    assert replies[0].text == standard[0].text
