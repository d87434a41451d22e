"""Small shared pieces: the draft's fact and todo records, dates as written, slugs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from schedules.vi_text import fold

DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
# A date as "20/6/2022" or in words, "25 tháng 8 năm 2022" (matched on accent-folded text).
DATE_ANY = r"(\d{1,2})(?:\s*/\s*|\s+thang\s+)(\d{1,2})(?:\s*/\s*|\s+nam\s+)(\d{4})"


# A part of the plan file being built (the whole draft, a deadline, a listed document …), in the
# plan schema's keys and YAML's values: schedules.model.Plan validates it once it is complete.
Entry = dict[str, Any]


@dataclass
class Todo:
    field: str
    message: str
    quote: str = ""

    def as_dict(self) -> dict[str, str]:
        out = {"field": self.field, "message": self.message}
        if self.quote:
            out["quote"] = self.quote
        return out


@dataclass
class Found:
    """What one reader found: entries for the plan's lists, header fields, and todos."""

    fields: Entry = field(default_factory=dict)
    todo: list[Todo] = field(default_factory=list)


def day_text(d: str, m: str, y: str) -> str | None:
    """'06', '9', '2022' → '6/9/2022'; None when the day does not exist (an OCR slip)."""
    try:
        date(int(y), int(m), int(d))
    except ValueError:
        return None
    return f"{int(d)}/{int(m)}/{int(y)}"


def day_after(text: str) -> str:
    """'31/8/2022' → '1/9/2022': the `before` of a deadline whose last day is the given one."""
    d, m, y = (int(x) for x in text.split("/"))
    nxt = date(y, m, d) + timedelta(days=1)
    return f"{nxt.day}/{nxt.month}/{nxt.year}"


def slug(text: str, taken: set[str], limit: int = 40) -> str:
    """An id from words of the text, unique within `taken` (which it extends)."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    base = "-".join(words)[:limit].strip("-") or "muc"
    if not base[0].isalnum():
        base = "muc-" + base
    out, n = base, 2
    while out in taken:
        out = f"{base}-{n}"
        n += 1
    taken.add(out)
    return out


def tidy(text: str) -> str:
    """Markdown/HTML left by extraction out of a title: **, <i>, table bars."""
    text = re.sub(r"</?\w+>|\*\*|\|", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ,;:-")
