"""What a plan says, asked in words of our own: another plan named or wished for, what the plan
does not say (said plainly, with what it does give), its targets, passages and documents, the plan
itself (its number, start, signing day, issuer, aims, sources) and its theme, the plan asked in
English, two questions in one message. Asserted on the reply text."""

from __future__ import annotations

import pytest

from tests.handlers.conversing import labels


@pytest.mark.parametrize(
    ("plan", "text", "other"),
    [
        ("kim-bang-35-2022", "cho chat này nhận nhắc việc theo kế hoạch Trà Vinh nữa", "tra-vinh"),
        ("tra-vinh-60-2022", "đăng ký thêm kế hoạch 49 của Thái Nguyên giùm", "thai-nguyen"),
        ("nq21-huyen-2022", "switch to the Ky Loi plan please", "ky-loi"),
    ],
)
async def test_a_wish_to_follow_another_plan_says_how_and_changes_nothing(chat, plan, text, other):
    reply = await chat.ask(plan, text, "2022-08-10T08:00")
    assert "Chat này chưa theo" in reply.text and f"/dangky {other}" in reply.text
    assert any(label.startswith("➕ Theo") for label in labels(reply))


async def test_a_question_naming_another_plan_is_answered_from_it_and_says_so(chat):
    reply = await chat.ask(
        "tra-vinh-60-2022", "Kim Bang bc dot 2 han cuoi ngay nao", "2022-10-01T08:00"
    )
    assert "Trả lời theo Kim Bảng 35-KH/HU" in reply.text and "14/12/2022" in reply.text
    reply = await chat.ask(
        "thai-nguyen-49-2022",
        "nghị quyết 21 của huyện đặt tỉ lệ kết nạp bao nhiêu phần trăm",
        "2022-11-20T08:00",
    )
    assert "/dangky nq21-huyen-2022" in reply.text and "3%" in reply.text
    reply = await chat.ask(
        "nq21-huyen-2022",
        "ky loi: cac chi bo con lai to chuc sinh hoat chuyen de truoc ngay may",
        "2022-09-01T08:00",
    )
    assert "Kỳ Lợi" in reply.text and "Thứ Hai, 19/9/2022" in reply.text


async def test_who_signed_is_not_said_but_who_issued_is(chat):
    reply = await chat.ask("nq21-huyen-2022", "ai là người ký kế hoạch này", "2022-11-10T08:00")
    assert "không nêu người ký kế hoạch" in reply.text
    assert "Ban Chấp hành Đảng bộ huyện" in reply.text


@pytest.mark.parametrize(
    ("plan", "signer"),
    [
        ("kim-bang-35-2022", "Nguyễn Mạnh Tuấn"),
        ("ky-loi-2022", "Lê Anh Trường"),
        ("tra-vinh-60-2022", "Phạm Phước Trãi"),
    ],
)
async def test_the_signer_a_plan_names_is_said(chat, plan, signer):
    reply = await chat.ask(plan, "ai ký kế hoạch này vậy", "2022-09-01T08:00")
    assert signer in reply.text and "không nêu" not in reply.text


async def test_the_curators_notes_are_never_shown_as_the_plan(chat):
    """How a plan file was made (a table broken across pages, the OCR's spelling) is for
    operators; what the plan implements is the plan's own words."""
    for plan, asked, basis in [
        ("tra-vinh-60-2022", "Kế hoạch 60 thực hiện theo hướng dẫn nào vậy?", "40-HD/BTGTU"),
        ("kim-bang-35-2022", "kế hoạch này là gì", "07-HD/TU"),
        ("tra-vinh-60-2022", "kế hoạch này là gì", "40-HD/BTGTU"),
    ]:
        reply = await chat.ask(plan, asked, "2022-06-01T08:00")
        assert basis in reply.text, reply.text
        for note in ("ngắt trang", "OCR", "7m- soi", "trang sau"):
            assert note not in reply.text, reply.text


async def test_a_cited_regulation_is_said_whole(chat):
    reply = await chat.ask("tra-vinh-60-2022", "Quy định 22-QĐ/TW là về gì", "2022-06-01T08:00")
    assert "kiểm tra, giám sát và kỷ luật của Đảng" in reply.text


