"""Configuration from the environment and `.env`. Bad or missing values stop start-up with one line
that names the variable; secrets (SECRET_VARIABLES) never appear in any output."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from dotenv import dotenv_values

from bot import clock
from bot.redaction import SECRETS, RedactingFilter, RedactingFormatter

# Every variable whose value no output, log line or traceback may show: each is registered with
# bot.redaction as soon as it is read. A new secret is one more name here.
SECRET_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "ZALO_BOT_TOKEN",
    "CHIBO_WEBHOOK_SECRET",
    "CHIBO_ZALO_WEBHOOK_SECRET",
)


class ConfigError(Exception):
    """One clear line, in Vietnamese, naming the variable. A message that quotes a bad value is
    redacted, in case the value holds a secret (a token pasted into a URL)."""

    def __init__(self, message: str) -> None:
        super().__init__(SECRETS.redact(message))


ZALO_API_BASE = "https://bot-api.zaloplatforms.com/bot"
PLATFORMS = ("telegram", "zalo")


@dataclass(frozen=True)
class Webhook:
    """Where a platform delivers updates, and the secret it must present (checked together by
    webhook())."""

    url: str
    secret: str


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    api_base_url: str | None = None  # a local Bot API server or a test's fake; None: Telegram's
    webhook: Webhook | None = None  # None: polling
    platform: ClassVar[str] = "telegram"


@dataclass(frozen=True)
class ZaloConfig:
    token: str
    api_base_url: str = ZALO_API_BASE
    webhook: Webhook | None = None  # None: polling
    monthly_limit: int = 3000  # messages a month; 0: no limit
    bot_name: str | None = None  # the name members type after @ in a group
    platform: ClassVar[str] = "zalo"


ChannelConfig = TelegramConfig | ZaloConfig


@dataclass(frozen=True)
class WebhookServer:
    """The one HTTP server every channel receiving by webhook shares."""

    listen: str = "0.0.0.0"
    port: int = 8443


@dataclass(frozen=True)
class Config:
    telegram: TelegramConfig | None = None  # None: no TELEGRAM_BOT_TOKEN
    zalo: ZaloConfig | None = None  # None: no ZALO_BOT_TOKEN
    webhook_server: WebhookServer = WebhookServer()
    admins: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (platform, user id)
    db_path: Path = Path("data/chibo.json")
    db_url: str | None = None  # CHIBO_DB=postgresql://…: PostgreSQL instead of the TinyDB file
    start_at: datetime | None = None  # rehearsal: the clock starts here and runs
    grace_hours: int = 24
    log_level: str = "INFO"
    plans_dir: Path | None = None  # published plans, beside the shipped ones (CHIBO_PLANS_DIR)
    committees_file: Path | None = None  # who manages which plans (bot/plans/committees.py)

    @property
    def channels(self) -> tuple[ChannelConfig, ...]:
        """The configured channels' sections, in the order they are served (Zalo first)."""
        return tuple(s for s in (self.zalo, self.telegram) if s is not None)


_TOKEN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
_ZALO_TOKEN = re.compile(r"^[A-Za-z0-9_-]+:[A-Za-z0-9_-]{8,}$")  # <bot_id>:<secret>
_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")


def register_secrets(env_file: Path | None) -> None:
    _env(env_file)


def _env(env_file: Path | None) -> dict[str, str]:
    for name in SECRET_VARIABLES:  # the environment's first: the file may be unreadable
        SECRETS.add(name, os.environ.get(name))
    try:
        values = (
            {k: v for k, v in dotenv_values(env_file).items() if v is not None}
            if env_file and env_file.is_file()
            else {}
        )
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(
            f"Không đọc được tệp cấu hình {env_file} ({type(e).__name__}): cần tệp văn bản UTF-8."
        ) from None
    values.update(
        {k: v for k, v in os.environ.items() if k.startswith(("TELEGRAM_", "CHIBO_", "ZALO_"))}
    )
    for name in SECRET_VARIABLES:  # before any check can quote a value
        SECRETS.add(name, values.get(name))
    return values


