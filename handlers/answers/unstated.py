"""What the plans do not say (who signed, a phone number, how long a session lasts, a template,
when guidance comes): said plainly, with what the plan says instead. The topics and their words
are data (handlers/unstated.yaml); a plan line that does say it is given as the answer."""

from __future__ import annotations

import re

from handlers import router
from handlers.answers import facts
from handlers.answers.replies import issuer_line, related
from handlers.intents import IntentName
from handlers.lexicon import Topic, unstated_topics
from handlers.router import Intent, phrases_found, topics_asked
from schedules.model import Deadline, Plan, Recurring
from schedules.vi_text import fold

# Words every address shares ("Ban Thường vụ Đảng ủy"): no evidence for one address over another.
_COMMON = frozenset({"ban", "thuong", "vu", "dang", "uy", "qua", "gui", "tinh", "huyen", "xa"})


def not_stated_reply(intent: Intent, plan: Plan) -> str:
    """The plan says nothing of it: say so plainly, and give what it does say nearby."""
    topics = topics_asked(intent.words)
    if _issuer_names_place(plan, intent.words):  # "huyện nào" of the Huyện ủy Kim Bảng's plan
        return f"📄 {issuer_line(plan)}"
    near = list(dict.fromkeys(related(plan, intent, limit=5, floor=1.0)))  # one line said once
    # a detail says a topic by what it is ("Người ký: …"), not by a word in a cited title
    # ("Kết luận 29-KL/TU … siết chặt kỷ luật" says nothing of how absences are disciplined)
    about = {f"{d.about}: {d.text}": d.about for d in plan.details}
    said = [t for t in near if any(_says(topic, about.get(t, t)) for topic in topics)]
    if said:
        return f"📄 {plan.short_name} ghi:\n" + "\n".join(f"• {t}" for t in said)
    what = " ".join(t.name for t in topics) or "điều này"
    lines = [f"ℹ️ {plan.short_name} không nêu {what}."]
    instead = {t.instead for t in topics}
    if "issuer" in instead:
        lines.append(issuer_line(plan))
    if "recipients" in instead:
        lines += _recipients(plan, intent)
    near = near[:2] if len(lines) == 1 else []  # nothing more precise: the passages nearest
    if near:
        lines.append("Kế hoạch có nói:")
        lines += [f"• {t}" for t in near]
    return "\n".join(lines)


def _issuer_names_place(plan: Plan, words: tuple[str, ...]) -> bool:
    """The place asked ("huyện nào", "thị xã nào") is named in the issuer ("Huyện ủy Kim Bảng"):
    then it is said. A level the issuer leaves blank ("Đảng bộ huyện (…không ghi tên…)") or does
    not name ("thị xã nào" of a commune's plan) is not."""
    place = unstated_topics().get("place")
    if place is None:
        return False
    asked = [p for p in phrases_found(words, IntentName.NOT_STATED) if p in place.phrases]
    if not asked:
        return False
    level = max(asked, key=len).removesuffix(" nao")  # "thị xã nào", not the "xã nào" inside it
    return bool(re.search(rf"\b{level}(?: uy)? (?!\()\w", fold(plan.issuer)))


def _says(topic: Topic, line: str) -> bool:
    return bool(topic.said_by and topic.said_by.search(fold(line)))


def _recipients(plan: Plan, intent: Intent) -> list[str]:
    """The addresses the plan gives, those sharing the question's rarer words first."""
    sent: list[Deadline | Recurring] = [*plan.deadlines, *plan.recurring]
    addresses = list(dict.fromkeys(x.to for x in sent if x.to))
    asked = set(intent.words) - facts.STOP - _COMMON
    shared = [a for a in addresses if asked & set(facts.words(a))]
    shown = (shared or addresses)[:3]
    if not shown:
        return ["Kế hoạch không ghi nơi nhận hay người liên hệ nào."]
    return ["Kế hoạch chỉ ghi nơi nhận:", *(f"• {a}" for a in shown)]


# Words asking where, besides who, how, how many and when ("tổ chức ở đâu").
_WHERE = frozenset({"o dau", "cho nao", "noi nao", "where"})


def asks_something(words: tuple[str, ...]) -> bool:
    """The words ask who, where, how, how many or when about at least two things named: a
    question, not a stray remark."""
    said = f" {' '.join(words)} "
    asking = (
        router.asks_passage(words)
        or router.asks_quantity(words)
        or router.asks_when(words)
        or any(f" {w} " in said for w in _WHERE)
    )
    return asking and len(set(words) - facts.STOP) >= 2


def nothing_found_reply(intent: Intent, plan: Plan) -> str:
    """A question no line of the plan answers (scored against all its facts): said so plainly,
    with the plan's passages nearest to it, if any."""
    hits = facts.ranked(plan, list(intent.words), facts.ALL_KINDS)
    near = [facts.text_of(f) for s, f in hits[:2] if s >= 2.0 and facts.covers(intent.words, f, 0)]
    lines = [f"ℹ️ {plan.short_name} không nêu điều này: không dòng nào của kế hoạch nói đến."]
    if near:
        lines += ["Kế hoạch có nói gần nhất:", *(f"• {t}" for t in near)]
    return "\n".join(lines)
