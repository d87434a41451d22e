import logging

import pytest

from bot import config
from bot.clock import Clock, parse_moment

TOKEN = "123456:" + "A" * 35


def load(tmp_path, monkeypatch, text, **kw):
    monkeypatch.chdir(tmp_path)  # the default CHIBO_DB folder is created where we stand
    for key in list(__import__("os").environ):
        if key.startswith(("TELEGRAM_", "CHIBO_")):
            monkeypatch.delenv(key)
    env = tmp_path / ".env"
    env.write_text(text, encoding="utf-8")
    return config.load(env, **kw)


@pytest.mark.parametrize(
    "text, variable",
    [
        ("", "ZALO_BOT_TOKEN"),
        ("ZALO_BOT_TOKEN=abc", "ZALO_BOT_TOKEN"),
        ("ZALO_BOT_TOKEN=123:abcdefghij\nZALO_API_BASE_URL=ftp://x", "ZALO_API_BASE_URL"),
        (
            "ZALO_BOT_TOKEN=123:abcdefghij\nCHIBO_ZALO_MONTHLY_LIMIT=ba nghìn",
            "CHIBO_ZALO_MONTHLY_LIMIT",
        ),
        (
            "ZALO_BOT_TOKEN=123:abcdefghij\nCHIBO_ZALO_WEBHOOK_URL=https://x.vn/zalo",
            "CHIBO_ZALO_WEBHOOK_SECRET",
        ),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_ADMINS=zalo:", "CHIBO_ADMINS"),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_ADMINS=viber:12", "CHIBO_ADMINS"),
        ("TELEGRAM_BOT_TOKEN=abc", "TELEGRAM_BOT_TOKEN"),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_ADMINS=12,bob", "CHIBO_ADMINS"),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_WEBHOOK_URL=https://x.vn/t", "CHIBO_WEBHOOK_SECRET"),
        (
            f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_WEBHOOK_URL=http://x.vn/t\nCHIBO_WEBHOOK_SECRET={'s' * 20}",
            "CHIBO_WEBHOOK_URL",
        ),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nTELEGRAM_API_BASE_URL=localhost", "TELEGRAM_API_BASE_URL"),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_NOW=5/7/2022", "CHIBO_NOW"),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_GRACE_HOURS=một ngày", "CHIBO_GRACE_HOURS"),
        ("ZALO_BOT_TOKEN=123:abcdefghij, xyz", "ZALO_BOT_TOKEN"),
        ("ZALO_BOT_TOKEN=123:abcdefghij,123:abcdefghij", "ZALO_BOT_TOKEN"),
        (
            "ZALO_BOT_TOKEN=123:abcdefghij\nCHIBO_ZALO_USERS_PER_BOT=năm mươi",
            "CHIBO_ZALO_USERS_PER_BOT",
        ),
        (
            "ZALO_BOT_TOKEN=123:abcdefghij\nCHIBO_ZALO_GROUPS_PER_BOT=-1",
            "CHIBO_ZALO_GROUPS_PER_BOT",
        ),
        ("ZALO_BOT_TOKEN=123:abcdefghij\nZALO_BOT_LINK=zalo.me/x", "ZALO_BOT_LINK"),
        ("ZALO_BOT_TOKEN=123:abcdefghij\nZALO_BOT_NAME=Bot A,Bot B", "ZALO_BOT_NAME"),
    ],
)
def test_bad_configuration_names_the_variable_in_one_line(tmp_path, monkeypatch, text, variable):
    with pytest.raises(config.ConfigError) as e:
        load(tmp_path, monkeypatch, text)
    assert variable in str(e.value) and "\n" not in str(e.value)


def test_good_configuration(tmp_path, monkeypatch):
    c = load(
        tmp_path,
        monkeypatch,
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nCHIBO_ADMINS=12, 34\n"
        "TELEGRAM_API_BASE_URL=http://127.0.0.1:8081/\nCHIBO_NOW=2022-07-05T08:00\n",
    )
    assert c.admins == {
        ("telegram", "12"),
        ("telegram", "34"),
    } and c.telegram == config.TelegramConfig(TOKEN, "http://127.0.0.1:8081")
    assert c.start_at == parse_moment("2022-07-05T08:00") and c.zalo is None


