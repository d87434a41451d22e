"""Targets with numbers ("Có 100% cấp ủy …", "kết nạp từ 01 - 02 chủ doanh nghiệp") from the
section that sets them (Mục tiêu cụ thể / Chỉ tiêu). A rate over 100% is an OCR slip: kept as
written and listed for a person, never corrected by guess.
"""

from __future__ import annotations

import re

from schedules.plan_import.common import Found, Todo, slug, tidy
from schedules.plan_import.source import Source, fold_same_length

_SECTION = re.compile(
    r"^\s*(?:\d\.\s*)?(?:m\S{1,3}c\s+ti\S{1,2}u\s+c\S{1,3}\s+th|ch\S\s+ti\S{1,2}u)"
)
_END = re.compile(r"^\s*(?:[ivxl]+[.l]\s|[ivxl]+\.\S)")
_VALUE = re.compile(
    r"(?:(?P<pre>it\s+nh\S{0,2}t|tren|toi\s+thieu)\s*)?(?P<pct>\d{1,3})\s*%"
    r"|t\S{0,3}\s+(?P<lo>0\d)\s*-\s*(?P<hi>0\d)\b"
    r"|\b(?:duoc|d\S{2,4}c)\s+(?P<one>0\d)\s+t\S{0,2}\s+ch"
)


def read(src: Source) -> Found:
    out = Found()
    lines = src.lines
    folded = src.folded_lines
    start = next((i for i, f in enumerate(folded) if _SECTION.match(f)), None)
    if start is None:
        return out
    end = next((i for i in range(start + 1, len(lines)) if _END.match(folded[i])), len(lines))
    bullets: list[str] = []
    for line in lines[start + 1 : end]:
        if line.startswith("-") or not bullets:
            bullets.append(line)
        elif line:
            bullets[-1] += " " + line
    taken: set[str] = set()
    targets = []
    for bullet in bullets:
        fb = fold_same_length(bullet)
        for m in _VALUE.finditer(fb):
            if m["pct"]:
                value = bullet[m.start() : m.end()]
                if m["pre"]:
                    value = bullet[m.start() : m.end()]
            elif m["lo"]:
                value = f"{m['lo']} - {m['hi']}"
            else:
                value = f"{m['one']} tổ chức"
            q0 = max(0, m.start() - 40)
            q0 = bullet.find(" ", q0) + 1 if q0 else 0
            quote = " ".join(bullet[q0 : min(len(bullet), m.end() + 40)].split())
            quote = quote.rsplit(" ", 1)[0] if m.end() + 40 < len(bullet) else quote
            targets.append(
                {
                    "id": slug(f"chi tieu {bullet[2:40]}", taken),
                    "text": tidy(bullet.lstrip("- "))[:240],
                    "value": " ".join(value.split()),
                    "quote": quote,
                }
            )
            if m["pct"] and int(m["pct"]) > 100:
                out.todo.append(
                    Todo(
                        f"targets[{len(targets) - 1}].value",
                        f"Tỉ lệ “{m['pct']}%” vượt 100% (lỗi quét?): đối chiếu bản gốc, sửa value và ghi note.",
                        quote,
                    )
                )
    if targets:
        out.fields["targets"] = targets
    return out
