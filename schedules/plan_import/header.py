"""The plan's own identity: number, date, issuer, title, period, who it applies to."""

from __future__ import annotations

import re

from schedules.plan_import.common import Found, Todo, day_text, tidy
from schedules.plan_import.source import Source, fold_same_length

# "Số 60 -KH/ĐUK", OCR'd "So 35 - kh/hu", "S 49-KHITU" (the slash read as I).
# "Số: 146-KH/ĐTN" and "Số 60-KH/ĐUK" alike: the colon most posted documents have is optional.
_NUMBER = re.compile(
    r"\bs[o6]?\s*[:.]?\s*(\d{1,4})\s*-\s*(kh)\s*(?:/|i(?=[a-z]{2,4}\b))\s*([a-z]{1,5})\b"
)
_ISSUED = re.compile(
    r"ngay\s+(\d{1,2})\s+th\S{2,4}\s+(\d{1,2})\s+n\S{1,3}m\s+(\d{4})"
    r"|,\s*ngay\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
)
_ISSUED_NO_DAY = re.compile(r"ngay\s+th\S{2,4}\s+(\d{1,2})\s+n\S{1,3}m\s+(\d{4})")
_TITLE = re.compile(r"^\W*k\S?\s*ho\S{0,3}ch\W*$")
_TITLE_STOP = re.compile(r"^(?:t\S{1,3}c\s+hi\S{0,3}n|can\s+c\S{1,2}|-{3,})")
# Who issues it: "Ban Thường vụ … ban hành kế hoạch", and plans of a commune's party committee, a
# cell, a propaganda board or a people's committee ("Đảng ủy xã …", "Chi bộ …", "Ban Tuyên giáo …",
# "UBND …" … "xây dựng kế hoạch"). No comma inside a name, so a sentence before it is not taken in.
_BODY = (
    r"ban\s+(?:thu\S*\s+v\S|chap\s+h\S+|tuyen\s+giao)|dang\s+uy|chi\s+bo|ubnd"
    r"|uy\s+ban\s+nhan\s+dan|huyen\s+uy|tinh\s+uy|thanh\s+uy|thi\s+uy"
)
_ISSUER_BOARD = re.compile(
    r"\b(ban\s+(?:thu\S*\s+v\S|chap\s+h\S+)\s+[^.;:]{3,70}?)\s+(?:ban\s+hanh|xay\s+d\S{1,3}g)\s+k\S{0,2}\s+ho\S{0,3}ch"
)
_ISSUER = re.compile(
    rf"\b((?:{_BODY})(?:\s+[^.;:,“”\"()\s]+){{0,14}}?)\s+(?:ban\s+hanh|xay\s+d\S{{1,3}}g|lap)"
    r"\s+(?:\S+\s+){0,2}?k\S{0,2}\s+ho\S{0,3}ch"
)
# A letterhead line naming the body ("ĐẢNG ỦY XÃ KỲ LỢI", "UBND HUYỆN …"), when no sentence does.
_LETTERHEAD_BODY = re.compile(rf"^\W*((?:{_BODY})\b.*)$")
_VV = re.compile(r"^\W*v\s*/\s*v\b[.:\s]*")
_MONTH_AT = r"thang\s+(\d{1,2})(?:\s*(?:/|\s+nam\s+)\s*(\d{4}))?"
_QUARTER_AT = r"quy\s+(iv|iii|ii|i)(?:\s*(?:/|\s+nam\s+)\s*(\d{4}))?"
_PERIOD = re.compile(
    rf"thoi\s+gian[^.;]{{0,40}}?\btu\s+{_MONTH_AT}\s+(?:den|toi)\s+(?:het\s+)?{_MONTH_AT}"
)
# "từ quý II đến quý IV năm 2022": whole quarters, so the months are the quarters' own.
_PERIOD_QUARTERS = re.compile(rf"\btu\s+{_QUARTER_AT}\s+(?:den|toi)\s+(?:het\s+)?{_QUARTER_AT}")
# "giai đoạn 2022 - 2026", "từ năm 2022 đến năm 2026": whole years.
_PERIOD_YEARS = re.compile(
    r"\bgiai\s+doan\s+(\d{4})\s*-\s*(\d{4})\b|\btu\s+nam\s+(\d{4})\s+den\s+(?:het\s+)?nam\s+(\d{4})\b"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PERIOD_FROM = re.compile(r"bat\s+d\S{1,2}u\s+t\S{1,2}\s+thang\s+(\d{1,2})\s*/\s*(\d{4})")
_APPLIES = re.compile(r"^\s*\d\.\s*(?:d\S{1,3}\s+t\S{1,5}ng|thanh\s+phan\s+tham\s+gia)\b")
_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.|[ivxl]+\.)\s")


