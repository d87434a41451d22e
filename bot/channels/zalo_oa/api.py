"""A thin async client for the Zalo Official Account Open API, on httpx.

No maintained Python SDK exists for the OA API, so this is our own, kept to what the channel uses:
the OAuth v4 token endpoint, the consultation message ("tin tư vấn") with text and buttons, the
template message, and the webhook's signature. Rate limits, retries, the interaction window and
the token's life belong to the channel (bot/channels/zalo_oa/channel.py, tokens.py, window.py).

What the platform documents and what integrations report (sources in docs/design.md):
- OAuth: ``POST {oauth}/v4/oa/access_token``, header ``secret_key: <app secret>``, form
  ``app_id``, ``grant_type`` (``authorization_code`` with ``code`` and ``code_verifier``, or
  ``refresh_token`` with ``refresh_token``). Answer ``{access_token, refresh_token, expires_in}``
  (seconds, as a string or a number). A refresh token is single-use: each refresh returns a new
  pair and the old refresh token is dead. The permission page is
  ``{oauth}/v4/oa/permission?app_id=…&redirect_uri=…&code_challenge=…&state=…``.
- Every OpenAPI answer is HTTP 200 with ``{error, message, data}``; ``error`` 0 is success and a
  negative number is the failure: −216 access token invalid, −220 access token expired, −32 rate
  limited, −230 the user has not interacted with the OA for 7 days, −213 the user does not follow
  the OA (or blocked it), −201 a bad parameter (a text too long among them).
- ``POST {api}/v3.0/oa/message/cs`` (header ``access_token``): ``{recipient: {user_id}, message:
  {text, attachment?: {type: "template", payload: {buttons: [{title, type: "oa.query.show",
  payload}]}}}}``; text up to 2,000 characters, up to 5 buttons, a title up to 100 characters and
  an ``oa.query.show`` payload up to 1,000; tapping such a button sends its payload to the OA as
  if the user typed it (a new interaction). ``data`` holds ``message_id`` and, on some answers,
  ``quota_type`` (``reply``: inside the free 48 h / 8-message frame; others: paid).
- ``POST {api}/v3.0/oa/message/template``: an approved ZBS template to one user,
  ``{recipient: {user_id}, message: {attachment: {type: "template", payload: {template_id,
  template_data}}}}``; ``template_data`` maps each of the template's parameter names to a string
  (as ZBS resellers document a template's parameters: a name, required or not, a maximum length).
- ``POST {api}/v3.0/oa/group/message``: a text to a group chat the OA owns (GMF),
  ``{recipient: {group_id}, message: {text}}``; not bound to a user's interaction window.
- Webhook deliveries carry ``X-ZEvent-Signature: mac=<hex>``, the hex SHA-256 of
  ``app_id + raw body + timestamp + OA secret key`` (``timestamp`` from the body), as many
  integrations report.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from bot.channels.outbox import Transient

DEFAULT_API_BASE = "https://openapi.zalo.me"
DEFAULT_OAUTH_BASE = "https://oauth.zaloapp.com"
SIGNATURE_HEADER = "X-ZEvent-Signature"
MAX_TEXT = 2000
MAX_BUTTONS = 5
MAX_TITLE = 100
MAX_PAYLOAD = 1000

TOKEN_INVALID = -216
TOKEN_EXPIRED = -220
RATE_LIMITED = -32
NO_INTERACTION = -230  # no interaction in 7 days: only a template message can reach the user
NOT_FOLLOWER = -213
BAD_PARAMETER = -201
TOKEN_ERRORS = (TOKEN_INVALID, TOKEN_EXPIRED)

# A refresh token lives about three months; the access token about 25 hours
REFRESH_LIFETIME = timedelta(days=90)


class OAError(Exception):
    """The platform refused a call: its negative `error` and its message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo OA error {code}: {message}")
        self.code = code
        self.message = message


class OAuthError(Exception):
    """The token endpoint refused a code or a refresh token."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo OAuth error {code}: {message}")
        self.code = code


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires: datetime
    refresh_expires: datetime

    def to_dict(self) -> dict[str, str]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "access_expires": self.access_expires.isoformat(),
            "refresh_expires": self.refresh_expires.isoformat(),
        }

    @classmethod
    def from_dict(cls, raw: Any) -> TokenPair | None:
        if not isinstance(raw, dict):
            return None
        try:
            return cls(
                str(raw["access_token"]),
                str(raw["refresh_token"]),
                datetime.fromisoformat(raw["access_expires"]),
                datetime.fromisoformat(raw["refresh_expires"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class QueryButton:
    """A button that sends `payload` back to the OA as if typed."""

    title: str
    payload: str


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    quota_type: str  # "reply" inside the free frame; "" when the platform did not say


def signature(app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    data = app_id.encode() + body + timestamp.encode() + secret_key.encode()
    return hashlib.sha256(data).hexdigest()


def verify_signature(headers: Mapping[str, str], body: bytes, app_id: str, secret_key: str) -> bool:
    """The delivery's X-ZEvent-Signature against the body, compared in constant time."""
    given = headers.get(SIGNATURE_HEADER, "").strip()
    given = given.removeprefix("mac=").strip()
    try:
        timestamp = str(json.loads(body).get("timestamp", ""))
    except (ValueError, AttributeError):
        return False
    expected = signature(app_id, body, timestamp, secret_key)
    return bool(given) and hmac.compare_digest(given.lower(), expected)


