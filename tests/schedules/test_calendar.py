from datetime import date

from schedules import plan_calendar, spans
from schedules.plan_calendar import Cell, Status


def test_status_on_dates(cat):
    tv = cat.plans["tra-vinh-60-2022"]
    assert plan_calendar.status(tv, date(2022, 3, 31)) is Status.NOT_STARTED
    assert plan_calendar.status(tv, date(2022, 4, 1)) is Status.RUNNING
    assert plan_calendar.status(tv, date(2022, 11, 30)) is Status.RUNNING
    assert plan_calendar.status(tv, date(2022, 12, 1)) is Status.ENDED


def test_next_deadlines_skip_the_past(cat):
    tn = cat.plans["thai-nguyen-49-2022"]
    got = [(d.item_id, d.last_day) for d in plan_calendar.upcoming(tn, Cell(), date(2022, 3, 1))]
    assert got == [("bao-cao-lan-2", date(2022, 6, 19)), ("bao-cao-lan-3", date(2022, 12, 19))]
    # On the last day to act it is still shown; the day after, it is gone.
    assert plan_calendar.upcoming(tn, Cell(), date(2022, 6, 19))[0].item_id == "bao-cao-lan-2"
    assert plan_calendar.upcoming(tn, Cell(), date(2022, 6, 20))[0].item_id == "bao-cao-lan-3"


def test_pilot_cell_and_other_cells_get_different_deadlines(cat):
    kl = cat.plans["ky-loi-2022"]
    pilot = {d.item_id for d in plan_calendar.dues(kl, Cell("Chi bộ Tân Phúc Thành 3"))}
    other = {d.item_id for d in plan_calendar.dues(kl, Cell("Chi bộ Tân Phúc Thành 1"))}
    unknown = {d.item_id for d in plan_calendar.dues(kl, Cell())}
    assert "chi-bo-diem-sinh-hoat" in pilot and "chi-bo-sinh-hoat" not in pilot
    assert "chi-bo-sinh-hoat" in other and "chi-bo-diem-sinh-hoat" not in other
    assert "chi-bo-sinh-hoat" in unknown  # without a name, the general rule applies …
    assert plan_calendar.cell_specific_unknown(kl, Cell())  # … and the answer says so
    # typed without diacritics, with or without "Chi bộ"
    assert plan_calendar.applies(kl.deadlines[2], Cell("tan phuc thanh 3"))


def test_relative_deadlines_follow_the_cells_own_date(cat):
    kl = cat.plans["ky-loi-2022"]
    assert plan_calendar.missing_cell_dates(kl, Cell())[0][0].id == "gui-bao-cao-chuyen-de"
    cell = Cell("Chi bộ Tân Phúc Thành 1", {"hoi-nghi-chuyen-de": date(2022, 9, 15)})
    due = {d.item_id: d for d in plan_calendar.dues(kl, cell)}
    assert due["gui-bao-cao-chuyen-de"].last_day == date(2022, 9, 10)
    assert "dang-uy-gui-btg" not in due  # the party committee's own step, not the cell's
    everything = {d.item_id: d for d in plan_calendar.dues(kl, cell, audience=None)}
    assert everything["dang-uy-gui-btg"].last_day == date(2022, 9, 12)
    assert plan_calendar.missing_cell_dates(kl, cell) == []


def test_deadlines_in_a_window(cat):
    kb = cat.plans["kim-bang-35-2022"]
    june = spans.month_span(2022, 6)
    assert [d.item_id for d in plan_calendar.due_between(kb, Cell(), june)] == ["bao-cao-dot-1"]
    upper = [d.item_id for d in plan_calendar.due_between(kb, Cell(), june, audience=None)]
    assert upper == ["bao-cao-dot-1", "btg-bao-cao-quy-2"]


def test_quarterly_reports_have_quarters_not_days(cat):
    tv = cat.plans["tra-vinh-60-2022"]
    q = [d for d in plan_calendar.dues(tv, Cell()) if d.item_id.startswith("bao-cao-quy")]
    assert [(d.span.start, d.span.end, d.last_day) for d in q] == [
        (date(2022, 4, 1), date(2022, 6, 30), None),
        (date(2022, 7, 1), date(2022, 9, 30), None),
        (date(2022, 10, 1), date(2022, 12, 31), None),
    ]


def test_milestones_without_a_day_stay_periods(cat):
    nq = cat.plans["nq21-huyen-2022"]
    m = {d.item_id: d for d in plan_calendar.dues(nq, Cell(), audience=None)}
    assert m["kien-toan-mo-hinh"].span == spans.year_span(2023)
    assert m["kien-toan-mo-hinh"].last_day is None
    assert m["chi-bo-doanh-nghiep-2030"].span.end == date(2030, 12, 31)


def test_topics_and_document_month(cat):
    from schedules import document_numbers

    tv = cat.plans["tra-vinh-60-2022"]
    assert [d.number for d in plan_calendar.topics(tv, 2022, 11).documents][0] == "21-KL/TW"
    assert plan_calendar.topics(tv, 2022, 12) is None
    for text in ("nghị quyết 04", "NQ 04", "04-NQ/TW", "nghi quyet so 04"):
        hits = document_numbers.find(tv, document_numbers.parse_ref(text))
        assert [(t.month, d.number) for t, d in hits] == [((2022, 7), "04-NQ/TW")], text
    # 35 is both a Tỉnh ủy plan (October) and a Đảng ủy Khối plan (September)
    assert [
        t.month for t, _ in document_numbers.find(tv, document_numbers.parse_ref("kế hoạch 35"))
    ] == [
        (2022, 9),
        (2022, 10),
    ]
    assert document_numbers.find(tv, document_numbers.parse_ref("35-KH/TU"))[0][0].month == (
        2022,
        10,
    )


def test_occasions_within_the_plan(cat):
    kb = cat.plans["kim-bang-35-2022"]
    got = plan_calendar.next_occasions(kb, date(2022, 4, 10))
    assert [(d, o.id) for d, o in got] == [(date(2022, 5, 19), "ngay-sinh-bac-ho")]


def test_a_meeting_rule_reads_its_time_with_the_one_time_of_day_parser():
    from schedules import vi_dates
    from schedules.meetings import parse_rule

    for said in ("7 giờ tối", "19h", "19:00", "7h tối"):
        rule = parse_rule(f"thứ 6 đầu tiên hằng tháng {said}")
        assert rule is not None and rule.at == "19:00", said
        assert [t.strftime("%H:%M") for t in vi_dates.clock_times(said)] == ["19:00"]
    assert parse_rule("ngày 3 hằng tháng lúc 7h75") is None  # a time that cannot be
