"""Questions in words of our own for each kind the second corpus found missing (issue 11): another
plan named or wished for, what the plan does not say, targets without "chỉ tiêu", periods,
passages, documents without a kind, a deadline named by shared words, an occasion, a typed-in
cell. Asserted on the reply text the user sees."""

from datetime import datetime

import pytest

from bot.clock import TZ
from handlers.conversation import Conversation
from handlers.state import MemoryStore, Subscription
from handlers.types import Incoming, Reply
from schedules import catalog
from schedules.meetings import parse_rule

_CATALOG = catalog.load()


async def ask(plan: str, text: str, at: str, cell: str | None = None, **dates) -> Reply:
    store = MemoryStore()
    sub = Subscription(
        "t",
        "1",
        plan_ids=(plan,),
        cell_name=cell,
        meeting_rule=parse_rule("ngày 5 hằng tháng"),
        cell_dates={k.replace("_", "-"): v for k, v in dates.items()},
    )
    store._subs[sub.key] = sub  # noqa: SLF001 — seeding the memory store directly
    moment = datetime.fromisoformat(at).replace(tzinfo=TZ)
    replies = await Conversation(_CATALOG, store).handle(
        Incoming("t", "1", "u1", text=text), moment
    )
    assert len(replies) == 1 and store.get("t", "1").plan_ids == (plan,)  # nothing changed
    return replies[0]


async def says(plan: str, text: str, when: str, said: list[str], never: list[str]) -> None:
    """The reply to `text` (sent at `when`, to the minute) holds every `said` and no `never`."""
    reply = await ask(plan, text, f"{when}:00")
    assert [s for s in said if s not in reply.text] == [], reply.text
    assert [s for s in never if s in reply.text] == [], reply.text


def labels(reply: Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


# ── another plan ────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("plan", "text", "other"),
    [
        ("kim-bang-35-2022", "cho chat này nhận nhắc việc theo kế hoạch Trà Vinh nữa", "tra-vinh"),
        ("tra-vinh-60-2022", "đăng ký thêm kế hoạch 49 của Thái Nguyên giùm", "thai-nguyen"),
        ("nq21-huyen-2022", "switch to the Ky Loi plan please", "ky-loi"),
    ],
)
async def test_a_wish_to_follow_another_plan_says_how_and_changes_nothing(plan, text, other):
    reply = await ask(plan, text, "2022-08-10T08:00")
    assert "Chat này chưa theo" in reply.text and f"/dangky {other}" in reply.text
    assert any(label.startswith("➕ Theo") for label in labels(reply))


async def test_a_question_naming_another_plan_is_answered_from_it_and_says_so():
    reply = await ask("tra-vinh-60-2022", "Kim Bang bc dot 2 han cuoi ngay nao", "2022-10-01T08:00")
    assert "Trả lời theo Kim Bảng 35-KH/HU" in reply.text and "14/12/2022" in reply.text
    reply = await ask(
        "thai-nguyen-49-2022",
        "nghị quyết 21 của huyện đặt tỉ lệ kết nạp bao nhiêu phần trăm",
        "2022-11-20T08:00",
    )
    assert "/dangky nq21-huyen-2022" in reply.text and "3%" in reply.text
    reply = await ask(
        "nq21-huyen-2022",
        "ky loi: cac chi bo con lai to chuc sinh hoat chuyen de truoc ngay may",
        "2022-09-01T08:00",
    )
    assert "Kỳ Lợi" in reply.text and "Thứ Hai, 19/9/2022" in reply.text


# ── what the plan does not say ──────────────────────────────────────────────────────────────


async def test_who_signed_is_not_said_but_who_issued_is():
    reply = await ask("kim-bang-35-2022", "ai là người ký kế hoạch này", "2022-06-01T08:00")
    assert "không nêu người ký kế hoạch" in reply.text
    assert "Ban Thường vụ Huyện ủy Kim Bảng" in reply.text


async def test_a_phone_number_is_not_said_but_the_contact_the_plan_gives_is():
    reply = await ask(
        "ky-loi-2022", "cho xin số điện thoại văn phòng để gửi kế hoạch", "2022-08-15T08:00"
    )
    assert "không nêu số điện thoại" in reply.text and "Lê Xuân Hưởng" in reply.text


async def test_a_duration_the_plan_gives_is_the_answer_and_one_it_does_not_is_said_plainly():
    reply = await ask(
        "thai-nguyen-49-2022", "hội nghị học tập kéo dài mấy tiếng", "2022-02-10T08:00"
    )
    assert "1/2 ngày" in reply.text and "không nêu" not in reply.text
    reply = await ask("kim-bang-35-2022", "có biểu mẫu báo cáo không", "2022-06-01T08:00")
    assert "không nêu mẫu báo cáo" in reply.text


