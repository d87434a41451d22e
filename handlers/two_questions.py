"""Two questions in one message ("Tháng này học gì, với lại báo cáo quý nộp khi nào?"): each
part after a word that joins a second question is routed on its own, and when the parts ask
different things both are answered, in the order asked. The joining words are data
(`second_question` in intents.yaml); a plain comma or "và" joins items of one question
("tháng 5, tháng 6 hạn gì"), so it does not split."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from handlers import lexicon
from handlers.intents import IntentName
from handlers.router import Intent, route
from schedules.vi_text import fold

# What one part must be to count as a question of its own: routed, and answered from the plans.
_NOT_A_QUESTION = (IntentName.UNKNOWN, IntentName.GREETING, IntentName.HELP)


@cache
def _joiners() -> re.Pattern:
    words = "|".join(re.escape(w) for w in lexicon.section("second_question"))
    return re.compile(rf"[,;?]?\s*\b(?:{words})\b\s*[,]?", re.I)


def asked_apart(text: str, now: datetime) -> list[Intent]:
    """The questions the message asks, one intent each, when it asks two or more different
    things; [] when it asks one (then the whole message is routed as before)."""
    cuts = [m.span() for m in _joiners().finditer(fold(text))]  # folding keeps the offsets
    edges = [0, *(x for span in cuts for x in span), len(text)]
    parts = [text[a:b].strip(" ,;") for a, b in zip(edges[::2], edges[1::2], strict=True)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return []
    intents = [route(p, now) for p in parts]
    if any(i.name in _NOT_A_QUESTION or i.date_error for i in intents):
        return []
    if len({i.name for i in intents}) < 2:
        return []
    return intents
