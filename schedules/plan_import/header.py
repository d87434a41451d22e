"""The plan's own identity: number, date, issuer, title, period, who it applies to."""

from __future__ import annotations

import re

from schedules.plan_import.common import Found, Todo, day_text, tidy
from schedules.plan_import.source import Source

# "Số 60 -KH/ĐUK", OCR'd "So 35 - kh/hu", "S 49-KHITU" (the slash read as I).
_NUMBER = re.compile(r"\bs[o6]?\s+(\d{1,4})\s*-\s*(kh)\s*(?:/|i(?=[a-z]{2,4}\b))\s*([a-z]{1,5})\b")
_ISSUED = re.compile(r"ngay\s+(\d{1,2})\s+th\S{2,4}\s+(\d{1,2})\s+n\S{1,3}m\s+(\d{4})")
_ISSUED_NO_DAY = re.compile(r"ngay\s+th\S{2,4}\s+(\d{1,2})\s+n\S{1,3}m\s+(\d{4})")
_TITLE = re.compile(r"^\W*k\S?\s*ho\S{0,3}ch\W*$")
_TITLE_STOP = re.compile(r"^(?:t\S{1,3}c\s+hi\S{0,3}n|can\s+c\S{1,2}|-{3,})")
_ISSUER = re.compile(
    r"\b(ban\s+(?:thu\S*\s+v\S|chap\s+h\S+)\s+[^.;:]{3,70}?)\s+(?:ban\s+hanh|xay\s+d\S{1,3}g)\s+k\S{0,2}\s+ho\S{0,3}ch"
)
_PERIOD = re.compile(
    r"thoi gian\W+(?:bat dau\s+)?tu\s+thang\s+(\d{1,2})(?:\s*/\s*(\d{4}))?\s+den\s+thang\s+(\d{1,2})\s*/\s*(\d{4})"
)
_PERIOD_FROM = re.compile(r"bat\s+d\S{1,2}u\s+t\S{1,2}\s+thang\s+(\d{1,2})\s*/\s*(\d{4})")
_APPLIES = re.compile(r"^\s*\d\.\s*(?:d\S{1,3}\s+t\S{1,5}ng|thanh\s+phan\s+tham\s+gia)\b")
_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.|[ivxl]+\.)\s")


def _header_end(src: Source) -> int:
    """Offset of the title line "KẾ HOẠCH": the letterhead is what comes before it."""
    for i, line in enumerate(src.folded_lines):
        if _TITLE.match(line):
            return i
    return 0


def read(src: Source) -> Found:
    out = Found()
    title_at = _header_end(src)
    head = " ".join(src.lines[: title_at + 1])
    head_folded = " ".join(src.folded_lines[: title_at + 1])

    m = _NUMBER.search(head_folded)
    if m:
        kind, suffix = head[m.start(2) : m.end(2)], head[m.start(3) : m.end(3)]
        out.fields["number"] = f"{m[1]}-{kind.upper()}/{suffix.upper()}"
        out.fields["source_quote"] = head[m.start() : m.end()].strip()
    else:
        out.todo.append(
            Todo(
                "number",
                "Không thấy số kế hoạch: ghi số (ví dụ 60-KH/ĐUK) hoặc bỏ trống nếu văn bản không có số.",
            )
        )

    m = _ISSUED.search(head_folded)
    if m and (d := day_text(m[1], m[2], m[3])):
        out.fields["issued"] = d
        out.fields.setdefault("source_quote", head[m.start() : m.end()])
    else:
        m = _ISSUED_NO_DAY.search(head_folded)
        if m:
            out.fields["issued_note"] = (
                f"Bản gốc để trống ngày, chỉ ghi tháng {int(m[1])} năm {m[2]}."
            )
        out.todo.append(
            Todo(
                "issued",
                "Không thấy ngày ban hành đầy đủ: ghi ngày (ngày/tháng/năm) nếu văn bản có, "
                "nếu không thì giữ trống và ghi issued_note.",
                head[m.start() : m.end()] if m else "",
            )
        )

    title_lines: list[str] = []
    for line, folded in src.line_pairs(title_at + 1):
        if not line:
            continue
        if (line[:1].isupper() and _TITLE_STOP.match(folded)) or len(title_lines) >= 6:
            break
        title_lines.append(line)
    if (title_at or _TITLE.match(src.folded_lines[0] if src.lines else "")) and title_lines:
        out.fields["title"] = "Kế hoạch " + tidy(" ".join(title_lines))
    if "title" not in out.fields:
        out.todo.append(Todo("title", "Không thấy tên kế hoạch: ghi tên (sau chữ “KẾ HOẠCH”)."))

    m = _ISSUER.search(src.folded)
    if m:
        out.fields["issuer"] = src.cut(m.start(1), m.end(1))
        out.fields.setdefault("source_quote", src.cut(m.start(), m.end()))
    else:
        out.todo.append(
            Todo("issuer", "Không thấy cơ quan ban hành: ghi tên (ví dụ Ban Thường vụ Huyện ủy …).")
        )

    m = _PERIOD.search(src.folded)
    if m:
        end_year = m[4]
        out.fields["period"] = {
            "from": f"{int(m[1])}/{m[2] or end_year}",
            "to": f"{int(m[3])}/{end_year}",
            "quote": src.cut(*src.clause(m.start(), m.end())),
        }
    else:
        m = _PERIOD_FROM.search(src.folded)
        if m:
            quote = src.cut(m.start(), m.end())
            out.fields["period"] = {"from": f"{int(m[1])}/{m[2]}", "quote": quote}
            out.todo.append(
                Todo(
                    "period.to",
                    f"Văn bản chỉ ghi bắt đầu từ tháng {int(m[1])}/{m[2]}, không ghi tháng kết thúc: "
                    "ghi period.to (tháng cuối của kế hoạch) và lý do vào period.note.",
                    quote,
                )
            )
        else:
            out.todo.append(
                Todo(
                    "period",
                    "Không thấy thời gian thực hiện: ghi period với from, to (tháng/năm), quote và note "
                    "nói căn cứ (ví dụ từ ngày ban hành đến hạn cuối).",
                )
            )

    for i, folded in enumerate(src.folded_lines):
        if _APPLIES.match(folded):
            body: list[str] = []
            for line, f in src.line_pairs(i + 1):
                if _HEADING.match(f) and body:
                    break
                if line:
                    body.append(line)
            if body:
                out.fields["applies_to"] = tidy(" ".join(body))
                break
    if "applies_to" not in out.fields:
        out.todo.append(
            Todo(
                "applies_to",
                "Không thấy đối tượng áp dụng: ghi applies_to (kế hoạch áp dụng cho ai).",
            )
        )
    return out
