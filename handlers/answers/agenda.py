"""The plan's model agendas (trình tự sinh hoạt): the one a cell asks for, whole or one part."""

from __future__ import annotations

from handlers import router
from handlers.answers import facts
from handlers.answers.wording import plan_label
from handlers.router import Intent
from schedules.model import Plan
from schedules.vi_text import fold

# Words that name the upper committee's own session rather than the cell's.
_COMMITTEE = ("dang uy", "cap uy", "ban thuong vu")
# Words naming the agenda whole ("trình tự sinh hoạt … thế nào"): it is the answer, not a passage
# sharing the question's words.
_WHOLE = (
    "trinh tu",
    "cac buoc sinh hoat",
    "kich ban",
    "chuong trinh sinh hoat",
    "chuong trinh buoi",
    "chuong trinh hop",
    "chuong trinh hoi nghi",
    "agenda",
    "dien ra the nao",
    "dien ra nhu the nao",
    "gom nhung phan",
    "gom may phan",
)
# "gồm những gì", "what": a part of the agenda asked what it holds, besides who or how.
_WHAT = frozenset({"gi", "what"})


def agendas_for(plan: Plan, words: tuple[str, ...] = ()) -> list:
    """The agenda a cell asks for: the cell's own ("tại Chi bộ"), unless the question names the
    committee ("trình tự sinh hoạt của Đảng ủy"); every agenda when none is marked either way."""
    asked = " ".join(words)
    upper = any(w in asked for w in _COMMITTEE)
    mine = [a for a in plan.agendas if ("chi bo" in fold(a.title)) != upper]
    return mine or list(plan.agendas)


def names_whole(words: tuple[str, ...]) -> bool:
    asked = f" {' '.join(words)} "
    return any(f" {w} " in asked for w in _WHOLE)


def agenda_reply(plan: Plan, words: tuple[str, ...] = ()) -> str:
    if not plan.agendas:
        # What the plan says of how its sessions are held ("Hình thức: hội nghị kiểm điểm …") is
        # the nearest it comes to a programme: said as such, never as an agenda.
        forms = [c.text for c in plan.contents if fold(c.text).startswith("hinh thuc")]
        lines = [f"📋 {plan_label(plan)} không có trình tự (chương trình) sinh hoạt mẫu."]
        lines += [f"Kế hoạch chỉ ghi — {text}" for text in forms]
        return "\n".join(lines)
    blocks = []
    for a in agendas_for(plan, words):
        lines = [f"📋 {a.title}:"]
        for i, s in enumerate(a.sections):
            lines.append(f"{chr(ord('a') + i)}) {s.title}")  # a plan may have any number of parts
            lines += [f"  - {step}" for step in s.steps]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def section_reply(intent: Intent, plan: Plan) -> str | None:
    """ "phần mở đầu buổi sinh hoạt chuyên đề làm gì", "kết thúc buổi sinh hoạt bí thư làm gì":
    the words carry a part's whole title and two more words of the session its agenda is for
    (without them "kết thúc" is the plan's end), and ask what or how, not when: its steps."""
    asked = set(facts.normalise(list(intent.words)))
    if not plan.agendas or router.asks_when(intent.words):
        return None
    if not (asked & _WHAT or router.asks_passage(intent.words)):
        return None
    blocks = []
    for a in agendas_for(plan, intent.words):
        session = set(facts.words(a.title)) - facts.STOP
        for s in a.sections:
            title = set(facts.words(s.title))
            if title <= asked and len((session - title) & asked) >= 2:
                steps = "\n".join(f"• {step}" for step in s.steps)
                blocks.append(f"📋 {a.title} — phần {s.title.lower()}:\n{steps}")
    return "\n\n".join(blocks) or None
