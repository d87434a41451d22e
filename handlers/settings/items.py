"""The settings a chat has, one object each, registered in SETTINGS (in the order the summary
shows them). Adding a setting: a class here, its names in intents.yaml's settings_fields, a test.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from handlers.buttons import PresetValue
from handlers.settings.base import Buttons, Parsed, Refused, Setting
from handlers.state import Subscription
from schedules import meetings, plan_calendar, spans, vi_dates, vi_format
from schedules.model import CellEvent, Plan
from schedules.pushes import Pause
from schedules.vi_text import fold


def clean_cell_name(text: str | None) -> str | None:
    text = re.sub(r"\s+", " ", (text or "")).strip(' .,:;"“”')
    if not text:
        return None
    text = text[:80]
    if fold(text).startswith("chi bo "):
        text = text[len("chi bộ ") :].strip()
    return f"Chi bộ {text}" if text else None


def _lower_first(text: str) -> str:
    return f"{text[0].lower()}{text[1:]}"


def _lead_text(days) -> str:
    before = [str(d) for d in days if d > 0]
    text = ", ".join(before) + " ngày" if before else ""
    if 0 in days:
        text = f"{text} và đúng ngày" if text else "đúng ngày"
    return text


def _one_day(text: str, now: datetime, what: str) -> date:
    when = vi_dates.parse(text, now)
    if isinstance(when, vi_dates.When) and when.kind in ("day", "moment"):
        return when.start
    reason = when.message if isinstance(when, vi_dates.NotUnderstood) else "cần một ngày cụ thể"
    raise Refused(f"Chưa hiểu {what} ({reason}).")


def next_meetings(rule: meetings.MeetingRule, today: date, n: int = 3) -> str:
    out, y, m = [], today.year, today.month
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
        day = _one_day(text, now, "ngày họp")
        if day < now.date():
            raise Refused(f"{vi_format.full(day)} đã qua.")
        return Parsed(
            {"date": day.isoformat()},
            f"Kỳ họp tháng {day.month}/{day.year}: {vi_format.full(day)} "
            "(chỉ kỳ này; các tháng khác theo lịch thường lệ).",
        )

    def apply(self, sub, value, now):
        if "rule" in value:
            return sub.but(meeting_rule=meetings.MeetingRule.from_dict(value["rule"]))
        return sub.with_meeting_on(date.fromisoformat(value["date"]))

    def shown(self, sub, today):
        return f"Ngày họp: {sub.meeting_rule.describe() if sub.meeting_rule else 'chưa đặt'}"

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
        day, eid = _one_day(text, now, "ngày"), self.event.id
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


class ReminderTime(Setting):
    key = family = "reminder_time"
    label = "⏰ Giờ nhắc"
    menu_row = 1

    def prompt(self, plans):
        return "Tôi nhắc lúc mấy giờ? Ví dụ: 7h30, 19h."

    def parse(self, text, now, sub, plans):
        found = vi_dates.clock_times(text)  # the one time-of-day parser (schedules/vi_dates.py)
        if isinstance(found, vi_dates.NotUnderstood):
            raise Refused(f"Chưa hiểu giờ nhắc ({found.message}).")
        if not found:
            raise Refused("Giờ nhắc viết như 7h30, 19:00 hoặc 6 giờ chiều.")
        at = found[-1]  # "7h30 sớm quá, cho 8h15": the last time said is the one wanted
        value = f"{at.hour:02d}:{at.minute:02d}"
        return Parsed(
            {"time": value}, f"Giờ nhắc: {vi_format.hour(value)} mỗi ngày có việc cần nhắc."
        )

    def apply(self, sub, value, now):
        return sub.but(reminder_time=value["time"])

    def presets(self) -> Buttons:
        return (tuple(PresetValue(h).button(h) for h in ("6:00", "7:30", "19:00")),)

    def shown(self, sub, today):
        return f"Giờ nhắc: {vi_format.hour(sub.reminder_time)}"


class LeadDays(Setting):
    key = family = "lead_days"
    label = "🔔 Nhắc trước"
    menu_row = 1

    def prompt(self, plans):
        return "Nhắc trước hạn bao nhiêu ngày? Ví dụ: “7 3 1 0” (0 là đúng ngày hạn)."

    def parse(self, text, now, sub, plans):
        days = lead_days_in(text)
        if not days or any(d > 30 for d in days):
            raise Refused("Viết các số ngày từ 0 đến 30, ví dụ: 7 3 1 0.")
        return Parsed({"days": days}, f"Nhắc trước hạn: {_lead_text(days)}.")

    def apply(self, sub, value, now):
        return sub.but(lead_days=tuple(value["days"]))

    def presets(self) -> Buttons:
        return (
            (PresetValue("7 3 1 0").button("7, 3, 1 ngày và đúng ngày"),),
            (PresetValue("3 1 0").button("3, 1 ngày và đúng ngày"),),
            (PresetValue("1 0").button("1 ngày và đúng ngày"),),
        )

    def shown(self, sub, today):
        return f"Nhắc trước hạn: {_lead_text(sub.lead_days)}"


_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "muoi": 10}
_LEAD = re.compile(
    r"\b(?P<n>\d{1,2}|"
    + "|".join(_NUMBER_WORDS)
    + r")\b(?: ?(?P<unit>ngay|hom|tuan|days?|weeks?)\b)?"
)
_ON_THE_DAY = re.compile(r"\b(?:dung ngay|ngay cuoi|hom han|ngay han|on the day)\b")


def lead_days_in(text: str) -> list[int]:
    """ "7 3 1 0", "5 ngày và 1 ngày", "1 tuần", "2 ngày và đúng ngày" → days before the last day."""
    folded = fold(text)
    days = set()
    for m in _LEAD.finditer(folded):
        if not m["unit"] and not m["n"].isdigit():
            continue  # a bare number word ("ba") is a name as often as a count
        n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
        days.add(n * 7 if m["unit"] and m["unit"].startswith(("tuan", "week")) else n)
    if _ON_THE_DAY.search(folded):
        days.add(0)
    return sorted(days, reverse=True)


def first_unsent_day(now: datetime, reminder_time: str) -> date:
    """The first day whose reminder is still to come: today before the reminder time, else
    tomorrow."""
    h, m = (int(x) for x in reminder_time.split(":"))
    return now.date() if now.time() < time(h, m) else now.date() + timedelta(days=1)


def active_pause(sub: Subscription, today: date) -> Pause | None:
    """The chat's pause if it holds today or a day to come."""
    pause = sub.pause
    return pause if pause and (pause.end is None or pause.end >= today) else None


