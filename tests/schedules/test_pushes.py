"""What each plan pushes over its whole period, against the seeds' dates."""

from datetime import date, datetime, time

from bot.clock import TZ
from schedules.meetings import MeetingRule, MovedMeeting
from schedules.plan_calendar import Cell
from schedules.pushes import Recipient


def run(planner, recipient, start, end):
    return planner.between(
        [recipient], datetime.combine(start, time(0), TZ), datetime.combine(end, time(23, 59), TZ)
    )


def days(pushes, kind=None):
    return [(p.at.date(), p.item_id, p.lead) for p in pushes if kind is None or p.kind == kind]


def test_every_push_is_at_the_chats_reminder_time(planner):
    r = Recipient("t:1", ("tra-vinh-60-2022",), reminder_time=time(6, 15))
    assert {p.at.time() for p in run(planner, r, date(2022, 4, 1), date(2022, 11, 30))} == {
        time(6, 15)
    }


def test_tra_vinh_topics_quarters_and_meetings(planner):
    r = Recipient("t:1", ("tra-vinh-60-2022",), meeting_rule=MeetingRule(day=3))
    pushes = run(planner, r, date(2022, 3, 1), date(2022, 12, 31))
    # Issued 18/4/2022: April's topics are announced that day, not on 1/4 before the plan existed.
    assert days(pushes, "topics") == [(date(2022, 4, 18), "topics@2022-04", 0)] + [
        (date(2022, m, 1), f"topics@2022-{m:02d}", 0) for m in range(5, 12)
    ]
    assert days(pushes, "milestone") == [
        (date(2022, 4, 18), "bao-cao-quy@2022-04-01", 0),
        (date(2022, 7, 1), "bao-cao-quy@2022-07-01", 0),
        (date(2022, 10, 1), "bao-cao-quy@2022-10-01", 0),
    ]
    # The 3rd of each month, moved past weekends and Vietnam's holidays (2–3/5 are days off in lieu);
    # April's meeting (4/4) was before the plan was issued.
    meetings = sorted({p.day for p in pushes if p.kind == "meeting"})
    assert meetings == [
        date(2022, 5, 4),
        date(2022, 6, 3),
        date(2022, 7, 4),
        date(2022, 8, 3),
        date(2022, 9, 5),
        date(2022, 10, 3),
        date(2022, 11, 3),
    ]
    august = [(p.at.date(), p.lead) for p in pushes if p.item_id == "meeting@2022-08"]
    assert august == [(date(2022, 7, 31), 3), (date(2022, 8, 2), 1), (date(2022, 8, 3), 0)]
    assert len(pushes) == 8 + 3 + 12 + 21


def test_a_quarterly_report_is_announced_and_reminded_before_its_quarter_ends(planner):
    """Trà Vinh's report is "định kỳ hàng quý" with no day: announced at the start of each
    quarter, reminded the chat's lead days before the quarter's last day (a fact, not a hạn)."""
    r = Recipient("t:1", ("tra-vinh-60-2022",), lead_days=(7, 1))
    pushes = run(planner, r, date(2022, 4, 1), date(2022, 12, 31))
    quarterly = [
        (p.at.date(), p.kind.value, p.lead, p.day)
        for p in pushes
        if p.item_id.startswith("bao-cao")
    ]
    assert quarterly == [
        (date(2022, 4, 18), "milestone", 0, date(2022, 4, 18)),
        (date(2022, 6, 23), "period_end", 7, date(2022, 6, 30)),
        (date(2022, 6, 29), "period_end", 1, date(2022, 6, 30)),
        (date(2022, 7, 1), "milestone", 0, date(2022, 7, 1)),
        (date(2022, 9, 23), "period_end", 7, date(2022, 9, 30)),
        (date(2022, 9, 29), "period_end", 1, date(2022, 9, 30)),
        (date(2022, 10, 1), "milestone", 0, date(2022, 10, 1)),
        (date(2022, 12, 24), "period_end", 7, date(2022, 12, 31)),
        (date(2022, 12, 30), "period_end", 1, date(2022, 12, 31)),
    ]
    assert len({p.key for p in pushes}) == len(pushes)  # the end reminders have keys of their own