async def test_a_phone_number_is_not_said_but_the_contact_the_plan_gives_is(chat):
    reply = await chat.ask(
        "ky-loi-2022", "cho xin số điện thoại văn phòng để gửi kế hoạch", "2022-08-15T08:00"
    )
    assert "không nêu số điện thoại" in reply.text and "Lê Xuân Hưởng" in reply.text


async def test_a_duration_the_plan_gives_is_the_answer_and_one_it_does_not_is_said_plainly(chat):
    reply = await chat.ask(
        "thai-nguyen-49-2022", "hội nghị học tập kéo dài mấy tiếng", "2022-02-10T08:00"
    )
    assert "1/2 ngày" in reply.text and "không nêu" not in reply.text
    reply = await chat.ask("kim-bang-35-2022", "có biểu mẫu báo cáo không", "2022-06-01T08:00")
    assert "không nêu mẫu báo cáo" in reply.text


async def test_a_template_the_plan_names_is_quoted(chat):
    reply = await chat.ask(
        "ky-loi-2022", "báo cáo tự soi tự sửa có đề cương không", "2022-08-28T08:00"
    )
    assert "theo đề cương gửi kèm" in reply.text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("hằng năm phải có bao nhiêu tổ chức cơ sở đảng xếp loại hoàn thành tốt", "90%"),
        ("đến 2030 bao nhiêu chi bộ có cấp ủy", "trên 90%"),
        ("phát triển đảng viên là chủ doanh nghiệp tư nhân được mấy người", "01 - 02 người"),
    ],
)
async def test_a_target_asked_in_its_own_words(chat, text, value):
    reply = await chat.ask("nq21-huyen-2022", text, "2022-11-15T08:00")
    assert f"• {value}:" in reply.text


async def test_who_presents_the_draft_is_answered_from_the_agenda(chat):
    reply = await chat.ask(
        "ky-loi-2022", "trong buổi sinh hoạt ai là người trình bày dự thảo?", "2022-09-01T08:00"
    )
    assert "được phân công trình bày dự thảo báo cáo chuyên đề" in reply.text


async def test_a_document_named_by_number_only_or_only_cited(chat):
    reply = await chat.ask("tra-vinh-60-2022", "văn bản 53 ai ban hành", "2022-06-01T08:00")
    assert "53-KH/ĐUK" in reply.text and "tháng 6/2022" in reply.text
    reply = await chat.ask(
        "nq21-huyen-2022", "kế hoạch 07 của Bộ Chính trị ra ngày nào", "2022-11-20T08:00"
    )
    assert "07-KH/TW ngày 17/8/2022" in reply.text


async def test_what_the_plan_asks_around_an_occasion_day(chat):
    reply = await chat.ask("thai-nguyen-49-2022", "vào dịp 19/5 thì cần làm gì", "2022-05-10T08:00")
    assert "19/5" in reply.text and "cao điểm" in reply.text


async def test_a_guidance_document_named_is_not_a_request_for_help(chat):
    reply = await chat.ask("kim-bang-35-2022", "hướng dẫn 07 ngày nào", "2022-09-01T08:00")
    assert "Hướng dẫn số 07-HD/TU ngày 17/3/2022" in reply.text


async def test_one_word_in_common_is_no_passage_and_who_chairs_is_not_stated(chat):
    reply = await chat.ask("kim-bang-35-2022", "ai chủ trì buổi sinh hoạt", "2022-09-01T08:00")
    assert "không nêu người chủ trì" in reply.text and not reply.text.startswith("📄")


@pytest.mark.parametrize(
    ("plan", "text", "said"),
    [
        ("ky-loi-2022", "sinh hoạt chuyên đề họp ở phòng họp nào vậy", "địa điểm"),
        ("kim-bang-35-2022", "khi nào tiến hành đại hội chi bộ", "đại hội chi bộ"),
        ("thai-nguyen-49-2022", "nộp bản mềm báo cáo lần 2 được không", "bản mềm"),
        ("tra-vinh-60-2022", "cho xin link tải các nghị quyết tháng này", "tệp văn bản"),
        ("ky-loi-2022", "đảng viên đi làm xa thì có được miễn sinh hoạt không", "làm ăn xa"),
    ],
)
async def test_a_topic_no_plan_states_is_said_plainly(chat, plan, text, said):
    reply = await chat.ask(plan, text, "2022-08-20T08:00")
    assert "không nêu" in reply.text and said in reply.text


