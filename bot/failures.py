"""What a `chibo` command says when it fails: one Vietnamese line on stderr and an exit code, never a
raw traceback (unless CHIBO_LOG_LEVEL=DEBUG, and then redacted). The details of an unexpected error
go to a file, secrets redacted, and the line says where.

Exit codes: 0 done; 1 unexpected error (details in a file); 2 bad input or configuration, or a token
the platform rejected; 3 another instance is running (cmd_run); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from bot.redaction import RedactingFilter, format_exception, redact


class BadInput(Exception):
    """Input a command cannot use: its message is the one Vietnamese line to print (exit 2)."""


UNEXPECTED = 1
BAD_INPUT = 2
INTERRUPTED = 130

# A platform that rejects the token: (module, exception class, the line to print). Looked up in
# sys.modules, so a command that never imported the platform's library does not import it now.
REJECTED_TOKEN = (
    (
        "telegram.error",
        "InvalidToken",
        "Telegram từ chối token: TELEGRAM_BOT_TOKEN sai hoặc đã bị thu hồi — kiểm tra lại với "
        "@BotFather (lệnh /token), ghi token đúng vào tệp .env rồi chạy lại.",
    ),
    (
        "bot.channels.zalo.api",
        "InvalidZaloToken",
        "Zalo từ chối token: ZALO_BOT_TOKEN sai, đã đổi hoặc hết hạn — lấy lại token trong Zalo "
        "Bot Creator, ghi vào tệp .env rồi chạy lại.",
    ),
)

_FILE_REASON = {
    errno.ENOENT: "không có tệp này",
    errno.EACCES: "không có quyền đọc/ghi",
    errno.EPERM: "không có quyền đọc/ghi",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "đường dẫn đi qua một thứ không phải thư mục",
    errno.ENOSPC: "hết chỗ trống trên đĩa",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
}


# argparse's usual complaints, said in Vietnamese; anything else is shown as argparse says it.
_ARGPARSE = (
    (r"the following arguments are required: (.+)", r"thiếu \1"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", r"\1 không nhận \2 (chọn \3)"),
    (r"argument (\S+): expected one argument", r"\1 cần một giá trị"),
    (r"argument (\S+): expected at least one argument", r"\1 cần ít nhất một giá trị"),
    (r"unrecognized arguments: (.+)", r"không hiểu tham số \1"),
)


def argparse_vi(message: str) -> str:
    for pattern, vietnamese in _ARGPARSE:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, vietnamese, message)
    return message


def register_secrets(env_file: Path) -> None:
    """Know the secrets before any command runs, so that even one that never loads the
    configuration cannot show them; an unreadable .env is reported by the command that needs it."""
    from bot import config

    with contextlib.suppress(config.ConfigError):
        config.register_secrets(env_file)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups: whatever way
    the serving code wraps a channel's fatal error, it is found."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend(getattr(e, "exceptions", ()))
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)


def _is(e: BaseException, module: str, name: str) -> bool:
    cls = getattr(sys.modules.get(module), name, None)
    return isinstance(cls, type) and isinstance(e, cls)


def known(exc: BaseException) -> tuple[str, int] | None:
    """A failure that one line explains fully: (line, exit code)."""
    for e in _chain(exc):
        for module, name, line in REJECTED_TOKEN:
            if _is(e, module, name):
                return line, BAD_INPUT
    if isinstance(exc, BadInput):
        return str(exc), BAD_INPUT
    for e in _chain(exc):
        if _is(e, "bot.config", "ConfigError"):
            return f"Lỗi cấu hình: {e}", BAD_INPUT
    if isinstance(exc, OSError) and exc.filename:
        reason = _FILE_REASON.get(exc.errno or 0, exc.strerror or type(exc).__name__)
        return f"Không dùng được tệp “{exc.filename}”: {reason}.", BAD_INPUT
    return None


def debug_requested() -> bool:
    return (
        os.environ.get("CHIBO_LOG_LEVEL", "").strip().upper() == "DEBUG"
        or logging.getLogger().getEffectiveLevel() <= logging.DEBUG
    )


def _write_details(command: str, text: str) -> str | None:
    """The redacted traceback in a new private file (0600) in the temp directory; its path, or
    None when even that cannot be written."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        fd, path = tempfile.mkstemp(prefix=f"chibo-loi-{stamp}-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"chibo {command}\n{text}")
        return path
    except OSError:
        return None


def _show(command: str, details: str) -> None:
    """At DEBUG, the (redacted) traceback on stderr too: through the log when setup_logging set
    one up, else printed."""
    root = logging.getLogger()
    logged = any(isinstance(f, RedactingFilter) for h in root.handlers for f in h.filters)
    if logged and root.isEnabledFor(logging.DEBUG):
        logging.getLogger("chibo").debug("chibo %s failed:\n%s", command, details.rstrip())
    else:
        print(details, file=sys.stderr, end="")


def report(command: str, exc: BaseException) -> int:
    """Print the one line for `exc`, log the details where they belong, and return the exit code."""
    if isinstance(exc, KeyboardInterrupt):
        print("Đã dừng (Ctrl-C).", file=sys.stderr)
        return INTERRUPTED
    explained = known(exc)
    if explained is not None:
        line, code = explained
        if debug_requested():
            _show(command, format_exception(exc))
        print(redact(line), file=sys.stderr)
        return code
    details = format_exception(exc)
    path = _write_details(command, details)
    if debug_requested():
        _show(command, details)
    summary = redact(f"{type(exc).__name__}: {exc}".splitlines()[0])[:200]
    where = (
        f"chi tiết ghi trong {path}"
        if path
        else "không ghi được tệp chi tiết — chạy lại với CHIBO_LOG_LEVEL=DEBUG để xem"
    )
    print(f"Lỗi bất ngờ khi chạy “chibo {command}” ({summary}); {where}.", file=sys.stderr)
    return UNEXPECTED


def _thread_failed(args: threading.ExceptHookArgs) -> None:
    """A thread's uncaught error: redacted to the log instead of a raw traceback on stderr."""
    if args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
        name = args.thread.name if args.thread else "?"
        logging.getLogger("chibo").error(
            "Thread %s failed:\n%s", name, format_exception(args.exc_value)
        )


def install_thread_hook() -> None:
    threading.excepthook = _thread_failed
