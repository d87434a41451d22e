"""Cut button labels stay distinct: the part that differs is kept; on channels of numbered lines
(Zalo, the console) nothing is cut."""

from handlers.labels import MOST, distinct

TWO = [
    "Báo cáo kết quả đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng bằng văn bản (đợt 1)",
    "Báo cáo kết quả đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng bằng văn bản (đợt 2)",
]


def test_two_titles_that_differ_at_the_end_keep_the_end():
    a, b = distinct(TWO, "telegram")
    assert a != b and "(đợt 1)" in a and "(đợt 2)" in b
    assert len(a) <= MOST and len(b) <= MOST


def test_on_zalo_and_the_console_labels_are_whole():
    assert distinct(TWO, "zalo") == TWO and distinct(TWO, "console") == TWO


def test_short_and_different_titles_are_left_alone():
    titles = ["Sinh hoạt chuyên đề", "Báo cáo quý"]
    assert distinct(titles, "telegram") == titles
