"""What an admin reads while publishing a plan from chat: why a file could not be read, a
draft's summary (what the importer found, what is still missing), a checked plan's summary, the
check's problems. Pure text, each fitting a phone screen; the flow is in
handlers/features/plan_upload.py."""

from __future__ import annotations

import re
from datetime import date

from handlers.types import ReceivedFile, Unreadable, UserRef
from schedules import vi_format
from schedules.catalog import Problem
from schedules.model import Plan
from schedules.plan_import import Draft

MOST_ITEMS = 3  # todo items or problems shown by name; the rest are counted
ITEM_CHARS = 240  # one item's line: whole up to this, else its first sentences and "…"
LIST_CHARS = 560  # the items of one list together: those that would go beyond are counted

ACCEPTED = ".docx, .pdf có lớp chữ hoặc .txt"


def elsewhere(user: UserRef) -> str:
    """How to publish where the chat carries no files (Zalo)."""
    return (
        "Cách khác để ban hành kế hoạch:\n"
        "• Gửi tệp cho bot trên Telegram, bằng tài khoản Telegram được ghi là quản trị của cấp ủy "
        "(committees.yaml); hoặc\n"
        "• Nhờ người quản trị máy chủ chạy “chibo plans import TỆP -o nhap.yaml”, hoàn thiện mục "
        "todo, rồi “chibo plans publish nhap.yaml "
        f"--as {user.platform}:{user.user_id}” (bot tự nạp, không cần khởi động lại)."
    )


NO_FILES_HERE = "Zalo chưa chuyển tệp đính kèm cho bot, nên không nhận kế hoạch qua Zalo được."


def unreadable(f: ReceivedFile, user: UserRef) -> str:
    """Why the file gave no text, and what to do instead."""
    name = f"“{f.filename}”" if f.filename else "này"
    why = f.unreadable
    if why is Unreadable.NOT_CARRIED:
        return f"{NO_FILES_HERE}\n{elsewhere(user)}"
    if why is Unreadable.WRONG_TYPE:
        return (
            f"Tôi không đọc được tệp {name}: chỉ nhận kế hoạch dạng {ACCEPTED}, hoặc bản nháp "
            ".yaml đã hoàn thiện. Ảnh chụp văn bản không đọc được: xin gửi tệp gốc."
        )
    if why is Unreadable.TOO_BIG:
        return (
            f"Tệp {name} quá lớn ({_mb(f.size)}). Một kế hoạch thường dưới 1 MB: xin gửi bản "
            ".docx hoặc .txt không kèm ảnh."
        )
    if why is Unreadable.OVER_LIMIT:
        return f.detail or f"Tệp {name} vượt giới hạn bot đọc được: xin gửi bản gọn hơn."
    if why is Unreadable.DOWNLOAD_FAILED:
        return f"Tôi chưa tải được tệp {name} về. Xin gửi lại sau ít phút."
    if why is Unreadable.DAMAGED:
        return (
            f"Tệp {name} bị hỏng hoặc không đúng định dạng {f.suffix or 'đã ghi'}: mở bằng "
            "Word (hoặc trình đọc PDF), lưu lại rồi gửi lại."
        )
    if why is Unreadable.NO_TEXT_LAYER:
        return (
            f"Tệp {name} là bản quét, không có lớp chữ. Bot không tự nhận dạng chữ (OCR): hãy "
            "OCR bản quét thành tệp .txt rồi gửi tệp .txt đó."
        )
    if why is Unreadable.NOT_UTF8:
        return f"Tệp {name} không phải văn bản UTF-8: lưu lại dạng UTF-8 rồi gửi lại."
    if why is Unreadable.NO_READER:
        return (
            f"Máy chủ bot chưa cài bộ đọc tệp {f.suffix}: báo người quản trị máy chủ cài "
            "“pip install 'chibo[import]'”, hoặc gửi kế hoạch dạng .txt."
        )
    return f"Tôi chưa đọc được tệp {name}: xin gửi lại."


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _short(text: str, most: int = ITEM_CHARS) -> str:
    """The text whole when it fits; else its first whole sentences and "…"; a first sentence
    longer than that cut between words. Never a word or a date cut in two."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    ends = [m.end() for m in re.finditer(r"[.!?…;](?=\s)", text) if m.end() <= most - 2]
    if ends:
        return text[: ends[-1]] + " …"
    return text[: most - 1].rsplit(" ", 1)[0].rstrip(" ,:;—–-") + "…"


def _when(text: str | None) -> str:
    """A draft's date as Vietnamese write it ("Thứ Hai, 18/4/2022"; a month: "tháng 4/2022")."""
    if not text:
        return "chưa rõ"
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        try:
            return vi_format.full(date(int(m[3]), int(m[2]), int(m[1])))
        except ValueError:
            return text
    return f"tháng {text}" if re.fullmatch(r"\d{1,2}/\d{4}", text) else text


