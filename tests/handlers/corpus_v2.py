"""The checker of tests/data/questions_v2.yaml: each entry asked through the real Conversation.

Used by corpora/test_corpus_v2.py … test_corpus_v6.py (one test per entry) and runnable by hand for the share right
per kind: `.venv/bin/python -m tests.handlers.corpus_v2`. Another corpus in the same format (e.g.
the blind tests/data/questions_v3.yaml) is checked the same way when its path is given first:
`.venv/bin/python -m tests.handlers.corpus_v2 tests/data/questions_v3.yaml [kind|all]`.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.clock import parse_moment
from handlers import buttons
from handlers.settings import clean_cell_name
from handlers.types import Reply
from schedules import catalog
from tests.handlers.conversing import Chat

PATH = Path(__file__).parents[1] / "data" / "questions_v2.yaml"


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text("utf-8"))


ENTRIES: list[dict] = load(PATH)

# What a confirmation prompt carries: the settings read-back's save button.
SAVE = "Lưu"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    text: str
    problems: tuple[str, ...]
    confirm_offered: bool
    paged: bool = False  # the reply was longer than a screen: its rest was read with “Xem hết”


def _chat(entry: dict) -> Chat:
    """The chat the entry describes: its plan, cell, meeting rule and cell days; a group's
    messages come from an admin."""
    cell = entry.get("cell") or {}
    chat = Chat(_catalog(), chat_id="c1", group="group" in (entry.get("style") or []))
    chat.follows(
        entry["plan"],
        rule=cell.get("meeting") or None,
        cell=clean_cell_name(cell.get("name")),
        dates=dict(cell.get("dates") or {}),
        created_by_id="u1",
    )
    return chat


_CAT = None


def _catalog():
    global _CAT
    if _CAT is None:
        _CAT = catalog.load()
    return _CAT


def _text(replies: list[Reply]) -> str:
    parts = []
    for r in replies:
        parts.append(r.text)
        parts += [b.label for row in r.buttons for b in row]
    return "\n".join(parts)


def _rest_of(replies: list[Reply]) -> str | None:
    """The data of “📄 Xem hết” under a paged answer, if any."""
    for r in replies:
        for row in r.buttons:
            for b in row:
                press = buttons.decode(b.data)
                if isinstance(press, buttons.Page) and press.rest:
                    return b.data
    return None


async def ask(entry: dict) -> Verdict:
    chat = _chat(entry)
    now = parse_moment(str(entry["today"]))
    replies = await chat.send(entry["q"], at=now)
    rest = _rest_of(replies)
    if rest:  # an answer longer than a phone screen: the reader presses “Xem hết”, as a user would
        replies = replies + await chat.send(callback=rest, at=now)
    text = _text(replies)
    confirm = any(SAVE in b.label for r in replies for row in r.buttons for b in row)
    problems = [f"missing “{s}”" for s in entry.get("must") or [] if s not in text]
    for group in entry.get("must_any") or []:
        if not any(s in text for s in group):
            problems.append(f"none of {group}")
    problems += [f"must not say “{s}”" for s in entry.get("must_not") or [] if s in text]
    if entry["expects"] == "confirm" and not confirm:
        problems.append("no confirmation prompt (✅ Lưu)")
    if entry["expects"] == "clarify" and "?" not in text:
        problems.append("does not ask what is meant")
    return Verdict(not problems, text, tuple(problems), confirm, bool(rest))


async def reply_text(
    plan: str, text: str, today: str, meeting: str | None = None, cell: str | None = None
) -> str:
    """The reply's text (with its buttons' labels, the rest of a paged answer read) as the checker
    reads it, to a chat with this meeting rule and cell."""
    entry = {"q": text, "plan": plan, "today": today, "expects": "answer"}
    entry["cell"] = {"name": cell, "meeting": meeting, "dates": {}}
    return (await ask(entry)).text


def shares(entries: list[dict] = ENTRIES) -> dict[str, tuple[int, int]]:
    async def run():
        return [(e["kind"], (await ask(e)).ok) for e in entries]

    right: Counter = Counter()
    total: Counter = Counter()
    for kind, ok in asyncio.run(run()):
        total[kind] += 1
        right[kind] += ok
    return {k: (right[k], total[k]) for k in total}


async def _paged_count(entries: list[dict]) -> int:
    return sum([(await ask(e)).paged for e in entries])


def _show_failures(entries: list[dict], only: str | None) -> None:
    async def run():
        for i, e in enumerate(entries):
            if only and e["kind"] != only:
                continue
            v = await ask(e)
            if not v.ok:
                print(f"#{i} [{e['kind']}/{e['expects']}] {e['q']}\n  {'; '.join(v.problems)}")
                print("  | " + v.text.replace("\n", "\n  | ")[:1500])

    asyncio.run(run())


if __name__ == "__main__":
    import sys

    args = sys.argv[1:]
    # A first argument naming a .yaml file is the corpus to check; without one, questions_v2.
    entries = load(Path(args.pop(0))) if args and args[0].endswith(".yaml") else ENTRIES
    if args:
        _show_failures(entries, None if args[0] == "all" else args[0])
    table = shares(entries)
    for kind, (r, t) in table.items():
        print(f"{kind:16} {r:3}/{t:3} = {100 * r / t:5.1f}%")
    paged = asyncio.run(_paged_count(entries))
    print(f"(answers longer than a screen, read on with “Xem hết”: {paged})")
    r = sum(v[0] for v in table.values())
    t = sum(v[1] for v in table.values())
    print(f"{'all':16} {r:3}/{t:3} = {100 * r / t:5.1f}%")
