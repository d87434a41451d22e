"""Questions about the chat's plans, typed freely or asked by command or quick button."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import datetime

from handlers import answers, paging, time_read, two_questions
from handlers.answers import days, given_day, other_plans
from handlers.buttons import Ask, Page
from handlers.feature import Feature, Turn
from handlers.features.common import QUICK, offer_plans
from handlers.intents import REMINDER_INTENTS, IntentName
from handlers.lexicon import words_of
from handlers.router import route
from handlers.types import Reply
from schedules import plan_calendar, vi_format
from schedules.vi_text import cell_key, fold

feature = Feature("questions")

# Answered the same with or without a plan: no plan needed, no plan list offered.
WITHOUT_PLAN = (IntentName.HELP, IntentName.GREETING, IntentName.UNKNOWN)
# What the chat does (subscribe, settings) is another feature's; everything else is a question.
QUESTIONS = tuple(
    i
    for i in IntentName
    if i not in (IntentName.SUBSCRIBE, IntentName.UNSUBSCRIBE, IntentName.SETTINGS)
    and i not in REMINDER_INTENTS  # the reminders feature's
)
ASKED = {"topics": "tháng này học gì", "deadlines": "hạn chót"}  # what a quick button asks


@feature.command("help", "trogiup", "giup", description="Các câu hỏi và lệnh")
async def help_(turn: Turn) -> list[Reply]:
    return [Reply(answers.HELP + "\n\n" + turn.conversation.command_help, (QUICK,))]


@feature.command("thangnay", description="Tháng này học gì", hint="tháng này học gì")
async def this_month(turn: Turn) -> list[Reply]:
    return await _paged(turn, ASKED["topics"])


@feature.command("hanchot", description="Các hạn sắp tới", hint="hạn sắp tới")
async def deadlines(turn: Turn) -> list[Reply]:
    return await _paged(turn, ASKED["deadlines"])


@feature.button(Ask)
async def quick(turn: Turn) -> list[Reply]:
    return await _paged(turn, ASKED[turn.press.what])


@feature.intent(*QUESTIONS)
async def asked(turn: Turn) -> list[Reply]:
    return await _paged(turn, turn.args)


# ------------------------------------------------------------------ one screen at a time
#
# An answer longer than a phone screen shows its first page with “Xem tiếp” / “Xem hết”. What
# is kept (in the store's runtime values, one entry per chat) is the question, the moment it was
# asked and the notes shown with it — not the text: the pages are recomputed from the question
# at that moment, so a press minutes (or a restart) later shows exactly what followed, and a
# press on an older answer, another day's, or one whose plan changed meanwhile is told so.

STALE_PAGE = (
    "Nút này thuộc một câu trả lời cũ (chat đã hỏi câu khác sau đó). Xin hỏi lại để xem đủ, "
    "ví dụ “hạn sắp tới tất cả”."
)


def _pages_key(turn: Turn) -> str:
    return turn.chat_key("pages")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


async def _paged(turn: Turn, asked: str, notes: list[str] | None = None) -> list[Reply]:
    """The answer to `asked`; its first page only when it is longer than a screen and the user
    did not ask for everything ("tất cả", "xem hết", "all")."""
    replies, shown = await _answer(turn.but(intent=turn.intent or route(asked, turn.now)), notes)
    said = "\n".join(shown)
    pages = _split(turn, replies[0].text, said) if len(replies) == 1 else []
    if len(pages) < 2 or paging.asks_for_all(asked):
        return [_with_notes(r, said) for r in replies]
    reply = replies[0]
    state = {
        "id": turn.token(asked),
        "q": asked,
        "at": turn.now.isoformat(),
        "notes": shown,
        "digest": _digest(reply.text),
        "shown": 1,
    }
    await turn.store.set_runtime(_pages_key(turn), state)
    if not _narrow(turn):
        pages = [_with_notes_text(pages[0], said), *pages[1:]]
    return [_page(turn, state, pages, 1, reply)]


def _narrow(turn: Turn) -> bool:
    return paging.screen(turn.msg.platform).body < paging.BODY


def _split(turn: Turn, text: str, said: str) -> list[str]:
    """The answer's pages on this chat's platform. On a wide screen the notes go beside the first
    page (its room made for them); on a narrow one the answer comes first and the notes are paged
    after it, every page as small as the first so no block overfills it."""
    screen = paging.screen(turn.msg.platform)
    if not _narrow(turn):
        return paging.split(text, screen.body - len(said), screen.body, screen.whole)
    whole = f"{text}\n\n{said}" if said else text
    return paging.split(whole, screen.body, screen.body, screen.whole)


def _with_notes_text(text: str, said: str) -> str:
    return f"{text}\n{said}" if said else text


def _with_notes(reply: Reply, said: str) -> Reply:
    """Notes go under the answer, or under its first page when it has several."""
    return replace(reply, text=_with_notes_text(reply.text, said)) if said else reply


def _page(turn: Turn, state: dict, pages: list[str], n: int, reply: Reply, rest=False) -> Reply:
    """Page n (from 1) with its footer and buttons, or every page from n on when `rest`."""
    if rest or n == len(pages):
        return Reply("\n\n".join(pages[n - 1 :]), reply.buttons)
    later = "\n\n".join(pages[n:])
    here = pages[n - 1]
    names = [
        p.short_name for p in turn.plans() if p.short_name in later and p.short_name not in here
    ]
    left = f"Còn: {', '.join(names)}."
    if not names or len(left) > paging.FOOTER - 70:  # a summary that would not fit: the count
        left = f"Còn {len(pages) - n} trang nữa."
    footer = f"— Trang {n}/{len(pages)}. {left} Bấm “Xem tiếp” hoặc gõ “xem hết”."
    more = (
        Page(state["id"], n + 1).button(f"▶️ Xem tiếp ({n + 1}/{len(pages)})"),
        Page(state["id"], n + 1, rest=True).button("📄 Xem hết"),
    )
    return Reply(f"{pages[n - 1]}\n\n{footer}", (more, *reply.buttons))


@feature.button(Page)
async def next_page(turn: Turn) -> list[Reply]:
    return await _show_page(turn, turn.press.answer, turn.press.page, turn.press.rest)


def _wants_more(turn: Turn):
    """ "xem tiếp" / "xem hết" typed after a long answer (the button, by hand)."""
    return paging.wants_more(turn.args) if len(turn.args) < 30 else None


ALL_SHOWN = "Câu trả lời trước đã hiện đủ, không còn trang nào nữa."


@feature.text(_wants_more)
async def more_typed(turn: Turn) -> list[Reply]:
    state = turn.store.runtime(_pages_key(turn))
    if not isinstance(state, dict):  # nothing was paged: all there was has been shown
        return [Reply(ALL_SHOWN)]
    n = int(state.get("shown", 1)) + 1
    return await _show_page(turn, str(state.get("id", "")), n, turn.match == "rest")


async def _show_page(turn: Turn, token: str, n: int, rest: bool) -> list[Reply]:
    state = turn.store.runtime(_pages_key(turn))
    if not isinstance(state, dict) or state.get("id") != token:
        return [Reply(STALE_PAGE)]
    at = datetime.fromisoformat(state["at"])
    asked = state["q"]
    if at.date() != turn.today:
        return [
            Reply(
                f"Câu trả lời này là của {vi_format.full(at.date())}; số ngày còn lại đã đổi. "
                f"Xin hỏi lại: “{asked[:80]}”."
            )
        ]
    again = turn.but(args=asked, intent=route(asked, at), now=at)
    notes = list(state.get("notes") or [])
    replies, _ = await _answer(again, notes)
    said = "\n".join(notes)
    pages = _split(turn, replies[0].text, said) if len(replies) == 1 else []
    same = bool(pages) and _digest(replies[0].text) == state.get("digest")
    if same and n > len(pages):  # every page already shown: nothing changed, nothing is left
        return [Reply(f"{ALL_SHOWN} Câu hỏi: “{asked[:80]}”.")]
    if not same or n > len(pages):
        return [
            Reply(
                "Kế hoạch hoặc cài đặt của chat đã thay đổi sau câu hỏi này, nên trang đó không "
                f"còn đúng. Xin hỏi lại: “{asked[:80]}”."
            )
        ]
    await turn.store.set_runtime(_pages_key(turn), {**state, "shown": len(pages) if rest else n})
    return [_page(turn, state, pages, n, replies[0], rest)]


# ------------------------------------------------------------------ the answer itself

# runtime value turn.chat_key("notes"): notes shown today, {"day": iso, "shown": [digest, …]}


async def _notes_to_show(turn: Turn, notes: list[str]) -> list[str]:
    """Notes about the chat's settings are said once a day, not under every answer."""
    if not notes:
        return []
    key = turn.chat_key("notes")
    kept = turn.store.runtime(key)
    today = turn.today.isoformat()
    seen = set(kept["shown"]) if isinstance(kept, dict) and kept.get("day") == today else set()
    fresh = [n for n in notes if _digest(n) not in seen]
    if fresh:
        shown = sorted(seen | {_digest(n) for n in fresh})
        await turn.store.set_runtime(key, {"day": today, "shown": shown})
    return fresh


