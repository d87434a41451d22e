from bot.cli import main


def run(capsys, *args):
    code = main(["parse-date", *args])
    return code, capsys.readouterr().out.strip()


def test_day_span_and_moment(capsys):
    assert run(capsys, "--today", "2022-07-05", "thứ hai tuần sau") == (0, "2022-07-11")
    assert run(capsys, "--today", "2022-07-05", "quý III") == (0, "2022-07-01..2022-09-30")
    assert run(capsys, "--today", "2022-07-05T08:00", "19h", "thứ", "6") == (0, "2022-07-08T19:00")


def test_not_understood_exits_1_in_vietnamese(capsys):
    assert run(capsys, "--today", "2022-07-05", "31/2") == (
        1,
        "Không hiểu mốc thời gian: ngày 31/2 không tồn tại.",
    )
    code, out = run(capsys, "--today", "2022-07-05", "xin chào")
    assert code == 1 and out == "Không hiểu mốc thời gian: không hiểu “xin chào”."


def test_bad_reference_moment_is_a_clear_error(capsys):
    assert main(["parse-date", "--today", "5/7/2022", "mai"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "Lỗi: thời điểm “5/7/2022” không hợp lệ (viết YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)."
    )
