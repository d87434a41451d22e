"""The settings a chat has, one object each, registered in SETTINGS (in the order the summary
shows them). Adding a setting: a class here, its names in intents.yaml's settings_fields, a test.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from handlers.settings.base import Parsed, Refused, Setting
from handlers.settings.reminders import LeadDays, Pausing, ReminderTime
from handlers.state import Subscription
from schedules import meetings, plan_calendar, vi_dates, vi_format
from schedules.model import CellEvent, Plan
from schedules.vi_text import fold


def clean_cell_name(text: str | None) -> str | None:
    text = re.sub(r"\s+", " ", (text or "")).strip(' .,:;"“”')
    if not text:
        return None
    text = text[:80]
    if fold(text).startswith("chi bo "):
        rest = text[len("chi bộ ") :].strip()
        if rest.isascii():  # typed without diacritics: kept as typed, never half-corrected
            return f"{text[0].upper()}{text[1:]}" if rest else None
        text = rest
    return f"Chi bộ {text}" if text else None


def _lower_first(text: str) -> str:
    return f"{text[0].lower()}{text[1:]}"


def _one_day(text: str, now: datetime, what: str) -> date:
    when = vi_dates.parse(text, now)
    if isinstance(when, vi_dates.When) and when.kind in ("day", "moment"):
        return when.start
    reason = when.message if isinstance(when, vi_dates.NotUnderstood) else "cần một ngày cụ thể"
    raise Refused(f"Chưa hiểu {what} ({reason}).")


def next_meetings(rule: meetings.MeetingRule, today: date, n: int = 3) -> str:
    out: list[str] = []
    y, m = today.year, today.month
    while len(out) < n:
        d = meetings.meeting_in(rule, y, m)
        if d >= today:
            out.append(vi_format.full(d))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return "; ".join(out)


class CellName(Setting):
    key = family = "cell_name"
    label = "🏷 Tên chi bộ"
    menu_row = 0

    def prompt(self, plans):
        return "Gõ tên chi bộ, ví dụ: Chi bộ Tân Phúc Thành 3"

    def parse(self, text, now, sub, plans):
        name = clean_cell_name(text)
        if not name:
            raise Refused("Tên chi bộ không được để trống.")
        own = [
            p.short_name
            for p in plans
            if any(
                d.only_cells and plan_calendar.applies(d, plan_calendar.Cell(name))
                for d in p.deadlines
            )
        ]
        note = f"\n(Chi bộ này có hạn riêng trong {', '.join(own)}.)" if own else ""
        if name.isascii():
            note += "\n(Giữ đúng như đồng chí gõ, không dấu; muốn có dấu, bấm ✏️ Nhập lại.)"
        return Parsed({"name": name}, f"Tên chi bộ: {name}{note}")

    def apply(self, sub, value, now):
        return sub.but(cell_name=value["name"])

    def shown(self, sub, today):
        return f"Chi bộ: {sub.cell_name or 'chưa đặt tên'}"

    def missing(self, sub, plans):
        cell_specific = any(d.only_cells or d.except_cells for p in plans for d in p.deadlines)
        return "tên chi bộ" if not sub.cell_name and cell_specific else None


class Meeting(Setting):
    """The monthly meeting's rule, or the day of one coming meeting."""

    key = family = "meeting"
    label = "🗓 Ngày họp"
    menu_row = 0

    def prompt(self, plans):
        return (
            "Chi bộ họp ngày nào? Ví dụ: “ngày 3 hằng tháng”, “thứ 6 đầu tiên hằng tháng lúc 19h30”, "
            "hoặc một ngày cụ thể cho kỳ tới: “15/9”, “thứ 5 tuần sau”."
        )

    def parse(self, text, now, sub, plans):
        rule = meetings.parse_rule(text)
        if rule:
            return Parsed(
                {"rule": rule.to_dict()},
                f"Ngày họp chi bộ: {rule.describe()}.\n"
                f"Các kỳ tới: {next_meetings(rule, now.date())}.",
            )
        return self.one_off(_one_day(text, now, "ngày họp"), None, now, sub)

    def one_off(self, day: date, at: time | None, now: datetime, sub: Subscription) -> Parsed:
        """One month's meeting moved to a day (and an hour) of its own; the rule stays."""
        if day < now.date():
            raise Refused(f"{vi_format.full(day)} đã qua.")
        hour = f", lúc {vi_format.clock(at.strftime('%H:%M'))}" if at else ""
        rule = sub.meeting_rule
        if rule is None:
            rest = "chỉ kỳ này; chi bộ chưa đặt lịch họp hằng tháng, gõ /caidat để đặt"
        else:
            usual = meetings.meeting_in(rule, day.year, day.month)
            if usual == day:
                rest = f"đúng lịch thường lệ: {rule.describe()}"
            else:
                rest = f"chỉ kỳ này, thay cho {vi_format.full(usual)}; các tháng khác theo lịch"
        value = {"date": day.isoformat(), **({"at": at.strftime("%H:%M")} if at else {})}
        return Parsed(
            value,
            f"Kỳ họp tháng {day.month}/{day.year}: {vi_format.full(day)}{hour} ({rest}).",
        )

    def apply(self, sub, value, now):
        if "rule" in value:
            return sub.but(meeting_rule=meetings.MeetingRule.from_dict(value["rule"]))
        return sub.with_meeting_on(date.fromisoformat(value["date"]), value.get("at"))

    def shown(self, sub, today):
        text = f"Ngày họp: {sub.meeting_rule.describe() if sub.meeting_rule else 'chưa đặt'}"
        for moved in sorted(
            (m for m in sub.meeting_days.values() if m.day >= today), key=lambda m: m.day
        ):
            hour = f" lúc {vi_format.clock(moved.at)}" if moved.at else ""
            text += (
                f"; kỳ tháng {moved.day.month}/{moved.day.year}: {vi_format.full(moved.day)}{hour}"
            )
        return text

    def missing(self, sub, plans):
        needed = any(p.monthly_meeting for p in plans)
        return "ngày họp chi bộ hằng tháng" if not sub.meeting_rule and needed else None


