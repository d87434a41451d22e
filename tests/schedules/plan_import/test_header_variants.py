"""Headers, periods, issuers and monthly topics written the other ways committees write them."""

import re

import pytest

from schedules import plan_import
from schedules.plan_import import evidence


def _draft(text: str) -> dict:
    draft = plan_import.build(text, "plan.txt")
    assert evidence.problems(draft.data, text) == []
    return draft.data


def test_the_tra_vinh_seed_with_a_colon_after_so_keeps_its_number(seeds):
    text = (seeds / "002_7956c4d43d58e490.txt").read_text(encoding="utf-8")
    data = _draft(text.replace("Số 60 -KH/ĐUK", "Số: 60-KH/ĐUK"))
    assert data["number"] == "60-KH/ĐUK" and data["issued"] == "18/4/2022"


@pytest.mark.parametrize(
    ("written", "number"),
    [("Số: 146-KH/ĐTN", "146-KH/ĐTN"), ("Số:12-KH/TU", "12-KH/TU"), ("Số 35 - KH/HU", "35-KH/HU")],
)
def test_a_number_however_written(written, number):
    assert _draft(f"ĐẢNG ỦY XÃ AN BÌNH\n{written}\nKẾ HOẠCH\nvề công tác\n")["number"] == number


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Thời gian thực hiện: giai đoạn 2022 - 2026.", ("1/2022", "12/2026")),
        ("Thời gian: từ quý II đến quý IV năm 2022.", ("4/2022", "12/2022")),
        ("Thời gian: từ Tháng 01 năm 2024 đến Tháng 6 năm 2024.", ("1/2024", "6/2024")),
        ("Thời gian thực hiện: từ năm 2023 đến hết năm 2025.", ("1/2023", "12/2025")),
    ],
)
def test_a_period_by_years_quarters_or_months(sentence, period):
    data = _draft(f"KẾ HOẠCH\nvề công tác tuyên giáo\n1. Mục đích\n{sentence}\n")
    assert (data["period"]["from"], data["period"]["to"]) == period
    assert data["period"]["quote"] in sentence


def test_a_cited_documents_year_span_is_not_the_plans_period():
    data = _draft(
        "KẾ HOẠCH\nvề học tập\n1. Nội dung\n"
        "Tháng 4/2022\n1. Kế hoạch số 41-KH/TU, ngày 14/12/2021 của Ban Thường vụ Tỉnh ủy về mô "
        "hình điển hình, giai đoạn 2021 - 2025.\n"
    )
    assert "period" not in data


@pytest.mark.parametrize(
    ("lines", "issuer"),
    [
        ("Đảng ủy xã An Bình xây dựng kế hoạch như sau:", "Đảng ủy xã An Bình"),
        ("Chi bộ Thôn 3 xây dựng kế hoạch như sau:", "Chi bộ Thôn 3"),
        ("Ban Tuyên giáo Huyện ủy ban hành kế hoạch như sau:", "Ban Tuyên giáo Huyện ủy"),
        ("UBND xã An Bình ban hành kế hoạch thực hiện như sau:", "UBND xã An Bình"),
        (
            "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh ban hành kế hoạch như sau:",
            "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh",
        ),
    ],
)
def test_issuers_other_than_a_standing_committee(lines, issuer):
    data = _draft(f"KẾ HOẠCH\nvề công tác năm 2024\nCăn cứ Hướng dẫn của cấp trên, {lines}\n")
    assert data["issuer"] == issuer


def test_the_letterhead_names_the_issuer_when_no_sentence_does():
    data = _draft("ĐẢNG BỘ HUYỆN KỲ ANH\nĐẢNG ỦY XÃ KỲ LỢI\nSố: 38-KH/ĐU\nKẾ HOẠCH\nvề học tập\n")
    assert data["issuer"] == "Đảng ủy xã Kỳ Lợi"


def test_a_v_v_subject_and_a_slashed_date():
    data = _draft(
        "CHI BỘ THÔN 3\nSố: 05-KH/CB\nV/v tổ chức sinh hoạt chuyên đề năm 2024\n"
        "Thôn 3, ngày 05/01/2024\n"
    )
    assert data["title"] == "Kế hoạch tổ chức sinh hoạt chuyên đề năm 2024"
    assert data["issued"] == "5/1/2024" and data["number"] == "05-KH/CB"


