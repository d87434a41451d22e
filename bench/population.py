"""A made-up population of subscriptions shaped like a province's, for every benchmark.

Each chat is its own cell with its own name (real chats do not share names: a cache keyed by the
name would miss for every chat). The mix, from how the plans are used:
- plans: one plan for most cells, the province's and their district's for one in five; the five
  shipped plans weighted so the Trà Vinh and Thái Nguyên province plans cover most cells;
- meeting rules: a day of the month (most cells), an nth weekday, or none set yet; one cell in
  ten has moved one meeting to a day of its own;
- own dates: every Kỳ Lợi cell fixes the day of its thematic session, spread over September and
  October 2022; one of them is the pilot cell Tân Phúc Thành 3, whose deadlines are its own;
- reminder times: 7:30 (the default) for eight chats in ten, the rest spread over the morning
  and evening;
- one chat in four is the cell's group; Zalo for 85% of chats, Telegram for the rest.

The same seed gives the same population.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.stores.tinydb.store import SCHEMA_VERSION
from handlers.state import Subscription
from schedules.meetings import MeetingRule

PLANS = [
    "tra-vinh-60-2022",
    "kim-bang-35-2022",
    "thai-nguyen-49-2022",
    "nq21-huyen-2022",
    "ky-loi-2022",
]
PLAN_WEIGHTS = [30, 15, 30, 15, 10]
SPREAD_TIMES = ["06:00", "06:30", "07:00", "08:00", "08:30", "11:45", "17:00", "19:00", "20:30"]
KY_LOI_EVENT = "hoi-nghi-chuyen-de"
PILOT_CELL = "Chi bộ Tân Phúc Thành 3"


def _plans(rng: random.Random) -> tuple[str, ...]:
    first = rng.choices(PLANS, PLAN_WEIGHTS)[0]
    if rng.random() < 0.2:
        second = rng.choices(PLANS, PLAN_WEIGHTS)[0]
        if second != first:
            return (first, second)
    return (first,)


def _rule(rng: random.Random) -> MeetingRule | None:
    kind = rng.random()
    if kind < 0.55:
        return MeetingRule(day=rng.randint(1, 10), shift_off_days=rng.random() < 0.9)
    if kind < 0.8:
        at = rng.choice([None, "07:30", "14:00", "19:30"])
        return MeetingRule(weekday=rng.randint(0, 6), nth=rng.choice([1, 1, 2, 3, -1]), at=at)
    return None


def population(
    n: int,
    since: datetime,
    seed: int = 7,
    plans: list[str] | None = None,
    meetings: bool = True,
    platform: str | None = None,
) -> list[Subscription]:
    """n chats subscribed at `since`. plans= gives every chat those plans; meetings=False gives
    no meeting rule and 7:30 for all (a plain announcement fan-out); platform= puts every chat
    on one platform."""
    rng = random.Random(seed)
    out = []
    pilot_named = False
    for i in range(n):
        chosen = tuple(plans) if plans else _plans(rng)
        group = rng.random() < 0.25
        on = platform or ("zalo" if rng.random() < 0.85 else "telegram")
        if on == "zalo":
            chat_id = f"{rng.getrandbits(64):016x}" + ("g" if group else "")
        else:
            chat_id = str(-1_001_000_000_000 - i) if group else str(100_000 + i)
        name = f"Chi bộ Khu phố {i + 1} — Phường {i % 97 + 1}"
        dates: dict[str, str] = {}
        if "ky-loi-2022" in chosen:
            if not pilot_named:  # the one pilot cell; the plan gives it deadlines of its own
                name, pilot_named = PILOT_CELL, True
            session = date(2022, 9, 1) + timedelta(days=rng.randint(0, 55))
            dates[KY_LOI_EVENT] = session.isoformat()
        rule = _rule(rng) if meetings else None
        sub = Subscription(
            on,
            chat_id,
            chosen,
            cell_name=name if rng.random() < 0.95 else None,  # a few have not said yet
            meeting_rule=rule,
            cell_dates=dates,
            reminder_time="07:30"
            if not meetings or rng.random() < 0.8
            else rng.choice(SPREAD_TIMES),
            is_group=group,
            title=f"Chi ủy khu phố {i + 1}" if group else "",
            created_by_id=str(500_000 + i),
            created_at=since.isoformat(timespec="seconds"),
        )
        if rule is not None and rng.random() < 0.1:
            sub = sub.with_meeting_on(date(2022, 9, rng.randint(6, 28)))
        out.append(sub)
    return out


def write_db(path: Path, subs: list[Subscription]) -> None:
    """A database file as the bot writes it, holding these chats."""
    tables = {
        "subscriptions": {str(i + 1): s.to_dict() for i, s in enumerate(subs)},
        "meta": {"1": {"schema": SCHEMA_VERSION}},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