class CellEventDay(Setting):
    """The day the cell fixes for one of its plan's own events (a thematic session)."""

    family = "event"
    menu_row = None

    def __init__(self, plan: Plan, event: CellEvent) -> None:
        self.plan, self.event = plan, event
        self.key = f"event:{event.id}"
        self.label = f"📌 {_short(event.name)}"

    def prompt(self, plans):
        return f"Ngày {_lower_first(self.event.name)} là ngày nào? Ví dụ: 15/9, thứ 5 tuần sau."

    def parse(self, text, now, sub, plans):
        return self.on(_one_day(text, now, "ngày"), sub, plans)

    def on(self, day: date, sub: Subscription, plans: list[Plan]) -> Parsed:
        eid = self.event.id
        lines = [f"{self.event.name}: {vi_format.full(day)}."]
        cell = plan_calendar.Cell(sub.cell_name, {**sub.cell().dates, eid: day})
        for p in plans:
            relative = {d.id for d in p.deadlines if d.relative and d.relative.event == eid}
            for due in plan_calendar.dues(p, cell):
                if due.last_day and due.item_id in relative:
                    lines.append(f"→ {due.title}: chậm nhất {vi_format.full(due.last_day)}.")
            event = next((e for e in p.cell_events if e.id == eid), None)
            for d in p.deadlines:
                late = d.before is not None and day >= d.before
                if event and d.id in event.held_by and plan_calendar.applies(d, cell) and late:
                    lines.append(
                        f"⚠️ Ngày này không kịp hạn “{d.title}” "
                        f"(trước ngày {vi_format.day(d.before)})."  # type: ignore[arg-type]
                    )
        return Parsed({"event": eid, "date": day.isoformat()}, "\n".join(lines))

    def apply(self, sub, value, now):
        return sub.but(cell_dates={**sub.cell_dates, value["event"]: value["date"]})

    def shown(self, sub, today):
        iso = sub.cell_dates.get(self.event.id)
        return (
            f"{self.event.name}: {vi_format.full(date.fromisoformat(iso)) if iso else 'chưa đặt'}"
        )

    def missing(self, sub, plans):
        return None if self.event.id in sub.cell_dates else f"ngày {_lower_first(self.event.name)}"


class CellEvents(Setting):
    """Stands in SETTINGS for one CellEventDay per event of the chat's plans."""

    family = "event"

    def expand(self, plans):
        return [CellEventDay(p, e) for p in plans for e in p.cell_events]


def _short(text: str, limit: int = 36) -> str:
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(" ,“") + "…"


# Every setting, in the order the summary shows them.
SETTINGS: list[Setting] = [
    CellName(),
    Meeting(),
    CellEvents(),
    ReminderTime(),
    LeadDays(),
    Pausing(),
]


def meeting_summary(sub: Subscription, today: date) -> str:
    if not sub.meeting_rule:
        return "Chi bộ chưa đặt ngày họp. Gõ /caidat để đặt."
    return (
        f"🗓 Chi bộ họp {sub.meeting_rule.describe()}.\n"
        f"Các kỳ tới: {next_meetings(sub.meeting_rule, today)}."
    )