def permission_url(
    oauth_base: str, app_id: str, redirect_uri: str, challenge: str, state: str
) -> str:
    query = httpx.QueryParams(
        app_id=app_id, redirect_uri=redirect_uri, code_challenge=challenge, state=state
    )
    return f"{oauth_base}/v4/oa/permission?{query}"


class ZaloOAAPI:
    def __init__(
        self,
        app_id: str,
        app_secret: str,
        api_base: str = DEFAULT_API_BASE,
        oauth_base: str = DEFAULT_OAUTH_BASE,
        timeout: float = 15.0,
    ) -> None:
        self.app_id = app_id
        self._app_secret = app_secret
        self.api_base = api_base.rstrip("/")
        self.oauth_base = oauth_base.rstrip("/")
        self._http = httpx.AsyncClient(timeout=timeout)

    def __repr__(self) -> str:
        return f"ZaloOAAPI(app_id={self.app_id!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- OAuth v4 -------------------------------------------------------------------------------

    async def exchange_code(self, code: str, verifier: str, now: datetime) -> TokenPair:
        return await self._token(
            {"code": code, "grant_type": "authorization_code", "code_verifier": verifier}, now
        )

    async def refresh(self, refresh_token: str, now: datetime) -> TokenPair:
        return await self._token(
            {"refresh_token": refresh_token, "grant_type": "refresh_token"}, now
        )

    async def _token(self, form: dict[str, str], now: datetime) -> TokenPair:
        url = f"{self.oauth_base}/v4/oa/access_token"
        body = await self._post(
            url, {"secret_key": self._app_secret}, data={"app_id": self.app_id, **form}
        )
        access, refresh = body.get("access_token"), body.get("refresh_token")
        if not access or not refresh:
            code = _int(body.get("error"), -1)
            raise OAuthError(code, str(body.get("error_description") or body.get("message") or ""))
        seconds = _int(body.get("expires_in"), 90_000)
        return TokenPair(
            str(access), str(refresh), now + timedelta(seconds=seconds), now + REFRESH_LIFETIME
        )

    # -- messages -------------------------------------------------------------------------------

    async def send_text(
        self,
        access_token: str,
        user_id: str,
        text: str,
        buttons: tuple[QueryButton, ...] = (),
    ) -> SentMessage:
        message: dict[str, Any] = {"text": text}
        if buttons:
            message["attachment"] = {
                "type": "template",
                "payload": {
                    "buttons": [
                        {
                            "title": b.title[:MAX_TITLE],
                            "type": "oa.query.show",
                            "payload": b.payload[:MAX_PAYLOAD],
                        }
                        for b in buttons[:MAX_BUTTONS]
                    ]
                },
            }
        return await self._message(
            access_token, "message/cs", {"recipient": {"user_id": user_id}, "message": message}
        )

    async def send_template(
        self, access_token: str, user_id: str, template_id: str, data: dict[str, str]
    ) -> SentMessage:
        payload = {
            "recipient": {"user_id": user_id},
            "message": {
                "attachment": {
                    "type": "template",
                    "payload": {"template_id": template_id, "template_data": data},
                }
            },
        }
        return await self._message(access_token, "message/template", payload)

    async def send_group_text(self, access_token: str, group_id: str, text: str) -> SentMessage:
        payload = {"recipient": {"group_id": group_id}, "message": {"text": text}}
        return await self._message(access_token, "group/message", payload)

    async def _message(self, access_token: str, path: str, payload: dict[str, Any]) -> SentMessage:
        url = f"{self.api_base}/v3.0/oa/{path}"
        body = await self._post(url, {"access_token": access_token}, json_body=payload)
        code = _int(body.get("error"), 0)
        if code != 0:
            raise OAError(code, str(body.get("message", "")))
        data = body.get("data")
        data = data if isinstance(data, dict) else {}
        return SentMessage(str(data.get("message_id", "")), str(data.get("quota_type", "")))

    async def _post(
        self,
        url: str,
        headers: dict[str, str],
        data: dict[str, str] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            response = await self._http.post(url, headers=headers, data=data, json=json_body)
        except httpx.HTTPError as e:  # without its request: the headers carry the token
            raise Transient(f"Zalo OA unreachable ({type(e).__name__})") from None
        if response.status_code >= 500:
            raise Transient(f"Zalo OA answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise Transient(f"Zalo OA answered HTTP {response.status_code} without JSON") from None
        return body if isinstance(body, dict) else {}


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