def test_kim_bang_report_rounds_and_19_5(planner):
    pushes = run(
        planner, Recipient("t:1", ("kim-bang-35-2022",)), date(2022, 4, 1), date(2022, 12, 31)
    )
    assert days(pushes) == [
        (date(2022, 5, 16), "ngay-sinh-bac-ho@2022", 3),
        (date(2022, 6, 7), "bao-cao-dot-1", 7),
        (date(2022, 6, 11), "bao-cao-dot-1", 3),
        (date(2022, 6, 13), "bao-cao-dot-1", 1),
        (date(2022, 6, 14), "bao-cao-dot-1", 0),
        (date(2022, 12, 7), "bao-cao-dot-2", 7),
        (date(2022, 12, 11), "bao-cao-dot-2", 3),
        (date(2022, 12, 13), "bao-cao-dot-2", 1),
        (date(2022, 12, 14), "bao-cao-dot-2", 0),
    ]


def test_thai_nguyen_three_rounds(planner):
    since = datetime(2022, 2, 18, tzinfo=TZ)  # subscribed on the day the plan was issued
    pushes = run(
        planner,
        Recipient("t:1", ("thai-nguyen-49-2022",), since=since),
        date(2022, 1, 1),
        date(2022, 12, 31),
    )
    by_item = {}
    for d, item, _ in days(pushes):
        by_item.setdefault(item, []).append(d)
    feb = [date(2022, 2, 20), date(2022, 2, 24), date(2022, 2, 26), date(2022, 2, 27)]
    assert by_item == {
        "hoc-tap-quan-triet": feb,
        "bao-cao-hoc-tap": feb,
        "bao-cao-lan-1": feb,
        "bao-cao-lan-2": [
            date(2022, 6, 12),
            date(2022, 6, 16),
            date(2022, 6, 18),
            date(2022, 6, 19),
        ],
        "bao-cao-lan-3": [
            date(2022, 12, 12),
            date(2022, 12, 16),
            date(2022, 12, 18),
            date(2022, 12, 19),
        ],
        "ngay-sinh-bac-ho@2022": [date(2022, 5, 16)],  # 3/2 fell before the plan was issued
    }


def test_nothing_is_pushed_for_a_plan_before_its_issue_date(planner):
    """Thái Nguyên 49-KH/TU was issued 18/2/2022: a chat following it since New Year hears
    nothing of it before that day — not the 3/2 anniversary on 31/1."""
    since = datetime(2022, 1, 1, tzinfo=TZ)
    r = Recipient("t:1", ("thai-nguyen-49-2022",), since=since)
    pushes = run(planner, r, date(2022, 1, 1), date(2022, 12, 31))
    assert min(p.at.date() for p in pushes) == date(2022, 2, 20)
    assert "ngay-thanh-lap-dang@2022" not in {p.item_id for p in pushes}
    assert len(pushes) == 21


def test_nq21_milestones_are_announced_at_the_start_of_their_period(planner):
    r = Recipient("t:1", ("nq21-huyen-2022",), lead_days=(7,))
    pushes = run(planner, r, date(2022, 10, 1), date(2030, 12, 31))
    later_years = [  # each later year: announced on 1/1, reminded a week before 31/12
        (date(y, m, d), f"danh-gia-ti-le-bi-thu@{y}-01-01", lead)
        for y in range(2024, 2031)
        for m, d, lead in ((1, 1, 0), (12, 24, 7))
    ]
    assert days(pushes) == [
        (date(2022, 10, 1), "danh-gia-ti-le-bi-thu@2022-01-01", 0),
        (date(2022, 12, 24), "danh-gia-ti-le-bi-thu@2022-01-01", 7),
        (date(2023, 1, 1), "danh-gia-ti-le-bi-thu@2023-01-01", 0),
        (date(2023, 1, 1), "kien-toan-mo-hinh", 0),
        (date(2023, 12, 24), "danh-gia-ti-le-bi-thu@2023-01-01", 7),
        (date(2023, 12, 24), "kien-toan-mo-hinh", 7),
        *later_years,
    ]
    # never an invented day: announced at the start, reminded before the period's real end
    assert {p.kind for p in pushes} == {"milestone", "period_end"}
    assert all(p.day == date(p.day.year, 12, 31) for p in pushes if p.kind == "period_end")


