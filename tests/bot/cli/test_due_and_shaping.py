from bot.channels.shaping import html_chunks, split_text
from bot.cli import main


def test_long_text_is_split_at_line_boundaries():
    lines = [f"{i}. " + "chữ " * 60 for i in range(60)]
    chunks = split_text("\n".join(lines), 4096)
    assert len(chunks) > 1 and all(len(c) <= 4096 for c in chunks)
    assert "\n".join(chunks) == "\n".join(lines)  # nothing lost, cuts only between lines
    assert all(c.split("\n")[0] in lines for c in chunks)


def test_one_overlong_line_is_cut_between_words_and_escaping_keeps_the_limit():
    text = "a&b " * 3000
    chunks = html_chunks(text, 4096)
    assert all(len(c) <= 4096 for c in chunks)
    assert "".join(chunks).count("&amp;") == 3000


def test_chibo_due_prints_what_would_be_pushed(capsys):
    assert (
        main(["due", "--from", "2022-06-01", "--to", "2022-06-30", "--plan", "kim-bang-35-2022"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.count("⏰ 2022-06-") == 4
    assert "⏰ 2022-06-07 07:30 [cli:0|kim-bang-35-2022|bao-cao-dot-1|7]" in out
    assert "Hạn: trước Thứ Tư, 15/6/2022 — chậm nhất Thứ Ba, 14/6/2022 (còn 7 ngày)" in out
    assert out.strip().endswith("Tổng cộng 4 tin nhắc từ 2022-06-01 00:00 đến 2022-06-30 00:00.")


def test_chibo_due_with_a_meeting_rule_and_bad_input(capsys):
    assert (
        main(
            [
                "due",
                "--from",
                "2022-07-29",
                "--to",
                "2022-08-04",
                "--plan",
                "tra-vinh-60-2022",
                "--meeting",
                "ngày 3 hằng tháng",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "🗓 Còn 3 ngày đến kỳ sinh hoạt chi bộ (Thứ Tư, 3/8/2022)." in out
    assert main(["due", "--from", "2022-07-29", "--to", "2022-08-04", "--plan", "khong-co"]) == 2
    assert (
        main(
            [
                "due",
                "--from",
                "2022-07-29",
                "--to",
                "2022-08-04",
                "--plan",
                "tra-vinh-60-2022",
                "--meeting",
                "khi nào rảnh",
            ]
        )
        == 2
    )
