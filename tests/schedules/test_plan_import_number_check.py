"""The evidence check on a draft whose plan number does not open with digits."""

from schedules.plan_import import evidence


def test_a_number_without_digits_first_is_reported_not_a_crash():
    text = "Kế hoạch số KH-35/HU ngày 5 tháng 3 năm 2024"
    found = evidence.problems({"number": "KH-35/HU"}, text)
    assert found == ["number KH-35/HU is not written in the source"]


def test_a_number_written_in_the_source_passes():
    text = "Số 35-KH/HU"
    assert evidence.problems({"number": "35-KH/HU"}, text) == []
