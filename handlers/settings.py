"""A chat's settings: asking for each value, understanding it, and saying it back in full."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

import yaml

from handlers.state import Subscription
from handlers.types import Button
from schedules import calendar, meetings, vi_dates, vi_format
from schedules.model import Plan
from schedules.vi_text import fold

Buttons = tuple[tuple[Button, ...], ...]


@cache
def _fields() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load((Path(__file__).parent / "intents.yaml").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in raw["settings_fields"].items()}


def hour_text(hhmm: str) -> str:
    h, m = hhmm.split(":")
    return f"{int(h)}:{m}"


def clean_cell_name(text: str | None) -> str | None:
    text = re.sub(r"\s+", " ", (text or "")).strip(' .,:;"“”')
    if not text:
        return None
    text = text[:80]
    if fold(text).startswith("chi bo "):
        text = (
            text[len("chi bộ ") :].strip()
            if text.lower().startswith("chi bộ ")
            else text[7:].strip()
        )
    return f"Chi bộ {text}" if text else None


def events(plans: list[Plan]) -> list[tuple[Plan, str, str]]:
    return [(p, e.id, e.name) for p in plans for e in p.cell_events]


def field_known(field: str, plans: list[Plan]) -> bool:
    if field.startswith("event:"):
        return field[6:] in {eid for _, eid, _ in events(plans)}
    return field in ("cell_name", "meeting", "reminder_time", "lead_days")


def parse_assignment(text: str) -> tuple[str, str] | None:
    """ "ngày họp: 15/9" → ("meeting", "15/9"). Needs a colon or "là"/"=" after the field name."""
    m = re.match(r"^\s*([^:=]{3,40}?)\s*(?::|=|\blà\b|\bla\b)\s*(.+)$", text, re.S)
    if not m:
        return None
    name = fold(m[1])
    for field, names in _fields().items():
        if name in names:
            return (field if field != "event" else "event:*"), m[2].strip()
    return None


def prompt(field: str, plans: list[Plan]) -> str:
    if field == "cell_name":
        return "Gõ tên chi bộ, ví dụ: Chi bộ Tân Phúc Thành 3"
    if field == "meeting":
        return (
            "Chi bộ họp ngày nào? Ví dụ: “ngày 3 hằng tháng”, “thứ 6 đầu tiên hằng tháng lúc 19h30”, "
            "hoặc một ngày cụ thể cho kỳ tới: “15/9”, “thứ 5 tuần sau”."
        )
    if field == "reminder_time":
        return "Tôi nhắc lúc mấy giờ? Ví dụ: 7h30, 19h."
    if field == "lead_days":
        return "Nhắc trước hạn bao nhiêu ngày? Ví dụ: “7 3 1 0” (0 là đúng ngày hạn)."
    name = _event_name(field, plans)
    return f"Ngày {name[0].lower()}{name[1:]} là ngày nào? Ví dụ: 15/9, thứ 5 tuần sau."


def _event_name(field: str, plans: list[Plan]) -> str:
    eid = field[6:]
    return next((n for _, i, n in events(plans) if i == eid or eid == "*"), "sự kiện của chi bộ")


def value_buttons(field: str) -> Buttons:
    if field == "reminder_time":
        return (tuple(Button(h, f"set:v={h}") for h in ("6:00", "7:30", "19:00")),)
    if field == "lead_days":
        return (
            (Button("7, 3, 1 ngày và đúng ngày", "set:v=7 3 1 0"),),
            (Button("3, 1 ngày và đúng ngày", "set:v=3 1 0"),),
            (Button("1 ngày và đúng ngày", "set:v=1 0"),),
        )
    return ()


def _lead_text(days: tuple[int, ...] | list[int]) -> str:
    before = [str(d) for d in days if d > 0]
    text = ", ".join(before) + " ngày" if before else ""
    if 0 in days:
        text = f"{text} và đúng ngày" if text else "đúng ngày"
    return text


def parse_value(field: str, text: str, now: datetime, plans: list[Plan], sub: Subscription):
    """(value, full description) or a Vietnamese reason why the text is not a value."""
    if field == "cell_name":
        name = clean_cell_name(text)
        if not name:
            return "Tên chi bộ không được để trống."
        own = [
            p.short_name
            for p in plans
            if any(d.only_cells and calendar.applies(d, calendar.Cell(name)) for d in p.deadlines)
        ]
        note = f"\n(Chi bộ này có hạn riêng trong {', '.join(own)}.)" if own else ""
        return {"name": name}, f"Tên chi bộ: {name}{note}"
    if field == "reminder_time":
        m = re.fullmatch(
            r"\s*(\d{1,2})\s*(?:h|g|giờ|gio|:)?\s*(\d{2})?\s*(sáng|sang|chiều|chieu|tối|toi)?\s*",
            text,
        )
        if not m or int(m[1]) > 23 or int(m[2] or 0) > 59:
            return "Giờ nhắc viết như 7h30 hoặc 19:00."
        h = int(m[1]) + (12 if m[3] and fold(m[3]) in ("chieu", "toi") and int(m[1]) < 12 else 0)
        value = f"{h:02d}:{int(m[2] or 0):02d}"
        return {"time": value}, f"Giờ nhắc: {hour_text(value)} mỗi ngày có việc cần nhắc."
    if field == "lead_days":
        days = sorted({int(x) for x in re.findall(r"\d+", text)}, reverse=True)
        if not days or any(d > 30 for d in days):
            return "Viết các số ngày từ 0 đến 30, ví dụ: 7 3 1 0."
        return {"days": days}, f"Nhắc trước hạn: {_lead_text(days)}."
    if field == "meeting":
        rule = meetings.parse_rule(text)
        if rule:
            upcoming = _next_meetings(rule, now.date())
            return {"rule": rule.to_dict()}, (
                f"Ngày họp chi bộ: {rule.describe()}.\nCác kỳ tới: {upcoming}."
            )
        when = vi_dates.parse(text, now)
        if isinstance(when, vi_dates.When) and when.kind in ("day", "moment"):
            if when.start < now.date():
                return f"{vi_format.full(when.start)} đã qua."
            return {"date": when.start.isoformat()}, (
                f"Kỳ họp tháng {when.start.month}/{when.start.year}: {vi_format.full(when.start)} "
                "(chỉ kỳ này; các tháng khác theo lịch thường lệ)."
            )
        reason = when.message if isinstance(when, vi_dates.NotUnderstood) else "cần một ngày cụ thể"
        return f"Chưa hiểu ngày họp ({reason})."
    # a cell event: the date the cell fixes for itself
    when = vi_dates.parse(text, now)
    if not isinstance(when, vi_dates.When) or when.kind not in ("day", "moment"):
        reason = when.message if isinstance(when, vi_dates.NotUnderstood) else "cần một ngày cụ thể"
        return f"Chưa hiểu ngày ({reason})."
    eid = field[6:]
    name = _event_name(f"event:{eid}", plans)
    day = when.start
    lines = [f"{name}: {vi_format.full(day)}."]
    cell = calendar.Cell(sub.cell_name, {**sub.cell().dates, eid: day})
    for p in plans:
        for due in calendar.dues(p, cell):
            if due.last_day and any(
                d.relative and d.relative.event == eid and d.id == due.item_id for d in p.deadlines
            ):
                lines.append(f"→ {due.title}: chậm nhất {vi_format.full(due.last_day)}.")
        event = next((e for e in p.cell_events if e.id == eid), None)
        for d in p.deadlines:
            late = d.before is not None and day >= d.before
            if event and d.id in event.held_by and calendar.applies(d, cell) and late:
                lines.append(
                    f"⚠️ Ngày này không kịp hạn “{d.title}” (trước ngày {vi_format.day(d.before)})."
                )
    return {"event": eid, "date": day.isoformat()}, "\n".join(lines)


def _next_meetings(rule: meetings.MeetingRule, today: date, n: int = 3) -> str:
    out, y, m = [], today.year, today.month
    while len(out) < n:
        d = meetings.meeting_in(rule, y, m)
        if d >= today:
            out.append(vi_format.full(d))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return "; ".join(out)


def apply(sub: Subscription, field: str, value: dict) -> Subscription:
    if field == "cell_name":
        return sub.but(cell_name=value["name"])
    if field == "reminder_time":
        return sub.but(reminder_time=value["time"])
    if field == "lead_days":
        return sub.but(lead_days=tuple(value["days"]))
    if field == "meeting":
        if "rule" in value:
            return sub.but(meeting_rule=meetings.MeetingRule.from_dict(value["rule"]))
        return sub.with_meeting_on(date.fromisoformat(value["date"]))
    return sub.but(cell_dates={**sub.cell_dates, value["event"]: value["date"]})


def meeting_summary(sub: Subscription, today: date) -> str:
    if not sub.meeting_rule:
        return "Chi bộ chưa đặt ngày họp. Gõ /caidat để đặt."
    return f"🗓 Chi bộ họp {sub.meeting_rule.describe()}.\nCác kỳ tới: {_next_meetings(sub.meeting_rule, today)}."


def missing(sub: Subscription, plans: list[Plan]) -> list[str]:
    out = []
    if not sub.cell_name and any(
        d.only_cells or d.except_cells for p in plans for d in p.deadlines
    ):
        out.append("tên chi bộ")
    if not sub.meeting_rule and any(p.monthly_meeting for p in plans):
        out.append("ngày họp chi bộ hằng tháng")
    for _, eid, name in events(plans):
        if eid not in sub.cell_dates:
            out.append(f"ngày {name[0].lower()}{name[1:]}")
    return out


def summary(sub: Subscription, plans: list[Plan], today: date) -> str:
    who = (
        f"nhóm “{sub.title}”"
        if sub.is_group and sub.title
        else ("nhóm" if sub.is_group else "chat này")
    )
    lines = [f"⚙️ Cài đặt của {who}:"]
    lines.append("• Kế hoạch: " + (", ".join(p.short_name for p in plans) or "chưa có"))
    lines.append(f"• Chi bộ: {sub.cell_name or 'chưa đặt tên'}")
    if sub.meeting_rule:
        lines.append(f"• Ngày họp: {sub.meeting_rule.describe()}")
    else:
        lines.append("• Ngày họp: chưa đặt")
    for _, eid, name in events(plans):
        iso = sub.cell_dates.get(eid)
        lines.append(f"• {name}: {vi_format.full(date.fromisoformat(iso)) if iso else 'chưa đặt'}")
    lines.append(f"• Giờ nhắc: {hour_text(sub.reminder_time)}")
    lines.append(f"• Nhắc trước hạn: {_lead_text(sub.lead_days)}")
    return "\n".join(lines)


def menu_buttons(plans: list[Plan]) -> Buttons:
    rows: list[tuple[Button, ...]] = [
        (Button("🏷 Tên chi bộ", "set:cell_name"), Button("🗓 Ngày họp", "set:meeting")),
        (Button("⏰ Giờ nhắc", "set:reminder_time"), Button("🔔 Nhắc trước", "set:lead_days")),
    ]
    for _, eid, name in events(plans):
        rows.append((Button(f"📌 {_short(name)}", f"set:event:{eid}"[:64]),))
    return tuple(rows)


def _short(text: str, limit: int = 36) -> str:
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(" ,“") + "…"
