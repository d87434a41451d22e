"""When the activity happens, and how often: the plan's own “thời gian tổ chức” (the meetings it
is held in, monthly or quarterly, the anniversaries, the peaks), never its report deadlines, which
answer another question."""

from __future__ import annotations

from handlers.answers.replies import occasion_name
from handlers.answers.wording import plan_label, plan_named
from schedules.model import Plan
from schedules.vi_text import fold

# Content lines that say when the effort is concentrated ("Tập trung cao điểm vào dịp …") and in
# what form the sessions are held ("Hình thức: hội nghị kiểm điểm …").
_WHEN_AND_HOW = ("cao diem", "hinh thuc")


def held_reply(plan: Plan) -> str | None:
    """The plan's times of holding, in its words; None when it sets no repeat and no anniversary
    (see `no_repeat`)."""
    lines = []
    mm = plan.monthly_meeting
    if mm is not None:
        span = f"từ tháng {mm.start[1]}/{mm.start[0]} đến tháng {mm.end[1]}/{mm.end[0]}"
        lines.append(f"🗓 Theo {plan_named(plan)}: {mm.title.rstrip('.')} ({span}).")
    if plan.occasions:
        days = "; ".join(occasion_name(o) for o in plan.occasions)
        lines.append(f"🎉 Vào các dịp kỷ niệm: {days}.")
    if not lines:
        return None
    return "\n".join(lines + _when_and_how(plan))


def no_repeat(plan: Plan) -> str:
    """What a plan that sets no repeat says of how it is held; what it sets with a deadline
    follows."""
    lines = [
        f"🗓 {plan_label(plan)} không nêu lịch tổ chức định kỳ (hằng tháng, hằng quý); những việc "
        "kế hoạch đặt hạn là:"
    ]
    return "\n".join(lines + _when_and_how(plan))


def _when_and_how(plan: Plan) -> list[str]:
    return [f"📌 {c.text}" for c in plan.contents if any(w in fold(c.text) for w in _WHEN_AND_HOW)]
