"""The settings of the reminders themselves: their hour, the days before a deadline, and whether
they are on, held for a while, or off. Wishes in plain words reach them too
(handlers/features/reminders.py), so each parses a whole sentence, not only a bare value."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from handlers import time_read
from handlers.buttons import PresetValue
from handlers.settings.base import Buttons, Parsed, Refused, Setting
from handlers.state import Subscription
from schedules import spans, vi_dates, vi_format
from schedules.pushes import Pause
from schedules.vi_text import fold


def _lead_text(days) -> str:
    """ "10 ngày, 2 ngày và đúng ngày": each count with its unit, since "10, 2 ngày" reads as a
    decimal (the comma is the decimal mark in Vietnamese)."""
    text = ", ".join(f"{d} ngày" for d in days if d > 0)
    if 0 in days:
        text = f"{text} và đúng ngày" if text else "đúng ngày"
    return text


class ReminderTime(Setting):
    key = family = "reminder_time"
    label = "⏰ Giờ nhắc"
    menu_row = 1

    def prompt(self, plans):
        return "Tôi nhắc lúc mấy giờ? Ví dụ: 7h30, 19h."

    def parse(self, text, now, sub, plans):
        # the one time-of-day parser (schedules/vi_dates/clock.py), on the clauses that wish, not on
        # the reason told beside them ("…, 7 rưỡi tôi đã ra đồng rồi")
        found = vi_dates.clock_times(time_read.wished_part(text))
        if isinstance(found, vi_dates.NotUnderstood):
            raise Refused(
                f"Không nhắc vào giờ đó được ({found.message}): giờ trong ngày chỉ từ 0:00 đến 23:59."
            )
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
        too_far = [d for d in days or () if d > 30]
        if too_far:
            raise Refused(
                f"Không nhắc trước {too_far[0]} ngày được: tôi nhắc trước hạn nhiều nhất 30 ngày. "
                "Viết các số ngày từ 0 đến 30, ví dụ: 7 3 1 0."
            )
        if not days:
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


# Fewer words than vi.yaml's numbers on purpose: "tư" folds to "tu" like "từ" ("từ ngày 5/9").
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "muoi": 10}
_NUMBER_WORDS |= {"one": 1, "two": 2, "three": 3}  # "pause reminders for one week"
_COUNT = r"(?P<n>\d{1,2}|" + "|".join(_NUMBER_WORDS) + ")"
# "7", "3 ngày", "1 tuần" (lead days: a bare digit counts) and "2 tuần", "1 tháng" (a duration).
_LEAD = re.compile(rf"\b{_COUNT}\b(?: ?(?P<unit>ngay|hom|tuan|days?|weeks?)\b)?")
_DURATION = re.compile(rf"\b{_COUNT} ?(?P<unit>ngay|hom|tuan|thang|days?|weeks?|months?)\b")


def _count(m: re.Match[str]) -> int:
    return int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]


def _days(m: re.Match[str]) -> int | None:
    """What a _LEAD or _DURATION match says, in days (a week is 7); None for months."""
    unit = m["unit"] or ""
    if unit.startswith(("thang", "month")):
        return None
    return _count(m) * 7 if unit.startswith(("tuan", "week")) else _count(m)


_ON_THE_DAY = re.compile(r"\b(?:dung ngay|ngay cuoi|hom han|ngay han|on the day)\b")


def lead_days_in(text: str) -> list[int]:
    """ "7 3 1 0", "5 ngày và 1 ngày", "1 tuần", "2 ngày và đúng ngày" → days before the last day."""
    folded = fold(text)
    days: set[int] = set()
    for m in _LEAD.finditer(folded):
        if not m["unit"] and not m["n"].isdigit():
            continue  # a bare number word ("ba") is a name as often as a count
        if (n := _days(m)) is not None:
            days.add(n)
    if _ON_THE_DAY.search(folded):
        days.add(0)
    return sorted(days, reverse=True)


def first_unsent_day(now: datetime, reminder_at: time) -> date:
    """The first day whose reminder is still to come: today before the reminder time, else
    tomorrow."""
    return now.date() if now.time() < reminder_at else now.date() + timedelta(days=1)


def active_pause(sub: Subscription, today: date) -> Pause | None:
    """The chat's pause if it holds today or a day to come."""
    pause = sub.pause
    return pause if pause and (pause.end is None or pause.end >= today) else None


_ON_WORDS = re.compile(
    r"\b(?:bat|mo lai|tiep tuc|huy tam dung|huy tam ngung|nhac lai|unmute|resume|turn on)\b"
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
        start = first_unsent_day(now, sub.reminder_at)
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
            days = _days(m)
            if days is None:  # months: back on the same day n months later
                y, mo = divmod(start.month - 1 + _count(m), 12)
                y, mo = start.year + y, mo + 1
                resume = date(y, mo, min(start.day, spans.month_span(y, mo).end.day))
                return resume - timedelta(days=1)
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
        start = first_unsent_day(now, sub.reminder_at)
        old = active_pause(sub, start - timedelta(days=1))
        first = (
            old.start if old and old.start <= start else start
        )  # a pause extended keeps its start
        if value["mode"] == "on":
            if old is None:
                return sub
            end = start - timedelta(days=1)
            return sub.but(pause=Pause(old.start, end) if end >= old.start else None)
        until = date.fromisoformat(value["until"]) if value["mode"] == "until" else None
        return sub.but(pause=Pause(first, until))

    def shown(self, sub, today):
        pause = active_pause(sub, today)
        if pause is None:
            return "Nhắc việc: đang bật"
        if pause.end is None:
            return f"Nhắc việc: đã tắt từ {vi_format.day(pause.start)}"
        return f"Nhắc việc: tạm dừng đến hết {vi_format.full(pause.end)}"