def test_ky_loi_pilot_cell_with_its_own_session_date(planner):
    """Once the cell fixed its session (8/9), the session itself is reminded (3 days, 1 day, the
    morning), and the deadline it satisfies (before 10/9) is no longer reminded from that day."""
    cell = Cell("Chi bộ Tân Phúc Thành 3", {"hoi-nghi-chuyen-de": date(2022, 9, 8)})
    pushes = run(
        planner, Recipient("t:1", ("ky-loi-2022",), cell), date(2022, 8, 1), date(2022, 9, 30)
    )
    session = "hoi-nghi-chuyen-de@2022-09-08"
    assert days(pushes) == [
        (date(2022, 8, 17), "dang-ky-ke-hoach", 7),
        (date(2022, 8, 21), "dang-ky-ke-hoach", 3),
        (date(2022, 8, 23), "dang-ky-ke-hoach", 1),
        (date(2022, 8, 24), "dang-ky-ke-hoach", 0),
        (date(2022, 8, 27), "gui-bao-cao-chuyen-de", 7),
        (date(2022, 8, 31), "gui-bao-cao-chuyen-de", 3),
        (date(2022, 9, 2), "chi-bo-diem-sinh-hoat", 7),
        (date(2022, 9, 2), "gui-bao-cao-chuyen-de", 1),
        (date(2022, 9, 3), "gui-bao-cao-chuyen-de", 0),
        (date(2022, 9, 5), session, 3),
        (date(2022, 9, 6), "chi-bo-diem-sinh-hoat", 3),
        (date(2022, 9, 7), session, 1),
        (date(2022, 9, 8), session, 0),
    ]
    assert {p.day for p in pushes if p.kind == "event"} == {date(2022, 9, 8)}
    other = run(
        planner,
        Recipient("t:2", ("ky-loi-2022",), Cell("Chi bộ Tân Phúc Thành 1")),
        date(2022, 8, 1),
        date(2022, 9, 30),
    )
    assert {i for _, i, _ in days(other)} == {"dang-ky-ke-hoach", "chi-bo-sinh-hoat"}


def test_a_session_held_early_stops_its_deadline_and_a_late_one_does_not(planner):
    early = Cell("Chi bộ Tân Phúc Thành 1", {"hoi-nghi-chuyen-de": date(2022, 9, 1)})
    pushes = run(
        planner, Recipient("t:1", ("ky-loi-2022",), early), date(2022, 8, 1), date(2022, 9, 30)
    )
    assert [d for d, i, _ in days(pushes) if i == "chi-bo-sinh-hoat"] == []  # 12/9 … 19/9: held
    late = Cell("Chi bộ Tân Phúc Thành 1", {"hoi-nghi-chuyen-de": date(2022, 9, 22)})
    pushes = run(
        planner, Recipient("t:1", ("ky-loi-2022",), late), date(2022, 8, 1), date(2022, 9, 30)
    )
    assert [d for d, i, _ in days(pushes) if i == "chi-bo-sinh-hoat"] == [
        date(2022, 9, 12),
        date(2022, 9, 16),
        date(2022, 9, 18),
        date(2022, 9, 19),
    ]  # the session comes after the deadline: the deadline is still reminded in full


def test_done_items_stop_and_lead_days_are_the_chats(planner):
    r = Recipient(
        "t:1",
        ("kim-bang-35-2022",),
        lead_days=(1, 0),
        done=frozenset({("kim-bang-35-2022", "bao-cao-dot-2")}),
    )
    assert days(run(planner, r, date(2022, 6, 1), date(2022, 12, 31)), "deadline") == [
        (date(2022, 6, 13), "bao-cao-dot-1", 1),
        (date(2022, 6, 14), "bao-cao-dot-1", 0),
    ]


def test_keys_are_deterministic_and_unique(planner):
    r = Recipient("t:1", ("tra-vinh-60-2022", "kim-bang-35-2022"), meeting_rule=MeetingRule(day=1))
    a = run(planner, r, date(2022, 1, 1), date(2022, 12, 31))
    b = run(planner, r, date(2022, 1, 1), date(2022, 12, 31))
    assert [p.key for p in a] == [p.key for p in b]
    assert len({p.key for p in a}) == len(a)
    # one meeting for the cell, not one per plan
    assert len([p for p in a if p.item_id == "meeting@2022-06"]) == 3


def test_a_meeting_moved_by_the_cell(planner):
    r = Recipient(
        "t:1",
        ("tra-vinh-60-2022",),
        meeting_rule=MeetingRule(day=3),
        meeting_overrides={(2022, 9): MovedMeeting(date(2022, 9, 15))},
    )
    pushes = run(planner, r, date(2022, 9, 1), date(2022, 9, 30))
    september = [(p.at.date(), p.day) for p in pushes if p.item_id == "meeting@2022-09"]
    assert september == [
        (date(2022, 9, 12), date(2022, 9, 15)),
        (date(2022, 9, 14), date(2022, 9, 15)),
        (date(2022, 9, 15), date(2022, 9, 15)),
    ]
