"""Every day 0–32 × month 0–13 in the ways secretaries write them, for the sweeps (issue 8)."""

from __future__ import annotations

from datetime import datetime

from bot.clock import parse_moment

# Leap and non-leap years, the turn of the year, 29/2 itself, the day after, a century non-leap.
REFERENCES: list[datetime] = [
    parse_moment(t)
    for t in (
        "2022-08-10T08:00",
        "2023-12-31T23:30",
        "2024-01-01T00:00",
        "2024-02-28T08:00",
        "2024-02-29T08:00",
        "2024-03-01T08:00",
        "2025-08-10T08:00",
        "2026-02-28T19:00",
        "2027-12-31T08:00",
        "2100-02-28T08:00",
    )
]

FORMS = (
    "{d}/{m}",
    "ngày {d}/{m}",
    "{d}-{m}",
    "{d}.{m}",
    "ngày {d} tháng {m}",
    "mùng {d} tháng {m} năm 2024",
    "{d}/{m}/2023",
    "{d}/{m}/24",
    "trước ngày {d}/{m}",
    "{d}/{m} lúc 8h",
)

PHRASES: list[str] = [f.format(d=d, m=m) for d in range(33) for m in range(14) for f in FORMS]


def cases(per_phrase: int) -> list[tuple[str, datetime]]:
    """(phrase, today) pairs: every phrase against `per_phrase` reference days, rotating so that
    each reference day meets every form; the month-end days (28–31) against all of them."""
    out = []
    for i, phrase in enumerate(PHRASES):
        edge = any(phrase.startswith(p) or f" {p}" in phrase for p in ("28", "29", "30", "31"))
        chosen = (
            REFERENCES
            if edge
            else [REFERENCES[(i + k * 3) % len(REFERENCES)] for k in range(per_phrase)]
        )
        out += [(phrase, now) for now in chosen]
    return out
