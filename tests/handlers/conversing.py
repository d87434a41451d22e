"""One chat with the bot, as a secretary has it: the real `handlers.conversation.Conversation` on
the shipped catalog over a MemoryStore, at a time the test gives. What the tests of handlers/ share
(as the `chat` fixture, tests/handlers/conftest.py) and what the corpus checker (corpus_v2.py)
asks through."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import TZ
from handlers.conversation import Conversation
from handlers.state import MemoryStore, Subscription
from handlers.types import Incoming, Reply, UserRef
from schedules.catalog import Catalog
from schedules.meetings import parse_rule

NOW = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)
RULE = "ngày 5 hằng tháng"  # the meeting rule of a chat that follows a plan, unless told
SAVE = "set:save"  # the data of “✅ Lưu” under a settings change read back
BOSS = UserRef("test", "boss")  # the bot's own admin, for the commands only an operator may use


def moment(when: str | datetime) -> datetime:
    """An ISO date and time (Vietnam's time unless it says otherwise), or a datetime as it is."""
    if isinstance(when, datetime):
        return when
    parsed = datetime.fromisoformat(when)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=TZ)


def labels(replies: Reply | list[Reply]) -> list[str]:
    """The labels of the buttons under a reply (or under each of several), in order."""
    replies = [replies] if isinstance(replies, Reply) else replies
    return [b.label for r in replies for row in r.buttons for b in row]


def data(replies: Reply | list[Reply]) -> list[str]:
    """What the buttons under a reply (or under each of several) send when pressed."""
    replies = [replies] if isinstance(replies, Reply) else replies
    return [b.data for r in replies for row in r.buttons for b in row]


class Chat:
    """A chat (`test`, "1") and its user "u1". Each message is handled at `now` unless the call
    says `at=`; what it got back is kept in `replies` (and the last reply in `last`)."""

    platform = "test"

    def __init__(
        self,
        catalog: Catalog,
        now: datetime = NOW,
        chat_id: str = "1",
        user: str = "u1",
        group: bool = False,
        admin: bool = True,
    ) -> None:
        self.catalog, self.now = catalog, now
        self.chat_id, self.user, self.group, self.admin = chat_id, user, group, admin
        self.bot_admins: set[UserRef] = {BOSS}
        self.store = MemoryStore()
        self.conversation = Conversation(catalog, self.store, bot_admins=self.bot_admins)
        self.replies: list[Reply] = []
        self.last: Reply | None = None

    def at(self, when: str | datetime) -> Chat:
        """Messages from now on are sent at `when`."""
        self.now = moment(when)
        return self

    def fresh(self) -> Chat:
        """Forget everything: a new store and conversation, as a chat the bot never saw."""
        self.store = MemoryStore()
        self.conversation = Conversation(self.catalog, self.store, bot_admins=self.bot_admins)
        self.replies, self.last = [], None
        return self

    def restart(self) -> Chat:
        """A new conversation over the same store, as after the bot restarted."""
        self.conversation = Conversation(self.catalog, self.store, bot_admins=self.bot_admins)
        return self

    def group_chat(self, chat_id: str, admin: bool = True, user: str = "u1") -> Chat:
        """From now on a group chat `chat_id`, its messages from `user` (a group admin or not)."""
        self.chat_id, self.group, self.admin, self.user = chat_id, True, admin, user
        return self

    def follows(
        self,
        *plans: str,
        rule: str | None = RULE,
        cell: str | None = None,
        dates: dict[str, str] | None = None,
        **fields: Any,
    ) -> Subscription:
        """A fresh chat that already follows `plans` (a meeting rule and a cell as given); the
        subscription is put in the store as it is, without asking the conversation."""
        self.fresh()
        sub = Subscription(
            self.platform,
            self.chat_id,
            plans,
            cell_name=cell,
            meeting_rule=parse_rule(rule) if rule else None,
            cell_dates=dict(dates or {}),
            is_group=fields.pop("is_group", self.group),
            **fields,
        )
        self.group = sub.is_group
        return self.seed(sub)

    def seed(self, sub: Subscription) -> Subscription:
        """A fresh chat whose stored subscription is `sub`."""
        self.fresh()
        assert (sub.platform, sub.chat_id) == (self.platform, self.chat_id), sub.key
        self.group = sub.is_group
        self.store._subs[sub.key] = sub  # noqa: SLF001 — seeding the memory store directly
        return sub

    @property
    def sub(self) -> Subscription | None:
        """The chat as it is stored now."""
        return self.store.get(self.platform, self.chat_id)

    async def send(
        self,
        text: str = "",
        *,
        callback: str | None = None,
        at: str | datetime | None = None,
        user: str | None = None,
        admin: bool | None = None,
        addressed: bool = True,
    ) -> list[Reply]:
        """A message (or, with `callback`, a button press) from the user; every reply to it."""
        msg = Incoming(
            self.platform,
            self.chat_id,
            user or self.user,
            text=text or "",
            callback=callback,
            is_group=self.group,
            addressed=addressed,
            is_group_admin=self.admin if admin is None else admin,
        )
        self.replies = await self.conversation.handle(msg, moment(at) if at else self.now)
        if self.replies:
            self.last = self.replies[-1]
        return self.replies

    async def __call__(self, text: str = "", **kw: Any) -> str:
        """The text of every reply to `text`, one after the other."""
        return "\n".join(r.text for r in await self.send(text, **kw))

    async def reply(self, text: str = "", **kw: Any) -> Reply:
        """The one reply to `text`."""
        replies = await self.send(text, **kw)
        assert len(replies) == 1, [r.text for r in replies]
        return replies[0]

    async def text(self, text: str = "", **kw: Any) -> str:
        """The text of the one reply to `text`."""
        return (await self.reply(text, **kw)).text

    async def press(self, button: str, under: Reply | None = None, **kw: Any) -> Reply:
        """Press a button under `under` (the last reply by default), named by what it sends or by
        a part of its label; the one reply to the press."""
        shown = under or self.last
        assert shown is not None, "nothing to press: no reply yet"
        found = [b.data for row in shown.buttons for b in row if b.data == button]
        found = found or [b.data for row in shown.buttons for b in row if button in b.label]
        assert len(found) == 1, (button, labels(shown))
        return await self.reply(callback=found[0], **kw)

    async def ask(
        self, plan: str, text: str, at: str, cell: str | None = None, **dates: str
    ) -> Reply:
        """A question from a chat that follows `plan` (the meeting rule RULE, `cell`, and the
        cell's own days given as keywords, `hoi_nghi_chuyen_de="2022-09-15"`), asked at `at`:
        its one reply, and the chat's plans as they were."""
        self.follows(plan, cell=cell, dates={k.replace("_", "-"): v for k, v in dates.items()})
        reply = await self.reply(text, at=at)
        assert self.sub is not None and self.sub.plan_ids == (plan,)  # nothing changed
        return reply

    async def says(
        self, plan: str, text: str, when: str, said: list[str], never: list[str]
    ) -> None:
        """The reply to `text` (sent at `when`, to the minute) holds every `said`, no `never`."""
        reply = await self.ask(plan, text, f"{when}:00")
        assert [s for s in said if s not in reply.text] == [], reply.text
        assert [s for s in never if s in reply.text] == [], reply.text
