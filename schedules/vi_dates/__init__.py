"""Vietnamese dates as secretaries type them: text + a reference moment → a day, a span or a moment.

Every phrase either resolves exactly or is refused with a Vietnamese reason — never a guess,
never an exception. The vocabulary lives in language/vi.yaml; this package holds the grammar:
  words.py     the text folded for matching, the vocabulary as regex alternatives, numbers, years
  nearest.py   the year left unsaid (the nearest day or month), months added, thirds of a period
  grammar.py   the rule registry; the rules: days.py (a day, a weekday, "mai"), periods.py (a
               month, quarter, half year, week, year), relative.py ("3 tháng tới", "2 tuần nữa")
  clock.py     times of day ("7h30", "2 giờ chiều")
  clauses.py   a whole message: rules applied in order, the phrases found put together
  results.py   When, NotUnderstood, DateError

Rules for what is left unsaid (also in the README):
- A day/month or a month without a year is the one nearest the reference day (within six months);
  at an exact tie, the current year. Asked in December, "5/1" is next January; "tháng 7" is July of
  this year. Quarters follow the same rule.
- 29/2 without a year: the year is chosen as for 28/2, and if that year has no 29 February, the
  next leap year's. So a past 29/2 is meant only within six months of it: asked on 10/8/2024 it is
  29/2/2024, on 10/8/2022 29/2/2024, anywhere in 2025 or 2026 29/2/2028. 30/2, 31/4 … never exist.
- A day of the month alone ("mùng 3", "ngày 15") is the next such day, today included.
- A weekday alone or with "này" is the next such day, today included; "tuần sau" is next week's.
- "Tn" is tháng n (T9 = tháng 9); weekdays are written "thứ n".
- đầu/giữa/cuối tháng are days 1–10, 11–20, 21–end; of a quarter its first, second, last month;
  of a year quý I, tháng 6–7, quý IV.
- "trước ngày X" is a deadline: the answer is the last day to act, X − 1.
- A part of day without an hour ("sáng mai") keeps the day only; "2 giờ chiều" is 14:00.
"""

from __future__ import annotations

from schedules.vi_dates.clauses import Found, find, find_all, parse
from schedules.vi_dates.clock import clock_times, take_clock
from schedules.vi_dates.results import DateError, NotUnderstood, When
from schedules.vi_dates.words import V

__all__ = [
    "DateError",
    "Found",
    "NotUnderstood",
    "V",
    "When",
    "clock_times",
    "find",
    "find_all",
    "parse",
    "take_clock",
]
