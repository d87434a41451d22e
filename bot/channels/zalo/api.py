"""A thin async client for the Zalo Bot Platform (Zalo Bot Creator bots), on httpx.

Only the platform layer: HTTP calls, update parsing, webhook verification. Rate limits, retries,
numbered choices and message splitting belong to the channel runtime that plugs this in.

What the platform documents (read before writing this):
- https://bot.zaloplatforms.com/docs/ (official; "Tài liệu chính thức", build-your-bot, apis,
  webhook, "Bảng mã lỗi"), mirrored verbatim in public repositories we read:
  github.com/lamdt1/ckvn-bot docs/zalo-bot-doc.md and
  github.com/XuanNguyenNB/QuanLyThuChi_Bot_Telegram_Zalom docs/ZALO_BOT_API.md.
- How public clients call it: github.com/openclaw/openclaw extensions/zalo/src/api.ts,
  monitor.webhook.ts and docs/channels/zalo.md (live reports: webhooks arrive flat, groups not
  available to Marketplace bots yet, 408 on an idle poll).

Facts this module relies on:
- URL ``https://bot-api.zaloplatforms.com/bot<TOKEN>/<method>``, token ``<bot_id>:<secret>``;
  GET and POST, JSON accepted; every answer is ``{ok, result | error_code, description}``.
- getMe -> ``{id, account_name, account_type, can_join_groups}`` (no display name).
- getUpdates(timeout: string seconds, default 30) returns ONE update as ``result`` (not a list);
  it does not work while a webhook is set. An idle poll ends as ``error_code`` 408 (HTTP 200) or as
  HTTP 408. Updates are ``{event_name, message}``, event_name one of message.text.received,
  message.image.received, message.sticker.received, message.unsupported.received (the last also
  stands in for messages from protected accounts, whose content is withheld).
- message: ``message_id`` (hex string), ``date`` (milliseconds), ``chat{id, chat_type PRIVATE |
  GROUP}``, ``from{id, display_name, is_bot}``, ``text``; images ``photo``/``caption``, stickers
  ``sticker``/``url``.
- Groups are "coming soon / internal testing": a bot in a group receives only messages that
  @mention it or reply (quote) to one of its messages; ``chat.id`` is the group. The docs do not
  say how the mention appears in ``text``, so we strip ``@<bot name>`` when we know the name and
  treat every group message as addressed to the bot.
- sendMessage(chat_id, text 1..2000 "ký tự") -> ``{message_id, date}``; sendPhoto(photo URL,
  caption), sendSticker, sendChatAction(action typing | upload_photo) -> ``{ok: true}`` alone.
- setWebhook(url https, secret_token 8..256 chars) -> ``{url, updated_at}``; Zalo echoes the secret
  in the ``X-Bot-Api-Secret-Token`` header. Docs show deliveries inside ``{ok, result}``; live
  deliveries are flat ``{event_name, message}``: we accept both.
- Error table: 400 bad request / bad method, 401 token expired or invalid, 403 "Internal server
  error" (sic), 404 not found, 408 request timeout, 429 "Quota exceeded". Nothing is documented for
  a chat that blocked the bot or no longer exists, nor any numeric rate limit. So a JSON 429 is
  the platform's monthly quota (QuotaExceeded: held, never retried every few seconds), while the
  front proxy's HTML 429 (no JSON body) is a burst refused (RetryLater: a short pause). A 403, a
  5xx, a body that is not the platform's JSON (a proxy's 404 page) are failures to retry; only a
  JSON refusal whose description names the chat as gone marks it so.
- Bot display names must start with "Bot" (Zalo Bot Creator), and in a group a message reaches the
  bot as ``@Bot <display name> …``; getMe gives no display name, so a group text starting with
  ``@Bot`` has its mention removed up to the command (``/…``) that follows, whatever the name.

The token travels in the URL path, so it must never reach an exception text, a repr or a log line:
httpx errors are re-raised without their request, and httpx's own request log is redacted.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn

import httpx

from bot.channels.outbox import Gone, Held, NotSent, RetryLater, Transient
from bot.channels.shaping import utf16_len  # noqa: F401  (re-exported: the platform counts so)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com/bot"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_TEXT_UTF16 = 2000  # the docs say "2000 ký tự"; counting UTF-16 units is the safe reading
# The front proxy answers a burst with a bare HTML 429 and no Retry-After; a few seconds clears it.
DEFAULT_RETRY_AFTER = 3.0

TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
STICKER_EVENT = "message.sticker.received"
UNSUPPORTED_EVENT = "message.unsupported.received"
VOICE_EVENT = "message.voice.received"  # reported live; answered like a sticker

# Send methods: a refusal naming the chat means the chat is gone (blocked us, left, never existed).
# No code for that is documented, so the description decides; a wrong guess would unsubscribe a
# cell, so a 400 needs words about the chat itself, and a 403 may also say it is not allowed.
_SEND_METHODS = {"sendMessage", "sendPhoto", "sendSticker", "sendChatAction"}
_CHAT_GONE = re.compile(
    r"block|chặn|chat not found|user not found|group not found|recipient not found"
    r"|không tồn tại|does ?n[o']t exist|not exist|invalid chat|unknown chat|invalid recipient"
    r"|\bleft\b|removed|kicked|not a member|không phải thành viên|rời nhóm|unfollow",
    re.IGNORECASE,
)


class ZaloError(Exception):
    """A permanent refusal by the Zalo Bot API (the description is the platform's, token-free)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo error {code}: {description}")
        self.code = code
        self.description = description


class QuotaExceeded(Held):
    """A JSON 429 "Quota exceeded": the bot's monthly allowance is used up on the platform's side."""


class InvalidZaloToken(ZaloError):
    """401: the bot token is wrong, reset or expired (the CLI tells the operator in one line)."""

    def __init__(self, description: str = "Unauthorized") -> None:
        super().__init__(401, description)


# -- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZaloBot:
    id: str
    name: str  # display name when the platform gives one, else account_name
    account_name: str = ""
    account_type: str = ""
    can_join_groups: bool = False


@dataclass(frozen=True)
class ZaloUpdate:
    event_name: str
    message_id: str  # hexadecimal; the runtime dedupes on it (updates are sometimes replayed)
    chat_id: str
    chat_type: str  # "PRIVATE" or "GROUP"
    user_id: str
    user_name: str
    text: str  # the text of a text message, the bot's mention removed; "" for other events
    date: datetime | None  # aware (UTC); None when the platform sent no usable date
    mentions_bot: bool = False
    reply_to_bot: bool = False
    from_bot: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_group(self) -> bool:
        return self.chat_type == "GROUP"

    @property
    def is_text(self) -> bool:
        return self.event_name == TEXT_EVENT

    @property
    def addressed(self) -> bool:
        """Private chats always; in a group the platform only delivers mentions and replies."""
        return not self.is_group or self.mentions_bot or self.reply_to_bot


# -- helpers --------------------------------------------------------------------------------


def verify_secret(headers: Mapping[str, str], expected: str) -> bool:
    """True when a webhook request carries our secret (constant-time compare, any header case)."""
    if not expected:
        return False
    got = None
    for key, value in headers.items():
        if key.lower() == SECRET_HEADER.lower():
            got = value
            break
    if not isinstance(got, str):
        return False
    return hmac.compare_digest(got.encode(), expected.encode())


def _str_id(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | str):
        return str(value).strip()
    return ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _date(value: Any) -> datetime | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or number <= 0:  # NaN or nonsense
        return None
    if number < 1e11:  # seconds, not milliseconds: be liberal in what we accept
        number *= 1000
    try:
        return datetime.fromtimestamp(number / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _unwrap(payload: Any) -> list[dict[str, Any]]:
    """The update dicts inside a getUpdates answer or a webhook body, whatever its form."""
    if isinstance(payload, list):
        return [item for p in payload for item in _unwrap(p)]
    if not isinstance(payload, dict):
        return []
    if "event_name" in payload or "message" in payload:
        return [payload]
    if payload.get("ok") is False:
        return []
    if "result" in payload:
        return _unwrap(payload["result"])
    return []


def _strip_mentions(
    text: str, message: dict[str, Any], bot_id: str, bot_names: tuple[str, ...]
) -> tuple[str, bool]:
    """(text without the bot's mentions, whether one was found)."""
    found = False
    # A structured mention list, if the platform ever sends one: drop spans that name the bot.
    spans = []
    for m in message.get("mentions") or []:
        if not isinstance(m, dict):
            continue
        uid = _str_id(m.get("uid", m.get("user_id", m.get("id"))))
        try:
            start, length = int(m["offset"]), int(m["length"])
        except (KeyError, TypeError, ValueError):
            continue
        ours = (bot_id and uid == bot_id) or (not bot_id and start == 0)
        if ours and 0 <= start < len(text) and length > 0 and text[start] == "@":
            spans.append((start, start + length))
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
        found = True
    for name in bot_names:
        if not name:
            continue
        pattern = re.compile(r"@" + re.escape(name.lstrip("@")) + r"(?!\w)", re.IGNORECASE)
        text, count = pattern.subn(" ", text)
        found = found or count > 0
    if not found:  # "@Bot <display name> /command …": the name is unknown, the command is not
        leading = _BOT_MENTION.match(text)
        if leading:
            text, found = text[leading.end() :], True
    if found:
        text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return text, found


# A group mention as Zalo writes it (display names must start with "Bot"), up to a command.
_BOT_MENTION = re.compile(r"\s*@Bot\b[^/\n]{0,80}?(?=/[A-Za-z])", re.IGNORECASE)


def _reply_to_bot(message: dict[str, Any], bot_id: str) -> bool:
    for key in ("reply_to_message", "quote", "quoted_message", "reply_to"):
        quoted = message.get(key)
        if not isinstance(quoted, dict):
            continue
        sender = _dict(quoted.get("from"))
        if sender.get("is_bot") is True or (bot_id and _str_id(sender.get("id")) == bot_id):
            return True
        if not sender:  # in a group the bot is only told of replies to its own messages
            return True
    return False


def parse_update(
    payload: Any, *, bot_id: str = "", bot_names: tuple[str, ...] = ()
) -> ZaloUpdate | None:
    """The first usable update in a getUpdates answer or webhook body; None, never an exception."""
    updates = parse_updates(payload, bot_id=bot_id, bot_names=bot_names)
    return updates[0] if updates else None


def parse_updates(
    payload: Any, *, bot_id: str = "", bot_names: tuple[str, ...] = ()
) -> list[ZaloUpdate]:
    out = []
    for raw in _unwrap(payload):
        try:
            update = _parse_one(raw, bot_id, bot_names)
        except Exception as e:  # odd input must never take the receiving loop down
            update, reason = None, f"{type(e).__name__}: {e}"
        else:
            reason = "no message or no chat"
        if update is None:  # read is confirmed on this platform: logged once, then it is gone
            log.warning("Zalo: an update that cannot be read was skipped (%.120s)", reason)
            continue
        out.append(update)
    return out


def _parse_one(raw: dict[str, Any], bot_id: str, bot_names: tuple[str, ...]) -> ZaloUpdate | None:
    message = _dict(raw.get("message"))
    if not message:
        return None
    sender = _dict(message.get("from")) or _dict(message.get("sender"))
    chat = _dict(message.get("chat"))
    user_id = _str_id(sender.get("id"))
    chat_id = _str_id(chat.get("id")) or user_id  # a private chat's id is the user's
    if not chat_id:
        return None
    chat_type = str(chat.get("chat_type") or chat.get("type") or "PRIVATE").upper()
    chat_type = "GROUP" if chat_type in ("GROUP", "GROUPS", "SUPERGROUP") else "PRIVATE"
    event = raw.get("event_name")
    text_value = message.get("text")
    if not isinstance(event, str) or not event:
        event = TEXT_EVENT if isinstance(text_value, str) else UNSUPPORTED_EVENT
    text = text_value if event == TEXT_EVENT and isinstance(text_value, str) else ""
    name = next(
        (
            v.strip()
            for v in (sender.get(k) for k in ("display_name", "name", "first_name"))
            if isinstance(v, str) and v.strip()
        ),
        "",
    )
    mentioned, replied = False, False
    if chat_type == "GROUP":
        text, mentioned = _strip_mentions(text, message, bot_id, bot_names)
        replied = _reply_to_bot(message, bot_id)
        # The platform delivers a group message only when it mentions the bot or replies to it:
        # one we cannot recognise as either is a mention written in a form we do not know.
        mentioned = mentioned or not replied
    return ZaloUpdate(
        event_name=event,
        message_id=_str_id(message.get("message_id") or message.get("msg_id")),
        chat_id=chat_id,
        chat_type=chat_type,
        user_id=user_id,
        user_name=name,
        text=text,
        date=_date(message.get("date")),
        mentions_bot=mentioned,
        reply_to_bot=replied,
        from_bot=sender.get("is_bot") is True,
        raw=raw,
    )


# -- keeping the token out of logs ----------------------------------------------------------


class _Redactor(logging.Filter):
    """Scrubs bot tokens from httpx's request log ("HTTP Request: POST https://…/bot<TOKEN>/…")."""

    secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:
            return True
        cleaned = _scrub(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_REDACTOR = _Redactor()


def _scrub(text: str, secrets: set[str] | tuple[str, ...]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return text


def _guard_logs(token: str) -> None:
    secret = token.partition(":")[2]
    _Redactor.secrets.add(token)
    if len(secret) >= 8:  # a short secret would blank out ordinary words
        _Redactor.secrets.add(secret)
    # httpx logs every request's full URL at INFO; httpcore's DEBUG traces name only the host and
    # method (the leak test runs at DEBUG to keep it so). A filter on "httpx" sees httpx's records.
    logger = logging.getLogger("httpx")
    if _REDACTOR not in logger.filters:
        logger.addFilter(_REDACTOR)


# -- the client -----------------------------------------------------------------------------


class ZaloBotAPI:
    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        client: httpx.AsyncClient | None = None,
        poll_timeout: int = 30,
        request_timeout: float = 15.0,
        bot_name: str | None = None,
    ) -> None:
        self._token = token.strip()
        self._secrets = tuple(s for s in (self._token, self._token.partition(":")[2]) if s)
        self._base = base_url.rstrip("/")
        if not self._base.endswith("/bot"):  # a bare host is a common slip: the token follows /bot
            self._base += "/bot"
        self._own_client = client is None
        self._client = client or httpx.AsyncClient()
        self.poll_timeout = poll_timeout
        self.request_timeout = request_timeout
        self.bot_name = bot_name  # the name users see, for recognising @mentions in groups
        self.bot: ZaloBot | None = None
        _guard_logs(self._token)

    @property
    def bot_id(self) -> str:
        return self.bot.id if self.bot else self._token.partition(":")[0]

    def __repr__(self) -> str:
        return f"ZaloBotAPI(bot_id={self.bot_id!r}, base_url={self._base!r})"

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()

    async def __aenter__(self) -> ZaloBotAPI:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- methods --------------------------------------------------------------------------

    async def get_me(self) -> ZaloBot:
        result = _dict(await self._call("getMe"))
        account_name = str(result.get("account_name") or "")
        display = result.get("display_name") or result.get("name") or account_name
        self.bot = ZaloBot(
            id=_str_id(result.get("id")) or self._token.partition(":")[0],
            name=str(display),
            account_name=account_name,
            account_type=str(result.get("account_type") or ""),
            can_join_groups=result.get("can_join_groups") is True,
        )
        return self.bot

    async def get_updates(self, timeout: int | None = None) -> list[ZaloUpdate]:
        """0 or 1 update (the platform hands out one per call); [] when the poll idles out."""
        wait = self.poll_timeout if timeout is None else timeout
        try:
            result = await self._call(
                "getUpdates", {"timeout": str(wait)}, timeout=wait + self.request_timeout
            )
        except _IdlePoll:
            return []
        return self.parse_all(result)

    async def send_message(self, chat_id: str, text: str) -> str:
        result = _dict(await self._call("sendMessage", {"chat_id": chat_id, "text": text}))
        return _str_id(result.get("message_id"))

    async def send_photo(self, chat_id: str, photo: str, caption: str | None = None) -> str:
        params = {"chat_id": chat_id, "photo": photo}
        if caption:
            params["caption"] = caption
        return _str_id(_dict(await self._call("sendPhoto", params)).get("message_id"))

    async def send_sticker(self, chat_id: str, sticker: str) -> str:
        result = await self._call("sendSticker", {"chat_id": chat_id, "sticker": sticker})
        return _str_id(_dict(result).get("message_id"))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self._call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        return _dict(await self._call("setWebhook", {"url": url, "secret_token": secret_token}))

    async def delete_webhook(self) -> dict[str, Any]:
        return _dict(await self._call("deleteWebhook"))

    async def get_webhook_info(self) -> dict[str, Any]:
        return _dict(await self._call("getWebhookInfo"))

    def parse(self, payload: Any) -> ZaloUpdate | None:
        """parse_update knowing who we are (mentions of this bot are removed from group texts)."""
        updates = self.parse_all(payload)
        return updates[0] if updates else None

    def parse_all(self, payload: Any) -> list[ZaloUpdate]:
        names = [self.bot_name]
        if self.bot and self.bot.name != self.bot.account_name:
            names.append(self.bot.name)  # account_name ("bot.xxx") is never what users type
        return parse_updates(payload, bot_id=self.bot_id, bot_names=tuple(n for n in names if n))

    # -- transport ------------------------------------------------------------------------

    async def _call(
        self, method: str, params: dict[str, Any] | None = None, timeout: float | None = None
    ) -> Any:
        """The method's result: JSON as the platform sent it, checked by the caller."""
        url = f"{self._base}{self._token}/{method}"
        try:
            response = await self._client.post(
                url, json=params or {}, timeout=timeout or self.request_timeout
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as e:
            # Before the request was written: the platform counted nothing (outbox.NotSent).
            raise NotSent(f"Zalo {method}: no connection ({type(e).__name__})") from None
        except httpx.TimeoutException as e:
            # Raised afresh without the cause: httpx errors carry the request, hence the URL.
            raise Transient(f"Zalo {method}: timed out ({type(e).__name__})") from None
        except httpx.UnsupportedProtocol:
            raise ZaloError(0, f"{method}: ZALO_API_BASE_URL must start with https://") from None
        except httpx.TransportError as e:
            raise Transient(f"Zalo {method}: network error ({type(e).__name__})") from None
        except (httpx.InvalidURL, ValueError):
            raise ZaloError(0, f"{method}: invalid ZALO_API_BASE_URL or token format") from None
        log.debug("Zalo %s answered HTTP %s", method, response.status_code)
        return self._result(method, response)

    def _result(self, method: str, response: httpx.Response) -> Any:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if status == 200 and isinstance(body, dict) and "ok" not in body:
            return body  # a bare result (webhook-style flat update): be liberal in what we accept
        if not isinstance(body, dict) or "ok" not in body:
            body = None
        if body is not None and body.get("ok") is True:
            return body.get("result")
        if body is not None:
            code = _int(body.get("error_code"), status)
            description = _scrub(str(body.get("description") or ""), self._secrets)
            parameters = _dict(body.get("parameters"))
        else:  # a proxy's HTML page, an empty body: only the HTTP status speaks
            code, description, parameters = status, f"HTTP {status}", {}
            if status == 200:
                raise Transient(f"Zalo {method}: unreadable answer")
            if status == 429:  # the front proxy refusing a burst: a short pause
                raise RetryLater(_retry_after(response.headers, parameters))
            if status not in (401, 408):  # not the platform speaking: never "gone", always retried
                raise Transient(f"Zalo {method}: HTTP {status} without the platform's answer")
        self._raise(method, code, description, response.headers, parameters)

    def _raise(
        self,
        method: str,
        code: int,
        description: str,
        headers: Mapping[str, str],
        parameters: dict[str, Any],
    ) -> NoReturn:
        if code == 408 and method == "getUpdates":
            raise _IdlePoll()
        if code == 429:  # the platform's own answer: "Quota exceeded"
            raise QuotaExceeded(f"Zalo {method}: {code} {description}")
        if code == 401:
            raise InvalidZaloToken(description or "Unauthorized")
        if code == 408 or code >= 500:
            raise Transient(f"Zalo {method}: {code} {description}")
        if method in _SEND_METHODS:
            if code in (400, 403, 404) and _CHAT_GONE.search(description):
                raise Gone(f"Zalo {method}: {code} {description}")
            if code in (403, 404):  # 403 is "Internal server error" in the error table
                raise Transient(f"Zalo {method}: {code} {description}")
        if code == 403:
            raise Transient(f"Zalo {method}: {code} {description}")
        raise ZaloError(code, f"{method}: {description}")


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _IdlePoll(Exception):
    """A long poll that ended with nothing to hand out (408 in either form)."""


def _retry_after(headers: Mapping[str, str], parameters: dict[str, Any]) -> float:
    values: tuple[Any, ...] = (parameters.get("retry_after"), headers.get("retry-after"))
    for value in values:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if 0 < seconds < 3600:
            return seconds
    return DEFAULT_RETRY_AFTER