async def _answer(turn: Turn, notes: list[str] | None = None) -> tuple[list[Reply], list[str]]:
    """The answer to the turn's intent without its notes, and the notes to show with it.
    `notes`: given (a page recomputed has those its first page had), or None: those not yet
    shown today."""
    intent = turn.intent
    assert intent is not None
    sub = turn.sub
    plans = turn.plans(sub)
    cell = sub.cell() if sub else plan_calendar.Cell()
    other = _other_plans(turn, plans) if plans else None
    if other:
        return [other], []
    # "tháng này học gì, với lại báo cáo quý nộp khi nào": each question answered, in turn
    apart = two_questions.asked_apart(turn.args, turn.now) if plans else []
    if any(i.name is IntentName.MEETING for i in apart):  # the cell's meeting: asked alone
        apart = []
    if (intent.name in WITHOUT_PLAN or intent.date_error) and not apart:
        reply = answers.answer(intent, plans, cell, turn.today)
        return [reply.with_buttons(QUICK) if plans else reply], []
    if not plans:
        text = "Chat này chưa đăng ký kế hoạch nào. Chọn kế hoạch để tôi trả lời đúng:"
        return [offer_plans(turn, text)], []
    if intent.cell and _looks_like_a_name(intent.cell):
        cell = plan_calendar.Cell(intent.cell, cell.dates)
    named_cell = _cell_named(turn.args, plans)
    if named_cell:  # "chi bo Tan Phuc Thanh 3 …": the cell the plan names, however typed
        cell = plan_calendar.Cell(named_cell, cell.dates)
    g = given_day.given(turn.args or "", intent, plans, cell, turn.now)
    if g is not None and not days.own_event_reply(
        intent, plans, cell, turn.today
    ):  # "họp chuyên đề ngày 15/9 thì nộp báo cáo trước ngày nào": that day
        asked, cell, prefaced = given_day.asked(intent, cell, g)
        if prefaced:
            head = given_day.preface(g, cell, turn.today)
            return [
                Reply(
                    f"{head}\n\n{given_day.counted_from(g, cell, turn.today, tuple(words_of(turn.args or '')))}"
                )
            ], []
        return [Reply(answers.answer_parts(asked, plans, cell, turn.today).body)], []
    if intent.name is IntentName.MEETING and sub:
        rule, moved = sub.meeting_rule, sub.meeting_days
        told = time_read.stated_rule(turn.args or "")
        if told is not None and told != rule:  # "chi bộ họp ngày 10 hằng tháng, tháng 9 …"
            rule, moved = told, {}  # the rule given is the one asked about; it is not saved
        meeting = days.meeting_reply(intent, rule, moved, plans, turn.today, told=told is not None)
        return [Reply(meeting)], []
    found = [answers.answer_parts(i, plans, cell, turn.today) for i in apart or [intent]]
    said = list(dict.fromkeys(n for f in found for n in f.notes))
    shown = await _notes_to_show(turn, said) if notes is None else notes
    return [Reply("\n\n".join(f.body for f in found))], shown  # notes are placed by _paged


