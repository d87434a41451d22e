"""`chibo demo`: the same bot in a terminal — no token, no network. Each line is one message.

Buttons print as [1], [2] …; type the number to press one. /nhom plays a group chat (you are its
admin; /thanhvien plays an ordinary member), /tep <đường dẫn> sends a local file as if attached in a chat (a plan document, or a finished draft
.yaml: the upload flow of handlers/features/plan_upload.py), /tua <thời điểm> moves the simulated
clock forward:
up to the end of the year after the last day the plans speak of, since past that nothing is due
and walking the calendar there only costs time (and, near year 9999, overflows).

In a terminal it shows a "> " prompt with line editing (readline); piped input prints no prompts.
A line that fails gets an apology and the demo goes on with the next one.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from bot.channels import uploads
from bot.channels.base import Channel
from bot.channels.outbox import OnSent
from bot.channels.shaping import utf16_chunks
from bot.channels.zalo.channel import TEXT_LIMIT as ZALO_TEXT_LIMIT
from bot.clock import Clock, parse_moment
from handlers.conversation import Conversation
from handlers.types import Attachment, Incoming, ReceivedFile, Reply, UserRef
from schedules import plan_calendar, spans, vi_dates, vi_format
from schedules.catalog import Catalog

log = logging.getLogger("chibo.console")

PRIVATE_CHAT, GROUP_CHAT, USER = "console-private", "console-group", "console-user"

BANNER = (
    "Trợ lý Chi bộ — chạy thử trong cửa sổ dòng lệnh. Bây giờ là {now}.\n"
    "Gõ như trong chat (ví dụ /start, “tháng này học gì”). Nút bấm hiện dạng [1], [2]: gõ số để bấm.\n"
    "/nhom: đóng vai nhóm chi bộ · /thanhvien: đóng vai thành viên thường · "
    "/tep <đường dẫn>: gửi một tệp (kế hoạch .docx/.pdf/.txt, bản nháp .yaml) · "
    "/tua <thời điểm>: tua đồng hồ · /gio: xem giờ · Ctrl-D: thoát."
)

APOLOGY = (
    "⚠️ Xin lỗi, tôi gặp lỗi khi xử lý dòng này. Bản chạy thử vẫn tiếp tục: xin gõ dòng tiếp theo."
)
PROMPT = "> "
ZALO_BREAK = "— — — (tin tiếp theo) — — —"  # between the messages one Zalo reply is split into

# Called with (from, to) when the clock jumps; returns the pushes due as (chat id, heading, reply).
OnAdvance = Callable[[datetime, datetime], Awaitable[list[tuple[str, str, Reply]]]]


class Console(Channel):
    """A channel whose platform is the terminal. As "telegram" (the default): choices as buttons
    [1], [2] pressed by typing the number, a reply in one piece, a file written to the current
    folder. As "zalo": exactly as the Zalo channel shapes it — numbered choices answered by
    number, messages split under Zalo's limit, a file shown as text."""

    platform = "console"

    def __init__(
        self,
        conversation: Conversation,
        clock: Clock,
        out: TextIO = sys.stdout,
        on_advance: OnAdvance | None = None,
        ask: Callable[[str], str] = input,
        kenh: str = "telegram",
    ) -> None:
        self.zalo = kenh == "zalo"
        self.has_buttons = self.carries_files = not self.zalo
        self.text_limit = ZALO_TEXT_LIMIT if self.zalo else sys.maxsize  # a terminal has none
        super().__init__(conversation, clock, conversation.store)
        self.out = out
        self.on_advance = on_advance
        self.ask = ask  # how a terminal is asked for a line (tests pass a fake)
        self.files_dir = Path.cwd()  # where a file the bot sends (an exported table) is written
        self.group = False
        self.member = False
        self.buttons: list[tuple[str, str]] = []  # (chat id, callback data), numbered from 1
        self._keep_buttons = False
        self.last_planned = last_planned_day(conversation.catalog)
        start = clock.now().date()
        self.reach = date(max(self.last_planned or start, start).year + 1, 12, 31)
        conversation.set_admin_check(self.is_chat_admin)

    async def is_chat_admin(self, msg: Incoming) -> bool:
        return not self.member

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # -- outgoing: printed ----------------------------------------------------------------------

    async def show(self, reply: Reply, chat_id: str | None = None, keep: bool = False) -> None:
        """A reply printed in its chat (the one being played by default). `keep`: its buttons
        join those shown before (the pushes of one /tua) rather than replacing them."""
        chat = chat_id or self._chat()
        self._keep_buttons = keep
        try:
            await self.send(chat, reply, chat == GROUP_CHAT)
        finally:
            self._keep_buttons = False

    def split(self, text: str) -> list[str]:
        return utf16_chunks(text, self.text_limit) if self.zalo else super().split(text)

    async def send(
        self, chat_id: str, reply: Reply, is_group: bool = False, on_sent: OnSent | None = None
    ) -> str:
        """The reply's pieces (Channel.pieces: numbered choices, split, a file as text where
        the platform played carries none) printed in order, then a blank line. Not through the
        outbox: a terminal has no pace to keep, and a line that fails reaches run()."""
        if not self._keep_buttons:
            self.buttons = []
        for i, piece in enumerate(self.pieces(reply, is_group)):
            if i and self.zalo:
                self.say(ZALO_BREAK)
            await self.raw_send(chat_id, piece)
        self.say("")
        if self.choices is not None:  # the demo's menus live as long as the demo
            self.choices.note(chat_id, reply, self.clock.now())
        if on_sent is not None:
            await on_sent()
        return "sent"

    async def raw_send(self, chat_id: str, reply: Reply) -> None:
        """One message printed: a file written to the current folder, buttons numbered."""
        if reply.attachment is not None:
            self.say(self.write_file(reply.attachment))
            return
        self.say(reply.text)
        for row in reply.buttons:
            labels = []
            for b in row:
                self.buttons.append((chat_id, b.data))
                labels.append(f"[{len(self.buttons)}] {b.label}")
            self.say("   ".join(labels))

    def write_file(self, attachment: Attachment) -> str:
        """A file the bot sends, written to the current folder (never over an existing file)."""
        path = self.files_dir / attachment.filename
        stem, n = path.stem, 1
        while path.exists():
            n += 1
            path = path.with_name(f"{stem}-{n}{path.suffix}")
        path.write_bytes(attachment.data)
        return f"📎 Đã ghi tệp {path} ({len(attachment.data):,} byte).".replace(",", ".")

    def _chat(self) -> str:
        return GROUP_CHAT if self.group else PRIVATE_CHAT

    async def run(self, lines: Iterable[str]) -> None:
        banner = BANNER.format(now=vi_format.moment(self.clock.now()))
        if self.zalo:
            banner = banner.replace(
                "Nút bấm hiện dạng [1], [2]: gõ số để bấm.",
                "Như trên Zalo: lựa chọn hiện dạng “1. …”, trả lời bằng số để chọn.",
            )
        self.say(banner)
        self.say("")
        for raw in typed_lines(lines, self.ask):
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            try:
                await self.line(line)
            except Exception:  # one bad line must not end the demo nor lose the lines after it
                log.debug("console line failed: %r", line, exc_info=True)
                self.say(APOLOGY)
                self.say("")

    async def line(self, line: str) -> None:
        text = line.strip()
        low = text.lower()
        if low == "/nhom":
            self.group = not self.group
            self.say(
                "→ Đang đóng vai nhóm chi bộ." if self.group else "→ Đang đóng vai chat riêng."
            )
            if self.group:
                for reply in await self.conversation.joined(
                    "console", GROUP_CHAT, "Chi bộ (chạy thử)", self.clock.now()
                ):
                    await self.show(reply)
            return
        if low == "/thanhvien":
            self.member = not self.member
            self.say(
                "→ Bạn là thành viên thường." if self.member else "→ Bạn là quản trị viên nhóm."
            )
            return
        if low == "/gio":
            self.say(f"→ Bây giờ là {vi_format.moment(self.clock.now())}.")
            return
        if low.startswith("/tua"):
            await self.advance(text[4:].strip())
            return
        if low.startswith("/tep"):
            await self.send_file(text[4:].strip())
            return
        callback, chat = None, self._chat()
        # a button pressed by its number; as Zalo, the number answers a menu in Channel.handle
        if self.has_buttons and text.isdigit() and self.buttons:
            index = int(text) - 1
            if not 0 <= index < len(self.buttons):
                self.say(f"→ Không có nút [{text}].")
                return
            chat, callback = self.buttons[index]
        await self._send(chat, text="" if callback else text, callback=callback)

    async def _send(
        self,
        chat: str,
        text: str = "",
        callback: str | None = None,
        file: ReceivedFile | None = None,
    ) -> None:
        """A message typed (or a button pressed, a file sent) in the chat being played."""
        msg = Incoming(
            "console",
            chat,
            USER,
            is_group=chat == GROUP_CHAT,
            user_name="Bạn",
            addressed=True,
            chat_title="Chi bộ (chạy thử)",
            text=text,
            callback=callback,
            file=file,
        )
        await self.handle(msg)

    async def send_file(self, where: str) -> None:
        """/tep PATH: the file as a chat would bring it (bot/channels/uploads.py: checked, read)."""
        path = Path(where.strip("\"'")).expanduser()
        if not where or not path.is_file():
            self.say(f"→ Không thấy tệp “{where}”. Gõ /tep <đường dẫn tới tệp>.")
            return

        async def fetch() -> bytes:
            return path.read_bytes()

        user = UserRef("console", USER)
        size = path.stat().st_size
        file = await uploads.receive(self.conversation, user, path.name, size, fetch)
        await self._send(self._chat(), file=file)

    async def advance(self, spec: str) -> None:
        before = self.clock.now()
        target = _target(spec, before)
        if isinstance(target, str):
            self.say(f"→ {target}")
            return
        if target.date() > self.reach:
            self.say(f"→ {self._beyond_reach()}")
            return
        due = await self.on_advance(before, target) if self.on_advance else []
        self.clock.advance_to(target)
        self.buttons = []
        for chat_id, heading, reply in due:
            self.say(heading)
            await self.show(reply, chat_id, keep=True)
        self.say(
            f"→ Đã tua đến {vi_format.moment(target)}"
            + (f": {len(due)} tin nhắc." if due else ", không có tin nhắc nào.")
        )

    def _beyond_reach(self) -> str:
        why = (
            f" (các kế hoạch chỉ nói tới ngày {vi_format.day(self.last_planned)}; "
            "xa hơn không còn tin nhắc nào)"
            if self.last_planned
            else ""
        )
        return f"Chỉ tua được đến hết năm {self.reach.year}{why}."


