"""`chibo web link --as PLATFORM:ID`: a one-time login link for an operator at the server,
signed with the key the running bot checks (kept in the store, made at the bot's start)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot import config as config_mod
from bot.clock import Clock
from bot.failures import BadInput
from bot.plans.committees import load as load_committees
from bot.stores.backend import open_store
from bot.web import auth
from handlers.scope import Committees
from handlers.types import UserRef

USAGE = "chibo web link --as NỀN-TẢNG:MÃ-NGƯỜI-DÙNG (ví dụ --as telegram:111111)"


def run(as_user: str | None, env: str) -> int:
    platform, _, user_id = (as_user or "").partition(":")
    if platform not in config_mod.PLATFORMS or not user_id:
        raise BadInput(f"Cần nói đăng nhập thay ai: {USAGE}")
    config = config_mod.load(Path(env), need_token=False)
    if config.web is None:
        print("Trang web đang tắt (CHIBO_WEB_PORT=off).", file=sys.stderr)
        return 2
    user = UserRef(platform, user_id)
    committees: Committees = load_committees(config.committees_file)
    if (platform, user_id) not in config.admins and committees.scope_of(user) is None:
        print(
            f"{platform}:{user_id} không phải cán bộ quản trị bot (CHIBO_ADMINS hoặc "
            "committees.yaml): liên kết sẽ không mở được trang nào.",
            file=sys.stderr,
        )
        return 2
    now = Clock(config.start_at).now()
    base_url = config.web.base_url

    async def make() -> str:
        store = await open_store(config.db_url or config.db_path, now)
        try:
            key = await auth.key_of(store)
        finally:
            await store.aclose()
        return auth.login_url(base_url, auth.login_token(key, user, f"{platform}:{user_id}", now))

    print(asyncio.run(make()))
    print("Liên kết dùng một lần, trong 10 phút: mở rồi bấm “Đăng nhập”.", file=sys.stderr)
    return 0
