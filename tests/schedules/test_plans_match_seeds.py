"""Every fact in a plan file is traceable to its seed: quotes, dates and the Trà Vinh document list."""

import re

import pytest
from pydantic import BaseModel

from schedules.vi_text import fold, squash

PLAN_SOURCES = {
    "kim-bang-35-2022": "000_5510d4fb665e84b8.txt",
    "thai-nguyen-49-2022": "001_a2135068eb8485e5.txt",
    "tra-vinh-60-2022": "002_7956c4d43d58e490.txt",
    "nq21-huyen-2022": "003_197dfa7691475048.txt",
    "ky-loi-2022": "004_e0cf88b19ba32315.txt",
}


def quotes(obj, path=""):
    if isinstance(obj, BaseModel):
        for key, value in obj:
            if key == "quote":
                yield path, value
            else:
                yield from quotes(value, f"{path}.{key}")
    elif isinstance(obj, list | tuple):
        for i, value in enumerate(obj):
            yield from quotes(value, f"{path}[{i}]")


def date_forms(d):
    return {
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day}/{d.month:02d}/{d.year}",
        f"{d.day:02d}/{d.month}/{d.year}",
    }


def test_the_seeded_plans_keep_their_ids_and_sources(cat):
    """The shipped catalog as data: more plans may be added, these five stay as they are."""
    assert {pid: cat.plans[pid].source.file for pid in PLAN_SOURCES} == PLAN_SOURCES


def test_every_plan_cites_a_seed_that_exists(cat, seeds):
    assert [p.id for p in cat.sorted() if not (seeds / p.source.file).is_file()] == []


@pytest.mark.parametrize("plan_id", sorted(PLAN_SOURCES))
def test_every_quote_stands_in_the_seed(cat, seeds, plan_id):
    plan = cat.plans[plan_id]
    text = squash((seeds / plan.source.file).read_text(encoding="utf-8"))
    missing = [(path, q) for path, q in quotes(plan) if squash(q) not in text]
    assert missing == []
    assert len(list(quotes(plan))) >= 5


def test_kim_bang_is_named_with_its_diacritics_though_the_seed_lost_them(cat, seeds):
    """The seed's OCR lost every diacritic ("HU YEN UY KIM BANG"): quotes stay as scanned (the test
    above), but what users read names the district as it is, Kim Bảng — and still folds to the
    seed's letters, so nothing was invented."""
    plan = cat.plans["kim-bang-35-2022"]
    seed = fold((seeds / plan.source.file).read_text(encoding="utf-8"))
    for shown in (plan.short_name, plan.issuer, plan.place):
        assert "Kim Bảng" in shown and "Kim Bang" not in shown
    assert fold(plan.place) in seed and fold("Huyện ủy Kim Bảng") in seed.replace("hu yen", "huyen")


@pytest.mark.parametrize("plan_id", sorted(PLAN_SOURCES))
def test_every_dated_deadline_is_written_in_its_quote(cat, plan_id):
    for d in cat.plans[plan_id].deadlines:
        if d.before:
            assert date_forms(d.before) & {m for m in re.findall(r"\d+/\d+/\d{4}", d.quote)}, d.id


EXPECTED_DEADLINES = {
    "kim-bang-35-2022": {"bao-cao-dot-1": "15/6/2022", "bao-cao-dot-2": "15/12/2022"},
    "thai-nguyen-49-2022": {
        "hoc-tap-quan-triet": "28/2/2022",
        "bao-cao-hoc-tap": "28/2/2022",
        "bao-cao-lan-1": "28/2/2022",
        "bao-cao-lan-2": "20/6/2022",
        "bao-cao-lan-3": "20/12/2022",
    },
    "tra-vinh-60-2022": {},
    "nq21-huyen-2022": {},
    "ky-loi-2022": {
        "dang-ky-ke-hoach": "25/8/2022",
        "dang-uy-sinh-hoat-chuyen-de": "6/9/2022",
        "chi-bo-diem-sinh-hoat": "10/9/2022",
        "chi-bo-sinh-hoat": "20/9/2022",
    },
}


@pytest.mark.parametrize("plan_id", sorted(EXPECTED_DEADLINES))
def test_dated_deadlines_are_exactly_the_seeds(cat, plan_id):
    got = {
        d.id: f"{d.before.day}/{d.before.month}/{d.before.year}"
        for d in cat.plans[plan_id].deadlines
        if d.before
    }
    assert got == EXPECTED_DEADLINES[plan_id]


# The attached list of 60-KH/ĐUK, month by month, read off the seed by hand.
TRA_VINH = {
    (2022, 4): ["03-NQ/TW", "10-NQ/TW", "18-CTr/TU", "03-NQ/TU"],
    (2022, 5): ["06-NQ/TU", "12-NQ/TW", "15-KH/TU", "2400-QĐ/TU"],
    (2022, 6): ["07-KH/TU", "1031-QĐ/TU", "53-KH/ĐUK"],
    (2022, 7): ["04-NQ/TW", "11-CTr/TU", "31-KH/ĐUK"],
    (2022, 8): ["41-KH/TU", "12-KH/ĐUK", "724-QĐ/TU"],
    (2022, 9): ["24-KH/TU", "35-KH/ĐUK", "02-QĐ/ĐUK"],
    (2022, 10): ["35-KH/TU", "1352-QĐ/TU", "34-KH/ĐUK", "43-KH/ĐUK"],
    (2022, 11): ["21-KL/TW", "49-KH/TU", "52-KH/ĐUK"],
}


def test_tra_vinh_every_month_lists_the_seeds_documents_in_order(cat):
    plan = cat.plans["tra-vinh-60-2022"]
    got = {t.month: [d.number for d in t.documents] for t in plan.topics}
    assert got == TRA_VINH
    assert sum(len(v) for v in got.values()) == 27


def test_tra_vinh_document_numbers_and_dates_are_in_their_quotes(cat):
    for t in cat.plans["tra-vinh-60-2022"].topics:
        for d in t.documents:
            assert d.number.replace(" ", "") in d.quote.replace(" ", ""), d.number
            assert date_forms(d.date) & set(re.findall(r"\d+/\d+/\d{4}", d.quote)), d.number


def test_page_break_rows_belong_to_the_right_month(cat):
    plan = cat.plans["tra-vinh-60-2022"]
    july = next(t for t in plan.topics if t.month == (2022, 7))
    assert july.documents[0].number == "04-NQ/TW"
    assert "trong nội bộ" in july.documents[0].title  # the half that runs on past the break
    october = next(t for t in plan.topics if t.month == (2022, 10))
    assert october.documents[2].number == "34-KH/ĐUK"
    assert "Chỉ thị số 05-CT/TW" in october.documents[2].title


def test_nothing_is_invented_where_the_scan_is_silent(cat):
    nq21 = cat.plans["nq21-huyen-2022"]
    assert nq21.number is None and nq21.issued is None
    ky_loi = cat.plans["ky-loi-2022"]
    assert ky_loi.number is None and ky_loi.issued is None
    kim_bang = cat.plans["kim-bang-35-2022"]
    assert kim_bang.issued is None and "để trống ngày" in kim_bang.issued_note
