"""The intents a free-text message can carry. Their phrases are data (intents.yaml); which
feature answers each is declared by the feature (handlers/features/)."""

from __future__ import annotations

from enum import StrEnum


class IntentName(StrEnum):
    DOCUMENT_MONTH = "document_month"  # "nghị quyết 04 học tháng nào"
    TOPICS = "topics"
    DEADLINES = "deadlines"
    THEME = "theme"
    AGENDA = "agenda"
    TARGETS = "targets"
    OCCASIONS = "occasions"
    HELD = "held"  # "bao lâu 1 lần", "tổ chức vào những dịp nào": the plan's times of holding
    PLAN_INFO = "plan_info"
    SETTINGS = "settings"
    MEETING = "meeting"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    HELP = "help"
    GREETING = "greeting"
    PERIOD = "period"  # a bare time ("tháng 7", "tuần sau"): what happens then
    UNKNOWN = "unknown"
    # ── questions about the chat, its reports and days ──
    PILOT = "pilot"  # "chi bộ mình có phải chi bộ điểm không"
    RECIPIENTS = "recipients"  # "báo cáo gửi về đâu", "email nào"
    DAY_INFO = "day_info"  # "25/8 là thứ mấy", "còn mấy ngày nữa đến 19/5"
    NOT_STATED = "not_stated"  # "kinh phí lấy từ đâu": what plans do not say
    # -- Reminders: wishes that change the chat's reminders, and what will be pushed.
    # Answered by handlers/features/reminders.py, not by the questions feature.
    REMINDER_PAUSE = "reminder_pause"  # "đừng nhắc nữa", "tạm dừng nhắc 1 tuần", "nhắc lại đi"
    REMINDER_HOUR = "reminder_hour"  # "chuyển giờ nhắc sang 5 giờ rưỡi sáng"
    REMINDER_LEADS = "reminder_leads"  # "báo trước 2 ngày thôi"
    UPCOMING_PUSHES = "upcoming_pushes"  # "mấy ngày tới nhắc gì"
    REMINDER_STATUS = "reminder_status"  # "bot đang nhắc vào mấy giờ": asked, not a wish


REMINDER_INTENTS = frozenset(
    {
        IntentName.REMINDER_PAUSE,
        IntentName.REMINDER_HOUR,
        IntentName.REMINDER_LEADS,
        IntentName.UPCOMING_PUSHES,
        IntentName.REMINDER_STATUS,
    }
)