def test_zalo_alone_is_enough_and_admins_name_their_platform(tmp_path, monkeypatch):
    c = load(
        tmp_path,
        monkeypatch,
        "ZALO_BOT_TOKEN=1234567890:AbCdEfGh_ij-KLmn\n"
        "CHIBO_ADMINS=telegram:12, zalo:8a3f9c0d1e2b, 56\n"
        "ZALO_API_BASE_URL=http://127.0.0.1:9000/bot/\nCHIBO_ZALO_MONTHLY_LIMIT=500\n",
    )
    assert c.telegram is None and c.zalo and c.zalo.token == "1234567890:AbCdEfGh_ij-KLmn"
    assert c.admins == {("telegram", "12"), ("zalo", "8a3f9c0d1e2b"), ("telegram", "56")}
    assert c.zalo.api_base_url == "http://127.0.0.1:9000/bot" and c.zalo.monthly_limit == 500


def test_zalo_defaults_to_the_platform_and_its_free_tier(tmp_path, monkeypatch):
    c = load(tmp_path, monkeypatch, "ZALO_BOT_TOKEN=1234567890:AbCdEfGh_ij-KLmn\n")
    assert c.zalo == config.ZaloConfig(
        "1234567890:AbCdEfGh_ij-KLmn", "https://bot-api.zaloplatforms.com/bot", None, 3000
    )


def test_several_zalo_tokens_make_a_pool_the_first_keeping_its_key(tmp_path, monkeypatch):
    c = load(
        tmp_path,
        monkeypatch,
        "ZALO_BOT_TOKEN=111:AbCdEfGh_ij, 222:ZyXwVuTs_rq\n"
        "ZALO_BOT_NAME=Bot Trợ lý Chi bộ, Bot Chi bộ Hai\n"
        "ZALO_BOT_LINK=,https://zalo.me/s/hai\n"
        "CHIBO_ZALO_USERS_PER_BOT=40\nCHIBO_ZALO_GROUPS_PER_BOT=0\n"
        f"CHIBO_ZALO_WEBHOOK_URL=https://x.vn/zalo\nCHIBO_ZALO_WEBHOOK_SECRET={'s' * 20}\n",
    )
    first, second = c.zalo_bots
    assert (first.key, first.bot_name, first.share_link) == ("zalo", "Bot Trợ lý Chi bộ", None)
    assert (second.key, second.bot_name) == ("zalo-222", "Bot Chi bộ Hai")
    assert second.share_link == "https://zalo.me/s/hai" and second.token == "222:ZyXwVuTs_rq"
    assert (first.users_cap, first.groups_cap) == (40, 0) == (second.users_cap, second.groups_cap)
    assert first.webhook.url == "https://x.vn/zalo" and first.webhook_path == "/zalo"
    assert second.webhook.url == "https://x.vn/zalo/222" and second.webhook_path == "/zalo/222"
    assert c.channels == (first, second)


def test_cli_run_stops_with_one_line_when_the_token_is_missing(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    for key in list(__import__("os").environ):
        if key.startswith(("TELEGRAM_", "CHIBO_")):
            monkeypatch.delenv(key)
    (tmp_path / ".env").write_text("CHIBO_DB=x.json\n")
    assert main(["run", "--env", str(tmp_path / ".env")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi cấu hình: Thiếu token: ghi ZALO_BOT_TOKEN") and "\n" not in err


def test_token_is_redacted_from_log_records():
    record = logging.LogRecord(
        "httpx", logging.INFO, "", 0, "POST https://api.telegram.org/bot%s/getMe", (TOKEN,), None
    )
    config.RedactToken(TOKEN).filter(record)
    assert TOKEN not in record.getMessage() and "<TELEGRAM_BOT_TOKEN>" in record.getMessage()


def test_rehearsal_clock_starts_at_the_chosen_moment_and_runs():
    seconds = [100.0]
    clock = Clock(parse_moment("2022-07-05T08:00"), monotonic=lambda: seconds[0])
    assert clock.now() == parse_moment("2022-07-05T08:00")
    seconds[0] += 60
    assert clock.now() == parse_moment("2022-07-05T08:01")
    clock.advance_to(parse_moment("2022-08-01T07:30"))
    assert clock.now() == parse_moment("2022-08-01T07:30")
    clock.advance_to(parse_moment("2022-07-01T00:00"))  # never back
    assert clock.now() == parse_moment("2022-08-01T07:30")
