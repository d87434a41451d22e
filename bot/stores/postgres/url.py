"""PostgreSQL URLs and connection errors as an operator may see them: checked by libpq's own
parser, reported in one Vietnamese line, never showing the password."""

from __future__ import annotations

import contextlib
import re

import psycopg
from psycopg.conninfo import conninfo_to_dict

from bot.config import ConfigError


class DatabaseUnavailable(ConfigError):
    """One Vietnamese line for the operator: bad URL, server unreachable, schema too new."""


def is_postgres_url(db: str) -> bool:
    return bool(re.match(r"^postgres(ql)?://", str(db).strip(), re.IGNORECASE))


def safe_url(url: str) -> str:
    """The URL as an operator may see it in a log: any password replaced by ***."""
    url = re.sub(r"^([a-z]+://[^/@:]*):[^@/]*@", r"\1:***@", url.strip(), flags=re.IGNORECASE)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


def check_url(url: str) -> dict[str, str | int | None]:
    """libpq's own parse of the URL, or DatabaseUnavailable naming what is wrong (the parser's
    message quotes the whole URL, password included, so it is never passed on)."""
    example = "viết postgresql://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl"
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise DatabaseUnavailable(
            f"Địa chỉ PostgreSQL không hợp lệ: “{safe_url(url)}” ({example})."
        ) from None
    port = params.get("port")
    if port is not None and not all(
        p.isdigit() and 0 < int(p) < 65536 for p in str(port).split(",")
    ):
        raise DatabaseUnavailable(
            f"Địa chỉ PostgreSQL có cổng không hợp lệ “{port}”: “{safe_url(url)}” ({example})."
        )
    return params


def reason(exc: BaseException, password: str | None) -> str:
    text = str(exc)
    if password:
        text = text.replace(password, "***")
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return "sai tên người dùng hoặc mật khẩu"
    if "does not exist" in low and "database" in low:
        name = re.search(r'database "([^"]+)"', text)
        return f"chưa có cơ sở dữ liệu “{name.group(1) if name else '?'}” (tạo bằng createdb)"
    if "connection refused" in low or "no such file or directory" in low:
        return "máy chủ không nhận kết nối (chưa chạy, sai máy hoặc sai cổng)"
    if "could not translate host name" in low or "name or service not known" in low:
        return "không tìm thấy máy chủ (sai tên máy)"
    if "timeout" in low or "timed out" in low:
        return "quá thời gian chờ kết nối"
    if "no pg_hba.conf entry" in low:
        return "máy chủ không cho phép kết nối từ máy này (pg_hba.conf)"
    first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
    return f"lỗi “{first}”"


def unavailable(url: str, exc: BaseException) -> DatabaseUnavailable:
    password = None
    with contextlib.suppress(psycopg.Error):
        given = conninfo_to_dict(url).get("password")
        password = None if given is None else str(given)
    return DatabaseUnavailable(
        f"Không kết nối được PostgreSQL “{safe_url(url)}”: {reason(exc, password)}."
    )
