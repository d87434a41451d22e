"""Cells as first-class: a cell is known once, wherever it is followed.

A private chat or a cell's own group follows one cell (its Subscription fields); a committee's
group follows a roster of cells (`Subscription.roster`). The same cell in both places is one cell:
the same plan followed and the same name once folded (`schedules.vi_text.cell_key`: diacritics,
case and a leading "Chi bộ" / "CB" dropped). This module is the only place that writes a cell's
marks and days on its followings, so a ✅ (or a meeting day) recorded for a cell is recorded on
every following of it in the same turn — it shows in both places and counts once — and the one
place that reads cell names out of a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from handlers.marks import Done
from handlers.state import CellFollow, Store, Subscription
from schedules.vi_text import cell_key, fold

MAX_ROSTER = 300  # cells a group follows (a committee of 30–300); a longer list is refused, not cut

# A list item's lead: "1.", "2)", "-", "•", "*"
_BULLET = re.compile(r"^\s*(?:[-•*+–]|\d{1,3}[.)])\s*")
_NOT_WORD = re.compile(r"[^\w]+")
# "CB 3", "chi bộ số 3": a short form naming a cell by the end of its name
_SHORT = re.compile(r"\b(?:cb|chi bo)\s+(?:so\s+)?(\w+)")


_KEYS: dict[str, str] = {}
_KEYS_MAX = 1_000_000  # names; past it the table starts afresh


def key_of(name: str) -> str:
    """cell_key, remembered for every name seen: a ✅ compares the cell with every chat following
    the plan and every roster cell (190,000 names at a province's scale), more than cell_key's
    own cache holds, and folding them again made one ✅ take a second."""
    found = _KEYS.get(name)
    if found is None:
        if len(_KEYS) > _KEYS_MAX:
            _KEYS.clear()
        found = _KEYS[name] = cell_key(name)
    return found


def display(name: str) -> str:
    """The cell as the bot names it: "Chi bộ Đông Yên" (its name as given, the prefix once)."""
    return name if fold(name).startswith("chi bo") else f"Chi bộ {name}"


def name_of(sub: Subscription) -> str:
    """A chat of one cell named as its cell: the name it gave, else its title, else its id."""
    return sub.cell_name or sub.title or f"chat {sub.chat_id}"


def names_in(text: str) -> list[str]:
    """The cell names in a list typed or pasted: one a line, or separated by ";" — bullets and
    numbers dropped, the same cell once."""
    out: dict[str, str] = {}
    for part in re.split(r"[;\n]", text):
        words = _BULLET.sub("", part).strip(' .,:"“”').split()
        lead = fold(" ".join(words[:2]))  # kept as "Đông Yên": the bot says "Chi bộ" itself
        cut = (
            2
            if lead == "chi bo" and len(words) > 2
            else 1
            if words[:1] and fold(words[0]) == "cb" and len(words) > 1
            else 0
        )
        name = " ".join(words[cut:])
        if name and key_of(name) and key_of(name) not in out:
            out[key_of(name)] = name
    return list(out.values())


def find(roster: tuple[CellFollow, ...], name: str) -> CellFollow | None:
    """The roster's cell of that name (folded), if any."""
    key = key_of(name)
    return next((c for c in roster if key_of(c.name) == key), None)


@dataclass(frozen=True)
class Named:
    """The cells a message names: each mention with the cells it may mean (one when sure)."""

    mentions: tuple[tuple[CellFollow, ...], ...] = ()

    @property
    def sure(self) -> list[CellFollow]:
        return [m[0] for m in self.mentions if len(m) == 1]

    @property
    def unsure(self) -> list[tuple[CellFollow, ...]]:
        return [m for m in self.mentions if len(m) > 1]


def named(roster: tuple[CellFollow, ...], text: str) -> Named:
    """The roster's cells a message names: by the whole name ("Chi bộ Đông Yên đã nộp …"), or by a
    short form ("CB 3 xong": the cells whose name ends in "3" — more than one is unsure, never a
    guess). A cell not named is never among them."""
    words = " " + " ".join(_NOT_WORD.sub(" ", fold(text)).split()) + " "
    whole = [c for c in roster if f" {key_of(c.name)} " in words]
    # a name inside a longer one named ("Tân Phúc Thành" in "Tân Phúc Thành 3") is not meant
    whole = [
        c
        for c in whole
        if not any(o is not c and f" {key_of(c.name)} " in f" {key_of(o.name)} " for o in whole)
    ]
    mentions: list[tuple[CellFollow, ...]] = [(c,) for c in whole]
    for short in _SHORT.finditer(words):
        tail = short.group(1)
        fits = tuple(c for c in roster if key_of(c.name).split()[-1:] == [tail])
        if fits and not any(c in whole for c in fits):
            mentions.append(fits)
    seen: set[tuple[int, ...]] = set()
    distinct: list[tuple[CellFollow, ...]] = []
    for mention in mentions:  # the same cell named twice is one mention
        ids = tuple(id(c) for c in mention)
        if ids not in seen:
            seen.add(ids)
            distinct.append(mention)
    return Named(tuple(distinct))


def same_cell(sub: Subscription, plan_id: str, key: str) -> bool:
    """The chat follows that cell on its own (a private chat or the cell's group)."""
    return not sub.roster and plan_id in sub.plan_ids and key_of(sub.cell_name or "") == key


async def record_done(store: Store, plan_id: str, name: str, mark: Done) -> list[Subscription]:
    """A cell's ✅, recorded on every following of the cell: its own chats and every committee
    group whose roster holds it (the same plan followed, the same folded name). A following that
    has the mark already keeps its own (who pressed first). The chats written, as saved."""
    key = key_of(name)
    written = []
    for sub in store.all():
        if plan_id not in sub.plan_ids:
            continue
        if sub.roster:
            hits = [i for i, c in enumerate(sub.roster) if key_of(c.name) == key]
            if not hits or all(mark.item in sub.roster[i].done for i in hits):
                continue
            roster = list(sub.roster)
            for i in hits:
                if mark.item not in roster[i].done:
                    roster[i] = roster[i].with_done(mark)
            sub = replace(sub, roster=tuple(roster))
            await store.save(sub)
            written.append(sub)
        elif key and same_cell(sub, plan_id, key) and mark.item not in sub.done:
            sub = sub.with_done(mark)
            await store.save(sub)
            written.append(sub)
    return written


def as_chat(sub: Subscription, cell: CellFollow) -> Subscription:
    """One roster cell seen as a chat of one cell, reached through the committee's group: what
    the status, the export and the nudge count (a cell each, with the chat that reaches it)."""
    return replace(
        sub,
        cell_name=display(cell.name),  # "Chi bộ Đông Yên", as a chat of one cell names itself
        meeting_rule=cell.meeting_rule,
        cell_dates=cell.cell_dates,
        meeting_days=cell.meeting_days,
        done=cell.done,
        roster=(),
    )


def ident(one: Subscription) -> tuple[str, str]:
    """A cell's identity among the chats of one plan (one chat of one cell, or a roster cell seen
    as one by `as_chat`): its folded name; a chat that names no cell is its own."""
    key = key_of(one.cell_name or "")
    return ("cell", key) if key else ("chat", one.key)


@dataclass(frozen=True)
class Followed:
    """The cells of chats following one plan, each once, and every chat that reaches each: its
    secretary's private chat, its own group, each committee group whose roster holds it."""

    cells: list[Subscription]  # each cell as a chat of one cell (`as_chat` for a roster's)
    reaching: dict[tuple[str, str], tuple[Subscription, ...]]  # ident → the chats, as stored

    def via(self, cell: Subscription) -> tuple[Subscription, ...]:
        """The chats that reach a cell of `cells`, in the order the store gave them."""
        return self.reaching.get(ident(cell), ())


def followed(subs: list[Subscription]) -> Followed:
    """The cells of chats following one plan, every cell once: a committee group's roster expanded
    into its cells, and a cell followed in several chats counted once — shown as the first chat
    found names it, with every mark any of them holds, and with every chat that reaches it.
    Chats that name no cell stay one each."""
    out: dict[tuple[str, str], Subscription] = {}
    reaching: dict[tuple[str, str], list[Subscription]] = {}
    for sub in subs:
        for one in [as_chat(sub, c) for c in sub.roster] if sub.roster else [sub]:
            found = ident(one)
            chats = reaching.setdefault(found, [])
            if all(c.key != sub.key for c in chats):
                chats.append(sub)
            seen = out.get(found)
            if seen is None:
                out[found] = one
            elif one.done.keys() - seen.done.keys():
                out[found] = replace(seen, done={**one.done, **seen.done})
    return Followed(list(out.values()), {k: tuple(v) for k, v in reaching.items()})


def distinct(subs: list[Subscription]) -> list[Subscription]:
    """The cells of chats following one plan, every cell once (see `followed`)."""
    return followed(subs).cells


async def rename(store: Store, chats: list[Subscription], old: str, new: str) -> int:
    """A cell renamed on every following of it among `chats` (the chats in a committee's scope):
    a chat of one cell takes the new name as given, a roster entry the name without its "Chi bộ"
    (the bot says that itself). When the new name is another cell's already, the two merge: in a
    roster, one entry remains — the other's days where it has none, every mark either holds (the
    first recorded kept). How many chats were written."""
    key, target = key_of(old), key_of(new)
    short = (names_in(new) or [new])[0]
    written = 0
    for sub in chats:
        if sub.roster:
            roster = _renamed(sub.roster, key, target, short)
            if roster != sub.roster:
                await store.save(replace(sub, roster=roster))
                written += 1
        elif key and key_of(name_of(sub)) == key and sub.cell_name != new:
            await store.save(replace(sub, cell_name=new))
            written += 1
    return written


def _renamed(
    roster: tuple[CellFollow, ...], key: str, target: str, name: str
) -> tuple[CellFollow, ...]:
    hits = [c for c in roster if key_of(c.name) == key]
    if not hits or (key == target and all(c.name == name for c in hits)):
        return roster
    merged = [c for c in roster if key_of(c.name) == target and c not in hits] + hits
    into = merged[0]
    for other in merged[1:]:
        into = replace(
            into,
            meeting_rule=into.meeting_rule or other.meeting_rule,
            cell_dates={**other.cell_dates, **into.cell_dates},
            meeting_days={**other.meeting_days, **into.meeting_days},
            done={**other.done, **into.done},
        )
    into = replace(into, name=name)
    out: list[CellFollow] = []
    placed = False
    for c in roster:  # the merged cell where the first of them stood
        if key_of(c.name) not in (key, target):
            out.append(c)
        elif not placed:
            out.append(into)
            placed = True
    return tuple(out)


# A roster cell's key as the planner and the journal know it: "<chat key> #<folded name>" (chat ids
# hold no spaces, so the chat is everything before " #").
_MEMBER = " #"


def member_key(sub: Subscription, cell: CellFollow) -> str:
    return f"{sub.key}{_MEMBER}{key_of(cell.name)}"


def chat_of(recipient: str) -> str:
    """The chat a planner's recipient is delivered in: itself, or a roster cell's group."""
    return recipient.split(_MEMBER, 1)[0]


def cell_of(sub: Subscription, recipient: str) -> CellFollow | None:
    """The roster cell a planner's recipient is (None for a chat of one cell)."""
    _, sep, key = recipient.partition(_MEMBER)
    return next((c for c in sub.roster if key_of(c.name) == key), None) if sep else None


# The settings that belong to a cell, not to the chat it is followed in (the meeting, own dates).
CELL_SETTINGS = ("meeting", "event")


async def record_days(store: Store, plan_ids: tuple[str, ...], days: CellFollow) -> int:
    """A cell's meeting rule, own dates and moved meetings, set on every following of it (its own
    chats and each roster holding it, the same plan followed): the one place they are shared.
    How many chats were written."""
    key = key_of(days.name)
    written = 0
    for sub in store.all():
        if not set(plan_ids) & set(sub.plan_ids):
            continue
        if sub.roster:
            hits = [i for i, c in enumerate(sub.roster) if key_of(c.name) == key]
            roster = list(sub.roster)
            for i in hits:
                roster[i] = replace(
                    roster[i],
                    meeting_rule=days.meeting_rule,
                    cell_dates=days.cell_dates,
                    meeting_days=days.meeting_days,
                )
            if hits and tuple(roster) != sub.roster:
                await store.save(replace(sub, roster=tuple(roster)))
                written += 1
        elif key and key_of(sub.cell_name or "") == key:
            changed = replace(
                sub,
                meeting_rule=days.meeting_rule,
                cell_dates=days.cell_dates,
                meeting_days=days.meeting_days,
            )
            if changed != sub:
                await store.save(changed)
                written += 1
    return written