def test_free_text_monthly_topics_under_a_year_heading():
    data = _draft(
        "KẾ HOẠCH\nsinh hoạt chuyên đề năm 2024\n1. Chủ đề sinh hoạt\nNĂM 2024\n"
        "Chủ đề tháng 3: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.\n"
        "Tháng 4: Nâng cao chất lượng sinh hoạt chi bộ\n"
        "| Tháng 5 | Tự soi, tự sửa trong cán bộ, đảng viên |\n"
    )
    texts = [c["text"] for c in data["contents"]]
    assert texts == [
        "Tháng 3/2024: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        "Tháng 4/2024: Nâng cao chất lượng sinh hoạt chi bộ",
        "Tháng 5/2024: Tự soi, tự sửa trong cán bộ, đảng viên",
    ]


def test_a_month_without_a_year_is_asked_not_guessed():
    data = _draft(
        "KẾ HOẠCH\nvề học tập\nTháng 4\n- Nghị quyết số 04-NQ/TW, ngày 30/10/2016 về xây dựng Đảng.\n"
    )
    assert "topics" not in data
    assert any(t["field"] == "topics" and "năm" in t["message"] for t in data["todo"])


def test_word_and_markdown_artefacts_leave_no_trace(seeds):
    text = (seeds / "002_7956c4d43d58e490.txt").read_text(encoding="utf-8")
    data = _draft(text)
    assert "*" not in data["title"] and "*" not in data["source"]["quote"]
    docs = [d for t in data["topics"] for d in t["documents"]]
    fifteen = next(d for d in docs if d["number"] == "15-KH/TU")
    assert fifteen["issuer"] == "Tỉnh ủy"  # not "Tỉnh ủy một số vấn đề cấp bách"
    eleven = next(d for d in docs if d["number"] == "11-CTr/TU")
    assert "issuer" not in eleven and eleven["title"].startswith("thực hiện Nghị quyết")


@pytest.mark.parametrize(
    ("letterhead", "sentence", "issuer"),
    [
        (
            "ĐẢNG BỘ THỊ XÃ KỲ ANH\nĐẢNG ỦY XÃ KỲ LỢI",
            "Ban Thường vụ Đảng uỷ xây dựng Kế hoạch triển khai thực hiện cụ thể như sau:",
            "Ban Thường vụ Đảng uỷ xã Kỳ Lợi",
        ),
        (
            "ĐẢNG BỘ TỈNH TRÀ VINH\nĐẢNG ỦY KHỐI CÁC CƠ QUAN\nVÀ DOANH NGHIỆP",
            "Ban Thường vụ Đảng ủy Khối ban hành kế hoạch như sau:",
            "Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp",
        ),
        (
            "TỈNH ỦY THÁI NGUYÊN",
            "Ban Thường vụ Tỉnh ủy ban hành kế hoạch:",
            "Ban Thường vụ Tỉnh ủy Thái Nguyên",
        ),
    ],
)
def test_an_issuer_named_without_its_place_is_completed_from_the_letterhead(
    letterhead, sentence, issuer
):
    text = f"{letterhead}\nSố: 38-KH/ĐU\nKẾ HOẠCH\nvề học tập\n{sentence}\n"
    data = _draft(text)
    assert data["issuer"] == issuer
    notes = data["source"]["notes"]
    said, head = re.findall(r"“(.*?)”", notes)  # both quotes, verbatim
    assert said in sentence and said.startswith("Ban Thường vụ")
    assert head in " ".join(letterhead.split()) and head.endswith(letterhead.splitlines()[-1])
    assert not [t for t in data["todo"] if t["field"] == "issuer"]


def test_an_issuer_without_its_place_and_no_letterhead_is_asked(seeds):
    """The Kỳ Lợi seed names "Ban Thường vụ Đảng uỷ" and has no letterhead at its top."""
    text = (seeds / "004_e0cf88b19ba32315.txt").read_text(encoding="utf-8")
    data = _draft(text)
    assert data["issuer"] == "Ban Thường vụ Đảng uỷ"
    (asked,) = [t for t in data["todo"] if t["field"] == "issuer"]
    assert "Ban Thường vụ Đảng uỷ" in asked["quote"]
