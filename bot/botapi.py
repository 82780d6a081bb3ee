"""The first call to the Bot API at start, and what its answer means to a person.

`kefu run` (and `kefu payroll --send`) ask the Bot API who the bot is before
anything else talks to it. Whatever goes wrong becomes one line that names the
right thing: the token (refused), or the Bot API at its URL (unreachable, an
HTTP error, or an answer that is not a Bot API's: a web page, a proxy's error).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.settings import Settings

BASE_URL_HINT = "check TELEGRAM_API_BASE_URL (left unset, it is Telegram's own)"


class BotApiError(Exception):
    """The Bot API cannot be used; the message is one line for people."""


class _Recorded(HTTPXRequest):
    """HTTPXRequest that keeps the last HTTP answer, and does not log bad JSON."""

    answer: tuple[int, bytes] | None = None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send as usual; remember the status and body."""
        self.answer = await super().do_request(*args, **kwargs)
        return self.answer

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """As PTB's, without its log line and traceback for a body that is not JSON."""
        try:
            return dict(json.loads(payload.decode("utf-8", "replace")))
        except (ValueError, TypeError) as exc:
            raise TelegramError("Invalid server response") from exc


async def check(settings: Settings) -> None:
    """Ask the Bot API who we are (getMe); BotApiError with one line if that fails."""
    token = settings.telegram_bot_token.get_secret_value()
    request = _Recorded()
    try:
        async with Bot(
            token,
            base_url=settings.telegram_api_base_url,
            base_file_url=settings.telegram_file_base_url,
            request=request,
        ) as bot:
            await bot.get_me()
    except Exception as exc:  # whatever it is, the Bot API's answer caused it
        line = problem(exc, request.answer, settings.telegram_api_base_url)
        raise BotApiError(line.replace(token, "…")) from None


def problem(exc: Exception, answer: tuple[int, bytes] | None, url: str) -> str:
    """One line for a failed getMe: `exc` raised, after `answer` (status, body) if any."""
    where = f"the Bot API at {url}"
    if answer is None:  # no HTTP answer at all
        if isinstance(exc, TimedOut):
            return f"{where} did not answer in time: {BASE_URL_HINT}, and the network"
        reason = str(exc).split(": ", 1)[-1] if str(exc).startswith("httpx.") else str(exc)
        return f"cannot reach {where} ({_short(reason)}): {BASE_URL_HINT}, and the network"
    status, body = answer
    data = _json(body)
    said = isinstance(data, dict) and data.get("ok") is False
    if isinstance(exc, InvalidToken) and said:
        return f"TELEGRAM_BOT_TOKEN was refused by {where}: check it with @BotFather"
    if not HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
        described = said and isinstance(data.get("description"), str)
        reason = f"({_short(data['description'])})" if described else _phrase(status)
        answered = f"{where} answered HTTP {status} {reason}".rstrip()
        if said or status >= HTTPStatus.INTERNAL_SERVER_ERROR:  # a Bot API, or a server, in trouble
            return f"{answered}: try again later, or {BASE_URL_HINT}"
        return f"{answered}, not as a Bot API: {BASE_URL_HINT}"
    return f"{where} answered with {_what(body, data)}, not as a Bot API: {BASE_URL_HINT}"


def _short(text: str) -> str:
    """The first line of what a server said, at most 120 characters."""
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= 120 else line[:119] + "…"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _what(body: bytes, data: Any) -> str:
    """What came back instead of {"ok": true, "result": {...}}."""
    if not body.strip():
        return "nothing"
    if data is None:
        return "a web page" if body.lstrip()[:1] == b"<" else "text that is not JSON"
    if not isinstance(data, dict) or "result" not in data:
        return "JSON without a result"
    return "a result that is not a bot"
