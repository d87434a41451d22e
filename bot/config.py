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
    "ZALO_OA_APP_SECRET",
    "ZALO_OA_SECRET_KEY",
    "ZALO_OA_REFRESH_TOKEN",
)


class ConfigError(Exception):
    """One clear line, in Vietnamese, naming the variable. A message that quotes a bad value is
    redacted, in case the value holds a secret (a token pasted into a URL)."""

    def __init__(self, message: str) -> None:
        super().__init__(SECRETS.redact(message))


ZALO_API_BASE = "https://bot-api.zaloplatforms.com/bot"
PLATFORMS = ("telegram", "zalo", "zalo-oa")


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


ZALO_KEY = "zalo"  # the first bot's chats are stored under it, as before pools existed


@dataclass(frozen=True)
class ZaloConfig:
    """One Zalo bot (ZALO_BOT_TOKEN may list several: a pool, each a channel of its own)."""

    token: str
    api_base_url: str = ZALO_API_BASE
    webhook: Webhook | None = None  # None: polling
    monthly_limit: int = 3000  # messages a month; 0: no limit
    bot_name: str | None = None  # the name members type after @ in a group
    key: str = ZALO_KEY  # the bot's chats, counts and journals are kept under this key
    users_cap: int = 50  # distinct users the bot serves; 0: no cap
    groups_cap: int = 3  # groups the bot serves; 0: no cap
    share_link: str | None = None  # where a newcomer turned away elsewhere can find this bot
    platform: ClassVar[str] = "zalo"

    @property
    def bot_id(self) -> str:
        """The bot's id, the part of its token before the colon (the platform's token format)."""
        return self.token.partition(":")[0]

    @property
    def webhook_path(self) -> str:
        return "/zalo" if self.key == ZALO_KEY else f"/zalo/{self.bot_id}"


ZALO_OA_API_BASE = "https://openapi.zalo.me"
ZALO_OA_OAUTH_BASE = "https://oauth.zaloapp.com"


@dataclass(frozen=True)
class ZaloOAConfig:
    """A Zalo Official Account (bot/channels/zalo_oa/): its App, the OA's webhook key, the
    first refresh token (when `chibo oa login` was not run), the month's budget and pace."""

    app_id: str
    app_secret: str
    secret_key: str  # the OA secret key: webhook deliveries are signed with it
    refresh_token: str = ""
    api_base_url: str = ZALO_OA_API_BASE
    oauth_base_url: str = ZALO_OA_OAUTH_BASE
    monthly_budget: int = 0  # đồng a month for messages past the free window; 0: none
    rate_per_min: int = 100  # the package's limit ("Tăng trưởng": 100 requests a minute)
    platform: ClassVar[str] = "zalo-oa"


ChannelConfig = TelegramConfig | ZaloConfig | ZaloOAConfig


@dataclass(frozen=True)
class WebhookServer:
    """The one HTTP server every channel receiving by webhook shares."""

    listen: str = "0.0.0.0"
    port: int = 8443


@dataclass(frozen=True)
class WebConfig:
    """The committee's web page (bot/web/), served by `chibo run` itself."""

    port: int = 8080
    listen: str = "127.0.0.1"  # a reverse proxy in front publishes it
    url: str | None = None  # how users reach it (CHIBO_WEB_URL); None: http://<listen>:<port>

    @property
    def base_url(self) -> str:
        return self.url or f"http://{self.listen}:{self.port}"


