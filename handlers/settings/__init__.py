"""A chat's settings: the registered Setting objects, and what is said of all of them at once."""

from __future__ import annotations

import re
from datetime import date

from handlers.button_data import Ref
from handlers.buttons import ChangeSetting
from handlers.settings.base import Buttons, Parsed, Refused, Setting, assignment_names
from handlers.settings.items import SETTINGS, clean_cell_name, meeting_summary
from handlers.state import Subscription
from schedules.model import Plan
from schedules.vi_text import fold

__all__ = [
    "Parsed",
    "Refused",
    "Setting",
    "clean_cell_name",
    "find",
    "meeting_summary",
    "menu_buttons",
    "missing",
    "parse_assignment",
    "settings_for",
    "summary",
]


def settings_for(plans: list[Plan]) -> list[Setting]:
    return [s for entry in SETTINGS for s in entry.expand(plans)]


def find(key: Ref | str, plans: list[Plan]) -> Setting | None:
    """The setting a stored key or a button's ref names, if the chat's plans still have it."""
    ref = key if isinstance(key, Ref) else Ref(key)
    return next((s for s in settings_for(plans) if ref.matches(s.key)), None)


_ASKED = re.compile(r"\?|\b(?:may|gi|j|nao|bao nhieu|what|when)\b")


def parse_assignment(text: str) -> tuple[str, str] | None:
    """ "ngày họp: 15/9" → ("meeting", "15/9"): a setting family and the value typed for it.
    Needs a colon, "=" or "là" after the setting's name."""
    m = re.match(r"^\s*([^:=]{3,40}?)\s*(?::|=|\blà\b|\bla\b)\s*(.+)$", text, re.S)
    if not m:
        return None
    name = fold(m[1])
    if _ASKED.search(fold(m[2])):  # "giờ nhắc là mấy giờ": asks the value, gives none
        return None
    for family, names in assignment_names().items():
        if name in names:
            return family, m[2].strip()
    return None


def missing(sub: Subscription, plans: list[Plan]) -> list[str]:
    return [m for s in settings_for(plans) if (m := s.missing(sub, plans))]


def summary(sub: Subscription, plans: list[Plan], today: date) -> str:
    if sub.is_group:
        who = f"nhóm “{sub.title}”" if sub.title else "nhóm"
    else:
        who = "chat này"
    lines = [f"⚙️ Cài đặt của {who}:"]
    lines.append("• Kế hoạch: " + (", ".join(p.short_name for p in plans) or "chưa có"))
    if sub.roster:  # a committee's group: the cells' own settings are the cells', by name
        lines.append(
            f"• Chi bộ theo dõi: {len(sub.roster)} (xem, thêm, bớt: /chibo; ngày họp từng chi bộ: "
            "/chibo hop <tên>: <ngày>)"
        )
        kept = [s for s in settings_for(plans) if s.family not in _CELLS_OWN]
    else:
        kept = settings_for(plans)
    lines += [f"• {s.shown(sub, today)}" for s in kept]
    return "\n".join(lines)


# What a cell sets for itself; a committee group's cells each set theirs (handlers/cells.py)
_CELLS_OWN = ("cell_name", "meeting", "event")


def menu_buttons(plans: list[Plan]) -> Buttons:
    rows: dict[int, list] = {}
    own: list[tuple] = []
    for s in settings_for(plans):
        button = ChangeSetting(Ref(s.key)).button(s.label)
        if s.menu_row is None:
            own.append((button,))
        else:
            rows.setdefault(s.menu_row, []).append(button)
    return tuple(tuple(rows[r]) for r in sorted(rows)) + tuple(own)
