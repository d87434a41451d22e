"""The demo console in-process: the reach of /tua, one failing line, the terminal prompt, and a
seeded sweep of /tua to random moments (issues 8 and 11)."""

import io
import random
from datetime import date, datetime, timedelta

import pytest

from bot.channels.console import APOLOGY, PROMPT, Console, interactive, last_planned_day
from bot.clock import TZ, Clock
from handlers import push_messages as render
from handlers.conversation import Conversation
from handlers.state import MemoryStore
from schedules.catalog import Catalog
from schedules.pushes import Planner
from tests.schedules.date_sweep import FORMS


def make_console(cat: Catalog, start: datetime, **kw) -> tuple[Console, io.StringIO]:
    """Wired as `chibo demo` wires it (bot/cli/__init__.py), printing into a buffer."""
    store = MemoryStore()
    planner = Planner(cat.plans, TZ)

    async def pushes_on_the_way(before, target):
        subs = [s for s in store.all() if s.active and s.plan_ids]
        return [
            (sub.chat_id, f"⏰ {push.at:%Y-%m-%d %H:%M}:", reply)
            for push, sub, reply in render.rendered(planner, subs, before, target)
        ]

    out = io.StringIO()
    kw.setdefault("on_advance", pushes_on_the_way)
    console = Console(Conversation(cat, store), Clock(start, monotonic=lambda: 0.0), out, **kw)
    return console, out


START = datetime(2022, 7, 5, 8, 0, tzinfo=TZ)


def test_the_reach_is_derived_from_the_catalog(cat):
    assert last_planned_day(cat) == date(2030, 12, 31)  # nq21-huyen-2022 runs to 12/2030
    console, _ = make_console(cat, START)
    assert console.reach == date(2031, 12, 31)
    short = Catalog({"ky-loi-2022": cat.plans["ky-loi-2022"]})  # 8–9/2022
    assert make_console(short, START)[0].reach == date(2023, 12, 31)
    assert make_console(Catalog(), START)[0].reach == date(2023, 12, 31)  # no plans: a year on
    late = datetime(2040, 1, 1, tzinfo=TZ)  # started after every plan: a year from the start
    assert make_console(cat, late)[0].reach == date(2041, 12, 31)


async def test_a_failing_line_gets_an_apology_and_the_next_line_runs(cat):
    async def broken(before, target):
        raise OverflowError("date value out of range")

    console, out = make_console(cat, START, on_advance=broken)
    await console.run(["/tua ngày mai", "/gio"])
    text = out.getvalue()
    assert APOLOGY in text
    assert text.rstrip().endswith("→ Bây giờ là 8:00 Thứ Ba, 5/7/2022.")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_at_a_terminal_lines_are_asked_for_with_a_prompt(cat):
    typed = iter(["/gio", "/tua 2022-07-06T08:00"])
    prompts = []

    def ask(prompt):
        prompts.append(prompt)
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None  # Ctrl-D

    console, out = make_console(cat, START, ask=ask)
    await console.run(FakeTerminal())
    assert prompts == [PROMPT] * 3
    assert "→ Bây giờ là 8:00 Thứ Ba, 5/7/2022." in out.getvalue()
    assert "→ Đã tua đến 8:00 Thứ Tư, 6/7/2022, không có tin nhắc nào." in out.getvalue()


async def test_piped_lines_are_read_as_they_come_without_asking(cat):
    def ask(prompt):
        raise AssertionError("a pipe is never prompted")

    console, out = make_console(cat, START, ask=ask)
    await console.run(io.StringIO("/gio\n"))
    assert PROMPT not in out.getvalue()
    assert "→ Bây giờ là 8:00 Thứ Ba, 5/7/2022." in out.getvalue()


@pytest.mark.parametrize(
    "stream, expected",
    [(FakeTerminal(), True), (io.StringIO(), False), (["/gio"], False)],
)
def test_only_a_terminal_is_interactive(stream, expected):
    assert interactive(stream) is expected


def _random_spec(rng: random.Random, now: datetime) -> str:
    kind = rng.randrange(5)
    if kind == 0:  # anywhere in what Python can hold
        y = rng.randint(1, 9999)
        return f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    if kind == 1:  # near now: mostly ahead, within or just past the reach
        return (now + timedelta(minutes=rng.randint(-10_000, 6_000_000))).strftime("%Y-%m-%dT%H:%M")
    if kind == 2:  # a day/month as typed, any day 0–32 and month 0–13
        return rng.choice(FORMS).format(d=rng.randint(0, 32), m=rng.randint(0, 13))
    if kind == 3:
        return f"{rng.randint(0, 999)} {rng.choice(['ngày', 'tuần', 'tháng', 'năm'])} nữa"
    return rng.choice(["9999-12-31T23:59", "0001-01-01", "ngày mai 8h", "abc", "", "29/2 lúc 7h30"])


async def test_fast_forward_to_random_moments_never_fails(cat):
    rng = random.Random(20220705)
    jumps = 0
    for round_ in range(25):
        start = datetime(2022, 1, 1, 8, tzinfo=TZ) + timedelta(days=rng.randint(0, 9 * 365))
        console, out = make_console(cat, start)
        await console.run(["/start", str(round_ % 5 + 1), "/nhom", "/dangky nq21-huyen-2022"])
        specs = [_random_spec(rng, console.clock.now()) for _ in range(6)]
        before = console.clock.now()
        await console.run([f"/tua {spec}" for spec in specs])
        text = out.getvalue()
        assert APOLOGY not in text and "Xin lỗi, tôi gặp lỗi" not in text, specs
        assert before <= console.clock.now() and console.clock.now().date() <= console.reach
        jumps += text.count("→ Đã tua đến")
    assert jumps >= 25  # the sweep did move the clock, not only meet refusals
