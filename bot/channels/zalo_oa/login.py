"""`chibo oa login`: the OA's first token pair, by the OAuth v4 permission page with PKCE.

Prints the permission link for the App; the OA's admin opens it, approves, and is sent to the
App's callback address with ``?code=…&state=…``; the operator pastes that address (or the code)
back; the code is exchanged and the pair stored where the running bot reads it
(bot/channels/zalo_oa/tokens.py), under the same lock as a refresh.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from bot import failures
from bot.channels.zalo_oa.api import OAuthError, ZaloOAAPI, permission_url
from bot.channels.zalo_oa.tokens import TokenKeeper
from bot.config import Config
from bot.stores.backend import open_store


def pkce() -> tuple[str, str]:
    """A code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def code_from(pasted: str, state: str) -> str:
    """The code from the pasted callback address (its state checked) or a bare code."""
    pasted = pasted.strip()
    if "code=" not in pasted:
        if not pasted or " " in pasted:
            raise failures.BadInput("Lỗi: chưa dán mã (code) hoặc địa chỉ trang được chuyển tới.")
        return pasted
    query = parse_qs(urlsplit(pasted).query or pasted)
    if query.get("state", [state])[0] != state:
        raise failures.BadInput(
            "Lỗi: địa chỉ dán vào không thuộc lần đăng nhập này (state khác); chạy lại lệnh."
        )
    return query["code"][0]


def login(
    config: Config,
    redirect_uri: str,
    now: datetime,
    read: Callable[[str], str] | None = None,
    write: Callable[[str], None] = print,
) -> int:
    read = read or input  # looked up now: a test or a wrapper may have replaced it
    section = config.zalo_oa
    if section is None:
        raise failures.BadInput(
            "Lỗi: chưa cấu hình Zalo OA (ghi ZALO_OA_APP_ID, ZALO_OA_APP_SECRET, "
            "ZALO_OA_SECRET_KEY vào .env)."
        )
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(12)
    write("1. Mở đường dẫn sau bằng tài khoản quản trị OA và bấm Cho phép:")
    write(permission_url(section.oauth_base_url, section.app_id, redirect_uri, challenge, state))
    write("2. Trình duyệt chuyển tới địa chỉ callback của ứng dụng, có ?code=… trong đó.")
    code = code_from(read("Dán địa chỉ đó (hoặc riêng mã code) vào đây rồi bấm Enter: "), state)

    async def exchange() -> datetime:
        api = ZaloOAAPI(
            section.app_id, section.app_secret, section.api_base_url, section.oauth_base_url
        )
        store = await open_store(config.db_url or config.db_path, now)
        try:
            pair = await api.exchange_code(code, verifier, now)
            await TokenKeeper(api, store, lambda: now).store_pair(pair)
            return pair.refresh_expires
        finally:
            await api.aclose()
            await store.aclose()

    try:
        until = asyncio.run(exchange())
    except OAuthError as e:
        raise failures.BadInput(
            f"Lỗi: Zalo không nhận mã này (mã lỗi {e.code}); mã chỉ dùng được một lần và trong "
            "ít phút — chạy lại lệnh và dán ngay."
        ) from None
    write(
        "✅ Đã lưu mã truy cập của OA. Bot tự làm mới mã khi chạy; nếu bot dừng tới quá ngày "
        f"{until:%d/%m/%Y} mới chạy lại thì cần chạy lại lệnh này."
    )
    return 0
