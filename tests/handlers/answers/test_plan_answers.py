"""Answers a plan holds, asked in words of our own (not the blind corpus's): a session's programme
asked without “trình tự”. Asserted on the reply text."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "cho xin kịch bản hội nghị chuyên đề của chi bộ",
        "buổi sinh hoạt chuyên đề chi bộ tổ chức gồm mấy phần vậy",
        "chuong trinh hop chuyen de o chi bo ra sao",
        "what's the agenda for our cell's session?",
        "buổi hội nghị chuyên đề chi bộ diễn ra như thế nào",
    ],
)
async def test_the_cells_programme_asked_in_other_words_is_its_agenda(chat, text):
    reply = await chat.ask("ky-loi-2022", text, "2022-09-01T08:00", cell="Chi bộ thôn Tân Phong")
    for part in ("Mở đầu", "Tiến hành sinh hoạt", "Kết thúc"):
        assert part in reply.text, reply.text
    assert "chi bộ điểm" not in reply.text  # the session's name alone asks about the pilot


async def test_a_plan_without_a_model_agenda_says_so_and_gives_the_forms_it_names(chat):
    reply = await chat.ask(
        "kim-bang-35-2022", "kịch bản buổi sinh hoạt chính trị thế nào", "2022-06-01T08:00"
    )
    assert "không có trình tự" in reply.text
    assert "tọa đàm" in reply.text  # the plan's own “Hình thức: …”, said as such
    assert "Mở đầu" not in reply.text  # never another plan's agenda
