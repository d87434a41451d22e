"""What a button press means, as small typed values with one encode and one decode each.

The wire format ("sub:<plan id>", "set:save", "done:<plan>:<item>") is the one buttons already
sent in chats carry, so presses on old messages keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from handlers.button_data import Press, Ref, digest, fits


@dataclass(frozen=True)
class Ask(Press):
    """A quick question: "topics" (tháng này học gì) or "deadlines" (hạn sắp tới)."""

    PREFIX = "q"
    what: str

    def _args(self):
        return (self.what,)

    @classmethod
    def _from(cls, arg):
        return cls(arg) if arg in ("topics", "deadlines") else None


@dataclass(frozen=True)
class ChoosePlan(Press):
    PREFIX = "menu:plans"


@dataclass(frozen=True)
class OpenSettings(Press):
    PREFIX = "menu:settings"


@dataclass(frozen=True)
class OnePlan(Press):
    """Base of the presses about one plan, named by its id (or the id's digest)."""

    plan: Ref

    def _args(self):
        return (self.plan.text,)

    @classmethod
    def _from(cls, arg):
        return cls(Ref(arg)) if arg else None


@dataclass(frozen=True)
class Subscribe(OnePlan):
    PREFIX = "sub"


@dataclass(frozen=True)
class Unsubscribe(Press):
    """Stop following one plan, or every plan when plan is None."""

    PREFIX = "unsub"
    ALL: ClassVar[str] = "*"
    plan: Ref | None

    def _args(self):
        return (self.plan.text if self.plan else self.ALL,)

    @classmethod
    def _from(cls, arg):
        if not arg:
            return None
        return cls(None if arg == cls.ALL else Ref(arg))


@dataclass(frozen=True)
class ConfirmUnsubscribe(Unsubscribe):
    """“Hủy” confirmed: stopping the chat's last plan ends every reminder, so it is asked first."""

    PREFIX = "unsub.ok"


@dataclass(frozen=True)
class SaveChange(Press):
    PREFIX = "set:save"


@dataclass(frozen=True)
class CancelChange(Press):
    PREFIX = "set:cancel"


@dataclass(frozen=True)
class PresetValue(Press):
    """A value offered on a button (giờ nhắc 7:30, nhắc trước 3 1 0): as if the user typed it."""

    PREFIX = "set:v="
    text: str

    def encode(self) -> str:
        data = self.PREFIX + self.text
        if not fits(data):  # presets are ours and short; a long one is a programming error
            raise ValueError(f"preset value too long for a button: {self.text!r}")
        return data

    @classmethod
    def _from(cls, arg):
        return cls(arg) if arg else None


@dataclass(frozen=True)
class ChangeSetting(Press):
    """Start changing one setting, named by its key ("meeting", "event:hoi-nghi-chuyen-de")."""

    PREFIX = "set"
    setting: Ref

    def encode(self) -> str:
        data = f"{self.PREFIX}:{self.setting.text}"
        return data if fits(data) else f"{self.PREFIX}:{digest(self.setting.text)}"

    @classmethod
    def _from(cls, arg):
        return cls(Ref(arg)) if arg else None


@dataclass(frozen=True)
class MarkDone(Press):
    """✅ Đã hoàn thành under a reminder: one item of one plan."""

    PREFIX = "done"
    plan: Ref
    item: Ref

    def _args(self):
        return (self.plan.text, self.item.text)

    @classmethod
    def _from(cls, arg):
        plan, _, item = arg.partition(":")
        return cls(Ref(plan), Ref(item)) if plan and item else None


@dataclass(frozen=True)
class MarkCellDone(Press):
    """In a committee's group: which cell did the duty — one item of one plan, one cell of the
    group's roster (named by its folded name, handlers/cells.py)."""

    PREFIX = "cdone"
    plan: Ref
    item: Ref
    cell: Ref

    def _args(self):
        return (self.plan.text, self.item.text, self.cell.text)

    @classmethod
    def _from(cls, arg):
        rest, _, cell = arg.rpartition(":")
        plan, _, item = rest.partition(":")
        return cls(Ref(plan), Ref(item), Ref(cell)) if plan and item and cell else None


@dataclass(frozen=True)
class SaveRoster(Press):
    """✅ Lưu (`go`) or ✖️ Thôi under a roster change read back, named by its short token (the
    change waits in the store: handlers/features/roster.py)."""

    PREFIX = "ros"
    change: str
    go: bool

    def _args(self):
        return (self.change, "y" if self.go else "n")

    @classmethod
    def _from(cls, arg):
        change, _, go = arg.partition(":")
        return cls(change, go == "y") if change and go in ("y", "n") else None


@dataclass(frozen=True)
class ShowStatus(OnePlan):
    """/tinhhinh for one plan (an admin's choice from the overview)."""

    PREFIX = "st"


@dataclass(frozen=True)
class ExportStatus(ShowStatus):
    """The status of one plan as a file (a spreadsheet, or CSV)."""

    PREFIX = "xuat"


@dataclass(frozen=True)
class Nudge(MarkDone):
    """Remind, once, the cells that have not marked one deadline of one plan done (the same
    plan-and-item data as MarkDone; routed by its own prefix and type)."""

    PREFIX = "nhac"


@dataclass(frozen=True)
class Page(Press):
    """“Xem tiếp” under a long answer: page `page` (from 1) of the answer `answer` (a short token
    naming the question and when it was asked), or every page from it on when `rest`."""

    PREFIX = "pg"
    answer: str
    page: int
    rest: bool = False

    def _args(self):
        return (self.answer, f"{self.page}{'+' if self.rest else ''}")

    @classmethod
    def _from(cls, arg):
        answer, _, page = arg.partition(":")
        rest = page.endswith("+")
        number = page.removesuffix("+")
        if not answer or not number.isdigit() or int(number) < 1:
            return None
        return cls(answer, int(number), rest)


@dataclass(frozen=True)
class SnoozePush(Press):
    """💤 under a reminder: send what was pushed at `of` (its minute, local time) again in an
    hour ("hour"), tomorrow ("day") or next Monday ("week") at the reminder time."""

    PREFIX = "snz"
    MINUTE: ClassVar[str] = "%Y%m%d%H%M"
    UNTIL: ClassVar[tuple[str, ...]] = ("hour", "day", "week")
    until: str
    of: str  # "202208010730"

    def _args(self):
        return (self.until, self.of)

    @classmethod
    def _from(cls, arg):
        until, _, of = arg.partition(":")
        ok = until in cls.UNTIL and len(of) == 12 and of.isdigit()
        return cls(until, of) if ok else None


@dataclass(frozen=True)
class Publish(Press):
    """✅ Ban hành (`go`) or ✖️ Thôi under a checked plan draft, named by its short token (the
    draft itself waits in the store: handlers/features/plan_upload.py)."""

    PREFIX = "pub"
    draft: str
    go: bool

    def _args(self):
        return (self.draft, "y" if self.go else "n")

    @classmethod
    def _from(cls, arg):
        draft, _, go = arg.partition(":")
        return cls(draft, go == "y") if draft and go in ("y", "n") else None


# Most specific prefix first: "set:save" before "set:v=" before "set:<setting>".
KINDS: tuple[type[Press], ...] = (
    Ask,
    ChoosePlan,
    OpenSettings,
    Subscribe,
    Unsubscribe,
    ConfirmUnsubscribe,
    SaveChange,
    CancelChange,
    PresetValue,
    ChangeSetting,
    MarkDone,
    MarkCellDone,
    SaveRoster,
    ShowStatus,
    ExportStatus,
    Nudge,
    Page,
    SnoozePush,
    Publish,
)


def decode(data: str) -> Press | None:
    """The press a button's data means, or None for data no button of ours carries."""
    for kind in KINDS:
        prefix = kind.PREFIX
        if data == prefix:
            return kind._from("")
        sep = "" if prefix.endswith("=") else ":"
        if data.startswith(prefix + sep):
            found = kind._from(data[len(prefix) + len(sep) :])
            if found is not None:
                return found
    return None
