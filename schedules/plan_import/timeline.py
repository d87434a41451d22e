"""Undated milestones ("cuối quý II", "trong năm 2023", "đến năm 2030"), duties repeated every
quarter or year, yearly occasions ("Ngày thành lập Đảng (3/2)") and the monthly meeting.

A milestone keeps the source's own words; its year must be written in the same sentence, never
taken from elsewhere.
"""

from __future__ import annotations

import re

from schedules.plan_import.common import Entry, Found, Todo, slug, tidy
from schedules.plan_import.source import Source

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTERS = re.compile(
    r"\bcuoi\s+quy\s+(iv|iii|ii|i)\b((?:\s*(?:va|,)\s*cuoi\s+(?:quy\s+(?:iv|iii|ii|i)|nam))*)"
)
_MORE_Q = re.compile(r"cuoi\s+(?:quy\s+(iv|iii|ii|i)|(nam))")
_YEAR_AFTER = re.compile(r"[^.;]{0,20}?\b(?:nam\s+(\d{4})|\(?\s*thang\s+(\d{1,2})\s*/\s*(\d{4}))")
_WITHIN_YEAR = re.compile(r"\b(?:hoan\s+thanh\s+)?trong\s+n\S{1,2}m\s+(\d{4})\b")
_UNTIL_YEAR = re.compile(r"\b(?:d\S{0,2}n)\s+n\S{1,2}m\s+(\d{4})\b")
_EVERY = re.compile(r"\b(?:h\S{1,2}ng|dinh\s+k\S{0,2})\s+(quy|nam)\b")
_DUTY = re.compile(r"\b(?:bao\s+cao|danh\s+gia|xep\s+loai|kiem\s+diem)\b")
_OCCASION = re.compile(
    r"\b((?:k\S?\s+ni\S{0,2}m\s+(?:\d+\s+n\S{1,2}m\s+)?)?ng\S{1,2}y\s+(?:thanh\s+[l1]\S{0,2}p|sinh)\s[^()]{5,60}?)\s*\((\d{1,2})\s*/\s*(\d{1,2})\b"
)
_MONTHLY = re.compile(r"\bh\S{1,2}ng\s+thang\b")
_MEETING = re.compile(r"\bsinh\s+[hb]oat\b")
_PERCENT = re.compile(r"\d\s*%")
_DOC_NUMBER = re.compile(r"\d{1,4}\s*-\s*[a-z]{1,4}\s*/")


def _sentence_of(src: Source, start: int, end: int) -> tuple[int, int]:
    return src.sentence(start, end)


def read(src: Source, period: Entry | None) -> Found:
    out = Found()
    taken: set[str] = set()
    milestones: list[Entry] = []

    def milestone(spec: str, wording: str, quote: str, s: int, e: int) -> None:
        ss, se = _sentence_of(src, s, e)
        milestones.append(
            {
                "id": slug(f"moc {wording}", taken),
                "title": tidy(src.text[ss:se])[:200],
                "period": spec,
                "wording": wording,
                "quote": quote,
            }
        )
        out.todo.append(
            Todo(
                f"milestones[{len(milestones) - 1}].who",
                f"Mốc “{wording}”: ghi ai phải làm (who), nhắc ai (audience: cells hoặc upper) "
                "và viết lại tiêu đề (title) cho gọn.",
                quote,
            )
        )

    for m in _QUARTERS.finditer(src.folded):
        parts = [("q", _ROMAN[m[1]])]
        for more in _MORE_Q.finditer(m[2] or ""):
            parts.append(("q", _ROMAN[more[1]]) if more[1] else ("year-end", 0))
        tail = _YEAR_AFTER.match(src.folded, m.end())
        quote = src.cut(m.start(), tail.end() if tail else m.end())
        if not tail:
            out.todo.append(
                Todo("milestones", "Mốc “cuối quý …” không ghi năm: ghi năm nếu văn bản có.", quote)
            )
            continue
        year = tail[1] or tail[3]
        for kind, q in parts:
            if kind == "q":
                milestone(
                    f"Q{q}/{year}",
                    f"cuối quý {['I', 'II', 'III', 'IV'][q - 1]}/{year}",
                    quote,
                    m.start(),
                    m.end(),
                )
            elif tail[2]:  # "cuối năm (tháng 11/2022)": the month is written
                milestone(
                    f"{int(tail[2])}/{year}",
                    f"cuối năm (tháng {int(tail[2])}/{year})",
                    quote,
                    m.start(),
                    m.end(),
                )
            else:
                milestone(f"Q4/{year}", f"cuối năm {year}", quote, m.start(), m.end())
    for rx, spec, words in (
        (_WITHIN_YEAR, "{y}", "trong năm {y}"),
        (_UNTIL_YEAR, "..{y}", "đến năm {y}"),
    ):
        for m in rx.finditer(src.folded):
            ss, se = _sentence_of(src, m.start(), m.end())
            if _PERCENT.search(src.folded, ss, se) or _DOC_NUMBER.search(src.folded, ss, se):
                continue  # a target ("đến năm 2030 có trên 90%") or a cited document's title
            y = m[1]
            milestone(
                spec.format(y=y),
                words.format(y=y),
                src.cut(*src.clause(m.start(), m.end())),
                m.start(),
                m.end(),
            )
    if milestones:
        out.fields["milestones"] = milestones

    recurring = []
    for m in _EVERY.finditer(src.folded):
        cs, ce = src.clause(m.start(), m.end())
        if not _DUTY.search(src.folded, cs, ce) or _PERCENT.search(src.folded, cs, ce):
            continue  # a rate reached every year is a target, not a duty
        every = "quarter" if m[1] == "quy" else "year"
        quote = src.cut(cs, ce)
        recurring.append(
            {
                "id": slug(f"dinh ky {m[1]} {quote[:30]}", taken),
                "title": tidy(quote)[:200],
                "every": every,
                "quote": quote,
            }
        )
        out.todo.append(
            Todo(
                f"recurring[{len(recurring) - 1}].who",
                "Việc định kỳ: ghi ai phải làm (who), gửi cho ai (to), nhắc ai (audience: cells "
                "hoặc upper) và viết lại tiêu đề.",
                quote,
            )
        )
    if recurring:
        out.fields["recurring"] = recurring

    occasions: dict[str, Entry] = {}
    for m in _OCCASION.finditer(src.folded):
        d, mo = int(m[2]), int(m[3])
        key = f"{d}/{mo}"
        if key in occasions or not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        name = src.cut(m.start(1), m.end(1))
        occasions[key] = {
            "id": slug(name, taken),
            "name": name[:1].upper() + name[1:],
            "day": key,
            "quote": src.cut(
                m.start(), m.end() + (1 if src.text[m.end() : m.end() + 1] == ")" else 0)
            ),
        }
    if occasions:
        out.fields["occasions"] = list(occasions.values())

    for m in _MONTHLY.finditer(src.folded):
        cs, ce = src.clause(m.start(), m.end())
        if not _MEETING.search(src.folded, cs, ce):
            continue
        quote = src.cut(cs, ce)
        if period and "from" in period and "to" in period:
            out.fields["monthly_meeting"] = {
                "title": tidy(quote)[:200],
                "from": period["from"],
                "to": period["to"],
                "quote": quote,
            }
        else:
            out.todo.append(
                Todo(
                    "monthly_meeting",
                    "Kế hoạch có sinh hoạt hằng tháng: khi đã ghi period, thêm monthly_meeting "
                    "(title, from, to, quote).",
                    quote,
                )
            )
        break
    return out
