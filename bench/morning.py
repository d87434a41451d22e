"""How long the busiest morning (1/10/2022) takes to deliver at CHATS chats (default 100,000),
from bench.population: the messages due (one a chat a minute: pushes of one minute are one
message) per platform and reminder minute, against each channel's sustained rate (Telegram
29/s, Zalo 10/s: bench.fanout measures both). A minute's messages queue behind the previous
minute's, so lateness accumulates through the morning.

    python -m bench.morning [CHATS]
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime, timedelta

from bench.population import population
from bot.clock import TZ
from handlers.recipients import recipient_of
from schedules import catalog
from schedules.pushes import Planner

RATES = {"telegram": 29.0, "zalo": 10.0}
DAY = datetime(2022, 10, 1, tzinfo=TZ)


def main(n: int = 100_000) -> None:
    subs = population(n, DAY - timedelta(days=30))
    planner = Planner(catalog.load().plans, TZ)
    pushes = planner.between([recipient_of(s) for s in subs], DAY, DAY + timedelta(days=1))
    platform = {s.key: s.platform for s in subs}  # a push names its chat by key only
    messages = Counter(
        (platform[p.recipient], p.at) for p in {(p.recipient, p.at): p for p in pushes}.values()
    )
    for platform, rate in RATES.items():
        free_at, worst, total = None, timedelta(0), 0
        for (_, at), count in sorted((k, v) for k, v in messages.items() if k[0] == platform):
            start = max(at, free_at) if free_at else at
            free_at = start + timedelta(seconds=count / rate)
            worst = max(worst, free_at - at)
            total += count
        at730 = messages[(platform, DAY.replace(hour=7, minute=30))]
        print(
            f"{platform}, {n} chats in all: {total} messages on 1/10/2022, {at730} of them at "
            f"7:30; at {rate:.0f}/s the 7:30 messages take {at730 / rate / 60:.0f} min; the "
            f"last message of the day's busiest stretch arrives {worst.total_seconds() / 60:.0f} "
            f"min after its reminder time"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