_ON_WORDS = re.compile(
    r"\b(?:bat|mo lai|tiep tuc|huy tam dung|huy tam ngung|nhac lai|unmute|resume|turn on)\b"
)
_DURATION = re.compile(
    r"\b(?P<n>\d{1,2}|"
    + "|".join(_NUMBER_WORDS)
    + r") ?(?P<unit>ngay|hom|tuan|thang|days?|weeks?|months?)\b"
)


def wants_on(text: str) -> bool:
    return bool(_ON_WORDS.search(fold(text)))


class Pausing(Setting):
    """Reminders off, held for a while or until a day, or back on. While held nothing is pushed;
    on the day after, one message lists what fell due meanwhile (schedules/pushes.py)."""

    key = family = "pause"
    label = "🔕 Tạm dừng nhắc"
    menu_row = 2

    def prompt(self, plans):
        return (
            "Tạm dừng nhắc bao lâu? Ví dụ: “1 tuần”, “đến 5/9”, “đến hết tháng 8”, “tắt hẳn”; "
            "hoặc “bật lại”."
        )

    def presets(self) -> Buttons:
        return (
            (
                PresetValue("tắt hẳn").button("🔕 Tắt nhắc"),
                PresetValue("1 tuần").button("1 tuần"),
                PresetValue("bật lại").button("🔔 Bật lại"),
            ),
        )

    def parse(self, text, now, sub, plans):
        start = first_unsent_day(now, sub.reminder_time)
        if wants_on(text):
            pause = active_pause(sub, now.date())
            if pause is None:
                raise Refused(
                    f"Tôi vẫn đang bật nhắc việc cho chat này (lúc {vi_format.hour(sub.reminder_time)}); "
                    "không có gì phải đổi."
                )
            return Parsed(
                {"mode": "on"},
                f"Bật nhắc lại: từ {vi_format.full(start)} tôi nhắc như thường lúc "
                f"{vi_format.hour(sub.reminder_time)}; những gì đến hạn trong lúc tạm dừng được "
                "gửi gộp trong một tin.",
            )
        end = self._end(text, now, start)
        if end is None:
            return Parsed(
                {"mode": "off"},
                f"Tắt nhắc: từ {vi_format.full(start)} tôi không nhắc chat này nữa, cho đến khi "
                "đồng chí bật lại (gõ “bật nhắc”). Khi bật lại, những gì đến hạn trong thời gian "
                "tắt được gửi gộp trong một tin.",
            )
        resume = end + timedelta(days=1)
        return Parsed(
            {"mode": "until", "until": end.isoformat()},
            f"Tạm dừng nhắc từ {vi_format.full(start)} đến hết {vi_format.full(end)}; "
            f"nhắc lại từ {vi_format.full(resume)}. Những gì đến hạn trong thời gian đó được gửi "
            f"gộp trong một tin lúc {vi_format.hour(sub.reminder_time)} ngày {vi_format.day(resume)}.",
        )

    def _end(self, text: str, now: datetime, start: date) -> date | None:
        """The last day held: from a duration ("1 tuần": 7 reminder days from the first one not
        yet sent), a day or a period ("đến 5/9", "đến hết tháng 8"); None: until turned on."""
        m = _DURATION.search(fold(text))
        if m:
            n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
            unit = m["unit"]
            if unit.startswith(("thang", "month")):  # back on the same day n months later
                y, mo = divmod(start.month - 1 + n, 12)
                y, mo = start.year + y, mo + 1
                resume = date(y, mo, min(start.day, spans.month_span(y, mo).end.day))
                return resume - timedelta(days=1)
            days = n * 7 if unit.startswith(("tuan", "week")) else n
            if not 1 <= days <= 366:
                raise Refused("Tạm dừng từ 1 ngày đến 1 năm.")
            return start + timedelta(days=days - 1)
        when = vi_dates.find(text, now)
        if isinstance(when, vi_dates.NotUnderstood):
            raise Refused(f"Chưa hiểu tạm dừng đến khi nào ({when.message}).")
        if when is None:
            return None
        end = when.end
        if end < start:
            raise Refused(f"{vi_format.full(end)} đã qua. Tạm dừng đến ngày nào?")
        return end

    def apply(self, sub, value, now):
        start = first_unsent_day(now, sub.reminder_time)
        old = active_pause(sub, start - timedelta(days=1))
        first = (
            old.start if old and old.start <= start else start
        )  # a pause extended keeps its start
        if value["mode"] == "on":
            if old is None:
                return sub
            end = start - timedelta(days=1)
            return sub.but(pause=Pause(old.start, end) if end >= old.start else None)
        end = date.fromisoformat(value["until"]) if value["mode"] == "until" else None
        return sub.but(pause=Pause(first, end))

    def shown(self, sub, today):
        pause = active_pause(sub, today)
        if pause is None:
            return "Nhắc việc: đang bật"
        if pause.end is None:
            return f"Nhắc việc: đã tắt từ {vi_format.day(pause.start)}"
        return f"Nhắc việc: tạm dừng đến hết {vi_format.full(pause.end)}"


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
