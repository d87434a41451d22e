"""The real Zalo client against the fake Zalo Bot API on 127.0.0.1."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from aiohttp import web

from bot.channels.outbox import Gone, Held, RetryLater, Transient
from bot.channels.zalo.api import (
    DEFAULT_RETRY_AFTER,
    SECRET_HEADER,
    InvalidZaloToken,
    QuotaExceeded,
    ZaloBotAPI,
    ZaloError,
    ZaloUpdate,
    parse_update,
    utf16_len,
    verify_secret,
)
from tests.bot.fake_zalo import BOT_ID, BOT_NAME, TOKEN, FakeZalo, hex_id

SECRET_PART = TOKEN.partition(":")[2]
USER = hex_id(0x6EDE9AFA66B88FE6D6A9)
GROUP = hex_id(0x7F0C11AB0022CD3301EE)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
async def zalo():
    server = FakeZalo(now=Clock())
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def api(zalo):
    client = ZaloBotAPI(TOKEN, zalo.base_url, poll_timeout=1, request_timeout=2.0)
    yield client
    await client.aclose()


# -- happy paths ----------------------------------------------------------------------------


async def test_get_me_names_the_bot(api):
    bot = await api.get_me()
    assert (bot.id, bot.account_name, bot.can_join_groups) == (BOT_ID, "bot.VDKyGxQvc", True)
    assert api.bot == bot


async def test_private_text_update_is_parsed_and_consumed(zalo, api):
    sent = zalo.text(USER, USER, "tháng này học gì?", name="Trần Thị Bình")
    [update] = await api.get_updates()
    assert update == ZaloUpdate(
        event_name="message.text.received",
        message_id=sent["message"]["message_id"],
        chat_id=USER,
        chat_type="PRIVATE",
        user_id=USER,
        user_name="Trần Thị Bình",
        text="tháng này học gì?",
        date=update.date,
    )
    assert not update.is_group and update.addressed and update.is_text
    ms = sent["message"]["date"]
    assert update.date == datetime.fromtimestamp(ms / 1000, tz=UTC)
    assert int(update.message_id, 16) and len(update.message_id) == 20
    assert await api.get_updates(timeout=0) == []  # consumed when read


async def test_group_mention_is_stripped_and_addressed(zalo, api):
    api.bot_name = BOT_NAME
    zalo.text(GROUP, USER, f"@{BOT_NAME} hạn nộp báo cáo khi nào?", group=True)
    zalo.text(GROUP, USER, "@bot trợ lý chi bộ   lịch họp", group=True)
    zalo.event("message.text.received", GROUP, USER, group=True, text="học gì", quote={})
    first, second, reply = [(await api.get_updates())[0] for _ in range(3)]
    assert first.is_group and first.chat_id == GROUP and first.user_id == USER
    assert first.text == "hạn nộp báo cáo khi nào?" and first.mentions_bot and first.addressed
    assert second.text == "lịch họp"
    assert reply.reply_to_bot and reply.addressed and reply.text == "học gì"


async def test_group_message_without_a_known_mention_is_still_addressed(zalo, api):
    zalo.text(GROUP, USER, "@Ai đó tháng này học gì", group=True)
    [update] = await api.get_updates()
    assert update.addressed and update.mentions_bot
    assert update.text == "@Ai đó tháng này học gì"  # not ours to guess where a name ends


@pytest.mark.parametrize("name", ["Bot Trợ lý Chi bộ", "Bot Chi bộ Khóm 3", "Bot X"])
async def test_a_command_after_zalos_bot_mention_is_found_whatever_the_name(zalo, api, name):
    zalo.mention(GROUP, USER, name, "/dangky tra-vinh-60-2022")
    zalo.mention(GROUP, USER, name, "hạn nộp báo cáo khi nào?")
    command, question = [(await api.get_updates())[0] for _ in range(2)]
    assert command.text == "/dangky tra-vinh-60-2022" and command.mentions_bot
    assert question.addressed  # the name is unknown: the words stay, the bot still answers
    api.bot_name = name  # once the operator names the bot, its questions are cut too
    zalo.mention(GROUP, USER, name, "hạn nộp báo cáo khi nào?")
    [named] = await api.get_updates()
    assert named.text == "hạn nộp báo cáo khi nào?"


async def test_voice_messages_carry_no_text_and_are_no_file(zalo, api):
    zalo.event("message.voice.received", USER, USER, url="https://x/voice.aac")
    [voice] = await api.get_updates()
    assert voice.event_name == "message.voice.received" and voice.text == ""


async def test_non_text_events_carry_no_text(zalo, api):
    zalo.event("message.image.received", USER, USER, photo="https://x/y.jpg", caption="ảnh")
    zalo.event("message.sticker.received", USER, USER, sticker="0e078a2f", url="https://s")
    zalo.event("message.unsupported.received", USER, USER)
    events = [(await api.get_updates())[0] for _ in range(3)]
    assert [e.event_name.split(".")[1] for e in events] == ["image", "sticker", "unsupported"]
    assert all(e.text == "" and e.chat_id == USER for e in events)


async def test_replayed_update_keeps_its_message_id(zalo, api):
    zalo.replay_last = True
    zalo.text(USER, USER, "xin chào")
    [a] = await api.get_updates()
    [b] = await api.get_updates()
    assert a.message_id == b.message_id and zalo.replayed == 1


async def test_send_message_returns_the_platform_id(zalo, api):
    message_id = await api.send_message(USER, "Chào đồng chí! 👋")
    [sent] = await zalo.wait_sent(1)
    assert (sent.chat_id, sent.text, sent.message_id) == (USER, "Chào đồng chí! 👋", message_id)
    await api.send_chat_action(USER)
    assert zalo.actions == [(USER, "typing")]


async def test_base_url_without_bot_and_flat_answers_are_accepted(zalo):
    zalo.text(USER, USER, "xin chào")
    update = zalo.updates.pop(0)
    zalo.api_getUpdates = _answer(update, 200)  # flat, no {ok, result} envelope
    async with ZaloBotAPI(TOKEN, zalo.url) as api:  # the bare host, "/bot" left out
        assert (await api.get_me()).id == BOT_ID
        [parsed] = await api.get_updates(timeout=0)
    assert parsed.text == "xin chào" and {parsed} == {parsed}  # hashable despite .raw


async def test_string_error_code_and_bad_scheme(zalo, api):
    zalo.api_sendMessage = _answer({"ok": False, "error_code": "429"}, 200)
    with pytest.raises(QuotaExceeded):
        await api.send_message(USER, "x")
    async with ZaloBotAPI(TOKEN, "ftp://127.0.0.1/bot") as odd:
        with pytest.raises(ZaloError) as e:
            await odd.get_me()
    assert TOKEN not in str(e.value)


async def test_webhook_methods(zalo, api):
    info = await api.set_webhook("https://chibo.example.vn/zalo", "bí-mật-đủ-dài")
    assert info["url"] == "https://chibo.example.vn/zalo"
    assert (await api.get_webhook_info())["url"] == "https://chibo.example.vn/zalo"
    assert (await api.delete_webhook())["url"] == ""
    with pytest.raises(ZaloError) as e:
        await api.set_webhook("https://chibo.example.vn/zalo", "ngắn")
    assert e.value.code == 400


# -- idle polls and failures ----------------------------------------------------------------


@pytest.mark.parametrize("as_http_status", [False, True])
async def test_idle_poll_is_empty_in_both_forms(zalo, api, as_http_status):
    zalo.idle_as_http_408 = as_http_status
    assert await api.get_updates(timeout=0) == []
    assert zalo.idle_polls == 1


async def test_html_429_from_the_proxy_means_retry_later(zalo, api):
    zalo.flood_limit = (2, 1.0)
    await api.send_message(USER, "một")
    await api.send_message(USER, "hai")
    with pytest.raises(RetryLater) as e:
        await api.send_message(USER, "ba")
    assert e.value.seconds == DEFAULT_RETRY_AFTER and zalo.too_many == 1
    zalo.now.t += 1.0  # the window passes on the simulated clock
    await api.send_message(USER, "ba")
    assert [s.text for s in zalo.sent] == ["một", "hai", "ba"]


@pytest.mark.parametrize("as_http_status", [False, True])
async def test_json_429_is_the_monthly_quota_not_a_burst(zalo, api, as_http_status):
    zalo.errors_as_http_status = as_http_status
    zalo.quota_exceeded = True
    with pytest.raises(QuotaExceeded) as e:  # held like our own count at the limit
        await api.send_message(USER, "x")
    assert isinstance(e.value, Held) and not isinstance(e.value, RetryLater)
    assert "Quota exceeded" in str(e.value)


async def test_5xx_is_transient(zalo, api):
    zalo.fail_next = 1
    with pytest.raises(Transient):
        await api.send_message(USER, "một")
    await api.send_message(USER, "một")
    assert zalo.failures == 1 and len(zalo.sent) == 1


async def test_fail_rate_answers_a_share_of_sends_with_5xx(zalo, api):
    zalo.fail_rate = 0.5
    outcomes = []
    for i in range(20):
        try:
            await api.send_message(USER, str(i))
            outcomes.append("sent")
        except Transient:
            outcomes.append("5xx")
    assert 3 <= outcomes.count("5xx") <= 17 and zalo.failures == outcomes.count("5xx")


async def test_connection_reset_is_transient(zalo, api):
    zalo.reset_next = 1
    with pytest.raises(Transient):
        await api.send_message(USER, "một")
    assert zalo.resets == 1
    await api.send_message(USER, "một")


async def test_slow_answer_times_out_as_transient(zalo):
    # held far longer than the client waits, however busy the machine (the fake's stop ends it)
    zalo.slow_next, zalo.slow_seconds = 1, 60.0
    async with ZaloBotAPI(TOKEN, zalo.base_url, request_timeout=1.0) as api:
        with pytest.raises(Transient):
            await api.send_message(USER, "một")
    assert zalo.slowed == 1


@pytest.mark.parametrize("as_http_status", [False, True])
async def test_wrong_token_is_invalid_token(zalo, as_http_status):
    zalo.errors_as_http_status = as_http_status
    async with ZaloBotAPI(f"{BOT_ID}:wrong-secret-0000", zalo.base_url) as api:
        with pytest.raises(InvalidZaloToken) as e:
            await api.get_me()
    assert e.value.code == 401 and zalo.unauthorized == 1


async def test_too_long_text_is_refused_by_the_platform(zalo, api):
    text = "😀" * 1001  # 1001 characters, 2002 UTF-16 units
    assert utf16_len(text) == 2002
    with pytest.raises(ZaloError) as e:
        await api.send_message(USER, text)
    assert e.value.code == 400 and not isinstance(e.value, InvalidZaloToken)
    await api.send_message(USER, "ệ" * 2000)  # Vietnamese letters are one unit each
    assert len(zalo.sent) == 1


@pytest.mark.parametrize(
    "error",
    [
        (404, "Not found: chat does not exist"),
        (403, "Forbidden: user has blocked the bot"),
        (400, "Bad request: chat not found"),
    ],
)
async def test_blocked_or_unknown_chat_is_gone(zalo, api, error):
    zalo.gone_error = error
    zalo.blocked.add(USER)
    with pytest.raises(Gone):
        await api.send_message(USER, "nhắc họp")


async def test_a_refusal_not_about_the_chat_is_not_gone(zalo, api):
    zalo.api_sendMessage = _answer(
        {"ok": False, "error_code": 400, "description": "Bad request: forbidden characters"}, 200
    )
    with pytest.raises(ZaloError) as e:  # Gone is no ZaloError: it would escape this
        await api.send_message(USER, "x")
    assert e.value.code == 400


@pytest.mark.parametrize("error", [(404, "Not found"), (403, "Internal server error")])
async def test_a_json_refusal_not_naming_the_chat_is_retried_not_gone(zalo, api, error):
    zalo.gone_error = error
    zalo.blocked.add(USER)
    with pytest.raises(Transient):
        await api.send_message(USER, "nhắc họp")


async def test_a_proxys_404_page_is_retried_not_gone(zalo, api):
    zalo.api_sendMessage = _answer_html(404, "<html><body>404 Not Found</body></html>")
    with pytest.raises(Transient):
        await api.send_message(USER, "nhắc họp")


@pytest.mark.parametrize(
    "fault", ["html_429", "json_403", "json_500", "not_json", "reset", "json_429"]
)
async def test_every_refused_poll_raises_something_the_poller_retries(zalo, api, fault):
    zalo.poll_faults = [fault]
    with pytest.raises((RetryLater, Transient, QuotaExceeded)):
        await api.get_updates(timeout=0)
    zalo.text(USER, USER, "xin chào")
    [update] = await api.get_updates(timeout=0)  # the next poll is served
    assert update.text == "xin chào"


async def test_403_documented_as_server_error_is_only_transient(zalo, api):
    zalo.gone_error = (403, "Internal server error")
    zalo.blocked.add(USER)
    with pytest.raises(Transient):
        await api.send_message(USER, "nhắc họp")


async def test_unknown_chat_when_the_fake_knows_its_chats(zalo, api):
    zalo.known_chats = set()
    zalo.text(USER, USER, "xin chào")
    await api.send_message(USER, "chào")
    with pytest.raises(Gone):
        await api.send_message(GROUP, "chào")


# -- webhooks -------------------------------------------------------------------------------


def test_verify_secret():
    assert verify_secret({SECRET_HEADER: "s3cret-abc"}, "s3cret-abc")
    assert verify_secret({"x-bot-api-secret-token": "s3cret-abc"}, "s3cret-abc")
    assert not verify_secret({SECRET_HEADER: "s3cret-abd"}, "s3cret-abc")
    assert not verify_secret({}, "s3cret-abc")
    assert not verify_secret({SECRET_HEADER: ""}, "")


async def test_webhook_delivery_is_verified_and_parsed(zalo, api):
    received: list[ZaloUpdate] = []

    async def hook(request: web.Request) -> web.Response:
        if not verify_secret(request.headers, "bí-mật-webhook-1"):
            return web.Response(status=403)
        update = api.parse(await request.json())
        if update:
            received.append(update)
        return web.json_response({"message": "Success"})

    app = web.Application()
    app.router.add_post("/zalo", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/zalo"
    try:
        await api.set_webhook(url, "bí-mật-webhook-1")
        zalo.text(USER, USER, "hạn nộp báo cáo")
        assert await api.get_updates(timeout=0) == []  # polling is dead while a webhook is set
        assert await zalo.deliver_webhook(url) == 200
        zalo.text(USER, USER, "giả mạo")
        assert await zalo.deliver_webhook(url, secret="sai-bí-mật") == 403
    finally:
        await runner.cleanup()
    assert [u.text for u in received] == ["hạn nộp báo cáo"]


# -- parse_update never raises ----------------------------------------------------------------

TEXT = {
    "event_name": "message.text.received",
    "message": {
        "from": {"id": "6ede9afa66b88fe6d6a9", "display_name": "Ted", "is_bot": False},
        "chat": {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"},
        "text": "Xin chào",
        "message_id": "2d758cb5e222177a4e35",
        "date": 1750316131602,
    },
}


@pytest.mark.parametrize(
    "payload",
    [
        TEXT,
        {"ok": True, "result": TEXT},
        {"ok": True, "result": [TEXT]},
        [{"ok": True, "result": TEXT}],
    ],
)
def test_parse_update_accepts_every_documented_and_live_form(payload):
    update = parse_update(payload)
    assert (update.chat_id, update.text, update.message_id) == (
        "6ede9afa66b88fe6d6a9",
        "Xin chào",
        "2d758cb5e222177a4e35",
    )
    assert update.date == datetime(2025, 6, 19, 6, 55, 31, 602000, tzinfo=UTC)


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "",
        "text",
        42,
        [],
        [None, 1],
        {},
        {"ok": False, "error_code": 408, "description": "Request timeout"},
        {"ok": True},
        {"ok": True, "result": None},
        {"ok": True, "result": {}},
        {"ok": True, "result": "x"},
        {"event_name": "message.unsupported.received"},
        {"event_name": "message.text.received", "message": None},
        {"event_name": "message.text.received", "message": {"text": "no chat"}},
        {"event_name": "message.text.received", "message": {"chat": "x", "from": 5}},
        {"event_name": ["x"], "message": {"chat": {"id": {"a": 1}}, "from": {"id": []}}},
    ],
)
def test_parse_update_returns_none_for_what_it_cannot_use(payload):
    assert parse_update(payload) is None


@pytest.mark.parametrize(
    "message",
    [
        {"chat": {"id": 12345}, "text": None, "date": "soon"},
        {"chat": {"id": "a", "chat_type": 7}, "from": {"id": True}, "date": float("nan")},
        {"chat": {"id": "a", "chat_type": "group"}, "text": "@", "mentions": [{"offset": "x"}]},
        {"chat": {"id": "a"}, "text": 5, "date": 10**30, "from": {"display_name": ["x"]}},
        {"chat": {"id": "a", "chat_type": "GROUP"}, "text": "@Bot x", "mentions": [None, {}]},
    ],
)
def test_parse_update_survives_odd_fields(message):
    update = parse_update({"event_name": "message.text.received", "message": message})
    assert update is not None and isinstance(update.text, str)
    assert update.date is None or update.date.tzinfo is not None


def test_structured_mentions_of_the_bot_are_removed():
    message = {
        "chat": {"id": "g1", "chat_type": "GROUP"},
        "from": {"id": "u1"},
        "text": "@Bot Chi bộ học gì",
        "mentions": [{"uid": BOT_ID, "offset": 0, "length": 11}],
    }
    update = parse_update(
        {"event_name": "message.text.received", "message": message}, bot_id=BOT_ID
    )
    assert update.text == "học gì" and update.mentions_bot


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Bot Chi bộ (P.3)", "@Bot Chi bộ (P.3) học gì", "học gì"),
        ("Bot Chi bộ", "nhờ @Bot Chi bộ xem lịch", "nhờ xem lịch"),
        ("Bot Chi bộ", "@Bot Chi bộ3 là người khác", "@Bot Chi bộ3 là người khác"),
    ],
)
def test_named_mentions_are_removed_only_when_whole(name, text, expected):
    payload = {"message": {"chat": {"id": "g", "chat_type": "GROUP"}, "text": text}}
    assert parse_update(payload, bot_names=(name,)).text == expected


def test_utf16_len():
    assert utf16_len("") == 0
    assert utf16_len("Thứ Năm, 25/8/2022") == len("Thứ Năm, 25/8/2022")
    assert utf16_len("📚🗓") == 4
    assert utf16_len("e\u0301") == 2  # decomposed Vietnamese counts every mark


# -- the token never leaks --------------------------------------------------------------------


async def test_token_never_in_logs_exceptions_or_repr(zalo, caplog):
    caplog.set_level(logging.DEBUG)
    api = ZaloBotAPI(TOKEN, zalo.base_url, request_timeout=2.0)  # a busy machine answers within
    errors: list[BaseException] = []
    await api.get_me()
    await api.send_message(USER, "một")
    for setup in (
        lambda: setattr(zalo, "reset_next", 1),
        lambda: setattr(zalo, "fail_next", 1),
        lambda: (setattr(zalo, "slow_next", 1), setattr(zalo, "slow_seconds", 60.0)),
        lambda: zalo.blocked.add(USER),
    ):
        setup()
        try:
            await api.send_message(USER, "hai")
        except Exception as e:
            errors.append(e)
    await api.aclose()
    async with ZaloBotAPI(TOKEN, "http://127.0.0.1:1/bot", request_timeout=0.5) as dead:
        with pytest.raises(Transient) as refused:
            await dead.get_me()
    errors.append(refused.value)
    assert len(errors) == 5
    texts = [caplog.text, repr(api), repr(dead)]
    texts += [f"{e!s} {e!r} {e.__cause__!r} {e.__context__!r}" for e in errors]
    assert "HTTP Request" in caplog.text  # httpx did log its requests, redacted
    for text in texts:
        assert TOKEN not in text and SECRET_PART not in text


def _answer_html(status: int, text: str):
    async def handler(params):
        return web.Response(status=status, text=text, content_type="text/html")

    return handler


def _answer(body: dict, status: int):
    async def handler(params):
        return web.json_response(body, status=status)

    return handler
