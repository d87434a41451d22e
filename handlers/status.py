"""Where the cells of one plan stand: for each deadline, who marked it done (by whom, when) and
who has not, with the days left; who never set a meeting day; who blocked the bot.

Pure: the chats are given (already narrowed to the admin's scope) and so is today. /tinhhinh,
the export and the nudge all read this one picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from handlers import cells
from handlers.marks import Done
from handlers.state import Subscription
from schedules import plan_calendar, vi_format
from schedules.model import Plan
from schedules.plan_calendar import Due


def cell_name(sub: Subscription) -> str:
    return cells.name_of(sub)


def chat_label(chat: Subscription) -> str:
    """A chat named in a line: its title in quotes, else its id."""
    return f"“{chat.title}”" if chat.title else f"chat {chat.chat_id}"


def _kind(chat: Subscription, titles: bool = True) -> str:
    if chat.roster:
        return f"nhóm cấp ủy {chat_label(chat)}"
    if chat.is_group:
        return f"nhóm {chat_label(chat)}" if titles else "nhóm của chi bộ"
    return "chat riêng"


def _by_kind(chats: Iterable[Subscription]) -> list[Subscription]:
    """Private chats first, then cells' own groups, then committee groups (each in store order)."""
    return sorted(chats, key=lambda c: 2 if c.roster else 1 if c.is_group else 0)


def reached_by(chats: Iterable[Subscription], titles: bool = True) -> str:
    """How a cell is reached, every chat said: "qua chat riêng và nhóm cấp ủy “Bí thư chi bộ”";
    without `titles` a cell's own group is "nhóm của chi bộ" (a few kinds, not one per cell)."""
    said: list[str] = []
    for chat in _by_kind(chats):
        words = _kind(chat, titles)
        if words not in said:
            said.append(words)
    if not said:
        return ""
    return "qua " + (", ".join(said[:-1]) + " và " + said[-1] if len(said) > 1 else said[0])


@dataclass(frozen=True)
class Mark:
    """One cell under one deadline: its own due (a deadline may fall on a day of the cell's own)
    and, once marked, who marked it done and when."""

    sub: Subscription
    due: Due
    record: Done | None

    @property
    def done(self) -> bool:
        return self.record is not None


@dataclass
class DeadlineStatus:
    due: Due  # as most cells have it (the first found)
    marks: list[Mark] = field(default_factory=list)

    @property
    def done(self) -> list[Mark]:
        return [m for m in self.marks if m.done]

    @property
    def missing(self) -> list[Mark]:
        return [m for m in self.marks if not m.done]

    def when(self, today: date) -> str:
        """The deadline and the days left, as a secretary reads it."""
        due = self.due
        if due.last_day is None:
            return due.wording
        shown = vi_format.full(due.before) if due.before else vi_format.full(due.last_day)
        days = (due.last_day - today).days
        left = (
            f"còn {days} ngày"
            if days > 0
            else "hôm nay là ngày cuối"
            if days == 0
            else f"quá hạn {-days} ngày"
        )
        return f"{'trước ' if due.before else ''}{shown}, {left}"


@dataclass
class PlanStatus:
    plan: Plan
    following: list[Subscription]  # active chats following the plan
    blocked: list[Subscription]  # cells reached only through chats that blocked or removed the bot
    deadlines: list[DeadlineStatus]
    chats_following: list[Subscription] = field(default_factory=list)  # the chats reaching them
    reach: cells.Followed | None = None  # which of those chats reach each cell

    def via(self, cell: Subscription) -> tuple[Subscription, ...]:
        """Every chat that reaches a cell of `following` or `blocked` (the cell's own chat when
        nothing else is known)."""
        return (self.reach.via(cell) if self.reach else ()) or (cell,)

    @property
    def chats(self) -> int:
        """The chats that reach the cells (a committee group reaches many)."""
        return len({s.key for s in self.chats_following or self.following})

    @property
    def groups(self) -> int:
        return len({s.key for s in self.chats_following or self.following if s.is_group})

    def following_line(self) -> str:
        """ "5 chi bộ đang theo, qua 2 chat (1 nhóm)"; "3 chat đang theo (1 nhóm)" when every chat
        is one cell."""
        cells, chats = len(self.following), self.chats
        if cells == chats and not any(c.roster for c in self.chats_following):
            return f"{chats} chat đang theo ({self.groups} nhóm)"
        return f"{cells} chi bộ đang theo, qua {chats} chat ({self.groups} nhóm)"

    def reached_through(self, most: int = 2, most_groups: int = 2) -> list[str]:
        """How many cells each committee group reaches ("👥 Nhóm cấp ủy “…”: 5 chi bộ …"), and
        which of them another chat reaches too, by kind of chat (their secretaries' private
        chats, their own groups, another committee group): named when few, else counted, and a
        few groups, so the first screen of /tinhhinh stays a screen."""
        groups = [c for c in self.chats_following if c.roster]
        lines = []
        for chat in groups[:most_groups]:
            reached = len(chat.roster)
            lines.append(f"👥 Nhóm cấp ủy {chat_label(chat)}: {reached} chi bộ nhận tin qua nhóm.")
            also: dict[str, list[Subscription]] = {}
            for cell in self.following:
                chats = self.via(cell)
                if len(chats) > 1 and any(c.key == chat.key for c in chats):
                    others = (_kind(c, titles=False) for c in chats if c.key != chat.key)
                    for kind in dict.fromkeys(others):  # each kind once per cell, in order
                        also.setdefault(kind, []).append(cell)
            # private chats, own groups, then other committee groups, the widest first
            kinds = sorted(
                also.items(),
                key=lambda k: (k[0] != "chat riêng", k[0] != "nhóm của chi bộ", -len(k[1])),
            )
            said = [
                f"{names(cells_) if len(cells_) <= most else f'{len(cells_)} chi bộ'}"
                f"{' còn nhận tin' if not n else ''} qua {kind}"
                for n, (kind, cells_) in enumerate(kinds[:3])
            ]
            if len(kinds) > 3:
                said.append(f"và qua {len(kinds) - 3} nhóm cấp ủy khác")
            if said:
                lines.append(f"   ↳ {'; '.join(said)}.")
        if len(groups) > most_groups:
            lines.append(f"👥 Và {len(groups) - most_groups} nhóm cấp ủy khác: xem bảng xuất ra.")
        return lines

    @property
    def no_meeting_day(self) -> list[Subscription]:
        return [s for s in self.following if s.meeting_rule is None]

    def deadline(self, item_id: str) -> DeadlineStatus | None:
        return next((d for d in self.deadlines if d.due.item_id == item_id), None)

    def near(self, today: date, window_days: int) -> list[DeadlineStatus]:
        """The deadlines worth a look today: last day (or end of period) within the window."""
        return [d for d in self.deadlines if abs((d.due.sort_key - today).days) <= window_days]


