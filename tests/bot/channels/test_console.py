"""`chibo demo` reads stdin, so a whole session can be piped and its output read back."""

import subprocess
import sys
from pathlib import Path

from schedules import catalog


def demo(lines: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        input=lines,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=Path(__file__).parents[3],
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_subscribe_by_number_ask_and_fast_forward_through_pushes():
    n = [p.id for p in catalog.load().sorted()].index("tra-vinh-60-2022") + 1  # its button
    out = demo(
        f"/start\n{n}\nthang nay hoc gi\n/caidat\n2\nngày 3 hằng tháng\n1\n/tua 2022-08-03T08:00\n",
        "--today",
        "2022-07-28T08:00",
    )
    assert f"[{n}] Trà Vinh 60-KH/ĐUK" in out
    assert "✅ Đã đăng ký Trà Vinh 60-KH/ĐUK cho chat này." in out
    assert "📚 Tháng 7/2022 — Trà Vinh 60-KH/ĐUK (3 văn bản):" in out
    pushes = out[out.index("⏰ 7:30 Chủ nhật, 31/7/2022") :]
    order = [
        "⏰ 7:30 Chủ nhật, 31/7/2022 → chat riêng:",
        "⏰ 7:30 Thứ Hai, 1/8/2022 → chat riêng:",
        "⏰ 7:30 Thứ Ba, 2/8/2022 → chat riêng:",
        "⏰ 7:30 Thứ Tư, 3/8/2022 → chat riêng:",
    ]
    assert [pushes.index(h) for h in order] == sorted(pushes.index(h) for h in order)
    assert "→ Đã tua đến 8:00 Thứ Tư, 3/8/2022: 4 tin nhắc." in out


def test_group_mode_member_is_refused_and_done_button_works(tmp_path):
    out = demo(
        "/nhom\n/thanhvien\n/dangky kim-bang-35-2022\n/thanhvien\n/dangky kim-bang-35-2022\n"
        "/tua 2022-06-07T08:00\n1\n/tua 2022-06-15T08:00\n",
        "--today",
        "2022-06-01T08:00",
        "--db",
        str(tmp_path / "demo.json"),
    )
    assert "Xin lỗi, chỉ quản trị viên của nhóm mới thay đổi được" in out
    assert "✅ Đã đăng ký Kim Bảng 35-KH/HU cho nhóm này." in out
    assert "⏰ Còn 7 ngày: Báo cáo kết quả đợt sinh hoạt chính trị" in out
    assert "[1] ✅ Đã hoàn thành" in out
    assert "✅ Cảm ơn đồng chí! Đã ghi nhận hoàn thành" in out
    assert out.rstrip().endswith("→ Đã tua đến 8:00 Thứ Tư, 15/6/2022, không có tin nhắc nào.")


def test_bad_fast_forward_is_explained():
    out = demo("/tua hôm qua\n/tua abc\n", "--today", "2022-06-01T08:00")
    assert "→ Chỉ tua được về phía trước." in out
    assert "→ Không hiểu thời điểm: không hiểu “abc”." in out


def test_fast_forward_past_the_plans_is_refused_and_the_demo_goes_on():
    """/tua 9999-12-31T23:59 used to end the demo with OverflowError after ~8 s of walking."""
    out = demo(
        "/start\n5\n/tua 9999-12-31T23:59\n/gio\n/tua 2031-12-31T23:59\n/tua 2032-01-01\n/gio\n",
        "--today",
        "2022-07-05T08:00",
    )
    refusal = (
        "→ Chỉ tua được đến hết năm 2031 (các kế hoạch chỉ nói tới ngày 31/12/2030; "
        "xa hơn không còn tin nhắc nào)."
    )
    assert out.count(refusal) == 2
    assert "→ Bây giờ là 8:00 Thứ Ba, 5/7/2022." in out  # the refused jump moved nothing
    assert "→ Đã tua đến 23:59 Thứ Tư, 31/12/2031:" in out
    assert out.rstrip().endswith("→ Bây giờ là 23:59 Thứ Tư, 31/12/2031.")


def test_piped_input_shows_no_prompt():
    out = demo("/gio\n", "--today", "2022-07-05T08:00")
    assert "> " not in out
    assert out.splitlines()[-1] == "→ Bây giờ là 8:00 Thứ Ba, 5/7/2022."


def test_demo_on_the_zalo_channel_numbers_choices_and_refuses_a_stray_number():
    ids = [p.id for p in catalog.load().sorted()]
    n, stray = ids.index("tra-vinh-60-2022") + 1, len(ids) + 4  # its choice, and one past the list
    out = demo(
        f"/start\n{stray}\n{n}\n/caidat\n2\nngày 3 hằng tháng\n1\n",
        "--today",
        "2022-07-28T08:00",
        "--kenh",
        "zalo",
    )
    assert "[1]" not in out  # no buttons on Zalo
    assert f"Trả lời bằng số để chọn:\n1. {catalog.load().sorted()[0].short_name}" in out
    assert f"Không có lựa chọn số {stray}. Danh sách gần nhất có {len(ids)} lựa chọn:" in out
    assert "✅ Đã đăng ký Trà Vinh 60-KH/ĐUK cho chat này." in out
    assert "Xác nhận thay đổi:" in out and "1. ✅ Lưu" in out
    assert "✅ Đã lưu." in out
