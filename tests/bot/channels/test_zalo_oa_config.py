"""The OA's configuration section: read from .env, one Vietnamese line naming a bad variable,
its secrets redacted, its admins written zalo-oa:<id>."""

import pytest

from bot import config
from bot.redaction import SECRETS

BASE = "ZALO_OA_APP_ID=1234567890123456789\nZALO_OA_APP_SECRET=AppSecret-abcdefghij0123\n"


def load(tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    for key in list(__import__("os").environ):
        if key.startswith(("TELEGRAM_", "CHIBO_", "ZALO_")):
            monkeypatch.delenv(key)
    env = tmp_path / ".env"
    env.write_text(text, encoding="utf-8")
    return config.load(env)


@pytest.mark.parametrize(
    "text, variable",
    [
        ("ZALO_OA_APP_ID=abc\n", "ZALO_OA_APP_ID"),
        (BASE, "ZALO_OA_SECRET_KEY"),
        ("ZALO_OA_APP_ID=1234567890123456789\nZALO_OA_SECRET_KEY=k", "ZALO_OA_APP_SECRET"),
        (BASE + "ZALO_OA_SECRET_KEY=k\nCHIBO_ZALO_OA_MONTHLY_BUDGET_VND=năm chục nghìn", "BUDGET"),
        (BASE + "ZALO_OA_SECRET_KEY=k\nCHIBO_ZALO_OA_RATE_PER_MIN=0", "RATE_PER_MIN"),
        (BASE + "ZALO_OA_SECRET_KEY=k\nZALO_OA_API_BASE_URL=ftp://x", "ZALO_OA_API_BASE_URL"),
        (BASE + "ZALO_OA_SECRET_KEY=k\nCHIBO_ADMINS=zalo-oa:", "CHIBO_ADMINS"),
        (BASE + "ZALO_OA_SECRET_KEY=k\nCHIBO_ZALO_OA_TEMPLATE_MEETING=mẫu họp", "TEMPLATE_MEETING"),
    ],
)
def test_a_bad_value_names_its_variable(tmp_path, monkeypatch, text, variable):
    with pytest.raises(config.ConfigError, match=variable):
        load(tmp_path, monkeypatch, text)


def test_the_oa_alone_is_enough_to_run_and_its_secrets_are_redacted(tmp_path, monkeypatch):
    cfg = load(
        tmp_path,
        monkeypatch,
        BASE
        + "ZALO_OA_SECRET_KEY=OaSecretKey-klmnopqrst4567\n"
        + "CHIBO_ZALO_OA_MONTHLY_BUDGET_VND=50.000\nCHIBO_ADMINS=zalo-oa:8401234567890123456\n",
    )
    assert cfg.zalo_oa is not None and cfg.telegram is None and cfg.zalo is None
    assert cfg.zalo_oa.monthly_budget == 50_000 and cfg.zalo_oa.rate_per_min == 100
    assert cfg.zalo_oa.api_base_url == "https://openapi.zalo.me"
    assert [s.platform for s in cfg.channels] == ["zalo-oa"]
    assert cfg.admins == frozenset({("zalo-oa", "8401234567890123456")})
    line = SECRETS.redact("secret AppSecret-abcdefghij0123 key OaSecretKey-klmnopqrst4567")
    assert "AppSecret" not in line and "OaSecretKey" not in line


def test_template_ids_per_kind_of_reminder(tmp_path, monkeypatch):
    cfg = load(
        tmp_path,
        monkeypatch,
        BASE
        + "ZALO_OA_SECRET_KEY=k\nCHIBO_ZALO_OA_TEMPLATE_DEADLINE=301234\n"
        + "CHIBO_ZALO_OA_TEMPLATE_TOPIC= 305678 \n",
    )
    assert cfg.zalo_oa is not None
    assert cfg.zalo_oa.templates == config.OATemplates(deadline="301234", topics="305678")
