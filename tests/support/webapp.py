"""The Mini App in tests: initData signed as Telegram signs it, the bot's real web server
on a loopback port, and an HTTP client that sends what the page sends.

The signature is computed here from Telegram's documentation, not with the bot's own
`rules.webapp`, so a mistake there cannot hide behind the same mistake here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from aiohttp import web
from telegram.ext import Application

from bot.web import RUNNER, make_web
from tests.support.fakebot import TOKEN, Person


def init_data(
    person: Person,
    *,
    at: dt.datetime | None = None,
    token: str = TOKEN,
    language: str = "en",
    **extra: str,
) -> str:
    """`initData` for `person`, signed at `at` (now) with the bot's token."""
    when = at or dt.datetime.now(dt.UTC)
    user = {"id": person.id, "first_name": person.first_name, "language_code": language}
    if person.username:
        user["username"] = person.username
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(int(when.timestamp())),
        **extra,
    }
    text = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


@dataclass
class Web:
    """The bot's web server on loopback, and a client for its JSON endpoints."""

    base: str
    client: httpx.AsyncClient

    async def get(
        self, path: str, person: Person | None = None, *, data: str | None = None, **query: Any
    ) -> httpx.Response:
        """GET /app/api/<path> as `person` (signed now), or with raw `data` as initData."""
        return await self.client.get(
            f"{self.base}/app/api/{path}", params=query, headers=_headers(person, data)
        )

    async def post(
        self, path: str, person: Person | None, body: dict[str, Any], *, data: str | None = None
    ) -> httpx.Response:
        """POST a JSON body to /app/api/<path> as `person`."""
        return await self.client.post(
            f"{self.base}/app/api/{path}", json=body, headers=_headers(person, data)
        )

    async def json(self, path: str, person: Person, **query: Any) -> Any:
        """The JSON of a GET that must succeed."""
        response = await self.get(path, person, **query)
        assert response.status_code == 200, (response.status_code, response.text)
        return response.json()


def _headers(person: Person | None, data: str | None) -> dict[str, str]:
    signed = data if data is not None else init_data(person) if person is not None else None
    return {} if signed is None else {"Authorization": f"tma {signed}"}


@asynccontextmanager
async def serving(app: Application) -> AsyncIterator[Web]:  # type: ignore[type-arg]
    """The bot's web server: the one it started itself (polling mode with KEFU_PUBLIC_URL,
    listening on port 0), else `bot.web.make_web` as webhook mode builds it."""
    runner: web.AppRunner | None = app.bot_data.get(RUNNER)
    own = runner is None
    if runner is None:
        runner = web.AppRunner(make_web(app), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            yield Web(f"http://127.0.0.1:{port}", client)
    finally:
        if own:
            await runner.cleanup()