def _listed(lines: list[str], what: str) -> list[str]:
    """The first items, each whole or ended at a sentence, while they fit a screen; the rest
    counted (every one is in the file)."""
    shown: list[str] = []
    used = 0
    for line in lines[:MOST_ITEMS]:
        item = f"• {_short(line)}"
        if shown and used + len(item) > LIST_CHARS:
            break
        shown.append(item)
        used += len(item) + 1
    if len(lines) > len(shown):
        shown.append(f"… và {len(lines) - len(shown)} {what} khác (xem trong tệp).")
    return shown


def _counts(counts: dict[str, int]) -> str:
    found = [f"{n} {kind}" for kind, n in counts.items() if n]
    return ", ".join(found) if found else "chưa thấy văn bản, hạn hay mốc nào"


def draft_summary(filename: str, draft: Draft) -> str:
    d = draft.data
    period = d.get("period") or {}
    lines = [
        f"📄 Đã đọc “{filename}”.",
        f"Số: {d.get('number') or 'chưa rõ'} · Ban hành: {_when(d.get('issued'))}",
        f"Cơ quan: {d.get('issuer') or 'chưa rõ'}",
        f"Thời gian: {_when(period.get('from'))} – {_when(period.get('to'))}",
        f"Tìm thấy: {_counts(draft.counts())}.",
    ]
    if draft.todo:
        lines.append(f"\nCòn {len(draft.todo)} việc cần đồng chí hoàn thiện:")
        lines += _listed([t.message for t in draft.todo], "việc")
        lines.append(
            "\nBản nháp ở tệp .yaml kèm theo: làm từng việc trong mục todo (rồi xóa việc đó), "
            "sửa chính tả, rồi gửi lại tệp .yaml cho tôi để kiểm tra và ban hành."
        )
    return "\n".join(lines)


def problems_text(filename: str, problems: list[Problem]) -> str:
    lines = [f"📝 Bản “{filename}” chưa ban hành được: còn {len(problems)} chỗ cần sửa."]
    lines += _listed([problem_line(p) for p in problems], "chỗ")
    lines.append("Sửa tệp rồi gửi lại tệp .yaml.")
    return "\n".join(lines)


def problem_line(p: Problem) -> str:
    where = f"dòng {p.line}" + (f", {p.field}" if p.field else "")
    return f"{where}: {p.message}"


def plan_summary(plan: Plan, counts: dict[str, int], committee: str) -> str:
    issued = vi_format.full(plan.issued) if plan.issued else "không ghi ngày"
    (y0, m0), (y1, m1) = plan.period.start, plan.period.end
    invite = (
        f"các chi bộ đang theo kế hoạch trước của {committee} sẽ được mời theo dõi."
        if committee
        else "các chi bộ đăng ký được ngay."
    )
    return (
        f"✅ Bản kế hoạch hợp lệ: {plan.short_name} ({plan.id}).\n"
        f"{_short(plan.title, 160)}\n"
        f"Cơ quan: {plan.issuer} · Ban hành: {issued}\n"
        f"Thời gian: {vi_format.month(y0, m0)} – {vi_format.month(y1, m1)}\n"
        f"Gồm: {_counts(counts)}.\n\n"
        f"Bấm “Ban hành” để đưa vào bot: {invite}"
    )
