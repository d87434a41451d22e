"""How Vietnamese write dates: "Thứ Năm, 25/8/2022" — no zero padding, Monday first."""

from datetime import date, datetime

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def day(d: date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


def weekday(d: date) -> str:
    return WEEKDAYS[d.weekday()]


def full(d: date) -> str:
    return f"{weekday(d)}, {day(d)}"


def moment(t: datetime) -> str:
    return f"{t.hour}:{t.minute:02d} {full(t.date())}"


def month(year: int, month_: int) -> str:
    return f"tháng {month_}/{year}"


def days_until(today: date, d: date) -> str:
    n = (d - today).days
    if n == 0:
        return "hôm nay"
    if n == 1:
        return "ngày mai"
    if n == 2:
        return "ngày kia"
    if n > 0:
        return f"còn {n} ngày"
    if n == -1:
        return "hôm qua"
    return f"đã qua {-n} ngày"


def cap(text: str) -> str:
    """Upper-case the first letter only (str.capitalize would lower-case the rest)."""
    return text[:1].upper() + text[1:]


def clock(hhmm: str) -> str:
    """A meeting time as shown: "19:30" → "19:30", "07:30" → "7:30". One time style for every
    message: hours and minutes with a colon, as reminder times are shown."""
    return hour(hhmm)


def hour(hhmm: str) -> str:
    """A reminder time as shown: "07:30" → "7:30"."""
    h, m = hhmm.split(":")
    return f"{int(h)}:{m}"
