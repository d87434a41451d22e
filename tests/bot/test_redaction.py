"""Secrets never reach output, and every `chibo` command fails with one Vietnamese line."""

from __future__ import annotations

import logging
import re
import tempfile

import pytest

from bot import cli, config
from bot.cli import main
from bot.redaction import SECRETS

TOKEN = "7012345678:AAHk3_Zq9-secretPartOfTheTokenXyz12"
SECRET = TOKEN.partition(":")[2]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for key in list(__import__("os").environ):
        if key.startswith(("TELEGRAM_", "CHIBO_", "ZALO_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no stray .env; a crash report lands in tmp_path
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture
def root_logging():
    """setup_logging replaces the root handlers: put pytest's back afterwards."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    yield
    root.handlers[:] = saved
    root.setLevel(level)


def shown(text: str) -> bool:
    lowered = text.lower()
    return any(f.lower() in lowered for f in (TOKEN, SECRET, TOKEN.replace(":", "%3A")))


def test_every_form_of_a_token_is_replaced_by_its_name():
    SECRETS.add("TELEGRAM_BOT_TOKEN", TOKEN)
    text = (
        f"POST /bot{TOKEN}/getMe; form token={TOKEN.replace(':', '%3A')} "
        f"and {TOKEN.replace(':', '%3a')}; part {SECRET}."
    )
    redacted = SECRETS.redact(text)
    assert not shown(redacted)
    assert redacted.count("<TELEGRAM_BOT_TOKEN>") == 4
    assert "POST /bot<TELEGRAM_BOT_TOKEN>/getMe" in redacted  # the whole token, not id:<…>


def test_a_zalo_token_and_webhook_secrets_read_from_env_are_secrets(tmp_path):
    zalo = "3145926535:zaloSecretPart_abcdefgh"
    webhook = "hook-secret-0123456789"
    (tmp_path / ".env").write_text(
        f"ZALO_BOT_TOKEN={zalo}\nCHIBO_WEBHOOK_URL=https://x.vn/t\nCHIBO_WEBHOOK_SECRET={webhook}\n"
    )
    config.load(tmp_path / ".env")
    out = SECRETS.redact(f"{zalo} {zalo.split(':')[1]} {webhook}")
    assert out == "<ZALO_BOT_TOKEN> <ZALO_BOT_TOKEN> <CHIBO_WEBHOOK_SECRET>"


def test_log_lines_arguments_and_tracebacks_are_redacted(capsys, root_logging):
    config.setup_logging(config.Config(config.TelegramConfig(TOKEN), log_level="DEBUG"))
    log = logging.getLogger("telegram.ext.ExtBot")
    log.debug("Set Bot API URL: %s", f"https://api.telegram.org/bot{TOKEN}")
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        log.exception("Calling getMe failed for %s", SECRET)
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: The token `<TELEGRAM_BOT_TOKEN>`" in err
    assert "Set Bot API URL: https://api.telegram.org/bot<TELEGRAM_BOT_TOKEN>" in err
    assert not shown(err)


def boom(*args, **kwargs):
    raise RuntimeError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")


def test_an_unexpected_error_is_one_line_with_the_details_in_a_file(monkeypatch, capsys):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setattr(cli.catalog, "load", boom)
    assert main(["plans"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("Lỗi bất ngờ khi chạy “chibo plans” (RuntimeError: cannot reach")
    assert "Traceback" not in err and not shown(err)
    details = re.search(r"chi tiết ghi trong (\S+\.log)\.$", err.strip())
    assert details, err
    with open(details.group(1), encoding="utf-8") as f:
        report = f.read()
    assert "Traceback" in report and "bot<TELEGRAM_BOT_TOKEN>/getMe" in report
    assert not shown(report)


def test_at_debug_the_traceback_is_on_the_terminal_redacted(monkeypatch, capsys):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("CHIBO_LOG_LEVEL", "DEBUG")
    monkeypatch.setattr(cli.catalog, "load", boom)
    assert main(["plans"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: cannot reach" in err
    assert err.strip().splitlines()[-1].startswith("Lỗi bất ngờ khi chạy “chibo plans”")
    assert not shown(err)


@pytest.mark.parametrize(
    "argv, says",
    [
        (["ask", "hi"], "Lỗi dòng lệnh “chibo ask”: thiếu --plan"),
        (["ask", "--plan"], "Lỗi dòng lệnh “chibo ask”: --plan cần một giá trị"),
        (["plans", "frob"], "Lỗi dòng lệnh “chibo plans”: action không nhận 'frob'"),
        (["plans", "--bogus"], "Lỗi dòng lệnh “chibo”: không hiểu tham số --bogus"),
        (
            ["ask", "--plan", "ky-loi-2022", "--today", "2022-13-01", "hạn nộp?"],
            "Lỗi: thời điểm “2022-13-01” không hợp lệ",
        ),
        (
            ["due", "--from", "2022-08-01", "--to", "2022-07-01", "--plan", "ky-loi-2022"],
            "Lỗi: --to (2022-07-01) phải sau --from (2022-08-01).",
        ),
        (["due", "--from", "2022-07-01", "--to", "nay"], "Lỗi: thời điểm “nay” không hợp lệ"),
        (["plans", "check", "."], "Không có tệp kế hoạch (*.yaml) nào trong ."),
        (
            ["due", "--from", "2022-07-01", "--to", "2022-08-01", "--env", "binary.env"],
            "Lỗi cấu hình: Không đọc được tệp cấu hình binary.env",
        ),
    ],
)
def test_bad_command_lines_get_one_vietnamese_line_and_exit_2(tmp_path, capsys, argv, says):
    (tmp_path / "binary.env").write_bytes(b"\xff\xfeTELEGRAM_BOT_TOKEN=x\n")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(says), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_zalo_token_rejected_anywhere_in_the_run_is_one_line_exit_2(monkeypatch, capsys):
    from bot.channels.zalo.api import InvalidZaloToken

    def rejected(*args, **kwargs):
        try:
            raise InvalidZaloToken()
        except InvalidZaloToken as e:  # wrapped, as a task group would
            raise ExceptionGroup("channels", [e]) from None

    monkeypatch.setattr(cli.catalog, "load", rejected)
    assert main(["plans"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Zalo từ chối token: ZALO_BOT_TOKEN") and len(err.splitlines()) == 1


def test_ctrl_c_is_a_quiet_stop(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.catalog, "load", interrupted)
    assert main(["plans"]) == 130
    assert capsys.readouterr().err.strip() == "Đã dừng (Ctrl-C)."