async def test_a_template_the_plan_names_is_quoted():
    reply = await ask("ky-loi-2022", "báo cáo tự soi tự sửa có đề cương không", "2022-08-28T08:00")
    assert "theo đề cương gửi kèm" in reply.text


# ── targets named without “chỉ tiêu” ───────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("hằng năm phải có bao nhiêu tổ chức cơ sở đảng xếp loại hoàn thành tốt", "90%"),
        ("đến 2030 bao nhiêu chi bộ có cấp ủy", "trên 90%"),
        ("phát triển đảng viên là chủ doanh nghiệp tư nhân được mấy người", "01 - 02 người"),
    ],
)
async def test_a_target_asked_in_its_own_words(text, value):
    reply = await ask("nq21-huyen-2022", text, "2022-11-15T08:00")
    assert f"• {value}:" in reply.text


# ── periods ────────────────────────────────────────────────────────────────────────────────


async def test_until_the_end_of_the_year_lists_what_is_due_in_it_only():
    reply = await ask(
        "kim-bang-35-2022", "từ nay tới cuối năm có hạn nào không", "2022-11-01T08:00"
    )
    assert "14/12/2022" in reply.text and "14/6/2022" not in reply.text


async def test_next_week_shows_the_cells_own_session():
    reply = await ask(
        "ky-loi-2022",
        "tuần tới chi bộ có việc gì",
        "2022-09-08T08:00",
        cell="Tân Phúc Thành 2",
        hoi_nghi_chuyen_de="2022-09-15",
    )
    assert "Thứ Năm, 15/9/2022" in reply.text


async def test_an_empty_quarter_says_so_and_gives_the_next_deadline_not_a_guess():
    reply = await ask("thai-nguyen-49-2022", "quý 3 nộp báo cáo gì", "2022-07-05T08:00")
    assert "không có hạn nào" in reply.text and "Hạn gần nhất sau đó" in reply.text
    assert "19/12/2022" in reply.text and "30/9/2022" not in reply.text


# ── passages and documents ─────────────────────────────────────────────────────────────────


async def test_who_presents_the_draft_is_answered_from_the_agenda():
    reply = await ask(
        "ky-loi-2022", "trong buổi sinh hoạt ai là người trình bày dự thảo?", "2022-09-01T08:00"
    )
    assert "được phân công trình bày dự thảo báo cáo chuyên đề" in reply.text


async def test_a_document_named_by_number_only_or_only_cited():
    reply = await ask("tra-vinh-60-2022", "văn bản 53 ai ban hành", "2022-06-01T08:00")
    assert "53-KH/ĐUK" in reply.text and "tháng 6/2022" in reply.text
    reply = await ask(
        "nq21-huyen-2022", "kế hoạch 07 của Bộ Chính trị ra ngày nào", "2022-11-20T08:00"
    )
    assert "07-KH/TW ngày 17/8/2022" in reply.text


# ── one deadline, an occasion, a typed-in cell ─────────────────────────────────────────────


async def test_the_committees_session_is_told_apart_from_the_cells():
    reply = await ask(
        "ky-loi-2022",
        "ban chấp hành đảng ủy sinh hoạt chuyên đề xong trước ngày mấy",
        "2022-08-20T08:00",
    )
    assert "Thứ Hai, 5/9/2022" in reply.text and "19/9/2022" not in reply.text


async def test_what_the_plan_asks_around_an_occasion_day():
    reply = await ask("thai-nguyen-49-2022", "vào dịp 19/5 thì cần làm gì", "2022-05-10T08:00")
    assert "19/5" in reply.text and "cao điểm" in reply.text


async def test_a_pilot_cell_typed_without_accents():
    reply = await ask(
        "ky-loi-2022",
        "chi bo tan phuc thanh 3 phai xong sinh hoat diem truoc ngay may",
        "2022-08-29T08:00",
        cell="Tân Phúc Thành 1",
    )
    assert "Thứ Sáu, 9/9/2022" in reply.text


async def test_the_number_of_a_period_is_not_evidence_for_an_item_worded_with_it():
    reply = await ask("kim-bang-35-2022", "quý 4 có hạn gì", "2022-09-01T08:00")
    assert "Hạn trong quý IV/2022" in reply.text and "14/12/2022" in reply.text


async def test_a_guidance_document_named_is_not_a_request_for_help():
    reply = await ask("kim-bang-35-2022", "hướng dẫn 07 ngày nào", "2022-09-01T08:00")
    assert "Hướng dẫn số 07-HD/TU ngày 17/3/2022" in reply.text


async def test_one_word_in_common_is_no_passage_and_who_chairs_is_not_stated():
    reply = await ask("kim-bang-35-2022", "ai chủ trì buổi sinh hoạt", "2022-09-01T08:00")
    assert "không nêu người chủ trì" in reply.text and not reply.text.startswith("📄")