async def test_a_soft_copy_question_gives_the_addresses_the_plan_does_give(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "gửi bản mềm báo cáo đợt 2 được ko", "2022-06-01T08:00"
    )
    assert "không nêu" in reply.text and "Ban Tuyên giáo Huyện ủy" in reply.text


async def test_how_long_a_study_lasts_is_the_plan_line_that_says_it(chat):
    reply = await chat.ask(
        "thai-nguyen-49-2022", "quán triệt Quy định 37 mất bao lâu", "2022-02-20T08:00"
    )
    assert "1/2 ngày" in reply.text and "không nêu" not in reply.text


async def test_a_plan_without_monthly_documents_or_targets_says_it_has_none(chat):
    month = await chat.ask("kim-bang-35-2022", "thang 8 hoc tai lieu gi", "2022-08-01T08:00")
    assert "không ghi văn bản học theo từng tháng" in month.text
    targets = await chat.ask("ky-loi-2022", "kế hoạch đặt ra chỉ tiêu gì", "2022-08-20T08:00")
    assert "không có chỉ tiêu bằng số" in targets.text
    outside = await chat.ask("tra-vinh-60-2022", "tháng 1 năm 2023 học gì", "2022-12-20T08:00")
    assert "nằm ngoài" in outside.text and "không ghi văn bản học nào" in outside.text


@pytest.mark.parametrize(
    ("plan", "text", "fact"),
    [
        ("kim-bang-35-2022", "kế hoạch ban hành hồi tháng mấy vậy", "tháng 4 năm 2022"),
        ("thai-nguyen-49-2022", "đợt sinh hoạt chính trị bắt đầu lúc nào", "từ 2/2022"),
        ("ky-loi-2022", "kế hoạch sinh hoạt chuyên đề của xã số mấy ngày nào", "không ghi số"),
        ("kim-bang-35-2022", "kh 35 can cu vao van ban nao", "07-HD/TU"),
    ],
)
async def test_a_question_about_the_plan_itself_is_not_a_deadline_sharing_its_words(
    chat, plan, text, fact
):
    reply = await chat.ask(plan, text, "2022-08-20T08:00")
    assert reply.text.startswith("🗂") and fact in reply.text and "⏰" not in reply.text


async def test_another_issuers_document_with_the_same_number_is_not_that_plan(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "53-KH/ĐUK của Trà Vinh là kế hoạch gì", "2022-06-01T08:00"
    )
    assert "ngày 3/3/2022" in reply.text and "Trả lời theo Trà Vinh" in reply.text
    assert "35-KH/TU" not in reply.text


async def test_one_target_asked_is_answered_alone_and_all_when_all_are_asked(chat):
    one = await chat.ask(
        "nq21-huyen-2022", "tới 2030 tỉ lệ chi bộ có cấp ủy là bao nhiêu", "2022-11-01T08:00"
    )
    assert "trên 90%" in one.text and "25%" not in one.text and "3%" not in one.text
    every = await chat.ask(
        "nq21-huyen-2022", "liệt kê tất cả chỉ tiêu giúp tôi", "2022-11-01T08:00"
    )
    assert all(v in every.text for v in ("3%", "25%", "trên 90%", "01 - 02"))


async def test_the_theme_of_the_campaign_is_the_theme_not_the_plan_header(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "chủ đề của đợt sinh hoạt lần này", "2022-05-01T08:00"
    )
    assert "Tự soi, tự sửa" in reply.text and not reply.text.startswith("🗂")


async def test_what_the_meeting_studies_in_a_month_is_the_months_content(chat):
    reply = await chat.ask(
        "tra-vinh-60-2022", "sinh hoạt chi bộ tháng 8 học nội dung gì", "2022-07-20T08:00"
    )
    assert reply.text.startswith("📚 Tháng 8/2022")


KL, TV, KB, TN, NQ = (
    "ky-loi-2022",
    "tra-vinh-60-2022",
    "kim-bang-35-2022",
    "thai-nguyen-49-2022",
    "nq21-huyen-2022",
)
NOT_SAID = "không nêu"

# Each case: the plan the chat follows, the message, when it is sent, what the reply must say and
# what it must never say.
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
async def test_reply(chat, plan, text, when, said, never):
    await chat.says(plan, text, when, said, never)
