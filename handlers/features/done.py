"""✅ Đã hoàn thành under a reminder: who pressed it and when is kept, and the reminders stop.

A cell's mark is written by handlers/cells.py on every following of the cell (its private chat,
the committee groups whose roster holds it). In a committee's group the button asks which cell;
a secretary may also write it ("Chi bộ Đông Yên đã nộp báo cáo chuyên đề", "CB 3 xong"). A cell
not named is never marked."""

from __future__ import annotations

import re

from handlers import cells
from handlers.button_data import Ref
from handlers.buttons import MarkCellDone, MarkDone
from handlers.feature import Feature, Permission, Turn
from handlers.marks import Done
from handlers.state import CellFollow, Subscription
from handlers.types import Button, Reply
from schedules import plan_calendar
from schedules.model import Plan
from schedules.plan_calendar import Due
from schedules.vi_text import cell_key, fold

feature = Feature("done")

MAX_CHOICES = 12  # cells offered as buttons under one question; others are named by typing
_TYPE_IT = "Hoặc nhắn: “Chi bộ <tên> xong”."


def _pressed(turn: Turn) -> tuple[Subscription, Plan] | Reply:
    """The chat and the plan a ✅ button was pressed for, or why the button is stale."""
    sub, press = turn.sub, turn.press
    plan_id = press.plan.pick(sub.plan_ids) if sub else None
    plan = turn.catalog.get(plan_id) if plan_id else None
    if not sub or plan is None:
        return Reply("Nút này đã cũ: chat không còn theo kế hoạch này.")
    return sub, plan


@feature.button(MarkDone, permission=Permission.MARKER)
async def mark_done(turn: Turn) -> list[Reply]:
    found = _pressed(turn)
    if isinstance(found, Reply):
        return [found]
    (sub, plan), press = found, turn.press
    if sub.roster:
        return [_which_cell(sub, plan, press.item)]
    due = next(
        (d for d in plan_calendar.dues(plan, sub.cell()) if press.item.matches(d.item_id)), None
    )
    if due is None:
        return [Reply("Nút này đã cũ: việc này không còn trong kế hoạch.")]
    marked = sub.done.get(due.ref)
    if marked:
        return [
            Reply(f"Việc “{due.title}” đã được {marked.by} đánh dấu hoàn thành lúc {marked.when}.")
        ]
    mark = Done(due.ref, turn.msg.user_name or turn.msg.user_id, turn.now, turn.msg.user_id)
    if sub.cell_name:
        await cells.record_done(turn.store, plan.id, sub.cell_name, mark)
    else:
        await turn.store.save(sub.with_done(mark))
    return [
        Reply(
            f"✅ Cảm ơn đồng chí{_name(mark.by)}! Đã ghi nhận hoàn thành “{due.title}” lúc "
            f"{mark.when}. "
            "Tôi sẽ không nhắc việc này nữa."
        )
    ]


def _due_of(plan: Plan, cell: CellFollow, item: Ref) -> Due | None:
    return next((d for d in plan_calendar.dues(plan, cell.cell()) if item.matches(d.item_id)), None)


def _which_cell(sub: Subscription, plan: Plan, item: Ref) -> Reply:
    """In a committee's group: the cells this duty is still open for, one button each."""
    open_ = [
        (c, due)
        for c in sub.roster
        if (due := _due_of(plan, c, item)) is not None and due.ref not in c.done
    ]
    if not open_:
        return Reply("Mọi chi bộ trong danh sách của nhóm đã đánh dấu xong việc này.")
    title = open_[0][1].title
    rows = [
        (MarkCellDone(Ref(plan.id), Ref(due.item_id), Ref(cell_key(c.name))).button(_label(c)),)
        for c, due in open_[:MAX_CHOICES]
    ]
    more = (
        f" ({len(open_) - MAX_CHOICES} chi bộ khác không hiện nút.)"
        if len(open_) > MAX_CHOICES
        else ""
    )
    return Reply(
        f"Chi bộ nào đã hoàn thành “{title}”? Chọn đúng chi bộ của mình.{more} {_TYPE_IT}",
        tuple(rows),
    )


def _label(cell: CellFollow) -> str:
    return f"✅ {cells.display(cell.name)}"


@feature.button(MarkCellDone, permission=Permission.MARKER)
async def cell_chosen(turn: Turn) -> list[Reply]:
    found = _pressed(turn)
    if isinstance(found, Reply):
        return [found]
    (sub, plan), press = found, turn.press
    cell = next((c for c in sub.roster if press.cell.matches(cell_key(c.name))), None)
    if cell is None:
        return [Reply("Nút này đã cũ: chi bộ này không còn trong danh sách của nhóm.")]
    due = _due_of(plan, cell, press.item)
    if due is None:
        return [Reply("Nút này đã cũ: việc này không còn trong kế hoạch.")]
    return [await _record(turn, plan, cell, due)]


