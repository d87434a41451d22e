"""Logging in without a password, and staying logged in.

A login link carries a token signed with the deployment's web key: who it is for, when it
expires (10 minutes) and a random nonce. Opening it shows one “Đăng nhập” button (a POST), so a
chat app's link preview cannot use it up; pressing it spends the nonce in the store's runtime
values (once, across restarts and every process of a PostgreSQL store) and sets a session
cookie signed with the same key (HttpOnly, SameSite=Strict). Every form carries a CSRF token
derived from the session.

The key is a runtime value of the store (`web:key`), made by the first process that needs it, so
`chibo web link` at the server and `/web` in chat sign with the key the running bot checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.state import Store
from handlers.types import UserRef

KEY = "web:key"
USED = "web:used:"  # + a login nonce: spent
LINK_VALID = timedelta(minutes=10)
SESSION_VALID = timedelta(hours=12)
COOKIE = "chibo_phien"


@dataclass(frozen=True)
class Session:
    user: UserRef
    name: str  # as the chat showed it, for the log and the nudge's “do … gửi”
    expires: datetime
    nonce: str

    @property
    def who(self) -> str:
        return f"{self.user.platform}:{self.user.user_id}"


async def key_of(store: Store) -> bytes:
    """The web key, made once and kept in the store."""
    found = store.runtime(KEY)
    if not found:
        found = secrets.token_hex(32)
        await store.set_runtime(KEY, found)
    return bytes.fromhex(found)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, purpose: str, payload: str) -> str:
    return _b64(hmac.new(key, f"{purpose}|{payload}".encode(), hashlib.sha256).digest())


def _token(key: bytes, purpose: str, session: Session) -> str:
    body = {
        "p": session.user.platform,
        "u": session.user.user_id,
        "n": session.name,
        "e": int(session.expires.timestamp()),
        "r": session.nonce,
    }
    payload = _b64(json.dumps(body, ensure_ascii=False).encode())
    return f"{payload}.{_sign(key, purpose, payload)}"


def _read(key: bytes, purpose: str, token: str, now: datetime) -> Session | None:
    payload, _, signature = token.partition(".")
    if not hmac.compare_digest(signature, _sign(key, purpose, payload)):
        return None
    try:
        body = json.loads(_unb64(payload))
        expires = datetime.fromtimestamp(int(body["e"]), now.tzinfo)
        session = Session(UserRef(body["p"], body["u"]), body["n"], expires, body["r"])
    except (ValueError, KeyError, TypeError):
        return None
    return session if now < expires else None


def login_token(key: bytes, user: UserRef, name: str, now: datetime) -> str:
    """A login link's token for `user`, valid LINK_VALID from now."""
    return _token(key, "login", Session(user, name, now + LINK_VALID, secrets.token_urlsafe(12)))


def login_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/dang-nhap/{token}"


def peek_login(key: bytes, token: str, now: datetime, store: Store) -> Session | None:
    """The login a token offers, if it is genuine, unexpired and unspent (nothing is spent)."""
    found = _read(key, "login", token, now)
    if found is None or store.runtime(USED + found.nonce):
        return None
    return found


async def spend_login(key: bytes, token: str, now: datetime, store: Store) -> Session | None:
    """Spend a login token: the session it opens, or None when it is not valid (any more)."""
    found = peek_login(key, token, now, store)
    if found is None:
        return None
    await store.set_runtime(USED + found.nonce, found.expires.isoformat())
    return Session(found.user, found.name, now + SESSION_VALID, secrets.token_urlsafe(12))


def session_cookie(key: bytes, session: Session) -> str:
    return _token(key, "session", session)


def read_session(key: bytes, cookie: str | None, now: datetime) -> Session | None:
    return _read(key, "session", cookie, now) if cookie else None


def csrf_token(key: bytes, session: Session) -> str:
    return _sign(key, "csrf", session.nonce)


def csrf_ok(key: bytes, session: Session, token: str) -> bool:
    return hmac.compare_digest(token, csrf_token(key, session))