# "Chi bộ mình có phải chi bộ điểm không" names no cell: words a cell's name never holds.
# Nor does "chi bộ còn hạn gì": asking words.
_NOT_A_NAME = {"minh", "diem", "nao", "co", "khong", "thi", "la", "ko", "k", "phai", "toi", "nay"}
_NOT_A_NAME |= {"con", "han", "gi", "may", "sao", "hoc", "can", "nop"}


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
        return other_plans.not_followed_reply(others)
    # what is asked, once the words naming the plan are set aside
    asked = intent.doc
    intent = route(other_plans.without_names(text, others), turn.now)
    if asked and (intent.doc is None or intent.doc.number == asked.number):
        intent = replace(intent, doc=asked)  # "35-KH/ĐUK" as typed, not as the rest reads
    if intent.name in (IntentName.HELP, IntentName.GREETING):
        intent = replace(intent, name=IntentName.PLAN_INFO)
    body = answers.answer(intent, others, plan_calendar.Cell(intent.cell), turn.today)
    if body.text == answers.GENERAL.get(intent.name):  # nothing found: what the plan is
        body = answers.answer(
            replace(intent, name=IntentName.PLAN_INFO), others, plan_calendar.Cell(), turn.today
        )
    note = "\n".join(other_plans.answered_from(p) for p in others)
    return Reply(f"{note}\n{body.text}")