def last_planned_day(cat: Catalog) -> date | None:
    """The last day any plan speaks of: its period, monthly meetings, deadlines and duties."""
    days = []
    for plan in cat.plans.values():
        days.append(plan.period.span.end)
        if plan.monthly_meeting:
            days.append(spans.month_span(*plan.monthly_meeting.end).end)
        days += [
            due.sort_key for due in plan_calendar.dues(plan, plan_calendar.Cell(), audience=None)
        ]
    return max(days, default=None)


def interactive(stream: object) -> bool:
    """A person at a terminal (prompt and line editing), not a pipe or a file."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def typed_lines(stream: Iterable[str], ask: Callable[[str], str] = input) -> Iterator[str]:
    """The lines to run: straight from a pipe; at a terminal, asked for with a "> " prompt."""
    if not interactive(stream):
        yield from stream
        return
    with contextlib.suppress(ImportError):  # not on every platform; the prompt works without it
        import readline  # noqa: F401  (importing it gives input() line editing and history)
    while True:
        try:
            yield ask(PROMPT)
        except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C: leave on a fresh line
            print()
            return


def _target(spec: str, now: datetime) -> datetime | str:
    if not spec:
        return "Gõ /tua kèm thời điểm, ví dụ: /tua 2022-08-01T08:00, /tua ngày mai 8h, /tua 3 ngày nữa."
    try:
        target = parse_moment(spec)
    except ValueError:
        when = vi_dates.parse(spec, now)
        if isinstance(when, vi_dates.NotUnderstood):
            return f"Không hiểu thời điểm: {when.message}."
        at = when.at or now.time().replace(second=0, microsecond=0)
        target = datetime.combine(when.start, at, tzinfo=now.tzinfo)
    if target <= now:
        return "Chỉ tua được về phía trước."
    return target
