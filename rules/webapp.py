"""The Mini App's sign-in: Telegram's `initData`, checked on every request [issue 18].

Telegram opens a Mini App with `initData`, a query string it signs with the bot's
token: `hash` = HMAC-SHA256 over the other fields sorted and joined by newlines
("key=value"), keyed by HMAC-SHA256("WebAppData", token). A request is taken only
with a valid signature and an `auth_date` no older than the maximum age; nothing
else grants access (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl


class InitDataError(Exception):
    """`initData` that grants nothing; the message says why (for the log, never the page)."""


@dataclass(frozen=True)
class WebAppUser:
    """Who opened the Mini App, as Telegram signed it."""

    id: int
    first_name: str
    language_code: str | None
    signed_at: dt.datetime


def secret_key(token: str) -> bytes:
    """The key Telegram signs a bot's `initData` with."""
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def check_string(fields: dict[str, str]) -> str:
    """The signed text: every field but `hash`, sorted by key, "key=value" a line."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def verify(init_data: str, token: str, *, now: dt.datetime, max_age: dt.timedelta) -> WebAppUser:
    """The user `init_data` was signed for; InitDataError when it is missing, altered,
    signed with another key, from the future or older than `max_age`."""
    if not init_data:
        raise InitDataError("no initData")
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=False)
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field given twice")
    given = fields.get("hash", "")
    expected = hmac.new(secret_key(token), check_string(fields).encode(), hashlib.sha256)
    if not hmac.compare_digest(given.encode(), expected.hexdigest().encode()):
        raise InitDataError("bad signature")
    try:
        signed_at = dt.datetime.fromtimestamp(int(fields.get("auth_date", "")), dt.UTC)
        user = json.loads(fields.get("user", ""))
        user_id = int(user["id"])
    except (ValueError, TypeError, KeyError, OverflowError):
        raise InitDataError("no auth_date or user") from None
    age = now - signed_at
    if age > max_age:
        raise InitDataError("too old")
    if age < -dt.timedelta(minutes=5):  # a little clock skew, not a date ahead
        raise InitDataError("from the future")
    return WebAppUser(
        id=user_id,
        first_name=str(user.get("first_name", "")),
        language_code=user.get("language_code"),
        signed_at=signed_at,
    )
