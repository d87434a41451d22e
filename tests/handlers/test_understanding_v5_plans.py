"""Questions in words of our own for what the fifth (blind) corpus found missing about the plans
(issue 11): the plan's own signing day (a month named with it is not the day asked; a blank day
is said blank), the place that issued it (said only where the issuer names it), topics the plan
does not state (minutes sent up, a quorum, invited guests, an event it names only as a form),
its sources, its aims, the document after one named, a plan named by the number its name
carries, two questions in one message, targets asked in English. Each case: the plan the chat follows, the message, when it
is sent, what the reply must say and what it must never say."""

import pytest

from tests.handlers.test_understanding_more import says

KL, TV, KB, TN, NQ = (
    "ky-loi-2022",
    "tra-vinh-60-2022",
    "kim-bang-35-2022",
    "thai-nguyen-49-2022",
    "nq21-huyen-2022",
)
NOT_SAID = "không nêu"

CASES = {
    # the plan's own day: from the plan, never a day of the month named with it
    "blank day, month named": (
        KB,
        "kh này ký hôm nào trong tháng 4 vậy",
        "2022-05-03T08",
        ["không ghi ngày ký", "để trống ngày", "tháng 4"],
        ["1/4/2022", "Hôm nay"],
    ),
    "blank day, no diacritics": (
        KB,
        "ke hoach ky khi nao the",
        "2022-06-03T08",
        ["không ghi ngày ký", "35-KH/HU"],
        ["Hôm nay"],
    ),
    "day given": (
        TN,
        "văn bản này ký vào ngày nào",
        "2022-04-03T08",
        ["ngày 18/2/2022", "Tỉnh ủy Thái Nguyên"],
        ["không ghi"],
    ),
    "anniversary is not signing": (
        TN,
        "ngày kỷ niệm trong kế hoạch là ngày nào",
        "2022-04-03T08",
        ["19/5"],
        ["ký"],
    ),
    # the place that issued it: said where the issuer names it, "không nêu" where it does not
    "district left blank": (
        NQ,
        "kế hoạch này do huyện nào ra?",
        "2022-11-20T08",
        [NOT_SAID, "không ghi tên huyện"],
        ["Kim Bảng"],
    ),
    "district named": (
        KB,
        "huyen nao ban hanh ke hoach",
        "2022-06-03T08",
        ["Huyện ủy Kim Bảng"],
        [NOT_SAID],
    ),
    "province named": (KB, "kế hoạch của tỉnh nào", "2022-06-03T08", ["tỉnh Hà Nam"], [NOT_SAID]),
    "town not named": (KL, "xã này thuộc thị xã nào", "2022-08-03T08", [NOT_SAID], []),
    # topics no plan item covers: said plainly, with the nearest passages
    "minutes sent up": (
        TN,
        "biên bản họp chi bộ có phải gửi lên tỉnh không",
        "2022-05-03T08",
        [NOT_SAID, "biên bản"],
        ["Chi bộ chưa đặt ngày họp"],
    ),
    "quorum": (
        KB,
        "họp chi bộ cần tối thiểu mấy đảng viên",
        "2022-06-03T08",
        [NOT_SAID, "tối thiểu"],
        ["Chi bộ chưa đặt ngày họp"],
    ),
    "guests": (
        KB,
        "buổi sinh hoạt chuyên đề có mời khách mời không",
        "2022-06-03T08",
        [NOT_SAID, "mời"],
        [],
    ),
    "event named only as a form": (
        KB,
        "tọa đàm về xây dựng Đảng diễn ra hôm nào",
        "2022-06-03T08",
        [NOT_SAID, "hội thảo khoa học, tọa đàm"],
        ["Hạn:"],
    ),
    "event not in the plan": (
        TN,
        "hội thi tìm hiểu tổ chức ở đâu",
        "2022-05-03T08",
        [NOT_SAID],
        [],
    ),
    # asked who / where / how much about what no line covers: syllables colliding once folded
    # ("phụ" and "Phú Trọng", "thư" and "Bí thư") are no answer
    "nothing covers it": (
        TN,
        "ai phụ trách thu quỹ đảng phí",
        "2022-05-15T08",
        [NOT_SAID],
        ["Phú Trọng", "chưa hiểu"],
    ),
    "one shared word is not enough": (
        TN,
        "xe đưa đón đảng viên ở đâu",
        "2022-05-15T08",
        [NOT_SAID],
        ["📄"],
    ),
    "a passage that does answer": (
        KL,
        "ai trình bày dự thảo báo cáo chuyên đề",
        "2022-09-05T08",
        ["được phân công trình bày dự thảo báo cáo chuyên đề"],
        [NOT_SAID],
    ),
    # its sources, asked in other words
    "sources": (
        KB,
        "kh nay lam theo huong dan nao cua tinh uy",
        "2022-06-03T08",
        ["07-HD/TU"],
        ["Tôi trả lời được"],
    ),
    # the plan's aims are not its targets; a target asked with "mục tiêu" still is one
    "aims": (
        NQ,
        "muc tieu chung cua ke hoach nay",
        "2022-11-20T08",
        ["Mục tiêu tổng quát:"],
        ["3%"],
    ),
    "general aim": (
        NQ,
        "kế hoạch đặt mục tiêu tổng quát gì",
        "2022-11-20T08",
        ["sức chiến đấu"],
        [],
    ),
    "target worded as an aim": (
        NQ,
        "mục tiêu kết nạp đảng viên mỗi năm bao nhiêu",
        "2022-11-20T08",
        ["3%"],
        ["Mục tiêu tổng quát"],
    ),
    # the agenda named whole and asked how: the agenda, not a passage sharing its words
    "agenda asked how": (
        KL,
        "kịch bản buổi chuyên đề ở chi bộ ra sao",
        "2022-09-10T08",
        ["Cử thư ký ghi biên bản sinh hoạt chi bộ"],
        ["Hai hình thức"],
    ),
    "agenda how, no diacritics": (
        KL,
        "cac buoc sinh hoat chuyen de chi bo lam the nao",
        "2022-09-10T08",
        ["Cử thư ký ghi biên bản sinh hoạt chi bộ"],
        [],
    ),
    # the document after one named, in the plan's list; the list's end said as such
    "next document": (
        TV,
        "xong nghị quyết 04 rồi thì học văn bản kế tiếp nào",
        "2022-07-05T08",
        ["Sau 04-NQ/TW", "11-CTr/TU", "tháng 7/2022"],
        [],
    ),
    "next, no diacritics": (
        TV,
        "hoc xong 34-KH/DUK roi, tiep theo hoc gi",
        "2022-10-05T08",
        ["43-KH/ĐUK"],
        [],
    ),
    "last document": (
        TV,
        "học xong 52-KH/ĐUK thì văn bản tiếp theo là gì",
        "2022-11-20T08",
        ["52-KH/ĐUK là văn bản cuối"],
        [],
    ),
    # a plan without its own number called a plan by the number its name carries
    "plan by its programme's number": (
        TV,
        "kh 42 cua huyen ty le ket nap hang nam la bao nhieu",
        "2022-11-15T08",
        ["Trả lời theo Kế hoạch thực hiện 42-CTr/TU", "3%"],
        ["Trà Vinh 60-KH/ĐUK không có"],
    ),
    "a numbered plan is not loose": (
        TV,
        "kế hoạch 35-KH/ĐUK học tháng nào",
        "2022-11-15T08",
        [],
        ["Trả lời theo Kim Bảng"],
    ),
    # two questions in one message: both answered, in the order asked
    "two questions": (
        KB,
        "chủ đề đợt này là gì, với lại hạn báo cáo đợt 1 khi nào",
        "2022-05-10T08",
        ["Tự soi, tự sửa", "Thứ Ba, 14/6/2022"],
        [],
    ),
    "two questions, no diacritics": (
        TV,
        "thang 10 hoc van ban gi, ngoai ra bao cao quy gui ai",
        "2022-10-03T08",
        ["Tháng 10/2022", "Ban Thường vụ Đảng ủy Khối"],
        [],
    ),
    # a target asked in English
    "rate in English": (
        NQ,
        "what percentage of members must be evaluated as good or better",
        "2022-11-20T08",
        ["90%"],
        ["chưa hiểu"],
    ),
}


@pytest.mark.parametrize(("plan", "text", "when", "said", "never"), CASES.values(), ids=CASES)
async def test_reply(plan, text, when, said, never):
    await says(plan, text, when, said, never)
