"""A channel's monthly allowance of outgoing messages (Zalo's free tier: reported 3,000 a month).

Sends are counted per calendar month (Vietnam time) in the store's runtime state. At 80% the
admins are warned once; at the limit, messages are held — the outbox reports them "held", the
scheduler keeps those chats behind, so a deadline reminder is delivered (folded into a summary if
late) when the allowance returns, never dropped silently — and each held message is logged.
The count is written every few sends rather than on every one (a store write per message would
slow the fan-out): a crash can forget at most SAVE_EVERY - 1 sends, erring on the generous side.

The platform may count differently (its answer is a JSON 429 "Quota exceeded"): that refusal holds
the month exactly as our own count at the limit does, saved with the month's count so a restart
holds too; one send is let through every PROBE_EVERY to learn whether the platform has room again
(a few attempts a day, never one every few seconds).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.channels.outbox import Held
from handlers.state import Store

log = logging.getLogger(__name__)

SAVE_EVERY = 10
WARN_AT = 0.8
PROBE_EVERY = timedelta(hours=6)

Warn = Callable[[str], Awaitable[None]]


class MonthlyQuota:
    def __init__(
        self,
        platform: str,
        limit: int,
        now: Callable[[], datetime],
        store: Store | None = None,
        *,
        label: str = "Zalo",
    ) -> None:
        self.platform = platform  # the key its count is stored under: one per bot
        self.label = label  # how /tinhhinh names the bot
        self.limit = limit  # 0: no limit
        self.now = now
        self.store = store
        self.on_warn: Warn | None = None
        self._month = ""
        self._used = 0
        self._warned = False
        self.held_chats: set[str] = set()  # chats with a message held this month
        self.refused_at: datetime | None = None  # the platform's "Quota exceeded" this month

    def _key(self, month: str) -> str:
        return f"{self.platform}:quota:{month}"

    def _roll(self) -> None:
        month = self.now().strftime("%Y-%m")
        if month == self._month:
            return
        saved = self.store.runtime(self._key(month)) if self.store is not None else None
        saved = saved if isinstance(saved, dict) else {}
        self._month = month
        self._used = int(saved.get("used", 0))
        self._warned = bool(saved.get("warned", False))
        self.held_chats = set(saved.get("held_chats", []))
        refused = saved.get("refused_at")
        self.refused_at = datetime.fromisoformat(refused) if isinstance(refused, str) else None

    @property
    def used(self) -> int:
        self._roll()
        return self._used

    @property
    def held(self) -> int:
        return len(self.held_chats)

    def reserve(self, chat_id: str) -> None:
        """Take one message of this month's allowance before sending (sends run side by side,
        so checking and counting must be one step), or raise Held when none is left (logged
        once per chat and month: a held chat is tried again every tick)."""
        self._roll()
        refused = self.refused_at is not None and self.now() - self.refused_at < PROBE_EVERY
        if refused or (self.limit and self._used >= self.limit):
            first = chat_id not in self.held_chats
            self.held_chats.add(chat_id)
            if first:
                log.warning(
                    "%s: hết hạn mức %s tin tháng %s; tin tới %s được giữ lại, gửi khi sang tháng "
                    "hoặc khi nâng hạn mức (%d chat đang chờ)",
                    self.platform,
                    "của nền tảng" if refused else self.limit,
                    self._month,
                    chat_id,
                    len(self.held_chats),
                )
            raise Held(f"{self.platform}: monthly allowance used up")
        self._used += 1

    def release(self) -> None:
        """The reserved message was not sent after all."""
        self._used = max(0, self._used - 1)

    async def refused(self, chat_id: str) -> None:
        """The platform answered "Quota exceeded": the message is held, and so is the rest of
        the month (but for a probe now and then); saved at once, logged once."""
        self.release()
        first = self.refused_at is None
        self.refused_at = self.now()
        self.held_chats.add(chat_id)
        if first:
            log.warning(
                "%s: nền tảng báo hết hạn mức tháng %s (đã gửi %d tin theo đếm của bot); tin nhắc "
                "được giữ lại, gửi khi sang tháng",
                self.platform,
                self._month,
                self._used,
            )
        await self._save()

    async def sent(self) -> None:
        """A reserved message went out: persist the count now and then, warn at 80%."""
        if self.refused_at is not None:  # a probe went through: the platform has room again
            self.refused_at = None
            await self._save()
        crossed = bool(self.limit) and not self._warned and self._used >= WARN_AT * self.limit
        if crossed:
            self._warned = True
        if crossed or self._used % SAVE_EVERY == 0 or (self.limit and self._used >= self.limit):
            await self._save()
        if crossed:
            text = (
                f"⚠️ Bot đã gửi {self._used}/{self.limit} tin Zalo trong tháng {self._month} "
                f"({self._used * 100 // self.limit}% hạn mức). Khi hết hạn mức, tin nhắc được giữ "
                "lại và gửi khi sang tháng. Có thể nâng hạn mức (gói Zalo Bot trả phí) rồi sửa "
                "CHIBO_ZALO_MONTHLY_LIMIT."
            )
            log.warning("%s", text)
            if self.on_warn is not None:
                await self.on_warn(text)

    async def flush(self) -> None:
        """The count as it stands, written (at a clean stop: nothing is forgotten)."""
        if self._month:
            await self._save()

    async def _save(self) -> None:
        if self.store is not None:
            await self.store.set_runtime(
                self._key(self._month),
                {
                    "used": self._used,
                    "warned": self._warned,
                    "held_chats": sorted(self.held_chats),
                    "refused_at": self.refused_at.isoformat() if self.refused_at else None,
                },
            )

    def status_line(self) -> str:
        self._roll()
        if not self.limit:
            line = f"{self.label}: đã gửi {self._used} tin tháng {self._month} (không đặt hạn mức)."
        else:
            line = f"{self.label}: đã gửi {self._used}/{self.limit} tin tháng {self._month}."
        if self.refused_at is not None:
            line += " ⚠️ Nền tảng Zalo báo hết hạn mức tháng này (lỗi 429 “Quota exceeded”)."
        if self.held_chats:
            line += (
                f" ⚠️ {len(self.held_chats)} chat có tin nhắc đang bị giữ vì hết hạn mức; "
                "tin sẽ gửi khi sang tháng hoặc khi nâng CHIBO_ZALO_MONTHLY_LIMIT."
            )
        return line