@dataclass(frozen=True)
class Config:
    telegram: TelegramConfig | None = None  # None: no TELEGRAM_BOT_TOKEN
    zalo: ZaloConfig | None = None  # None: no ZALO_BOT_TOKEN; the first bot of a pool
    zalo_pool: tuple[ZaloConfig, ...] = ()  # the further bots of ZALO_BOT_TOKEN, in its order
    zalo_oa: ZaloOAConfig | None = None  # None: no ZALO_OA_APP_ID
    webhook_server: WebhookServer = WebhookServer()
    admins: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (platform, user id)
    db_path: Path = Path("data/chibo.json")
    db_url: str | None = None  # CHIBO_DB=postgresql://…: PostgreSQL instead of the TinyDB file
    start_at: datetime | None = None  # rehearsal: the clock starts here and runs
    grace_hours: int = 24
    log_level: str = "INFO"
    plans_dir: Path | None = None  # published plans, beside the shipped ones (CHIBO_PLANS_DIR)
    committees_file: Path | None = None  # who manages which plans (bot/plans/committees.py)
    web: WebConfig | None = (
        None  # None: no web page (CHIBO_WEB_PORT=off, or a Config built in code)
    )

    @property
    def channels(self) -> tuple[ChannelConfig, ...]:
        """The configured channels' sections, in the order they are served (Zalo first)."""
        sections = (self.zalo, *self.zalo_pool, self.zalo_oa, self.telegram)
        return tuple(s for s in sections if s is not None)

    @property
    def zalo_bots(self) -> tuple[ZaloConfig, ...]:
        return (self.zalo, *self.zalo_pool) if self.zalo is not None else ()


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
    zalo_oa = _zalo_oa(env)
    if need_token and not token and not zalo_token and zalo_oa is None:
        raise ConfigError(
            "Thiếu token: ghi ZALO_BOT_TOKEN (lấy từ Zalo Bot Creator) hoặc TELEGRAM_BOT_TOKEN "
            "(lấy từ @BotFather) vào tệp .env — một trong hai là đủ."
        )
    if token and not _TOKEN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN không đúng dạng (số:chuỗi ký tự, lấy từ @BotFather).")
    zalo_tokens = [t.strip() for t in zalo_token.split(",") if t.strip()]
    for each in zalo_tokens:
        if not _ZALO_TOKEN.match(each):
            raise ConfigError(
                "ZALO_BOT_TOKEN không đúng dạng (mã bot:chuỗi bí mật, lấy từ Zalo Bot Creator; "
                "nhiều bot thì cách nhau dấu phẩy)."
            )
    for each in zalo_tokens:
        SECRETS.add("ZALO_BOT_TOKEN", each)  # each token of a pool, not only the whole line
    if len({t.partition(":")[0] for t in zalo_tokens}) < len(zalo_tokens):
        raise ConfigError("ZALO_BOT_TOKEN: cùng một bot được ghi hai lần.")
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
    zalo_bots = _zalo_pool(env, zalo_tokens, zalo_base, zalo_webhook, int(limit_raw))
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
    web = _web(env)
    return Config(
        telegram=TelegramConfig(token, base, telegram_webhook) if token else None,
        zalo=zalo_bots[0] if zalo_bots else None,
        zalo_pool=tuple(zalo_bots[1:]),
        zalo_oa=zalo_oa,
        webhook_server=WebhookServer(env.get("CHIBO_WEBHOOK_LISTEN", "0.0.0.0"), int(port_raw)),
        admins=admins,
        db_path=db_path,
        db_url=db_url,
        start_at=start_at,
        grace_hours=int(grace_raw),
        log_level=level,
        plans_dir=plans_dir,
        committees_file=committees_file,
        web=web,
    )


def _zalo_pool(
    env: dict[str, str],
    tokens: list[str],
    base: str,
    hook: Webhook | None,
    monthly_limit: int,
) -> list[ZaloConfig]:
    """One section per token of ZALO_BOT_TOKEN. The first bot keeps the key "zalo" (its chats
    carry over from single-bot data); each further one is known by its bot id. Per-bot names and
    share links are comma-separated in the same order; caps are the same for every bot."""
    caps = {}
    for name, default in (("CHIBO_ZALO_USERS_PER_BOT", "50"), ("CHIBO_ZALO_GROUPS_PER_BOT", "3")):
        raw = env.get(name, default).strip()
        if not raw.isdigit():
            raise ConfigError(f"{name} phải là một số (0 = không giới hạn): “{raw}”.")
        caps[name] = int(raw)

    def per_bot(name: str) -> list[str | None]:
        values = [v.strip() or None for v in env.get(name, "").split(",")]
        if len(values) > len(tokens) and any(values[len(tokens) :]):
            raise ConfigError(f"{name}: nhiều giá trị hơn số bot trong ZALO_BOT_TOKEN.")
        return values + [None] * (len(tokens) - len(values))

    names, links = per_bot("ZALO_BOT_NAME"), per_bot("ZALO_BOT_LINK")
    for link in links:
        if link and not re.match(r"^https?://\S+$", link):
            raise ConfigError(f"ZALO_BOT_LINK không phải địa chỉ http(s): “{link}”.")
    bots = []
    for i, token in enumerate(tokens):
        bot_id = token.partition(":")[0]
        key = ZALO_KEY if i == 0 else f"{ZALO_KEY}-{bot_id}"
        own_hook = hook
        if hook is not None and i > 0:  # each bot its own path on the one server
            own_hook = Webhook(f"{hook.url.rstrip('/')}/{bot_id}", hook.secret)
        bots.append(
            ZaloConfig(
                token,
                base,
                own_hook,
                monthly_limit,
                names[i],
                key=key,
                users_cap=caps["CHIBO_ZALO_USERS_PER_BOT"],
                groups_cap=caps["CHIBO_ZALO_GROUPS_PER_BOT"],
                share_link=links[i],
            )
        )
    return bots


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


