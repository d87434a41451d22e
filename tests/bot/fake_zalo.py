"""A fake Zalo Bot API server on 127.0.0.1, following the platform's documentation.

Speaks getMe, getUpdates (one update per call, consumed when read; an idle poll answers 408 as
HTTP 200 JSON or as HTTP 408; a poll whose client has hung up takes nothing),
sendMessage/sendPhoto/sendSticker/sendChatAction and the three webhook methods, all under
/bot<token>/<method>. A wrong token gets 401. Faults on demand: a share of sends answered 5xx, a
connection reset, a slow answer, and the front proxy's bare HTML 429 when a flood limit (judged by
an injectable clock) is exceeded. Counters for each.

Several bots at once (a pool): `add_bot(token)` gives another token its own queue of updates
and its own record of sends (`bot(token)`), on the same server. Per bot, as the platform's free
plan is reported to behave: a user and group cap (`users_cap`, `groups_cap`: what the platform
does past them is undocumented — "không được phục vụ" — so here a newcomer's messages never reach
the bot, counted in `unserved`: the reason the bot must count, and refuse, first), and the
monthly quota (`quota_exceeded`: every send answered the JSON 429 "Quota exceeded" of the error
table). Faults on getUpdates (`poll_faults`, each consumed by one poll): the proxy's HTML 429, a
JSON 403 "Internal server error", a JSON 500, a body that is not JSON, a reset, a JSON 429.
Group texts as Zalo writes them: `mention(group, user, display name, text)` sends
"@<display name> <text>" (display names must start with "Bot").

Where the docs are silent (what a blocked or unknown chat gets, the too-long-text error's wording),
the answers here are our guess and are configurable: `gone_error`, `too_long_error`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from bot.channels.zalo.api import SECRET_HEADER, utf16_len
from tests.bot.fake_server import FakeServer
from tests.bot.processes import wait_sent

BOT_ID = "1459232241454765289"
TOKEN = f"{BOT_ID}:Zk3x-SECRETsecret_9q7AbCdEfGh"
BOT_NAME = "Bot Trợ lý Chi bộ"
BOT = {
    "id": BOT_ID,
    "account_name": "bot.VDKyGxQvc",
    "account_type": "BASIC",
    "can_join_groups": True,
}

HTML_429 = (
    "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n"
    "<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def hex_id(n: int, width: int = 20) -> str:
    """A Zalo-looking id: hexadecimal, 20 characters."""
    return f"{n:0{width}x}"


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Sent:
    chat_id: str
    text: str
    message_id: str
    method: str = "sendMessage"
    params: dict = field(default_factory=dict)
    at: float = 0.0  # when it was accepted, on the server's clock (`now`)


class FakeZalo(FakeServer):
    def __init__(self, token: str = TOKEN, now=time.monotonic, seed: int = 7) -> None:
        super().__init__()
        self.token = token
        self.bots: dict[str, FakeZalo] = {token: self}  # token -> that bot's state
        self.users_cap = 0  # 0: none; else sends to a private chat past the cap are refused
        self.groups_cap = 0
        self.quota_exceeded = False  # every send answered 429 "Quota exceeded" (JSON)
        self.quota_refusals = 0
        self.poll_faults: list[str] = []  # the next polls' faults, one each
        self.poll_failures = 0
        self.users: set[str] = set()  # who has written to this bot, as the platform counts
        self.groups: set[str] = set()
        self.unserved = 0
        self.now = now  # the clock the flood limit is judged by (simulated in tests)
        self.updates: list[dict] = []
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict]] = []
        self.actions: list[tuple[str, str]] = []
        self.blocked: set[str] = set()
        self.known_chats: set[str] | None = None  # None: any chat id is accepted
        self.webhook: dict = {"url": "", "updated_at": 0}
        self.webhook_secret = ""
        # Where the docs are silent, answers we chose (see the module docstring).
        self.gone_error: tuple[int, str] = (404, "Not found: chat does not exist")
        self.too_long_error: tuple[int, str] = (400, "Bad request: text must be 1-2000 characters")
        self.errors_as_http_status = False  # live: failures come as HTTP 200 with ok=false
        self.idle_as_http_408 = False  # live: both forms are seen
        self.replay_last = False  # hand the last update out once more, as some report
        self.max_poll_wait = 0.2  # real seconds an idle poll is held, whatever timeout says
        # Faults, each counted.
        self.flood_limit: tuple[int, float] | None = None  # (sends, per seconds) overall
        self.fail_rate = 0.0  # share of sends answered 5xx
        self.fail_next = 0  # the next n sends answered 5xx
        self.reset_next = 0  # the next n requests (any method) get the connection closed
        self.slow_next = 0  # the next n requests answered after `slow_seconds`
        self.slow_seconds = 5.0
        # Faults at rates on every send, as the Telegram fake has them: {"5xx": 0.03, "reset":
        # 0.02, "timeout": 0.01, "429": 0.001}; a timeout holds the answer `fault_delay` seconds.
        self.faults: dict[str, float] = {}
        self.faulted: dict[str, int] = {}
        self.fault_delay = 0.8
        self.too_many = 0
        self.failures = 0
        self.resets = 0
        self.slowed = 0
        self.unauthorized = 0
        self.idle_polls = 0
        self.replayed = 0
        self._rng = random.Random(seed)
        self._window: list[float] = []
        self._last: dict | None = None
        self._replay_pending = False
        self._new_update = asyncio.Event()
        self._stopping = asyncio.Event()
        self._ids = itertools.count(0xA1B2C3D4E5F60000)

    # -- server ---------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        return await self.serve(app)

    @property
    def base_url(self) -> str:
        """What ZaloBotAPI takes as base_url (ZALO_API_BASE_URL): up to and including /bot."""
        return f"{self.url}/bot"

    async def stop(self) -> None:
        self._stopping.set()
        self._new_update.set()
        await self.close()

    async def _params(self, request: web.Request) -> dict:
        params: dict = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                with contextlib.suppress(ValueError):
                    body = await request.json()
                    if isinstance(body, dict):
                        params.update(body)
            else:
                params.update(dict(await request.post()))
        return params

    def error(self, code: int, description: str) -> web.Response:
        body = {"ok": False, "error_code": code, "description": description}
        return web.json_response(body, status=code if self.errors_as_http_status else 200)

    def add_bot(self, token: str, account_name: str = "bot.PoolTwo") -> FakeZalo:
        """Another bot on this server: its own updates, sends, caps and faults."""
        other = FakeZalo(token, self.now)
        other.account_name = account_name
        other._stopping = self._stopping
        self.bots[token] = other
        return other

    def bot(self, token: str) -> FakeZalo:
        return self.bots[token]

    account_name = BOT["account_name"]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        target = self.bots.get(request.match_info["token"])
        if target is None:
            self.unauthorized += 1
            return self.error(401, "Unauthorized")
        if target is not self:
            target.calls.append((method, params))
            return await target._serve(request, method, params)
        return await self._serve(request, method, params)

    async def _serve(self, request: web.Request, method: str, params: dict) -> web.StreamResponse:
        if self.reset_next > 0:
            self.reset_next -= 1
            self.resets += 1
            request.transport.close()  # the peer sees the connection drop, no answer at all
            raise asyncio.CancelledError
        if self.slow_next > 0:
            self.slow_next -= 1
            self.slowed += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.slow_seconds)
        if self.faults and method.startswith("send") and method != "sendChatAction":
            fault = await self._fault(request)
            if fault is not None:
                return fault
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return self.error(400, "Bad request: invalid API name")
        if method == "getUpdates" and "api_getUpdates" not in vars(self):  # not a test's own
            result = await self.api_getUpdates(params, request)
        else:
            result = await handler(params)
        if isinstance(result, web.StreamResponse):
            return result
        if result is _NO_RESULT:
            return web.json_response({"ok": True})
        return web.json_response({"ok": True, "result": result})

    async def _fault(self, request: web.Request) -> web.StreamResponse | None:
        """A fault instead of an answer, at the configured rates; nothing is delivered then."""
        roll, edge = self._rng.random(), 0.0
        for kind, rate in self.faults.items():
            edge += rate
            if roll < edge:
                self.faulted[kind] = self.faulted.get(kind, 0) + 1
                if kind == "reset":
                    request.transport.close()
                    raise asyncio.CancelledError
                if kind == "timeout":
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), self.fault_delay)
                    return web.Response(status=504, text="<html>504 Gateway Time-out</html>")
                if kind == "429":
                    self.too_many += 1
                    return web.Response(status=429, text=HTML_429, content_type="text/html")
                return web.Response(status=502, text="<html>502 Bad Gateway</html>")
        return None

    # -- API methods ----------------------------------------------------------------------

    async def api_getMe(self, params):
        return {**BOT, "id": self.token.partition(":")[0], "account_name": self.account_name}

    def _poll_fault(self, request: web.Request) -> web.StreamResponse | None:
        if not self.poll_faults:
            return None
        fault = self.poll_faults.pop(0)
        self.poll_failures += 1
        if fault == "html_429":
            return web.Response(status=429, text=HTML_429, content_type="text/html")
        if fault == "json_403":
            return self.error(403, "Internal server error")
        if fault == "json_500":
            return self.error(500, "Internal server error")
        if fault == "json_429":
            return self.error(429, "Quota exceeded")
        if fault == "not_json":
            return web.Response(
                status=200, text="<html>maintenance</html>", content_type="text/html"
            )
        if fault == "reset":
            request.transport.close()
            raise asyncio.CancelledError
        raise ValueError(fault)

    async def api_getUpdates(self, params, request=None):
        if request is not None and (fault := self._poll_fault(request)) is not None:
            return fault
        try:
            wait = float(params.get("timeout") or 30)
        except (TypeError, ValueError):
            wait = 30.0
        deadline = time.monotonic() + min(wait, self.max_poll_wait)
        while True:
            if self._replay_pending and self._last is not None:
                self._replay_pending = False
                self.replayed += 1
                return self._last
            if request is not None and request.transport is None:
                # the bot that sent this poll has gone (a stop cancels its poll): what is said
                # after that waits for the next poll, as it would for a server that noticed
                return web.Response(status=408, text="Request Timeout")
            if self.updates and not self.webhook["url"]:  # polling is dead while a webhook is set
                update = self.updates.pop(0)  # consumed when read
                self._last = update
                self._replay_pending = self.replay_last
                return update
            if time.monotonic() >= deadline or self._stopping.is_set():
                self.idle_polls += 1
                if self.idle_as_http_408:
                    return web.Response(status=408, text="Request Timeout")
                return web.json_response(
                    {"ok": False, "error_code": 408, "description": "Request timeout"}
                )
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())

    def _refuse_send(self, chat_id: str) -> web.StreamResponse | None:
        """Checks every send method shares: faults first, then the chat."""
        if self.flood_limit:
            count, per = self.flood_limit
            now = self.now()
            self._window = [t for t in self._window if now - t < per]
            if len(self._window) >= count:
                self.too_many += 1  # the front proxy, not the API: HTML, no Retry-After
                return web.Response(status=429, text=HTML_429, content_type="text/html")
            self._window.append(now)
        if self.fail_next > 0 or (self.fail_rate and self._rng.random() < self.fail_rate):
            self.fail_next = max(0, self.fail_next - 1)
            self.failures += 1
            return web.Response(status=502, text="<html>502 Bad Gateway</html>")
        if not chat_id:
            return self.error(400, "Bad request: chat_id is required")
        if self.quota_exceeded:
            self.quota_refusals += 1
            return self.error(429, "Quota exceeded")
        if chat_id in self.blocked or (
            self.known_chats is not None and chat_id not in self.known_chats
        ):
            return self.error(*self.gone_error)
        return None

    def _record(self, method: str, chat_id: str, text: str, params: dict) -> dict:
        message_id = hex_id(next(self._ids))
        self.sent.append(Sent(chat_id, text, message_id, method, params, self.now()))
        return {"message_id": message_id, "date": now_ms()}

    async def api_sendMessage(self, params):
        chat_id = str(params.get("chat_id") or "")
        refusal = self._refuse_send(chat_id)
        if refusal is not None:
            return refusal
        text = params.get("text")
        if not isinstance(text, str) or not 1 <= utf16_len(text) <= 2000:
            return self.error(*self.too_long_error)
        return self._record("sendMessage", chat_id, text, params)

    async def api_sendPhoto(self, params):
        chat_id = str(params.get("chat_id") or "")
        refusal = self._refuse_send(chat_id)
        if refusal is not None:
            return refusal
        if not params.get("photo"):
            return self.error(400, "Bad request: photo is required")
        return self._record("sendPhoto", chat_id, str(params.get("caption") or ""), params)

    async def api_sendSticker(self, params):
        chat_id = str(params.get("chat_id") or "")
        refusal = self._refuse_send(chat_id)
        if refusal is not None:
            return refusal
        return self._record("sendSticker", chat_id, "", params)

    async def api_sendChatAction(self, params):
        chat_id = str(params.get("chat_id") or "")
        refusal = self._refuse_send(chat_id)
        if refusal is not None:
            return refusal
        if params.get("action") not in ("typing", "upload_photo"):
            return self.error(400, "Bad request: invalid action")
        self.actions.append((chat_id, params["action"]))
        return _NO_RESULT  # the docs' sample answer is {"ok": true} alone

    async def api_setWebhook(self, params):
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        parts = urlsplit(url)
        local = parts.hostname in ("127.0.0.1", "localhost")  # https everywhere but in tests
        if not (parts.scheme == "https" or (parts.scheme == "http" and local)):
            return self.error(400, "Bad request: url must be https")
        if not 8 <= len(secret) <= 256:
            return self.error(400, "Bad request: secret_token must be 8-256 characters")
        self.webhook = {"url": url, "updated_at": now_ms()}
        self.webhook_secret = secret
        return self.webhook

    async def api_deleteWebhook(self, params):
        self.webhook = {"url": "", "updated_at": now_ms()}
        self.webhook_secret = ""
        return self.webhook

    async def api_getWebhookInfo(self, params):
        return self.webhook

    # -- updates the tests inject -----------------------------------------------------------

    def _over_cap(self, update: dict) -> bool:
        message = update.get("message")
        chat = message.get("chat") if isinstance(message, dict) else None
        if not isinstance(message, dict) or not isinstance(chat, dict):
            return False  # garbage a test sends on purpose reaches the bot as it is
        group = chat.get("chat_type") == "GROUP"
        members, cap, who = (
            (self.groups, self.groups_cap, chat.get("id"))
            if group
            else (self.users, self.users_cap, (message.get("from") or {}).get("id"))
        )
        if who in members or not cap or len(members) < cap:
            members.add(who)
            return False
        self.unserved += 1
        return True

    def push(self, update: dict) -> dict:
        if self._over_cap(update):
            return update
        self.updates.append(update)
        self._new_update.set()
        return update

    def event(
        self,
        event_name: str,
        chat_id: str,
        user_id: str,
        group: bool = False,
        name: str = "Nguyễn Văn An",
        **message_fields,
    ) -> dict:
        """Enqueue an update in the platform's flat form: {event_name, message}."""
        if self.known_chats is not None:
            self.known_chats.add(chat_id)
        message = {
            "from": {"id": user_id, "display_name": name, "is_bot": False},
            "chat": {"id": chat_id, "chat_type": "GROUP" if group else "PRIVATE"},
            "message_id": hex_id(next(self._ids)),
            "date": now_ms(),
            **message_fields,
        }
        return self.push({"event_name": event_name, "message": message})

    def text(
        self,
        chat_id: str,
        user_id: str,
        text: str,
        group: bool = False,
        name: str = "Nguyễn Văn An",
    ) -> dict:
        return self.event("message.text.received", chat_id, user_id, group, name, text=text)

    def mention(self, group_id: str, user_id: str, display_name: str, text: str) -> dict:
        """A group text addressed to the bot as Zalo writes it: "@<display name> <text>"."""
        return self.text(group_id, user_id, f"@{display_name} {text}", group=True)

    async def deliver_webhook(
        self, url: str, secret: str | None = None, update: dict | None = None
    ) -> int:
        """POST an update (the next queued one by default) flat to a webhook, as Zalo does."""
        if update is None:
            update = self.updates.pop(0)
        secret = self.webhook_secret if secret is None else secret
        headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=json.dumps(update), headers=headers) as response,
        ):
            return response.status

    async def wait_sent(self, count: int, timeout: float = 10.0) -> list[Sent]:
        """Wait (in real time, bounded) until `count` messages in all have been sent."""
        return await wait_sent(self.sent, count, timeout)


_NO_RESULT = object()
