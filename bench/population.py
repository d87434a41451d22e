"""A made-up population of subscriptions across all plans, for the benchmarks."""

from __future__ import annotations

import random
from datetime import datetime

from handlers.state import Subscription
from schedules.meetings import MeetingRule

PLANS = [
    "tra-vinh-60-2022",
    "kim-bang-35-2022",
    "thai-nguyen-49-2022",
    "nq21-huyen-2022",
    "ky-loi-2022",
]


def population(
    n: int, since: datetime, seed: int = 7, plans: list[str] | None = None, meetings: bool = True
) -> list[Subscription]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        chosen = tuple(plans) if plans else tuple(rng.sample(PLANS, rng.choice([1, 1, 1, 2])))
        group = rng.random() < 0.3
        chat_id = str(-1_000_000_000 - i) if group else str(100_000 + i)
        rule = rng.choice(
            [
                MeetingRule(day=rng.randint(1, 5)),
                MeetingRule(weekday=rng.randint(0, 4), nth=1),
                None,
            ]
        )
        rule = rule if meetings else None
        out.append(
            Subscription(
                "telegram",
                chat_id,
                chosen,
                cell_name=f"Chi bộ Khu phố {i % 400}" if rng.random() < 0.8 else None,
                meeting_rule=rule,
                cell_dates={"hoi-nghi-chuyen-de": "2022-09-08"} if "ky-loi-2022" in chosen else {},
                reminder_time=rng.choice(["07:30"] * 8 + ["06:00", "19:00"])
                if meetings
                else "07:30",
                is_group=group,
                created_at=since.isoformat(),
            )
        )
    return out