def plan_status(plan: Plan, subs: list[Subscription]) -> PlanStatus:
    """Counted by cell, not by chat: a committee group's roster is its cells, and a cell followed
    in two chats is one (handlers/cells.py)."""
    chats = [s for s in subs if plan.id in s.plan_ids and s.active]
    reach = cells.followed(chats)
    following = reach.cells
    # a cell still reached through an active chat is not among those the bot cannot reach
    reached = {cells.ident(c) for c in following}
    stopped = [s for s in subs if plan.id in s.plan_ids and not s.active]
    blocked = [c for c in cells.distinct(stopped) if cells.ident(c) not in reached]
    by_item: dict[str, DeadlineStatus] = {}
    for sub in following:
        for due in plan_calendar.dues(plan, sub.cell()):
            entry = by_item.setdefault(due.item_id, DeadlineStatus(due))
            entry.marks.append(Mark(sub, due, sub.done.get(due.ref)))
    for due in plan_calendar.dues(plan, plan_calendar.Cell()):  # also those no cell has yet
        by_item.setdefault(due.item_id, DeadlineStatus(due))
    deadlines = sorted(by_item.values(), key=lambda d: (d.due.sort_key, d.due.item_id))
    return PlanStatus(plan, following, blocked, deadlines, chats, reach)


def names(subs: list[Subscription], most: int = 5) -> str:
    shown = [cell_name(s) for s in subs[:most]]
    more = f" và {len(subs) - most} chi bộ khác" if len(subs) > most else ""
    return ", ".join(shown) + more


def detail_text(status: PlanStatus, today: date, window_days: int, most: int = 8) -> str:
    """/tinhhinh for one plan: one line per deadline near today, then who never set a meeting
    day and who blocked the bot."""
    plan = status.plan
    lines = [f"📊 {plan.short_name} — {vi_format.full(today)}:", f"{status.following_line()}."]
    lines += status.reached_through()
    near = status.near(today, window_days)
    for d in near[:most]:
        line = f"\n⏰ {d.due.title} ({d.when(today)}): {len(d.done)}/{len(d.marks)} đã hoàn thành"
        if d.missing:
            line += f"; chưa: {names([m.sub for m in d.missing])}"
        lines.append(line + ".")
    if len(near) > most:
        lines.append(f"\n(và {len(near) - most} hạn khác: xem bảng xuất ra)")
    if not near:
        lines.append(f"\nKhông có hạn nào trong khoảng {window_days} ngày trước và sau hôm nay.")
    if status.no_meeting_day:
        lines.append(f"\n🗓 Chưa đặt ngày họp: {names(status.no_meeting_day)}.")
    if status.blocked:
        lines.append(f"🚫 Đã chặn hoặc xóa bot (không gửi được): {names(status.blocked)}.")
    return "\n".join(lines)


def overview_line(status: PlanStatus, today: date, window_days: int) -> str:
    """One plan in a few words: who follows it and its nearest deadline still open."""
    line = f"• {status.plan.short_name}: {status.following_line()}"
    ahead = [
        d
        for d in status.near(today, window_days)
        if d.due.sort_key >= today and d.marks and d.missing
    ]
    if ahead:
        d = ahead[0]
        line += f"; gần nhất: {d.due.title} ({d.when(today)}), {len(d.done)}/{len(d.marks)} xong"
    return line + "."
