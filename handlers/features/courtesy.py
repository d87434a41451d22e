"""A message that only thanks or acknowledges ("cảm ơn ạ", "ok", "🙏", "👍"): answered in a line,
as a person would, not with "chưa hiểu" and the whole help. An acknowledgement never saves a
change waiting for ✅ Lưu: the reply says it is still waiting."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import cache

from handlers import settings
from handlers.feature import Feature, Turn
from handlers.lexicon import section
from handlers.types import Reply
from schedules.vi_text import fold

feature = Feature("courtesy")

LONGEST = 60  # a longer message says something more: it is routed as any other
THANKS = "🙏❤💐🌹"  # emoji that thank
ACKS = "👍👌✅"  # emoji that acknowledge


class Courtesy(Enum):
    THANKS = "thanks"
    ACK = "ack"


@cache
def _phrases() -> dict[tuple[str, ...], str]:
    data = section("courtesy")
    return {tuple(p.split()): kind for kind in ("thanks", "acks", "fillers") for p in data[kind]}


def _emoji(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "So"]


def courtesy(text: str) -> Courtesy | None:
    """What the message does if it only thanks or acknowledges; None if it says anything else."""
    if not text or len(text) > LONGEST:
        return None
    emoji = _emoji(text)
    words = re.sub(r"[^\w]+", " ", fold(text)).split()
    phrases = _phrases()
    kinds: set[str] = set()
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            kind = phrases.get(tuple(words[i : i + n]))
            if kind:
                kinds.add(kind)
                i += n
                break
        else:
            return None
    if any(e not in THANKS + ACKS for e in emoji):
        return None  # "🙂🙂🙂" and the like say nothing the bot can answer
    if "thanks" in kinds or any(e in THANKS for e in emoji):
        return Courtesy.THANKS
    if "acks" in kinds or emoji:
        return Courtesy.ACK
    return None


@feature.text(lambda turn: courtesy(turn.args))
async def answered(turn: Turn) -> list[Reply]:
    text = (
        "Dạ, không có gì ạ. Cần gì đồng chí cứ nhắn."
        if turn.match is Courtesy.THANKS
        else "Vâng ạ."
    )
    sub = turn.sub
    pending = sub.pending if sub else None
    setting = settings.find(pending.setting, turn.plans(sub)) if sub and pending else None
    if pending is not None and setting is not None:
        if pending.value is not None:
            text += (
                " Thay đổi vừa đọc lại chưa được lưu: bấm ✅ Lưu ở tin trên để lưu, hoặc ✖️ Thôi."
            )
        else:
            text += f" Tôi vẫn đang chờ: {setting.prompt(turn.plans(sub))}"
    return [Reply(text)]
