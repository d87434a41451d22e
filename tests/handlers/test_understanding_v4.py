"""Questions in words of our own for each kind the fourth (blind) corpus found missing (issue 11):
the plan asked in English, what the plans never give (a session's hour, online, a quarterly
report's day, an anniversary's count), one part of the agenda, through whom to send, a document's
date, a month's documents in a plan without a monthly list, another plan's registration duty.
Each case: the plan the chat follows, the message, when it is sent, what the reply must say and
what it must never say."""

import pytest

from tests.handlers.test_understanding_more import says

KL, TV, KB, TN = "ky-loi-2022", "tra-vinh-60-2022", "kim-bang-35-2022", "thai-nguyen-49-2022"

CASES = {
    # the plan asked in English
    "for whom": (
        TV,
        "who does this plan apply to",
        "2022-07-12T09",
        ["Áp dụng cho: Các chi bộ"],
        [],
    ),
    "for which cells": (TV, "Which cells is the plan for?", "2022-07-12T09", ["Áp dụng cho:"], []),
    "mixed for whom": (TV, "plan này for whom", "2022-07-12T09", ["Áp dụng cho:"], []),
    "slogan": (KL, "what is the slogan of the campaign", "2022-08-10T09", ["“Tự soi, tự sửa”"], []),
    "motto": (KL, "campaign motto?", "2022-08-10T09", ["Chủ đề: “Tự soi, tự sửa”"], []),
    # what the plan does not say
    "hour": (KL, "hội nghị chuyên đề bắt đầu lúc mấy giờ", "2022-09-02T11", ["không nêu giờ"], []),
    "hour nodiac": (
        KL,
        "sh chuyen de may gio bat dau vay ad",
        "2022-09-02T11",
        ["không nêu giờ"],
        [],
    ),
    "meeting hour": (KL, "họp chi bộ mấy giờ", "2022-09-02T11", ["Kỳ họp chi bộ"], ["không nêu"]),
    "onl": (KB, "hop chi bo onl dc hok", "2022-06-02T11", ["không nêu hình thức trực tuyến"], []),
    "quarter day": (
        TV,
        "báo cáo quý gửi cụ thể ngày nào",
        "2022-09-05T08",
        ["không ghi ngày cụ thể"],
        ["30/9"],
    ),
    # one part of the agenda: the cell's own, or the committee's when it is named
    "opening": (
        KL,
        "mở đầu buổi sinh hoạt chuyên đề cần làm gì",
        "2022-09-05T08",
        ["phần mở đầu", "Cử thư ký ghi biên bản sinh hoạt chi bộ"],
        ["Hạn:", "tại Đảng ủy"],
    ),
    "committee's end": (
        KL,
        "ket thuc hoi nghi chuyen de cua dang uy thi lam gi",
        "2022-09-05T08",
        ["Bí thư Đảng ủy đánh giá việc chuẩn bị"],
        ["tại Chi bộ"],
    ),
    "middle": (
        KL,
        "phần tiến hành sh chuyên đề gồm những gì",
        "2022-09-05T08",
        ["trình bày dự thảo báo cáo chuyên đề"],
        ["Tuyên bố lý do"],
    ),
    "the round's end": (
        KL,
        "đợt sinh hoạt chuyên đề kết thúc khi nào",
        "2022-09-05T08",
        [],
        ["phần kết thúc"],
    ),
    # through whom, through where
    "through whom": (
        KL,
        "ke hoach chuyen de cua chi bo nop qua ai vay",
        "2022-08-15T09",
        ["Lê Xuân Hưởng"],
        [],
    ),
    "through where": (
        KL,
        "báo cáo chuyên đề hoàn thành gửi qua đâu",
        "2022-08-15T09",
        ["letruong28ht@gmail.com"],
        [],
    ),
    # a document's date, not today's
    "NQ 04": (TV, "NQ 04 ngày bao nhiêu", "2022-06-02T14", ["30/10/2016"], ["Hôm nay"]),
    "53-KH/ĐUK": (TV, "văn bản 53-KH/ĐUK ngày mấy vậy", "2022-06-02T14", ["3/3/2022"], ["Hôm nay"]),
    "own number": (TV, "kh 60-KH/ĐUK ngày mấy", "2022-06-02T14", ["ngày 18/4/2022"], ["Hôm nay"]),
    "today": (TV, "hôm nay ngày bao nhiêu", "2022-06-02T14", ["Hôm nay là Thứ Năm, 2/6/2022"], []),
    # a month's documents, in a plan without a monthly list: says so and gives what it studies
    "van kien": (
        KL,
        "thang 9 hoc van kien gi",
        "2022-09-01T08",
        ["không ghi văn bản học theo từng tháng", "21-KL/TW"],
        ["Hạn trong"],
    ),
    "nghi quyet": (
        KL,
        "tháng này học nghị quyết gì vậy",
        "2022-09-01T08",
        ["không ghi văn bản học theo từng tháng", "21-KL/TW"],
        ["Hạn trong"],
    ),
    # occasions; an anniversary's count given where the plan gives it, never computed
    "ki niem": (
        TN,
        "ke hoach co nhung dip ki niem nao",
        "2022-02-20T10",
        ["Dịp kỷ niệm", "(3/2)", "19/5"],
        [],
    ),
    "count unsaid": (
        KB,
        "thành lập Đảng năm nay là lần thứ mấy",
        "2022-01-12T08",
        ["không nêu đây là kỷ niệm bao nhiêu năm", "3/2/2022"],
        ["92"],
    ),
    "count said": (
        TN,
        "sinh nhật Bác năm nay mấy năm",
        "2022-05-10T08",
        ["132 năm"],
        ["không nêu"],
    ),
    # another plan's registration duty is asked about, not wished
    "other plan's duty": (
        KB,
        "bên Kỳ Lợi đăng ký thời gian hội nghị khi nào hết hạn",
        "2022-08-15T09",
        ["Trả lời theo Kỳ Lợi", "/dangky ky-loi-2022", "Thứ Tư, 24/8/2022"],
        [],
    ),
    "a wish still": (
        KB,
        "đăng ký thêm kế hoạch Kỳ Lợi",
        "2022-08-15T09",
        ["Chat này chưa theo Kỳ Lợi"],
        ["24/8/2022"],
    ),
}


@pytest.mark.parametrize(("plan", "text", "when", "said", "never"), CASES.values(), ids=CASES)
async def test_reply(plan, text, when, said, never):
    await says(plan, text, when, said, never)
