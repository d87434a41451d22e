"""Every real cell has its own name: the due computation shares what a plan gives all cells
alike, and keys what depends on the cell by what it depends on — so each cell still gets exactly
its own deadlines, and the indexes do not grow with the number of cells."""

from datetime import date, datetime, time, timedelta

from bot.clock import TZ
from schedules.meetings import MeetingRule, MovedMeeting
from schedules.plan_calendar import Cell
from schedules.pushes import Planner, Recipient, order

KY_LOI = "ky-loi-2022"
EVENT = "hoi-nghi-chuyen-de"


def window(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time(0), TZ), datetime.combine(last, time(23, 59), TZ)


def ky_loi_cells(n: int) -> list[Recipient]:
    """n cells of Kỳ Lợi, each its own name and session day (one of 20); the pilot cell among
    them, spelled as a secretary would type it."""
    out = []
    for i in range(n):
        name = "chi bo Tân Phúc Thành 3" if i == 7 else f"Chi bộ Thôn {i} — xã Kỳ Lợi"
        session = date(2022, 9, 10) + timedelta(days=i % 20)
        out.append(Recipient(f"zalo:{i}", (KY_LOI,), Cell(name, {EVENT: session})))
    return out


def test_each_cell_gets_its_own_deadlines_from_shared_indexes(planner):
    cells = ky_loi_cells(300)
    pushes = planner.between(cells, *window(date(2022, 8, 1), date(2022, 10, 31)))
    got: dict[str, set] = {}
    for p in pushes:
        got.setdefault(p.recipient, set()).add((p.item_id, p.lead, p.at.date()))
    for i, cell in enumerate(cells):
        session = cell.cell.dates[EVENT]
        report_day = session - timedelta(days=5)  # "trước 05 ngày tổ chức hội nghị chuyên đề"
        mine = {(item, lead, day) for item, lead, day in got[cell.key]}
        expected = {
            ("gui-bao-cao-chuyen-de", lead, report_day - timedelta(days=lead))
            for lead in (7, 3, 1, 0)
        }
        assert {x for x in mine if x[0] == "gui-bao-cao-chuyen-de"} == expected
        pilot = {x[0] for x in mine} & {"chi-bo-diem-sinh-hoat", "chi-bo-sinh-hoat"}
        # A session held before the deadline's reminders (from 12/9) holds it: no reminder then.
        held = session <= date(2022, 9, 12)
        assert pilot == (
            {"chi-bo-diem-sinh-hoat"} if i == 7 else set() if held else {"chi-bo-sinh-hoat"}
        )
    # one shared index for the plan, one own part per (pilot or not, session day): not per cell
    assert planner._plan_index.cache_info().currsize <= 1 + 2 * 20


def test_a_cell_computed_among_many_gets_what_it_gets_alone(cat):
    """The shared and own parts together give each cell what a planner gives it on its own."""
    rules = [MeetingRule(day=3), MeetingRule(weekday=4, nth=1, at="19:30"), None]
    plans = sorted(cat.plans)
    cells = [
        Recipient(
            f"zalo:{i}",
            (plans[i % len(plans)],) + ((plans[(i + 2) % len(plans)],) if i % 4 == 0 else ()),
            Cell(f"Chi bộ {i}", {EVENT: date(2022, 9, 1) + timedelta(days=i % 30)}),
            rules[i % 3],
            {(2022, 9): MovedMeeting(date(2022, 9, 12 + i % 5))} if i % 6 == 0 else {},
            lead_days=(7, 3, 1, 0) if i % 5 else (1, 0),
        )
        for i in range(120)
    ]
    span = window(date(2022, 1, 1), date(2023, 1, 31))
    together = Planner(cat.plans, TZ).between(cells, *span)
    alone = sorted(
        (p for cell in cells for p in Planner(cat.plans, TZ).between([cell], *span)),
        key=order,
    )
    assert [(p.key, p.at, p.day) for p in together] == [(p.key, p.at, p.day) for p in alone]
    assert len(together) > 1000
