"""A month of a district's OA, in simulated time: 300 cells, the real channel, scheduler and
conversation against the fake OA platform (tests/bot/fake_zalo_oa.py), which applies Zalo's
48 h / 8-message / 7-day rules and counts what it would charge.

The interaction pattern (seeded, stated in docs/benchmarks.md): every cell follows the same plans
(by default Trà Vinh's, whose month's topics come on the 1st, and Kỳ Lợi's, whose deadline on
24/8 is reminded 7, 3 and 1 days ahead and on the day); a share of the secretaries never write
during the month, most write once or twice on random days, a few weekly; a share of reminders
are tapped "✅ Đã nhận" within two hours. The month starts with every cell's last interaction
1–20 days back. The bot ticks every hour at half past, when the reminders are due (one later
than 15 minutes is re-worded by the scheduler and loses its facts: see docs/design.md). With
--templates, an approved ZBS template for each kind of reminder is configured (and known to the
fake platform).

    python -m bench.oa_month [CELLS] [--budget VND] [--seed N] [--tap SHARE] [--templates]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.channels.zalo_oa.channel import ACK_LABEL, HELD_NOTE, ZaloOAChannel
from bot.channels.zalo_oa.window import Window
from bot.clock import TZ
from bot.config import Config, OATemplates, WebhookServer, ZaloOAConfig
from handlers.state import Subscription
from schedules import catalog
from tests.bot.fake_zalo_oa import APP_ID, APP_SECRET, SECRET_KEY, FakeOA, User
from tests.bot.sim import SimTime, SteppedClock
from tests.ports import free_port

PLANS = ("tra-vinh-60-2022", "ky-loi-2022")
TEMPLATES = OATemplates(deadline="301234", meeting="301235", topics="301236")
TEMPLATE_PARAMS = ("tieu_de", "ngay", "ke_hoach")
MONTH_START = datetime(2022, 8, 1, 0, 0, tzinfo=TZ)
MONTH_END = datetime(2022, 9, 1, 0, 0, tzinfo=TZ)
# Writes during the month: share of cells → how many times
PATTERN = ((0.20, 0), (0.45, 1), (0.25, 2), (0.10, 4))


def writes_plan(cells: list[str], rng: random.Random) -> list[tuple[datetime, str]]:
    plan: list[tuple[datetime, str]] = []
    shares = [share for share, _ in PATTERN]
    for cell in cells:
        (times,) = rng.choices([t for _, t in PATTERN], weights=shares)
        for _ in range(times):
            minute = rng.randrange(int((MONTH_END - MONTH_START).total_seconds() // 60))
            at = MONTH_START + timedelta(minutes=minute)
            if 7 <= at.hour < 22:
                plan.append((at, cell))
    return sorted(plan)


async def run(cells: int, budget: int, seed: int, tap: float, templates: bool) -> dict[str, object]:
    rng = random.Random(seed)
    clock = SteppedClock(MONTH_START - timedelta(days=1))
    # The clock stands still during a tick, so the platform's per-minute count would never
    # reset within one; the pace is the bot's own limiter's (on simulated time), measured elsewhere
    fake = await FakeOA(now=clock.now, rate_per_min=1_000_000).start()
    port = free_port()
    fake.webhook_url = f"http://127.0.0.1:{port}/zalo-oa"
    section = ZaloOAConfig(
        APP_ID,
        APP_SECRET,
        SECRET_KEY,
        fake.issue()["refresh_token"],
        fake.url,
        fake.url,
        monthly_budget=budget,
        templates=TEMPLATES if templates else OATemplates(),
    )
    if templates:
        for template in (TEMPLATES.deadline, TEMPLATES.meeting, TEMPLATES.topics):
            fake.templates[template] = (
                TEMPLATE_PARAMS[:2] if template == TEMPLATES.meeting else TEMPLATE_PARAMS
            )
    folder = Path(tempfile.mkdtemp(prefix="chibo-oa-month-"))
    config = Config(
        zalo_oa=section,
        webhook_server=WebhookServer("127.0.0.1", port),
        db_path=folder / "db.json",
    )
    sim = SimTime()
    bot = assemble(
        config,
        catalog.load(),
        clock,
        RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    channel = bot.channels["zalo-oa"]
    assert isinstance(channel, ZaloOAChannel)
    ids = [f"84{n:017d}" for n in range(cells)]
    for user in ids:  # subscribed earlier; last wrote 1–20 days before the month
        last = MONTH_START - timedelta(days=rng.uniform(1, 20))
        fake.users[user] = User(last=last)
        await bot.store.save(
            Subscription("zalo-oa", user, PLANS, created_at="2022-06-01T08:00:00+07:00")
        )
        await bot.store.set_runtime(f"zalo-oa:window:{user}", Window(last).to_dict())
    stop = asyncio.Event()
    serving = asyncio.create_task(bot.serve(config, stop))
    while "zalo-oa" not in bot.ready:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    writes = writes_plan(ids, rng)
    taps: list[tuple[datetime, str]] = []
    totals: Counter[str] = Counter()
    ever_held: set[str] = set()
    ever_waiting: set[str] = set()
    started = time.monotonic()
    await bot.scheduler.tick(clock.at)  # the watermark
    hour = MONTH_START - timedelta(minutes=30)  # ticks at half past: reminders are due at 7:30
    while hour < MONTH_END:
        hour += timedelta(hours=1)
        due = sorted(
            [(at, user, "write") for at, user in writes if hour - timedelta(hours=1) < at <= hour]
            + [(at, user, "tap") for at, user in taps if hour - timedelta(hours=1) < at <= hour]
        )
        for at, user, kind in due:
            clock.at = at
            before = len(fake.sent)
            if kind == "write":
                await fake.say(user, "lịch nhắc")
            elif any(b["title"] == ACK_LABEL for b in fake.to(user)[-1].buttons):
                await fake.tap(user, ACK_LABEL)  # the reminder is still the newest message
                totals["taps"] += 1
            else:
                continue
            for _ in range(2000):  # the answer (and the held note) before the clock moves
                if len(fake.sent) > before:
                    break
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.05)
        clock.at = hour
        sent_before = len(fake.sent)
        report = await bot.scheduler.tick(hour)
        if report is not None:
            totals["sent"] += report.sent
        ever_held |= set(channel.windows.month().held)
        ever_waiting |= set(channel.windows.month().waiting)
        for message in fake.sent[sent_before:]:
            if any(b["title"] == ACK_LABEL for b in message.buttons) and rng.random() < tap:
                taps.append((hour + timedelta(minutes=rng.randrange(5, 120)), message.user_id))
    elapsed = time.monotonic() - started
    behind = len(bot.scheduler.state.behind)
    reminders = [m for m in fake.sent if any(b["title"] == ACK_LABEL for b in m.buttons)]
    clock.at = MONTH_END - timedelta(minutes=1)  # August's ledger
    month = channel.windows.month()
    result: dict[str, object] = {
        "cells": cells,
        "budget": budget,
        "writes": len(writes),
        "taps on ✅ Đã nhận": totals["taps"],
        "reminder messages sent": len(reminders) + len(fake.template_sends),
        "of them free": sum(1 for m in reminders if m.quota_type == "reply"),
        "of them paid": sum(1 for m in reminders if m.quota_type != "reply"),
        "of them by template": len(fake.template_sends),
        "reminders that waited for a free moment": month.waited,
        "cells with a reminder waiting at some point": len(ever_waiting),
        "all messages (replies too)": len(fake.sent),
        "paid messages": fake.paid,
        "cost (đ)": fake.cost,
        "cells with a reminder held at some point": len(ever_held),
        "held notes shown": sum(1 for m in fake.sent if m.text == HELD_NOTE),
        "chats still behind at month end": behind,
        "bot's ledger": month.to_dict() | {"held": len(month.held), "waiting": len(month.waiting)},
        "reminder messages the scheduler counted sent": totals["sent"],
        "wall seconds": round(elapsed, 1),
    }
    stop.set()
    await serving
    await bot.close()
    await fake.stop()
    return result


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("cells", nargs="?", type=int, default=300)
    p.add_argument("--budget", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tap", type=float, default=0.3)
    p.add_argument("--templates", action="store_true")
    args = p.parse_args()
    result = asyncio.run(run(args.cells, args.budget, args.seed, args.tap, args.templates))
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
