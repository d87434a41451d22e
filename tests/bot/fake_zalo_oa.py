"""A fake Zalo Official Account platform on 127.0.0.1: the OAuth v4 token endpoint, the OA Open
API's consultation message, and signed webhook deliveries, following the platform's documentation
and what integrations report (see bot/channels/zalo_oa/api.py and docs/design.md).

- OAuth: ``POST /v4/oa/access_token`` with header ``secret_key`` and form ``app_id``,
  ``grant_type``, ``code`` + ``code_verifier`` or ``refresh_token``. A code is single-use and checked
  against its PKCE challenge; a refresh token is single-use (a refresh kills it) and expires after
  90 days; an access token after `access_lifetime` (25 h). Failures come as HTTP 200 with a
  negative ``error`` and no token.
- ``POST /v3.0/oa/message/cs`` with header ``access_token``: −216 unknown token, −220 expired,
  −32 over the per-minute rate, −213 not a follower, −230 no interaction for 7 days, −201 a text
  over 2,000 characters or more than 5 buttons or a bad button. Inside 48 h of the user's last
  interaction the first 8 messages are free (``quota_type: reply``); after, up to 7 days, paid
  (``purchase_quota``, 55 đ each, summed in `cost`).
- ``POST /v3.0/oa/message/template``: an approved ZBS template (`templates`: id → its required
  parameters) to a follower, whatever the window; −201 for an unknown template or a required
  parameter missing or empty; 200 đ each, summed in `cost`, kept in `template_sends`.
- ``POST /v3.0/oa/group/message`` to a group chat the OA owns (`groups`): free, no window;
  −201 for a group the OA does not own or a text over 2,000 characters.
- Deliveries: `say`, `tap`, `follow` post the event to the bot's webhook, signed
  ``mac=sha256(app_id + body + timestamp + OA secret key)``; each is an interaction. `tap` only
  works for a button on the last message the user received, as on the phone. `say_in_group`
  posts a member's `user_send_group_text` (the group named as ``recipient.id``), which is no
  interaction with the OA's 1:1 window.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp
from aiohttp import web

from bot.channels.zalo_oa.api import SIGNATURE_HEADER, signature
from tests.bot.fake_server import FakeServer

APP_ID = "1234567890123456789"
APP_SECRET = "AppSecret-abcdefghij0123"
SECRET_KEY = "OaSecretKey-klmnopqrst4567"
FREE_WINDOW = timedelta(hours=48)
FREE_MESSAGES = 8
PAID_WINDOW = timedelta(days=7)
PRICE = 55
TEMPLATE_PRICE = 200


@dataclass
class OASent:
    user_id: str
    text: str
    buttons: list[dict]
    quota_type: str


@dataclass
class TemplateSent:
    user_id: str
    template_id: str
    data: dict[str, str]


@dataclass
class User:
    follower: bool = True
    last: datetime | None = None
    free_used: int = 0


@dataclass
class FakeOA(FakeServer):
    now: Callable[[], datetime]
    access_lifetime: timedelta = timedelta(hours=25)
    refresh_lifetime: timedelta = timedelta(days=90)
    rate_per_min: int = 100
    refresh_delay: float = 0.05  # how long a refresh takes: long enough for a rival to arrive
    sent: list[OASent] = field(default_factory=list)
    refreshes: int = 0
    refused_refreshes: int = 0
    cost: int = 0
    paid: int = 0
    rate_limited: int = 0
    users: dict[str, User] = field(default_factory=dict)
    templates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → required params
    template_sends: list[TemplateSent] = field(default_factory=list)
    groups: set[str] = field(default_factory=set)  # group chats the OA owns
    webhook_url: str = ""
    deliveries: list[int] = field(default_factory=list)  # the bot's HTTP status for each

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self.access: dict[str, datetime] = {}  # token → expiry
        self.refresh_tokens: dict[str, datetime] = {}
        self.codes: dict[str, str] = {}  # code → PKCE challenge
        self._requests: deque[datetime] = deque()
        FakeServer.__init__(self)  # a dataclass's own __init__ does not call it
        self._http: aiohttp.ClientSession | None = None

    # -- server ---------------------------------------------------------------------------------

    async def start(self) -> FakeOA:
        app = web.Application()
        app.router.add_post("/v4/oa/access_token", self._token)
        app.router.add_post("/v3.0/oa/message/cs", self._cs)
        app.router.add_post("/v3.0/oa/message/template", self._template)
        app.router.add_post("/v3.0/oa/group/message", self._group)
        await self.serve(app)
        self._http = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        await self.close()

    # -- OAuth ----------------------------------------------------------------------------------

    def authorize(self, verifier: str) -> str:
        """The operator approved the permission page: a code for this PKCE verifier's challenge."""
        code = f"code-{next(self._ids)}"
        digest = hashlib.sha256(verifier.encode()).digest()
        self.codes[code] = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        return code

    def issue(self) -> dict:
        n = next(self._ids)
        access, refresh = f"access-{n:06d}-xyz", f"refresh-{n:06d}-xyz"
        self.access[access] = self.now() + self.access_lifetime
        self.refresh_tokens[refresh] = self.now() + self.refresh_lifetime
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": str(int(self.access_lifetime.total_seconds())),
        }

    def revoke_access(self) -> None:
        """Every access token dies (as when the OA's admin revokes the App)."""
        self.access.clear()

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if request.headers.get("secret_key") != APP_SECRET or form.get("app_id") != APP_ID:
            return web.json_response({"error": -14001, "error_description": "Invalid app"})
        if form.get("grant_type") == "authorization_code":
            challenge = self.codes.pop(str(form.get("code")), None)
            verifier = str(form.get("code_verifier", ""))
            digest = hashlib.sha256(verifier.encode()).digest()
            if (
                challenge is None
                or challenge != base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            ):
                return web.json_response({"error": -14003, "error_description": "Invalid code"})
            return web.json_response(self.issue())
        if form.get("grant_type") == "refresh_token":
            expires = self.refresh_tokens.pop(str(form.get("refresh_token")), None)  # single-use
            if expires is None or expires <= self.now():
                self.refused_refreshes += 1
                return web.json_response(
                    {"error": -14014, "error_description": "Invalid refresh token"}
                )
            await asyncio.sleep(self.refresh_delay)
            self.refreshes += 1
            return web.json_response(self.issue())
        return web.json_response({"error": -14002, "error_description": "Invalid grant_type"})

    # -- sending --------------------------------------------------------------------------------

    def _error(self, code: int, message: str) -> web.Response:
        return web.json_response({"error": code, "message": message})

    def _admit(self, request: web.Request) -> web.Response | None:
        """The access token and the per-minute rate, as every OpenAPI call checks them."""
        now = self.now()
        token = request.headers.get("access_token", "")
        if token not in self.access:
            return self._error(-216, "Access token is invalid")
        if self.access[token] <= now:
            return self._error(-220, "Access token has expired")
        while self._requests and now - self._requests[0] >= timedelta(minutes=1):
            self._requests.popleft()
        if len(self._requests) >= self.rate_per_min:
            self.rate_limited += 1
            return self._error(-32, "Exceed rate limit")
        self._requests.append(now)
        return None

    def _success(self, **data: str) -> web.Response:
        return web.json_response(
            {
                "error": 0,
                "message": "Success",
                "data": {"message_id": f"m{next(self._ids)}", **data},
            }
        )

    async def _template(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        body = await request.json()
        user_id = str(body.get("recipient", {}).get("user_id", ""))
        payload = body.get("message", {}).get("attachment", {}).get("payload", {})
        template, data = str(payload.get("template_id", "")), payload.get("template_data", {})
        if template not in self.templates:
            return self._error(-201, "Template not found")
        if not isinstance(data, dict) or any(
            not str(data.get(name, "")).strip() for name in self.templates[template]
        ):
            return self._error(-201, "Template data is missing a required parameter")
        user = self.users.get(user_id)
        if user is None or not user.follower:
            return self._error(-213, "User has not followed the OA")
        self.cost += TEMPLATE_PRICE
        self.template_sends.append(TemplateSent(user_id, template, dict(data)))
        return self._success(user_id=user_id)

    async def _group(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        body = await request.json()
        group_id = str(body.get("recipient", {}).get("group_id", ""))
        text = body.get("message", {}).get("text", "")
        if group_id not in self.groups:
            return self._error(-201, "Group not found")
        if not 0 < len(text) <= 2000:
            return self._error(-201, "Text length must be 1-2000")
        self.sent.append(OASent(group_id, text, [], "group"))
        return self._success(group_id=group_id)

    async def _cs(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        now = self.now()
        body = await request.json()
        user_id = str(body.get("recipient", {}).get("user_id", ""))
        message = body.get("message", {})
        text = message.get("text", "")
        buttons = message.get("attachment", {}).get("payload", {}).get("buttons", [])
        if not 0 < len(text) <= 2000:
            return self._error(-201, "Text length must be 1-2000")
        if len(buttons) > 5 or any(
            b.get("type") != "oa.query.show"
            or not 0 < len(b.get("title", "")) <= 100
            or not 0 < len(b.get("payload", "")) <= 1000
            for b in buttons
        ):
            return self._error(-201, "Invalid buttons")
        user = self.users.get(user_id)
        if user is None or not user.follower:
            return self._error(-213, "User has not followed the OA")
        since = now - user.last if user.last is not None else None
        if since is None or since >= PAID_WINDOW:
            return self._error(-230, "User has not interacted with the OA in the last 7 days")
        if since < FREE_WINDOW and user.free_used < FREE_MESSAGES:
            user.free_used += 1
            quota = "reply"
        else:
            quota = "purchase_quota"
            self.paid += 1
            self.cost += PRICE
        self.sent.append(OASent(user_id, text, buttons, quota))
        return web.json_response(
            {
                "error": 0,
                "message": "Success",
                "data": {
                    "message_id": f"m{next(self._ids)}",
                    "user_id": user_id,
                    "quota_type": quota,
                },
            }
        )

    # -- deliveries -----------------------------------------------------------------------------

    def _interacted(self, user_id: str) -> None:
        user = self.users.setdefault(user_id, User())
        user.follower, user.last, user.free_used = True, self.now(), 0

    def event(self, name: str, user_id: str, text: str = "") -> dict:
        stamp = str(int(self.now().timestamp() * 1000))
        if name in ("follow", "unfollow"):
            return {
                "app_id": APP_ID,
                "event_name": name,
                "timestamp": stamp,
                "follower": {"id": user_id},
                "oa_id": "5790000000000000001",
            }
        return {
            "app_id": APP_ID,
            "event_name": name,
            "timestamp": stamp,
            "sender": {"id": user_id},
            "recipient": {"id": "5790000000000000001"},
            "message": {"text": text, "msg_id": f"msg{next(self._ids):08d}"},
            "user_id_by_app": "979122185046046317",
        }

    async def deliver(self, payload: dict, secret_key: str = SECRET_KEY) -> int:
        body = json.dumps(payload, ensure_ascii=False).encode()
        mac = signature(APP_ID, body, payload["timestamp"], secret_key)
        assert self._http is not None
        async with self._http.post(
            self.webhook_url,
            data=body,
            headers={SIGNATURE_HEADER: f"mac={mac}", "Content-Type": "application/json"},
        ) as response:
            self.deliveries.append(response.status)
            return response.status

    async def say(self, user_id: str, text: str) -> dict:
        self._interacted(user_id)
        payload = self.event("user_send_text", user_id, text)
        await self.deliver(payload)
        return payload

    async def tap(self, user_id: str, title: str) -> dict:
        """Tap a button of the last message the user received: its payload comes as typed."""
        last = next(s for s in reversed(self.sent) if s.user_id == user_id)
        button = next(b for b in last.buttons if b["title"] == title)
        return await self.say(user_id, button["payload"])

    async def say_in_group(self, group_id: str, user_id: str, text: str) -> dict:
        payload = self.event("user_send_group_text", user_id, text)
        payload["recipient"] = {"id": group_id}
        await self.deliver(payload)
        return payload

    async def follow(self, user_id: str) -> None:
        self._interacted(user_id)
        await self.deliver(self.event("follow", user_id))

    def to(self, user_id: str) -> list[OASent]:
        return [s for s in self.sent if s.user_id == user_id]

    async def wait_sent(self, user_id: str, count: int, timeout: float = 20.0) -> list[OASent]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.to(user_id)) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(
                    f"{len(self.to(user_id))} messages to {user_id}, wanted {count}: {self.to(user_id)}"
                )
            await asyncio.sleep(0.01)
        return self.to(user_id)
