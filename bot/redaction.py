"""Secrets (bot tokens, webhook secrets) never reach any output: log lines, their arguments,
tracebacks, or the one line a failed command prints. Libraries put the token in request URLs and in
exception messages (PTB: "The token `…` was rejected"), so every piece of text on its way out passes
through `redact`.

Config registers each secret variable as it reads it (bot.config.SECRET_VARIABLES); anything else
that learns a secret calls `SECRETS.add(name, value)`.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from urllib.parse import quote

# Shorter values are not real secrets (a typo, a placeholder) and replacing them would mangle
# ordinary text everywhere.
MIN_LENGTH = 8


class Secrets:
    """The set of values no output may show, each replaced by `<NAME>` of its variable."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}  # form as it may appear, lower-cased → placeholder
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, name: str, value: str | None) -> None:
        value = (value or "").strip()
        if len(value) < MIN_LENGTH:
            return
        forms = {value, quote(value, safe="")}
        # `<bot_id>:<secret>`: the bot id is public (it is in every chat with the bot); the part
        # after the colon is the secret, and may appear alone or after an encoded colon (%3A).
        _, colon, secret = value.partition(":")
        if colon and len(secret) >= MIN_LENGTH:
            forms |= {secret, quote(secret, safe="")}
        with self._lock:
            for form in forms:
                self._names[form.lower()] = f"<{name}>"
            # Longest first, so the whole token wins over its secret part.
            alternatives = sorted(self._names, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE)

    def clear(self) -> None:
        with self._lock:
            self._names.clear()
            self._pattern = None

    def redact(self, text: str) -> str:
        pattern = self._pattern
        if pattern is None or not text:
            return text
        # Case-insensitive, so %3a as well as %3A (over-redacting a case variant costs nothing).
        return pattern.sub(lambda m: self._names.get(m.group(0).lower(), "<SECRET>"), text)


SECRETS = Secrets()


def redact(text: str) -> str:
    return SECRETS.redact(text)


def format_exception(exc: BaseException) -> str:
    """The whole traceback (causes and contexts included), secrets replaced."""
    return redact("".join(traceback.format_exception(exc)))


class RedactingFilter(logging.Filter):
    """Rewrites a record before any handler formats it: the message with its arguments merged in,
    the formatted traceback (exc_text, which formatters reuse) and the stack."""

    def __init__(self, secrets: Secrets | None = None) -> None:
        super().__init__()
        self.secrets = secrets or SECRETS

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # bad arguments: show them rather than lose the line or raise
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = self.secrets.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.secrets.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.secrets.redact(record.stack_info)
        return True


class RedactingFormatter(logging.Formatter):
    """The last word: whatever the format pulled in (a field a filter did not know), redact the
    finished line."""

    def __init__(self, fmt: str | None = None, secrets: Secrets | None = None) -> None:
        super().__init__(fmt)
        self.secrets = secrets or SECRETS

    def format(self, record: logging.LogRecord) -> str:
        return self.secrets.redact(super().format(record))