def _zalo_oa(env: dict[str, str]) -> ZaloOAConfig | None:
    """The OA section, when ZALO_OA_APP_ID is set: the App's secret and the OA's secret key are
    then required, the rest has defaults."""
    app_id = env.get("ZALO_OA_APP_ID", "").strip()
    if not app_id:
        return None
    if not app_id.isdigit():
        raise ConfigError("ZALO_OA_APP_ID phải là mã số của ứng dụng (xem developers.zalo.me).")
    needed = {}
    for name in ("ZALO_OA_APP_SECRET", "ZALO_OA_SECRET_KEY"):
        needed[name] = env.get(name, "").strip()
        if not needed[name]:
            raise ConfigError(f"Thiếu {name} (xem trang ứng dụng trên developers.zalo.me).")
    numbers = {}
    for name, default in (
        ("CHIBO_ZALO_OA_MONTHLY_BUDGET_VND", "0"),
        ("CHIBO_ZALO_OA_RATE_PER_MIN", "100"),
    ):
        raw = env.get(name, default).strip().replace(".", "")
        if not raw.isdigit() or (name.endswith("PER_MIN") and int(raw) == 0):
            raise ConfigError(f"{name} phải là một số nguyên dương: “{raw}”.")
        numbers[name] = int(raw)
    return ZaloOAConfig(
        app_id,
        needed["ZALO_OA_APP_SECRET"],
        needed["ZALO_OA_SECRET_KEY"],
        env.get("ZALO_OA_REFRESH_TOKEN", "").strip(),
        _url(env, "ZALO_OA_API_BASE_URL") or ZALO_OA_API_BASE,
        _url(env, "ZALO_OA_OAUTH_BASE_URL") or ZALO_OA_OAUTH_BASE,
        numbers["CHIBO_ZALO_OA_MONTHLY_BUDGET_VND"],
        numbers["CHIBO_ZALO_OA_RATE_PER_MIN"],
    )


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


def _web(env: dict[str, str]) -> WebConfig | None:
    """CHIBO_WEB_PORT (default 8080; "off" turns the page off), CHIBO_WEB_LISTEN, CHIBO_WEB_URL."""
    port_raw = env.get("CHIBO_WEB_PORT", "8080").strip().lower() or "8080"
    if port_raw in ("off", "tat", "tắt", "0"):
        return None
    if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
        raise ConfigError(f"CHIBO_WEB_PORT không hợp lệ: “{port_raw}” (một cổng, hoặc off để tắt).")
    listen = env.get("CHIBO_WEB_LISTEN", "127.0.0.1").strip() or "127.0.0.1"
    return WebConfig(int(port_raw), listen, _url(env, "CHIBO_WEB_URL"))


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
                "CHIBO_ADMINS: mỗi người viết dạng telegram:<mã số>, zalo:<mã> hoặc zalo-oa:<mã>, "
                f"cách nhau dấu phẩy; số trơn là Telegram (sai: {item})."
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
        *((z, "ZALO_BOT_TOKEN", "CHIBO_ZALO_WEBHOOK_SECRET") for z in config.zalo_bots),
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