def load(
    env_file: Path | None = Path(".env"), now_override: str | None = None, need_token: bool = True
) -> Config:
    env = _env(env_file)
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    zalo_token = env.get("ZALO_BOT_TOKEN", "").strip()
    if need_token and not token and not zalo_token:
        raise ConfigError(
            "Thiếu token: ghi ZALO_BOT_TOKEN (lấy từ Zalo Bot Creator) hoặc TELEGRAM_BOT_TOKEN "
            "(lấy từ @BotFather) vào tệp .env — một trong hai là đủ."
        )
    if token and not _TOKEN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN không đúng dạng (số:chuỗi ký tự, lấy từ @BotFather).")
    if zalo_token and not _ZALO_TOKEN.match(zalo_token):
        raise ConfigError(
            "ZALO_BOT_TOKEN không đúng dạng (mã bot:chuỗi bí mật, lấy từ Zalo Bot Creator)."
        )
    base = _url(env, "TELEGRAM_API_BASE_URL")
    zalo_base = _url(env, "ZALO_API_BASE_URL") or ZALO_API_BASE
    admins = _admins(env.get("CHIBO_ADMINS", ""))
    zalo_webhook = webhook(
        env, "CHIBO_ZALO_WEBHOOK_URL", "CHIBO_ZALO_WEBHOOK_SECRET", "webhook Zalo"
    )
    limit_raw = env.get("CHIBO_ZALO_MONTHLY_LIMIT", "3000").strip()
    if not limit_raw.isdigit():
        raise ConfigError(
            f"CHIBO_ZALO_MONTHLY_LIMIT phải là số tin mỗi tháng (0 = không giới hạn): “{limit_raw}”."
        )
    telegram_webhook = webhook(env, "CHIBO_WEBHOOK_URL", "CHIBO_WEBHOOK_SECRET", "webhook")
    port_raw = env.get("CHIBO_WEBHOOK_PORT", "8443")
    if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
        raise ConfigError(f"CHIBO_WEBHOOK_PORT không hợp lệ: “{port_raw}”.")
    start_raw = now_override or env.get("CHIBO_NOW", "").strip() or None
    start_at = None
    if start_raw:
        try:
            start_at = clock.parse_moment(start_raw)
        except ValueError:
            raise ConfigError(
                f"CHIBO_NOW / --now không hợp lệ: “{start_raw}” (viết 2022-07-05T08:00)."
            ) from None
    grace_raw = env.get("CHIBO_GRACE_HOURS", "24")
    if not grace_raw.isdigit():
        raise ConfigError(f"CHIBO_GRACE_HOURS phải là số giờ: “{grace_raw}”.")
    level = env.get("CHIBO_LOG_LEVEL", "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"CHIBO_LOG_LEVEL phải là DEBUG, INFO, WARNING hoặc ERROR: “{level}”.")
    db_raw = env.get("CHIBO_DB", "").strip() or "data/chibo.json"
    # a postgresql:// URL is checked when it is opened (bot/stores/backend.py); Path() would mangle it
    db_url = db_raw if re.match(r"^postgres(ql)?://", db_raw, re.IGNORECASE) else None
    db_path = Path("data/chibo.json") if db_url else Path(db_raw)
    if db_url is None:
        check_db_path(db_path, create=need_token)  # the commands that only look create nothing
    plans_dir, committees_file = _plans_dir(env)
    return Config(
        telegram=TelegramConfig(token, base, telegram_webhook) if token else None,
        zalo=ZaloConfig(
            zalo_token,
            zalo_base,
            zalo_webhook,
            int(limit_raw),
            env.get("ZALO_BOT_NAME", "").strip() or None,
        )
        if zalo_token
        else None,
        webhook_server=WebhookServer(env.get("CHIBO_WEBHOOK_LISTEN", "0.0.0.0"), int(port_raw)),
        admins=admins,
        db_path=db_path,
        db_url=db_url,
        start_at=start_at,
        grace_hours=int(grace_raw),
        log_level=level,
        plans_dir=plans_dir,
        committees_file=committees_file,
    )


def webhook(env: dict[str, str], url_name: str, secret_name: str, used_for: str) -> Webhook | None:
    """A platform's webhook: its URL (https) and the secret the platform must present, checked
    together; None when no URL is set (the channel polls)."""
    url = env.get(url_name, "").strip() or None
    secret = env.get(secret_name, "").strip() or None
    if url is None:
        return None
    if not url.startswith("https://"):
        raise ConfigError(f"{url_name} phải bắt đầu bằng https://.")
    if not secret or not _SECRET.fullmatch(secret):
        raise ConfigError(f"{secret_name} cần từ 16 ký tự (chữ, số, _ hoặc -) khi dùng {used_for}.")
    return Webhook(url, secret)


def _plans_dir(env: dict[str, str]) -> tuple[Path | None, Path | None]:
    """CHIBO_PLANS_DIR (created when missing) and the committees file: CHIBO_COMMITTEES, else
    committees.yaml in the plans folder. A committees file that is wrong stops start-up here."""
    from bot.plans import committees

    raw = env.get("CHIBO_PLANS_DIR", "").strip()
    plans_dir = Path(raw) if raw else None
    if plans_dir is not None:
        if plans_dir.exists() and not plans_dir.is_dir():
            raise ConfigError(f"CHIBO_PLANS_DIR “{plans_dir}” là một tệp; cần một thư mục.")
        try:
            plans_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(
                f"CHIBO_PLANS_DIR “{plans_dir}”: không tạo được thư mục ({e.strerror or e})."
            ) from None
    named = env.get("CHIBO_COMMITTEES", "").strip()
    if named and not Path(named).is_file():
        raise ConfigError(f"CHIBO_COMMITTEES: không có tệp “{named}”.")
    path = Path(named) if named else plans_dir / committees.FILE_NAME if plans_dir else None
    try:
        committees.load(path)
    except committees.CommitteesError as e:
        raise ConfigError(f"CHIBO_COMMITTEES: {e}") from None
    return plans_dir, path


def _url(env: dict[str, str], name: str) -> str | None:
    value = env.get(name, "").strip().rstrip("/") or None
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise ConfigError(f"{name} không phải địa chỉ http(s): “{value}”.")
    return value


def _admins(raw: str) -> frozenset[tuple[str, str]]:
    """ "telegram:123, zalo:8a3f…, 456" → {(platform, user id)}; bare digits stay Telegram, as
    before Zalo (Zalo ids are hexadecimal strings and need their prefix)."""
    admins = set()
    for item in (a.strip() for a in re.split(r"[,\s]+", raw) if a.strip()):
        platform, _, user_id = item.rpartition(":")
        platform = platform.lower() or "telegram"
        ok = (
            platform in PLATFORMS
            and bool(user_id)
            and (user_id.lstrip("-").isdigit() if platform == "telegram" else user_id.isalnum())
        )
        if not ok:
            raise ConfigError(
                "CHIBO_ADMINS: mỗi người viết dạng telegram:<mã số> hoặc zalo:<mã>, cách nhau dấu "
                f"phẩy; số trơn là Telegram (sai: {item})."
            )
        admins.add((platform, user_id))
    return frozenset(admins)


def check_db_path(path: Path, create: bool = True) -> None:
    """CHIBO_DB must be a file in a folder the bot can write (created here when missing, unless
    `create` is off: a command that only reads must not leave an empty folder behind): said
    now, in one line, rather than as a traceback from the first write."""
    if path.is_dir():
        raise ConfigError(
            f"CHIBO_DB “{path}” là một thư mục; cần đường dẫn tới tệp, ví dụ {path}/chibo.json."
        )
    folder = path.parent
    for above in [folder, *folder.parents]:
        if above.exists() and not above.is_dir():
            raise ConfigError(
                f"CHIBO_DB “{path}” không dùng được: “{above}” là một tệp, không phải thư mục."
            )
    if not create and not folder.exists():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(
            f"CHIBO_DB “{path}”: không tạo được thư mục “{folder}” ({e.strerror or e})."
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.R_OK | os.W_OK)
    ):
        raise ConfigError(f"CHIBO_DB “{path}”: bot không có quyền ghi vào “{folder}”.")


class RedactToken(RedactingFilter):
    """A logging filter that hides `token` (as TELEGRAM_BOT_TOKEN) and every other registered
    secret, for handlers set up outside setup_logging (tests' caplog)."""

    def __init__(self, token: str) -> None:
        SECRETS.add("TELEGRAM_BOT_TOKEN", token)
        super().__init__()


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(config: Config) -> None:
    """One handler on stderr, redacting at every level. At DEBUG the request lines of httpx are
    kept (their URLs carry the token, redacted like everything else); otherwise one line per poll
    is noise."""
    # a Config built in code (tests) never went through _env
    for section, token_name, secret_name in (
        (config.telegram, "TELEGRAM_BOT_TOKEN", "CHIBO_WEBHOOK_SECRET"),
        (config.zalo, "ZALO_BOT_TOKEN", "CHIBO_ZALO_WEBHOOK_SECRET"),
    ):
        if section is not None:
            SECRETS.add(token_name, section.token)
            SECRETS.add(secret_name, section.webhook.secret if section.webhook else None)
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(config.log_level)
    logging.getLogger("httpx").setLevel(
        logging.NOTSET if config.log_level == "DEBUG" else logging.WARNING
    )
    logging.captureWarnings(True)  # library warnings go through the same redacting handler
