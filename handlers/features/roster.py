"""A committee's group and the cells it follows: `/chibo` shows the roster, `/chibo them` + names
adds, `/chibo bot <tên>` removes — read back and saved only on ✅ Lưu, as settings are, by those
who may change the group's settings. Typed without the slash too ("chibo them …"): some Zalo
clients have no slash commands. "Chi bộ nào chưa nộp" is answered from the roster here."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from handlers import cells, settings, upload_text
from handlers.buttons import SaveRoster
from handlers.feature import Feature, Permission, Turn
from handlers.features.common import not_subscribed
from handlers.state import CellFollow, Subscription
from handlers.types import Reply
from schedules import plan_calendar
from schedules.vi_text import cell_key, fold

feature = Feature("roster")
CHAT_ADMIN = Permission.CHAT_ADMIN

_ADD = ("them", "add")
_REMOVE = ("bot", "xoa", "bo", "remove")
_VERB = re.compile(r"\s*(\S*)\s*(.*)", re.S)  # the verb, then the names
_TYPED = re.compile(r"^/?chibo\b", re.I)  # "chibo them …" where a client has no slash commands
_SET = ("dat", "hop")
HOW = (
    "Thêm: /chibo them rồi tên các chi bộ (mỗi dòng một tên, hoặc cách nhau bởi “;”). "
    "Bớt: /chibo bot <tên chi bộ>. Ngày họp của một chi bộ: /chibo hop <tên chi bộ>: <ngày họp>."
)


@dataclass(frozen=True)
class Change:
    """A roster change read back, awaiting ✅ Lưu (kept in the store: `roster:<platform>:<chat>`):
    cells to add or remove, or one cell's setting (its meeting, an own date) and its value."""

    token: str
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    cell: str = ""
    setting: str = ""  # a setting's key
    value: dict | None = None

    def to_dict(self) -> dict:
        return {
            "token": self.token,
            "add": list(self.add),
            "remove": list(self.remove),
            "cell": self.cell,
            "setting": self.setting,
            "value": self.value,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Change | None:
        if not isinstance(data, dict) or not data.get("token"):
            return None
        return cls(
            str(data["token"]),
            tuple(data.get("add") or ()),
            tuple(data.get("remove") or ()),
            str(data.get("cell") or ""),
            str(data.get("setting") or ""),
            data.get("value"),
        )


def listing(sub: Subscription, head: str = "") -> str:
    if not sub.roster:
        return head + "Nhóm này chưa có danh sách chi bộ. " + HOW
    lines = [f"{head}📋 Nhóm theo dõi {len(sub.roster)} chi bộ:"]
    lines += [f"{i}. {cells.display(c.name)}" for i, c in enumerate(sub.roster, 1)]
    return "\n".join([*lines, HOW])


@feature.command("chibo", description="Nhóm cấp ủy: danh sách chi bộ", permission=CHAT_ADMIN)
async def roster_command(turn: Turn) -> list[Reply]:
    return [await _roster(turn, turn.args)]


def _typed(turn: Turn) -> str | None:
    """ "chibo them …" typed without the slash, in a group: its arguments. Only with a verb the
    command knows (or none): "Chibo ơi, tháng này học gì" is a question to the bot by a name."""
    text = turn.args.strip()
    found = _TYPED.match(text)
    if not found or not turn.msg.is_group:
        return None
    rest = text[found.end() :].strip()
    said = _VERB.match(rest)
    verb = fold(said[1]) if said else ""
    if verb and verb not in (*_ADD, *_REMOVE, *_SET):
        return None
    return rest or " "  # bare "chibo": the listing


@feature.text(_typed, permission=CHAT_ADMIN)
async def roster_typed(turn: Turn) -> list[Reply]:
    return [await _roster(turn, str(turn.match).strip())]


async def _roster(turn: Turn, args: str) -> Reply:
    sub = turn.sub
    if not sub or not sub.plan_ids:
        return not_subscribed(turn)
    if not turn.msg.is_group:
        return Reply(
            "Danh sách chi bộ dùng trong nhóm của cấp ủy (nhóm bí thư chi bộ). Chat riêng theo dõi "
            "một chi bộ: đặt tên chi bộ trong /caidat."
        )
    said = _VERB.match(args)
    verb, rest = (fold(said[1]), said[2]) if said else ("", "")
    if not verb:
        return Reply(listing(sub))
    if verb in _ADD:
        return await _offer(turn, sub, add=cells.names_in(rest))
    if verb in _REMOVE:
        return await _offer(turn, sub, remove=cells.names_in(rest))
    if verb in _SET:
        return await _cell_setting(turn, sub, rest, meeting=verb == "hop")
    return Reply(f"Tôi chưa hiểu “{args[:60]}”. " + HOW)


async def _offer(
    turn: Turn, sub: Subscription, add: list[str] | None = None, remove: list[str] | None = None
) -> Reply:
    roster = _start(sub)
    if add is not None:
        if not add:
            return Reply("Chưa có tên chi bộ nào. " + HOW)
        new = [n for n in add if cells.find(roster, n) is None]
        had = [n for n in add if cells.find(roster, n) is not None]
        if len(roster) + len(new) > cells.MAX_ROSTER:
            return Reply(
                f"Một nhóm theo dõi tối đa {cells.MAX_ROSTER} chi bộ; danh sách này sẽ thành "
                f"{len(roster) + len(new)}. Xin chia bớt sang nhóm khác."
            )
        if not new:
            return Reply(f"Các chi bộ này đã có trong danh sách: {_names(had)}.")
        change = Change(turn.token("roster"), add=tuple(new))
        lines = [f"Thêm {len(new)} chi bộ vào danh sách của nhóm:"]
        lines += [f"• {cells.display(n)}" for n in new]
        if had:
            lines.append(f"(Đã có: {_names(had)}.)")
    else:
        if not remove:
            return Reply("Chưa có tên chi bộ nào. " + HOW)
        found = [c for n in remove if (c := _one(roster, n)) is not None]
        unknown = [n for n in remove if _one(roster, n) is None]
        if not found:
            return Reply(
                f"Không thấy trong danh sách: {_names(unknown)}. Gõ /chibo để xem danh sách."
            )
        change = Change(turn.token("roster"), remove=tuple(c.name for c in found))
        lines = [f"Bớt {len(found)} chi bộ khỏi danh sách của nhóm:"]
        lines += [f"• {cells.display(c.name)}" for c in found]
        if unknown:
            lines.append(f"(Không thấy trong danh sách: {_names(unknown)}.)")
    await turn.store.set_runtime(turn.chat_key("roster"), change.to_dict())
    lines.append("Lưu lại?")
    return Reply(
        "\n".join(lines),
        (
            (
                SaveRoster(change.token, True).button("✅ Lưu"),
                SaveRoster(change.token, False).button("✖️ Thôi"),
            ),
        ),
    )


async def _cell_setting(turn: Turn, sub: Subscription, rest: str, meeting: bool) -> Reply:
    """ "/chibo hop Đông Yên: ngày 5 hằng tháng", "/chibo dat Tân Phúc Thành 3, hội nghị chuyên
    đề: 8/9": one cell's meeting or own date, understood by the same setting a private chat uses,
    read back, saved on ✅ Lưu for the cell wherever it is followed."""
    if meeting:
        name, _, value_text = rest.partition(":")
        family = "meeting"
    else:
        name, _, assignment = rest.partition(",")
        found = settings.parse_assignment(assignment)
        if found is None:
            return Reply(
                "Ví dụ: /chibo dat Tân Phúc Thành 3, ngày hội nghị chuyên đề: 8/9 — tên chi bộ, dấu "
                "phẩy, rồi tên mục và giá trị."
            )
        family, value_text = found
    roster = _start(sub)
    cell = _one(roster, name.strip())
    if cell is None:
        return Reply(
            f"Không thấy “{name.strip()[:60]}” trong danh sách của nhóm. Gõ /chibo để xem."
        )
    if family not in cells.CELL_SETTINGS or not value_text.strip():
        return Reply(
            "Từng chi bộ trong nhóm chỉ đặt được ngày họp và các ngày chi bộ tự đặt. " + HOW
        )
    plans = turn.plans(sub)
    view = cells.as_chat(sub, cell)
    problems = []
    for setting in [s for s in settings.settings_for(plans) if s.family == family]:
        try:
            parsed = setting.parse(value_text.strip(), turn.now, view, plans)
        except settings.Refused as refused:
            problems.append(refused.reason)
            continue
        change = Change(
            turn.token("roster"), cell=cell.name, setting=setting.key, value=parsed.value
        )
        await turn.store.set_runtime(turn.chat_key("roster"), change.to_dict())
        return Reply(
            f"Xác nhận thay đổi cho {cells.display(cell.name)}:\n{parsed.description}\n\nLưu lại?",
            (
                (
                    SaveRoster(change.token, True).button("✅ Lưu"),
                    SaveRoster(change.token, False).button("✖️ Thôi"),
                ),
            ),
        )
    if not problems:
        return Reply("Kế hoạch của nhóm không có ngày nào chi bộ tự đặt.")
    return Reply(f"⚠️ {problems[0]}")


def _one(roster: tuple[CellFollow, ...], name: str) -> CellFollow | None:
    """The cell a name given for removal means: its whole name, or a short form meaning one."""
    found = cells.find(roster, name)
    if found:
        return found
    mentions = cells.named(roster, name).mentions
    return mentions[0][0] if len(mentions) == 1 and len(mentions[0]) == 1 else None


def _names(names: list[str]) -> str:
    return ", ".join(cells.display(n) for n in names)


def _start(sub: Subscription) -> tuple[CellFollow, ...]:
    """The roster a change starts from: a cell's group that becomes a committee's keeps its own
    cell (its name, days and marks) as the roster's first."""
    if sub.roster or not sub.cell_name:
        return sub.roster
    return (sub.own_cell(),)


@feature.button(SaveRoster, permission=CHAT_ADMIN)
async def save(turn: Turn) -> list[Reply]:
    sub, press = turn.sub, turn.press
    key = turn.chat_key("roster")
    change = Change.from_dict(turn.store.runtime(key))
    if not sub or change is None or change.token != press.change:
        return [Reply("Nút này đã cũ: không có thay đổi danh sách nào đang chờ lưu.")]
    await turn.store.set_runtime(key, None)  # cleared first: a double press saves once
    if not press.go:
        return [Reply("Đã bỏ, danh sách chi bộ không đổi.")]
    if change.setting:
        return [await _save_cell_setting(turn, sub, change)]
    roster = _start(sub)
    gone = {cell_key(n) for n in change.remove}
    roster = tuple(c for c in roster if cell_key(c.name) not in gone)
    others = turn.store.all()
    roster += tuple(
        _known(others, sub, name) for name in change.add if cells.find(roster, name) is None
    )
    sub = replace(sub, roster=roster, pending=_not_for_a_cell(sub))
    await turn.store.save(sub)
    return [Reply(listing(sub, head="✅ Đã lưu.\n"))]


async def _save_cell_setting(turn: Turn, sub: Subscription, change: Change) -> Reply:
    cell = cells.find(_start(sub), change.cell)
    setting = settings.find(change.setting, turn.plans(sub))
    if cell is None or setting is None or change.value is None:
        return Reply("Nút này đã cũ: chi bộ hoặc mục cài đặt không còn.")
    if not sub.roster:  # a cell's group becoming a committee's: its own cell first
        await turn.store.save(replace(sub, roster=_start(sub)))
    view = setting.apply(cells.as_chat(sub, cell), change.value, turn.now)
    await cells.record_days(turn.store, sub.plan_ids, view.own_cell())
    shown = setting.shown(view, turn.today)
    return Reply(f"✅ Đã lưu cho {cells.display(cell.name)}. {shown}.")


def _not_for_a_cell(sub: Subscription):
    """The group's pending settings change, unless it asks the group's own cell (its name, its
    meeting: what /dangky asked): a committee's group has a roster instead, and the admin's next
    message ("Chi bộ Đông Yên đã nộp …") must not be taken for that answer."""
    pending = sub.pending
    if pending and pending.setting.split(":")[0] in ("cell_name", *cells.CELL_SETTINGS):
        return None
    return pending


def _known(others: list[Subscription], sub: Subscription, name: str) -> CellFollow:
    """A cell added to a roster as it is already known (its private chat or another group
    following the same plan): its meeting rule, its own days and its marks come with it."""
    key = cell_key(name)
    for other in others:
        if other.key == sub.key or not set(other.plan_ids) & set(sub.plan_ids):
            continue
        if other.roster:
            found = cells.find(other.roster, name)
            if found:
                return replace(found, name=name)
        elif other.cell_name and cell_key(other.cell_name) == key:
            return replace(other.own_cell(), name=name)
    return CellFollow(name)


# ------------------------------------------------------------------ a list sent as a file

LIST_SUFFIXES = (".txt", ".xlsx")  # a list typed in Notepad, or a spreadsheet (one row a cell)
MAX_NAME = 80  # characters: a longer line is a sentence, not a cell's name
_HEADER = re.compile(r"\b(?:ten|chi bo)\b")


def _a_roster_list(turn: Turn) -> bool | None:
    """A .txt or .xlsx sent in a group that follows a plan: the cells it is to follow."""
    f, sub = turn.msg.file, turn.sub
    listed = f is not None and f.suffix in LIST_SUFFIXES and sub is not None and sub.plan_ids
    return True if turn.msg.is_group and listed else None


def names_in_rows(text: str) -> list[str]:
    """The cell names of a list's text: one a line (a spreadsheet's rows come as tab-separated
    cells). Of a table, the column headed by the name ("Tên chi bộ"), else each row's first cell
    that is not a number (the "STT" column)."""
    rows = [[c.strip() for c in line.split("\t")] for line in text.splitlines() if line.strip()]
    column = None
    if rows and len(rows[0]) > 1:
        column = next((i for i, c in enumerate(rows[0]) if _HEADER.search(fold(c))), None)
        if column is not None:
            rows = rows[1:]
    picked = []
    for row in rows:
        if column is not None:
            picked.append(row[column] if column < len(row) else "")
        else:
            picked.append(next((c for c in row if c and not c.rstrip(".").isdigit()), ""))
    return cells.names_in("\n".join(picked))


@feature.file(permission=CHAT_ADMIN, when=_a_roster_list)
async def list_received(turn: Turn) -> list[Reply]:
    """A roster sent as a file: read back like `/chibo them`, saved on ✅ Lưu."""
    f, sub = turn.msg.file, turn.sub
    assert f is not None and sub is not None
    if f.text is None:
        return [Reply(upload_text.unreadable(f, turn.msg.user))]
    names = names_in_rows(f.text)
    if not names or len(names) > cells.MAX_ROSTER or any(len(n) > MAX_NAME for n in names):
        return [
            Reply(
                f"Tệp “{f.filename}” không giống danh sách chi bộ: mỗi dòng (mỗi hàng của bảng) "
                f"một tên chi bộ, tối đa {cells.MAX_ROSTER} chi bộ. " + HOW
            )
        ]
    return [await _offer(turn, sub, add=names)]


# ------------------------------------------------------------------ who has not done it

_NOT_DONE = re.compile(r"\bchi bo nao\b.*\bchua\b|\bchua\b.*\bchi bo nao\b")


def _asks_not_done(turn: Turn) -> bool | None:
    sub = turn.sub
    return bool(sub and sub.roster and _NOT_DONE.search(fold(turn.args))) or None


@feature.text(_asks_not_done)
async def not_done(turn: Turn) -> list[Reply]:
    """ "Chi bộ nào chưa nộp": for each duty of the group's plans still ahead (or just past),
    the roster's cells that have not marked it done."""
    sub = turn.sub
    assert sub is not None
    lines: list[str] = []
    for plan in turn.plans(sub):
        open_: dict[str, tuple[plan_calendar.Due, list[str]]] = {}
        for cell in sub.roster:
            for due in plan_calendar.dues(plan, cell.cell()):
                if due.last_day is None or (due.last_day - turn.today).days < -7:
                    continue
                entry = open_.setdefault(due.item_id, (due, []))
                if due.ref not in cell.done:
                    entry[1].append(cells.display(cell.name))
        for due, missing in sorted(open_.values(), key=lambda e: e[0].sort_key)[:5]:
            if missing:
                lines.append(f"⏰ {due.title} ({due.wording}): chưa xong {len(missing)} — ")
                lines[-1] += ", ".join(missing[:12]) + (
                    f" và {len(missing) - 12} chi bộ khác" if len(missing) > 12 else ""
                )
            else:
                lines.append(f"✅ {due.title} ({due.wording}): mọi chi bộ đã xong.")
    if not lines:
        return [Reply("Không có hạn nào sắp tới hoặc vừa qua trong kế hoạch nhóm đang theo.")]
    return [Reply("\n".join(["Các chi bộ chưa đánh dấu hoàn thành:", *lines]))]
