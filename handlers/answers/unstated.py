"""What the plans do not say (who signed, a phone number, how long a session lasts, a template,
when guidance comes): said plainly, with what the plan says instead. The topics and their words
are data (handlers/unstated.yaml); a plan line that does say it is given as the answer."""

from __future__ import annotations

from handlers.answers import facts
from handlers.answers.replies import related
from handlers.router import Intent, Topic, topics_asked
from schedules import vi_format
from schedules.model import Plan
from schedules.vi_text import fold

# Words every address shares ("Ban Thường vụ Đảng ủy"): no evidence for one address over another.
_COMMON = frozenset({"ban", "thuong", "vu", "dang", "uy", "qua", "gui", "tinh", "huyen", "xa"})


def not_stated_reply(intent: Intent, plan: Plan) -> str:
    """The plan says nothing of it: say so plainly, and give what it does say nearby."""
    topics = topics_asked(intent.words)
    near = related(plan, intent, limit=5, floor=1.0)
    said = [t for t in near if any(_says(topic, t) for topic in topics)]
    if said:
        return f"📄 {plan.short_name} ghi:\n" + "\n".join(f"• {t}" for t in said)
    what = " ".join(t.name for t in topics) or "điều này"
    lines = [f"ℹ️ {plan.short_name} không nêu {what}."]
    instead = {t.instead for t in topics}
    if "issuer" in instead:
        lines.append(_issuer(plan))
    if "recipients" in instead:
        lines += _recipients(plan, intent)
    near = near[:2] if len(lines) == 1 else []  # nothing more precise: the passages nearest
    if near:
        lines.append("Kế hoạch có nói:")
        lines += [f"• {t}" for t in near]
    return "\n".join(lines)


def _says(topic: Topic, line: str) -> bool:
    return bool(topic.said_by and topic.said_by.search(fold(line)))


def _issuer(plan: Plan) -> str:
    number = f" số {plan.number}" if plan.number else ""
    day = f" ngày {vi_format.day(plan.issued)}" if plan.issued else ""
    return f"Kế hoạch{number}{day} do {plan.issuer} ban hành."


def _recipients(plan: Plan, intent: Intent) -> list[str]:
    """The addresses the plan gives, those sharing the question's rarer words first."""
    addresses = list(dict.fromkeys(x.to for x in (*plan.deadlines, *plan.recurring) if x.to))
    asked = set(intent.words) - facts.STOP - _COMMON
    shared = [a for a in addresses if asked & set(facts.words(a))]
    shown = (shared or addresses)[:3]
    if not shown:
        return ["Kế hoạch không ghi nơi nhận hay người liên hệ nào."]
    return ["Kế hoạch chỉ ghi nơi nhận:", *(f"• {a}" for a in shown)]
