"""Settings from the environment and `.env` (interface.md, "Starting it")."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from rules import pay as pay_rules
from rules.policy import Policy, PolicyError, build_policy
from storage.db import DEFAULT_URL


class ConfigError(Exception):
    """A setting the bot cannot start with; the message is one line for people."""


class Settings(BaseSettings):
    """Every setting of interface.md; names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    # Empty when unset: `kefu import`, `kefu policy check` and a `kefu payroll` preview
    # never talk to Telegram; what does asks for it with `load_settings(token=True)`.
    telegram_bot_token: SecretStr = SecretStr("")
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    database_url: str = DEFAULT_URL
    kefu_admins: Annotated[frozenset[int], NoDecode] = frozenset()
    kefu_policy: Path | None = None
    kefu_timezone: str | None = None
    kefu_language: Literal["zh", "en"] | None = None
    kefu_webhook_url: str | None = None
    kefu_webhook_secret: SecretStr | None = None
    kefu_webhook_listen: str = "0.0.0.0:8080"
    # The Mini App [issue 18]: its public HTTPS base URL in polling mode (webhook mode uses
    # the webhook URL's host), and how old Telegram's signature on a request may be.
    kefu_public_url: str | None = None
    kefu_webapp_max_age: int = Field(default=86_400, ge=60)
    # Messages per second for the whole bot (Telegram asks for at most ~30); 0 = no overall cap.
    kefu_rate_limit: float = Field(default=30, ge=0)

    @field_validator("kefu_admins", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            for part in parts:
                if not part.isdecimal():
                    raise ValueError(
                        f"{part!r} is not a Telegram user id: write numeric ids separated by "
                        "commas, or leave KEFU_ADMINS unset: the bot then prints a one-time "
                        "/claim code at start"
                    )
            return frozenset(int(part) for part in parts)
        return value

    @field_validator(
        "kefu_timezone", "kefu_language", "kefu_webhook_url", "kefu_public_url", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("kefu_public_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith("https://"):
            raise ValueError(
                f"{value!r} is not an https:// URL: Telegram opens Mini Apps only over HTTPS "
                "(put the bot behind a reverse proxy with a certificate; see the README)"
            )
        return value

    @field_validator("kefu_webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        if not value.rpartition(":")[2].isdigit():
            raise ValueError(f"{value!r} is not host:port, e.g. 0.0.0.0:8080")
        return value

    @property
    def listen(self) -> tuple[str, int]:
        """The host and port KEFU_WEBHOOK_LISTEN names (no host: every interface)."""
        host, _, port = self.kefu_webhook_listen.rpartition(":")
        return host or "0.0.0.0", int(port)

    @field_validator("kefu_timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Shanghai)") from None
        return value


def load_settings(*, token: bool = True, **overrides: Any) -> Settings:
    """Read the settings; a problem becomes a ConfigError naming the variable.

    `token`: the command talks to Telegram, so an unset or empty TELEGRAM_BOT_TOKEN
    is refused here, before anything else is done.
    """
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
    if token and not settings.telegram_bot_token.get_secret_value().strip():
        unset = "telegram_bot_token" not in settings.model_fields_set
        raise ConfigError(
            f"TELEGRAM_BOT_TOKEN is {'not set' if unset else 'empty'}: create a bot with "
            "@BotFather and put its token in the environment or in .env"
        )
    return settings


def default_policy_data() -> dict[str, Any]:
    """The built-in policy file (rules/default_policy.toml) as a mapping."""
    return tomllib.loads(files("rules").joinpath("default_policy.toml").read_text("utf-8"))


def read_policy_file(path: Path) -> dict[str, Any]:
    """A shop's policy file as a mapping; unreadable or bad TOML is a PolicyError.

    Its problems do not name the file: whoever shows them does, once.
    """
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise PolicyError([f"cannot read it ({exc.strerror})"]) from None
    except UnicodeDecodeError:
        raise PolicyError(["not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError([f"not valid TOML ({exc})"]) from None


def load_policy(
    path: Path | None, *, timezone: str | None = None, language: str | None = None
) -> Policy:
    """The default policy with the shop's file laid over it, then the env overrides."""
    shop = read_policy_file(path) if path is not None else None
    policy = build_policy(
        default_policy_data(), shop, overrides={"timezone": timezone, "language": language}
    )
    unknown = pay_rules.unknown_components(policy.pay)
    if unknown:
        known = ", ".join(pay_rules.COMPONENTS)
        raise PolicyError([f"pay.components: unknown {', '.join(unknown)} (known: {known})"])
    return policy
