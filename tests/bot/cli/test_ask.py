"""`chibo ask` prints what a subscribed cell would read in chat."""

import pytest

from bot.cli import main


def ask(capsys, *args):
    code = main(["ask", *args])
    out = capsys.readouterr().out
    assert code == 0
    return out


def test_this_month_without_diacritics(capsys):
    out = ask(capsys, "--plan", "tra-vinh-60-2022", "--today", "2022-07-05", "thang nay hoc gi")
    assert out.startswith("📚 Tháng 7/2022 — Trà Vinh 60-KH/ĐUK (3 văn bản):")
    assert "1. Nghị quyết 04-NQ/TW ngày 30/10/2016 của Hội nghị Trung ương 4 khóa XII" in out
    assert "3. Kế hoạch 31-KH/ĐUK ngày 19/12/2016" in out


@pytest.mark.parametrize(
    "question, month",
    [
        ("tháng sau học gì", "Tháng 8/2022"),
        ("thang truoc hoc gi", "Tháng 6/2022"),
        ("tháng 9 học gì", "Tháng 9/2022"),
        ("T10 hoc gi", "Tháng 10/2022"),
        ("tháng bảy học gì?", "Tháng 7/2022"),
        ("tháng 11/2022 học gì", "Tháng 11/2022"),
    ],
)
def test_named_months(capsys, question, month):
    out = ask(capsys, "--plan", "tra-vinh-60-2022", "--today", "2022-07-05", question)
    assert out.startswith(f"📚 {month} — Trà Vinh 60-KH/ĐUK")


def test_month_outside_the_plan(capsys):
    out = ask(capsys, "--plan", "tra-vinh-60-2022", "--today", "2022-07-05", "tháng 12 học gì")
    assert out.strip() == (
        "Tháng 12/2022 nằm ngoài kế hoạch Trà Vinh 60-KH/ĐUK: kế hoạch chạy từ 4/2022 đến 11/2022; "
        "kế hoạch không ghi văn bản học nào cho thời gian đó."
    )


def test_upcoming_deadlines_for_the_pilot_cell(capsys):
    out = ask(
        capsys,
        "--plan",
        "ky-loi-2022",
        "--cell",
        "Chi bộ Tân Phúc Thành 3",
        "--today",
        "2022-08-26",
        "han chot khi nao",
    )
    assert "Sinh hoạt chuyên đề điểm để rút kinh nghiệm" in out
    assert "Hạn: trước Thứ Bảy, 10/9/2022 — chậm nhất Thứ Sáu, 9/9/2022 (còn 14 ngày)" in out
    assert "25/8/2022" not in out  # past
    assert "Các chi bộ còn lại" not in out


def test_deadlines_of_a_plan_that_has_ended(capsys):
    out = ask(capsys, "--plan", "thai-nguyen-49-2022", "--today", "2023-01-10", "hạn nộp báo cáo?")
    assert out.splitlines()[0] == (
        "Kế hoạch Thái Nguyên 49-KH/TU đã kết thúc: chạy từ 2/2022 đến 12/2022."
    )
    assert "Từ Thứ Ba, 10/1/2023 không còn hạn nào" in out


def test_which_month_a_document_is_studied(capsys):
    out = ask(
        capsys, "--plan", "tra-vinh-60-2022", "--today", "2022-05-01", "nghi quyet 04 hoc thang nao"
    )
    assert "→ Học trong tháng 7/2022 (Trà Vinh 60-KH/ĐUK)." in out
    out = ask(
        capsys, "--plan", "tra-vinh-60-2022", "--today", "2022-05-01", "quy định 37 học tháng nào"
    )
    assert out.strip() == "Không thấy văn bản số 37-QD trong danh mục của Trà Vinh 60-KH/ĐUK."


def test_theme_agenda_targets_occasions(capsys):
    assert "“Tự soi, tự sửa”" in ask(capsys, "--plan", "kim-bang-35-2022", "chu de la gi")
    agenda = ask(capsys, "--plan", "ky-loi-2022", "trình tự sinh hoạt chuyên đề")
    assert "Cử thư ký ghi biên bản sinh hoạt chi bộ." in agenda
    targets = ask(capsys, "--plan", "nq21-huyen-2022", "chỉ tiêu là gì")
    assert "• 3%: Tỉ lệ kết nạp đảng viên hằng năm" in targets
    assert "• 90%: Hằng năm, tổ chức cơ sở Đảng" in targets
    occ = ask(capsys, "--plan", "thai-nguyen-49-2022", "--today", "2022-05-01", "dịp kỷ niệm")
    assert (
        "• Thứ Năm, 19/5/2022 (còn 18 ngày): Kỷ niệm 132 năm Ngày sinh Chủ tịch Hồ Chí Minh" in occ
    )


def test_plan_status(capsys):
    out = ask(
        capsys, "--plan", "tra-vinh-60-2022", "--today", "2022-03-01", "ke hoach chay den khi nao"
    )
    assert "Trạng thái: chưa bắt đầu — kế hoạch chạy từ 4/2022 đến 11/2022." in out


def test_not_understood_lists_what_it_can_answer(capsys):
    out = ask(capsys, "--plan", "tra-vinh-60-2022", "xyz abc")
    assert out.startswith("Xin lỗi, tôi chưa hiểu câu này. Tôi trả lời được")
    assert "“tháng này học gì?”" in out


def test_unknown_plan(capsys):
    assert main(["ask", "--plan", "khong-co", "tháng này học gì"]) == 2
    assert "Không có kế hoạch “khong-co”" in capsys.readouterr().out