async def _record(turn: Turn, plan: Plan, cell: CellFollow, due: Due) -> Reply:
    name = cells.display(cell.name)
    marked = cell.done.get(due.ref)
    if marked:
        return Reply(
            f"{name} đã được {marked.by} đánh dấu hoàn thành “{due.title}” lúc {marked.when}."
        )
    mark = Done(due.ref, turn.msg.user_name or turn.msg.user_id, turn.now, turn.msg.user_id)
    await cells.record_done(turn.store, plan.id, cell.name, mark)
    return Reply(
        f"✅ Cảm ơn {name}! Đã ghi nhận hoàn thành “{due.title}” lúc {mark.when}"
        f" (do {mark.by} báo). Tôi sẽ không nhắc chi bộ việc này nữa."
    )


# ------------------------------------------------------------------ typed in a committee's group

# Words saying a duty is done: "xong", "đã nộp", "đã hoàn thành", "đã tổ chức", "đã gửi"
_DONE_WORDS = re.compile(
    r"\b(?:xong|da (?:nop|gui|hoan thanh|to chuc|sinh hoat|thuc hien|lam)|hoan thanh roi)\b"
)
_ASKING = re.compile(r"\?|\b(?:chua|khong|nao|bao gio|khi nao)\s*$|\bchi bo nao\b")
# "chưa xong", "không nộp được": a negation anywhere and the message is no mark (when unsure,
# nothing is marked; the button is always there)
_NOT_YET = re.compile(r"\b(?:chua|khong|chang|van chua)\b")
_FILLER = {"da", "xong", "roi", "nhe", "a", "ạ", "cua", "chi", "bo", "cb", "bot", "va", "voi"}


def _typed_done(turn: Turn) -> cells.Named | None:
    """A committee group's message saying a named cell has done a duty; not a question."""
    sub = turn.sub
    if not sub or not sub.roster:
        return None
    text = fold(turn.args)
    if not _DONE_WORDS.search(text) or _ASKING.search(text) or _NOT_YET.search(text):
        return None
    found = cells.named(sub.roster, turn.args)
    return found if found.mentions else None


@feature.text(_typed_done, permission=Permission.MARKER)
async def typed_done(turn: Turn) -> list[Reply]:
    sub, found = turn.sub, turn.match
    assert sub is not None and isinstance(found, cells.Named)
    replies = []
    for mention in found.unsure:  # "CB 3" when two cells end in 3: asked, never guessed
        replies.append(
            Reply(
                "Đồng chí báo cho chi bộ nào? "
                + "; ".join(cells.display(c.name) for c in mention)
                + ". Xin nhắn lại với tên đầy đủ của chi bộ."
            )
        )
    for cell in found.sure:
        replies.append(await _typed_for(turn, sub, cell))
    return replies


async def _typed_for(turn: Turn, sub: Subscription, cell: CellFollow) -> Reply:
    """The duty the message names for the cell (the most words of its title), or, when it names
    none, the cell's one duty due soonest; several alike: asked with a button each."""
    words = set(re.sub(r"[^\w]+", " ", fold(turn.args)).split()) - _FILLER
    words -= set(cell_key(cell.name).split())
    open_: list[tuple[Plan, Due]] = []
    for plan in turn.plans(sub):
        for due in plan_calendar.dues(plan, cell.cell()):
            if due.ref not in cell.done and (due.last_day is None or due.last_day >= turn.today):
                open_.append((plan, due))
    if not open_:
        return Reply(f"{cells.display(cell.name)} không còn việc nào chưa đánh dấu hoàn thành.")

    def overlap(due: Due) -> tuple[int, float]:
        """The words of the title the message says, then how much of the title that is."""
        title = set(re.sub(r"[^\w]+", " ", fold(due.title)).split())
        said = len(words & title)
        return said, said / len(title) if title else 0.0

    best = max(overlap(d) for _, d in open_)
    if best[0]:
        chosen = [(p, d) for p, d in open_ if overlap(d) == best]
    else:  # "CB 3 xong": the duty due soonest, when one is
        dated = sorted((d.sort_key, i) for i, (_, d) in enumerate(open_))
        chosen = [open_[i] for k, i in dated if k == dated[0][0]]
    if len(chosen) == 1:
        plan, due = chosen[0]
        return await _record(turn, plan, cell, due)
    rows: list[tuple[Button, ...]] = [
        (
            MarkCellDone(Ref(p.id), Ref(d.item_id), Ref(cell_key(cell.name))).button(
                f"✅ {d.title[:40]}"
            ),
        )
        for p, d in chosen[:MAX_CHOICES]
    ]
    return Reply(f"{cells.display(cell.name)} đã hoàn thành việc nào?", tuple(rows))


# What a channel calls a user it knows no name for ("Bạn" in the console, "Đồng chí 501"): no name
_NO_NAME = re.compile(r"^(?:ban|user|nguoi dung|dong chi(?: \d+)?|\d+)$")


def _name(by: str) -> str:
    """ " Nguyễn Văn A" after "đồng chí"; nothing for a placeholder ("Cảm ơn đồng chí Bạn")."""
    return "" if _NO_NAME.match(fold(by).strip()) else f" {by}"
