"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests of the real PTB Application.

It speaks the few methods the bot uses, records every message sent, and can enforce Telegram's
flood limits (answering 429 with retry_after), refuse chats (403, blocked by the user) or reject the
token (401 to every call).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from dataclasses import dataclass, field

from aiohttp import web

from tests.bot.fake_server import FakeServer
from tests.bot.processes import wait_sent

BOT = {
    "id": 999000,
    "is_bot": True,
    "first_name": "Trợ lý Chi bộ",
    "username": "chibo_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Sent:
    chat_id: str
    text: str
    reply_markup: dict | None
    message_id: int
    at: float
    params: dict = field(default_factory=dict)

    @property
    def buttons(self) -> list[str]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b["callback_data"] for row in rows for b in row]


class FakeTelegram(FakeServer):
    def __init__(self, now=time.monotonic) -> None:
        super().__init__()
        self.now = now  # the clock flood limits are judged by (simulated in tests)
        self.updates: list[dict] = []
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict]] = []
        self.admins: dict[str, list[int]] = {}
        self.blocked: set[str] = set()
        self.migrated: dict[str, int] = {}
        self.flood_limit: tuple[int, float] | None = None  # (messages, per seconds) overall
        self.retry_after = 1
        self.reject_token = False  # answer every call 401, as Telegram does for a revoked token
        self.too_many: int = 0  # 429 answers given
        # fault injection on sendMessage: {"5xx": 0.03, "reset": 0.02, "timeout": 0.01, "429": …}
        self.faults: dict[str, float] = {}
        # real seconds a "timeout" answer takes (tests set a shorter client timeout)
        self.fault_delay = 0.8
        self.faulted: dict[str, int] = {}
        self._rng = random.Random(1)
        self._window: list[float] = []
        self._new_update = asyncio.Event()
        self._ids = itertools.count(1)
        self._msg_ids = itertools.count(100)
        self.files: dict[str, bytes] = {}  # file_id → content, for getFile and the download
        self.downloads: list[str] = []  # file ids downloaded

    # -- server ---------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        return await self.serve(app, port)

    async def stop(self) -> None:
        self._new_update.set()
        await self.close()

    async def _params(self, request: web.Request) -> dict:
        if request.content_type == "application/json":
            return await request.json()
        form = dict(await request.post())
        for key, value in list(form.items()):
            if isinstance(value, str) and value[:1] in "{[":
                with contextlib.suppress(ValueError):
                    form[key] = json.loads(value)
        return form

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        if self.reject_token:
            return self.error(401, "Unauthorized")
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        result = (
            await handler(params, request) if method == "sendMessage" else await handler(params)
        )
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def error(code: int, description: str, **parameters) -> web.Response:
        body = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=code)

    # -- API methods ----------------------------------------------------------------------

    async def api_getMe(self, params):
        return BOT

    async def api_getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        if offset:  # as Telegram does: an offset confirms, and forgets, every earlier update
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        wait = min(float(params.get("timeout") or 0), 0.5)
        deadline = time.monotonic() + wait
        while True:
            ready = [u for u in self.updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return ready[: int(params.get("limit") or 100)]  # Telegram's default and most
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())

    async def _fault(self, request: web.Request) -> web.Response | None:
        """A fault instead of an answer, at the configured rates; nothing is delivered then."""
        roll, edge = self._rng.random(), 0.0
        for kind, rate in self.faults.items():
            edge += rate
            if roll < edge:
                self.faulted[kind] = self.faulted.get(kind, 0) + 1
                if kind == "reset":
                    request.transport.close()
                    return web.Response(status=500)
                if kind == "timeout":
                    await asyncio.sleep(self.fault_delay)
                    return self.error(504, "Gateway Timeout")
                if kind == "429":
                    self.too_many += 1
                    return self.error(
                        429, "Too Many Requests: retry after 1", retry_after=self.retry_after
                    )
                return self.error(502, "Bad Gateway")
        return None

    async def api_sendMessage(self, params, request=None):
        if self.faults and request is not None and (fault := await self._fault(request)):
            return fault
        chat_id = str(params["chat_id"])
        if chat_id in self.blocked:
            return self.error(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.migrated:
            return self.error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated[chat_id],
            )
        if self.flood_limit:
            count, per = self.flood_limit
            now = self.now()
            self._window = [t for t in self._window if now - t < per]
            if len(self._window) >= count:
                self.too_many += 1
                return self.error(
                    429,
                    f"Too Many Requests: retry after {self.retry_after}",
                    retry_after=self.retry_after,
                )
            self._window.append(now)
        message_id = next(self._msg_ids)
        markup = params.get("reply_markup")
        self.sent.append(
            Sent(
                chat_id,
                params["text"],
                markup if isinstance(markup, dict) else None,
                message_id,
                time.monotonic(),
                params,
            )
        )
        chat_type = "private" if not chat_id.startswith("-") else "supergroup"
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "text": params["text"],
            "chat": {"id": int(chat_id), "type": chat_type},
            "from": BOT,
        }

    async def api_sendDocument(self, params):
        """A file: recorded as a sent message whose text is its caption, with the file in
        params["document"] as (filename, bytes)."""
        chat_id = str(params["chat_id"])
        if chat_id in self.blocked:
            return self.error(403, "Forbidden: bot was blocked by the user")
        field = params["document"]
        document = (field.filename, field.file.read())
        message_id = next(self._msg_ids)
        caption = params.get("caption", "")
        self.sent.append(
            Sent(
                chat_id,
                caption,
                None,
                message_id,
                time.monotonic(),
                {**params, "document": document},
            )
        )
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": int(chat_id), "type": "private"},
            "from": BOT,
            "document": {"file_id": f"doc{message_id}", "file_unique_id": f"u{message_id}"},
        }

    async def api_getFile(self, params):
        file_id = str(params["file_id"])
        if file_id not in self.files:
            return self.error(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if self.reject_token or file_id not in self.files:
            return web.Response(status=404)
        self.downloads.append(file_id)
        return web.Response(body=self.files[file_id])

    async def api_getChatAdministrators(self, params):
        ids = self.admins.get(str(params["chat_id"]), [])
        return [
            {
                "status": "administrator",
                "user": user(uid),
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
            for uid in ids
        ]

    # -- updates the tests inject -----------------------------------------------------------

    def push(self, update: dict) -> dict:
        update = {"update_id": next(self._ids), **update}
        self.updates.append(update)
        self._new_update.set()
        return update

    def text(
        self, chat: dict, from_id: int, text: str, reply_to: Sent | None = None, **extra
    ) -> dict:
        message = {
            "message_id": next(self._msg_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user(from_id),
            "text": text,
            **extra,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to.message_id,
                "date": int(time.time()),
                "chat": chat,
                "from": BOT,
                "text": reply_to.text,
            }
        return self.push({"message": message})

    def document(
        self,
        chat: dict,
        from_id: int,
        filename: str,
        data: bytes,
        caption: str = "",
        size: int | None = None,
    ) -> dict:
        """A user sends a file (kept for getFile; `size` is what the update announces)."""
        file_id = f"f{next(self._ids)}"
        self.files[file_id] = data
        message = {
            "message_id": next(self._msg_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user(from_id),
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": filename,
                "file_size": len(data) if size is None else size,
            },
        }
        if caption:
            message["caption"] = caption
        return self.push({"message": message})

    def photo(self, chat: dict, from_id: int, size: int = 50_000) -> dict:
        sizes = [{"file_id": "p1", "file_unique_id": "up1", "width": 800, "height": 600}]
        return self.push(
            {
                "message": {
                    "message_id": next(self._msg_ids),
                    "date": int(time.time()),
                    "chat": chat,
                    "from": user(from_id),
                    "photo": [{**sizes[0], "file_size": size}],
                }
            }
        )

    def press(self, chat: dict, from_id: int, on: Sent, data: str) -> dict:
        message = {
            "message_id": on.message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": BOT,
            "text": on.text,
        }
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self._ids)),
                    "from": user(from_id),
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                }
            }
        )

    def added_to_group(self, chat: dict, by: int) -> dict:
        return self.push(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": user(by),
                    "date": int(time.time()),
                    "old_chat_member": {"status": "left", "user": BOT},
                    "new_chat_member": {"status": "member", "user": BOT},
                }
            }
        )

    async def wait_sent(self, count: int, timeout: float = 10.0) -> list[Sent]:
        """Wait (in real time, bounded) until `count` messages in all have been sent."""
        return await wait_sent(self.sent, count, timeout)


def user(uid: int, name: str = "") -> dict:
    return {"id": uid, "is_bot": False, "first_name": name or f"Đồng chí {uid}"}


def private(uid: int) -> dict:
    return {"id": uid, "type": "private", "first_name": f"Đồng chí {uid}"}


def group(gid: int, title: str = "Chi bộ Khu phố 3") -> dict:
    return {"id": gid, "type": "supergroup", "title": title}
