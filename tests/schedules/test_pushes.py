"""What each plan pushes over its whole period, against the seeds' dates."""

from datetime import date, datetime, time

from bot.clock import TZ
from schedules.meetings import MeetingRule
from schedules.plan_calendar import Cell
from schedules.pushes import Planner, Recipient


def run(cat, recipient, start, end):
    planner = Planner(cat.plans, TZ)
    return planner.between(
        [recipient], datetime.combine(start, time(0), TZ), datetime.combine(end, time(23, 59), TZ)
    )


def days(pushes, kind=None):
    return [(p.at.date(), p.item_id, p.lead) for p in pushes if kind is None or p.kind == kind]


def test_every_push_is_at_the_chats_reminder_time(cat):
    r = Recipient("t:1", ("tra-vinh-60-2022",), reminder_time=time(6, 15))
    assert {p.at.time() for p in run(cat, r, date(2022, 4, 1), date(2022, 11, 30))} == {time(6, 15)}


def test_tra_vinh_topics_quarters_and_meetings(cat):
    r = Recipient("t:1", ("tra-vinh-60-2022",), meeting_rule=MeetingRule(day=3))
    pushes = run(cat, r, date(2022, 3, 1), date(2022, 12, 31))
    assert days(pushes, "topics") == [
        (date(2022, m, 1), f"topics@2022-{m:02d}", 0) for m in range(4, 12)
    ]
    assert days(pushes, "milestone") == [
        (date(2022, 4, 1), "bao-cao-quy@2022-04-01", 0),
        (date(2022, 7, 1), "bao-cao-quy@2022-07-01", 0),
        (date(2022, 10, 1), "bao-cao-quy@2022-10-01", 0),
    ]
    # The 3rd of each month, moved past weekends and Vietnam's holidays (2–3/5 are days off in lieu).
    meetings = sorted({p.day for p in pushes if p.kind == "meeting"})
    assert meetings == [
        date(2022, 4, 4),
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
    assert len(pushes) == 8 + 3 + 24


def test_kim_bang_report_rounds_and_19_5(cat):
    pushes = run(cat, Recipient("t:1", ("kim-bang-35-2022",)), date(2022, 4, 1), date(2022, 12, 31))
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


def test_thai_nguyen_three_rounds(cat):
    since = datetime(2022, 2, 18, tzinfo=TZ)  # subscribed on the day the plan was issued
    pushes = run(
        cat,
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
        "ngay-sinh-bac-ho@2022": [date(2022, 5, 16)],  # 3/2 fell before the chat subscribed
    }


def test_nq21_milestones_are_announced_at_the_start_of_their_period(cat):
    pushes = run(cat, Recipient("t:1", ("nq21-huyen-2022",)), date(2022, 10, 1), date(2030, 12, 31))
    assert days(pushes) == [
        (date(2022, 10, 1), "danh-gia-ti-le-bi-thu@2022-01-01", 0),
        (date(2023, 1, 1), "danh-gia-ti-le-bi-thu@2023-01-01", 0),
        (date(2023, 1, 1), "kien-toan-mo-hinh", 0),
        *[(date(y, 1, 1), f"danh-gia-ti-le-bi-thu@{y}-01-01", 0) for y in range(2024, 2031)],
    ]
    assert all(p.lead == 0 and p.kind == "milestone" for p in pushes)  # never an invented day


def test_ky_loi_pilot_cell_with_its_own_session_date(cat):
    cell = Cell("Chi bộ Tân Phúc Thành 3", {"hoi-nghi-chuyen-de": date(2022, 9, 8)})
    pushes = run(cat, Recipient("t:1", ("ky-loi-2022",), cell), date(2022, 8, 1), date(2022, 9, 30))
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
        (date(2022, 9, 6), "chi-bo-diem-sinh-hoat", 3),
        (date(2022, 9, 8), "chi-bo-diem-sinh-hoat", 1),
        (date(2022, 9, 9), "chi-bo-diem-sinh-hoat", 0),
    ]
    other = run(
        cat,
        Recipient("t:2", ("ky-loi-2022",), Cell("Chi bộ Tân Phúc Thành 1")),
        date(2022, 8, 1),
        date(2022, 9, 30),
    )
    assert {i for _, i, _ in days(other)} == {"dang-ky-ke-hoach", "chi-bo-sinh-hoat"}


def test_done_items_stop_and_lead_days_are_the_chats(cat):
    r = Recipient(
        "t:1",
        ("kim-bang-35-2022",),
        lead_days=(1, 0),
        done=frozenset({("kim-bang-35-2022", "bao-cao-dot-2")}),
    )
    assert days(run(cat, r, date(2022, 6, 1), date(2022, 12, 31)), "deadline") == [
        (date(2022, 6, 13), "bao-cao-dot-1", 1),
        (date(2022, 6, 14), "bao-cao-dot-1", 0),
    ]


def test_keys_are_deterministic_and_unique(cat):
    r = Recipient("t:1", ("tra-vinh-60-2022", "kim-bang-35-2022"), meeting_rule=MeetingRule(day=1))
    a = run(cat, r, date(2022, 1, 1), date(2022, 12, 31))
    b = run(cat, r, date(2022, 1, 1), date(2022, 12, 31))
    assert [p.key for p in a] == [p.key for p in b]
    assert len({p.key for p in a}) == len(a)
    # one meeting for the cell, not one per plan
    assert len([p for p in a if p.item_id == "meeting@2022-06"]) == 3


def test_a_meeting_moved_by_the_cell(cat):
    r = Recipient(
        "t:1",
        ("tra-vinh-60-2022",),
        meeting_rule=MeetingRule(day=3),
        meeting_overrides={(2022, 9): date(2022, 9, 15)},
    )
    pushes = run(cat, r, date(2022, 9, 1), date(2022, 9, 30))
    september = [(p.at.date(), p.day) for p in pushes if p.item_id == "meeting@2022-09"]
    assert september == [
        (date(2022, 9, 12), date(2022, 9, 15)),
        (date(2022, 9, 14), date(2022, 9, 15)),
        (date(2022, 9, 15), date(2022, 9, 15)),
    ]