def _day_groups(m: re.Match[str]) -> tuple[str, str, str]:
    """Day, month, year of an _ISSUED match, whichever way the date is written."""
    if m[1]:
        return m[1], m[2], m[3]
    return m[4], m[5], m[6]


def _own_clause(src: Source, start: int, end: int) -> str:
    """The clause around [start, end), not reaching back over a heading into the line before."""
    cs, ce = src.clause(start, end)
    return src.cut(max(cs, src.paragraph(start)[0]), ce)


def _period(src: Source, title_at: int) -> dict[str, str] | None:
    """The plan's span of months, as written: months, whole quarters or whole years."""
    m = _PERIOD.search(src.folded)
    if m and (m[4] or m[2]):
        end_year = m[4] or m[2]
        return {
            "from": f"{int(m[1])}/{m[2] or end_year}",
            "to": f"{int(m[3])}/{end_year}",
            "quote": _own_clause(src, m.start(), m.end()),
        }
    # Quarters and years only where the plan speaks of its own time (its title, a "thời gian"
    # sentence), never in the title of a document it cites ("… giai đoạn 2021 - 2025").
    own = [(0, len(" ".join(src.lines[: title_at + 8])))] if title_at else []
    own += [src.sentence(t.start(), t.end()) for t in re.finditer(r"thoi\s+gian", src.folded)]
    for s, e in own:
        q = _PERIOD_QUARTERS.search(src.folded, s, e)
        if q and (q[4] or q[2]):
            y1, y2 = q[2] or q[4], q[4] or q[2]
            a, b = _ROMAN[q[1]], _ROMAN[q[3]]
            return {
                "from": f"{3 * a - 2}/{y1}",
                "to": f"{3 * b}/{y2}",
                "note": f"Văn bản ghi theo quý: từ đầu quý {q[1].upper()} đến hết quý {q[3].upper()}.",
                "quote": src.cut(q.start(), q.end()),
            }
        y = _PERIOD_YEARS.search(src.folded, s, e)
        if y:
            y1, y2 = y[1] or y[3], y[2] or y[4]
            return {
                "from": f"1/{y1}",
                "to": f"12/{y2}",
                "note": f"Văn bản ghi theo năm ({y1} - {y2}): từ tháng 1/{y1} đến hết tháng 12/{y2}.",
                "quote": src.cut(y.start(), y.end()),
            }
    return None


def _header_end(src: Source) -> int:
    """Offset of the title line "KẾ HOẠCH" (or of a "V/v …" line): the letterhead is before it."""
    for i, line in enumerate(src.folded_lines):
        if _TITLE.match(line):
            return i
    for i, line in enumerate(src.folded_lines[:30]):
        if _VV.match(line):
            return i
    return 0


_LOWER = {
    "ủy", "uỷ", "xã", "phường", "thị", "trấn", "huyện", "tỉnh", "thành", "phố", "khối", "các",
    "cơ", "quan", "và", "doanh", "nghiệp", "bộ", "ban", "thường", "vụ", "tuyên", "giáo", "chấp",
    "hành", "nhân", "dân", "chi", "đoàn",
}  # fmt: skip
_PLACE = {"xã", "phường", "trấn", "huyện", "tỉnh", "phố"}


