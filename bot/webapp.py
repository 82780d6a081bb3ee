"""The Mini App's settings as the running bot uses them [issue 18].

Where it is reachable (Telegram opens only HTTPS pages): `KEFU_PUBLIC_URL` when set;
else, in webhook mode, the webhook URL's host — either way under `/app/`. Without
one, `/dashboard` says how to set it up and no menu button points anywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.settings import Settings

PREFIX = "/app/"  # the pages and their JSON endpoints live under this path


@dataclass(frozen=True)
class WebApp:
    """The Mini App's public URL (None: not set up), the token its `initData` is signed
    with, and how old a signature may be."""

    url: str | None
    token: str
    max_age: dt.timedelta


def webapp_url(settings: Settings, *, webhook: bool) -> str | None:
    """The Mini App's public URL, ending in /app/; None when there is none."""
    if settings.kefu_public_url:
        return settings.kefu_public_url.rstrip("/") + PREFIX
    if webhook and settings.kefu_webhook_url:
        parts = urlsplit(settings.kefu_webhook_url)
        return f"{parts.scheme}://{parts.netloc}{PREFIX}"
    return None


def webapp_of(settings: Settings, *, webhook: bool) -> WebApp:
    """The Mini App's settings for a bot in polling (`webhook` False) or webhook mode."""
    return WebApp(
        url=webapp_url(settings, webhook=webhook),
        token=settings.telegram_bot_token.get_secret_value(),
        max_age=dt.timedelta(seconds=settings.kefu_webapp_max_age),
    )
