"""On Zalo the first message of any answer fits one phone screen (about 600 characters): the
answer first, then “xem tiếp” for the rest. Swept over the five shipped plans' common questions,
asked through the real Conversation as a Zalo chat, at a day inside each plan."""

from __future__ import annotations

import pytest

from handlers.paging import PHONE
from tests.handlers.conversing import Chat

# A day inside each plan, when its cells are busiest.
PLANS = {
    "kim-bang-35-2022": "2022-05-20T08:00",
    "ky-loi-2022": "2022-08-20T08:00",
    "nq21-huyen-2022": "2022-11-20T08:00",
    "thai-nguyen-49-2022": "2022-03-10T08:00",
    "tra-vinh-60-2022": "2022-05-10T08:00",
}
# What the help offers, the quick buttons, the commands, and what secretaries ask most.
COMMON = [
    "tháng này học gì",
    "tháng sau học gì",
    "T9 học gì?",
    "hạn nộp báo cáo khi nào?",
    "hạn sắp tới",
    "tuần sau có hạn gì?",
    "chủ đề là gì?",
    "trình tự sinh hoạt chuyên đề",
    "chỉ tiêu",
    "dịp kỷ niệm",
    "kế hoạch chạy đến khi nào?",
    "kế hoạch này là gì",
    "các văn bản cần học",
    "sắp tới chi bộ có việc gì phải làm?",
    "mấy ngày tới nhắc gì",
    "họp chi bộ ngày nào",
    "/thangnay",
    "/hanchot",
    "/lichnhac",
    "/caidat",
    "/help",
    "/kehoach",
]
BUTTONS = ["q:topics", "q:deadlines"]


class ZaloChat(Chat):
    platform = "zalo"


@pytest.mark.parametrize("plan", sorted(PLANS))
async def test_the_first_message_of_every_common_answer_fits_a_phone_screen(cat, plan):
    chat = ZaloChat(cat)
    over = []
    for asked in [*COMMON, *BUTTONS]:
        chat.follows(plan, cell="Chi bộ thôn Tân Phong")
        if asked in BUTTONS:
            replies = await chat.send(callback=asked, at=PLANS[plan])
        else:
            replies = await chat.send(asked, at=PLANS[plan])
        assert replies, asked
        first = replies[0].text
        if len(first) > PHONE:
            over.append(f"{asked!r}: {len(first)}")
    assert over == []


async def test_a_long_answer_on_zalo_is_its_beginning_then_xem_tiep(cat):
    chat = ZaloChat(cat)
    chat.follows("nq21-huyen-2022")
    (first,) = await chat.send("chỉ tiêu", at="2022-11-20T08:00")
    assert first.text.startswith("📊 Chỉ tiêu") and len(first.text) <= PHONE
    assert "Xem tiếp" in first.text and any("Xem tiếp" in b.label for r in first.buttons for b in r)
    rest = await chat.send("xem hết", at="2022-11-20T08:00")
    assert "01 - 02" in "\n".join(r.text for r in rest)