def _letterhead_issuer(src: Source, title_at: int) -> tuple[str, str] | None:
    """The body named in capitals in the letterhead, written as a name is written in a sentence,
    with the letterhead's own words. A name running on to the next line ("ĐẢNG ỦY KHỐI CÁC CƠ
    QUAN" / "VÀ DOANH NGHIỆP") is taken whole."""
    pairs = src.line_pairs(0, title_at)
    for n, (line, folded) in enumerate(pairs):
        m = _LETTERHEAD_BODY.match(folded)
        if not m or not line.isupper():
            continue
        written = line[m.start(1) :]
        for more, more_folded in pairs[n + 1 :]:
            if not (more.isupper() and re.match(r"\W*va\s", more_folded)):
                break
            written += " " + more.strip()
        words = tidy(written).split()
        out: list[str] = []
        place = False
        for w in words:
            low = w.lower()
            if low == "ubnd":
                out.append("UBND")
            elif not out or low in ("đảng", "thị ủy", "tỉnh ủy") or place:
                out.append(low.capitalize())
            else:
                out.append(low if low in _LOWER else low.capitalize())
            place = place or low in _PLACE
        name = tidy(" ".join(out))
        if len(name) >= 6:
            return name, tidy(written)
    return None


_BOARD = re.compile(r"(ban\s+(?:thu\S*\s+v\S|chap\s+h\S+))\s+(\S.*)$")
# A body named without its place: which one is not said in the sentence.
_BARE_BODY = re.compile(r"(?:dang\s+uy(?:\s+khoi)?|huyen\s+uy|tinh\s+uy|thi\s+uy|thanh\s+uy)$")


def _completed(issuer: str, letterhead: tuple[str, str] | None) -> str | None:
    """ "Ban Thường vụ Đảng uỷ" and a letterhead "ĐẢNG ỦY XÃ KỲ LỢI": "Ban Thường vụ Đảng ủy xã Kỳ
    Lợi". Only when the letterhead names the same body with more words after it."""
    m = _BOARD.match(fold_same_length(issuer))
    if not m or letterhead is None:
        return None
    body = " ".join(m[2].split())
    named = " ".join(fold_same_length(letterhead[0]).split())
    if named.startswith(body + " "):
        rest = letterhead[0].split()[len(body.split()) :]
        return " ".join([issuer, *rest])
    return None


def read(src: Source) -> Found:
    out = Found()
    title_at = _header_end(src)
    # A "V/v" line sits under the number, often before the place and date: read a little past it.
    head_end = title_at + (4 if _VV.match(src.folded_lines[title_at] if src.lines else "") else 1)
    head = " ".join(src.lines[:head_end])
    head_folded = " ".join(src.folded_lines[:head_end])

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
    if m and (d := day_text(*_day_groups(m))):
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
        vv = _VV.match(src.folded_lines[title_at])
        if vv:  # "V/v tổ chức …": the subject is the title
            out.fields["title"] = "Kế hoạch " + tidy(src.lines[title_at][vv.end() :])
        else:
            out.fields["title"] = "Kế hoạch " + tidy(" ".join(title_lines))
    if "title" not in out.fields:
        out.todo.append(Todo("title", "Không thấy tên kế hoạch: ghi tên (sau chữ “KẾ HOẠCH”)."))

    m = _ISSUER_BOARD.search(src.folded) or _ISSUER.search(src.folded)
    letterhead = _letterhead_issuer(src, title_at)
    if m:
        issuer = src.cut(m.start(1), m.end(1))
        sentence = src.cut(m.start(), m.end())
        full = _completed(issuer, letterhead)
        if full and letterhead:
            out.fields["issuer"] = full
            out.fields["source_notes"] = (
                f"Cơ quan ban hành ghép từ câu “{sentence}” và tiêu đề văn bản “{letterhead[1]}”."
            )
        else:
            out.fields["issuer"] = issuer
        bare = _BOARD.match(fold_same_length(issuer))
        if not full and bare and _BARE_BODY.fullmatch(" ".join(bare[2].split())):
            out.todo.append(
                Todo(
                    "issuer",
                    f"Cơ quan ban hành chỉ ghi “{issuer}”, không ghi của địa phương nào, và đầu văn "
                    "bản không ghi tên cấp ủy: ghi đủ tên (ví dụ Ban Thường vụ Đảng ủy xã …).",
                    sentence,
                )
            )
        out.fields.setdefault("source_quote", sentence)
    elif letterhead:
        out.fields["issuer"] = letterhead[0]
    else:
        out.todo.append(
            Todo("issuer", "Không thấy cơ quan ban hành: ghi tên (ví dụ Ban Thường vụ Huyện ủy …).")
        )

    period = _period(src, title_at)
    if period:
        out.fields["period"] = period
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
