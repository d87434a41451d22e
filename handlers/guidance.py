"""The rules a push may cite (guidance.yaml), each only on days it is in force."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml


@cache
def guidance() -> dict:
    return yaml.safe_load((Path(__file__).parent / "guidance.yaml").read_text(encoding="utf-8"))


def in_force(rule: str, day: date) -> dict | None:
    """A rule of guidance.yaml if it is in force on that day (never cite a later rule)."""
    found = guidance()[rule]
    if found["in_force"] is None:
        return found
    d, m, y = (int(x) for x in found["in_force"].split("/"))
    return found if date(y, m, d) <= day else None
