"""A fake Telegram Bot API server that answers like Telegram, over real HTTP.

The real `Application` talks to it through its normal request layer (httpx).
It records every call, checks HTML the way Telegram does (400 for bad
entities, over-long or empty text), answers 403 for people who never opened
a chat with the bot or blocked it, can be told to answer 429 with
`retry_after`, and feeds `getUpdates` from a queue for polling tests.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import html
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-TOKEN"
BOT_ID = 123456
BOT_USERNAME = "kefu_test_bot"
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
NO_END_TAG = "Can't parse entities: can't find end tag corresponding to start tag"
_TAG = re.compile(r"<(/?)([a-zA-Z0-9-]*)((?:\s[^>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class ParseError(Exception):
    """The text would be refused by Telegram's HTML parser."""


def parse_html(text: str) -> str:
    """The visible text of a Telegram HTML message, or ParseError as Telegram would say."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG.match(text, i)
            if not match:
                raise ParseError(f"Can't parse entities: unsupported start tag at byte offset {i}")
            closing, name = match.group(1), match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise ParseError(
                    f'Can\'t parse entities: unsupported start tag "{name}" at byte offset {i}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise ParseError(f'{NO_END_TAG} "{name}"')
                stack.pop()
            else:
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(text, i)
            if not match:
                raise ParseError(
                    f"Can't parse entities: character '&' is reserved at byte offset {i}"
                )
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            raise ParseError(f"Can't parse entities: character '>' is reserved at byte offset {i}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise ParseError(
            f"Can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(out)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Person:
    """A named fake Telegram user."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str = "zh"

    def as_user(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.last_name:
            data["last_name"] = self.last_name
        data["language_code"] = self.language_code
        return data


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    ok: bool = True  # False when it was answered with an error


class FakeBotAPI:
    """The server; `url` is what TELEGRAM_API_BASE_URL should be set to."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.errors: list[tuple[str, int, str]] = []  # errors the server chose, not scripted ones
        self.unreachable: set[int] = set()  # never opened a chat with the bot
        self.blocked: set[int] = set()
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}  # chat (None: default) -> button
        self.failures: dict[str, list[tuple[int, str, int | None, int | None]]] = {}
        self.pending: list[dict[str, Any]] = []  # kept until a later offset confirms them
        self._new_update = asyncio.Event()
        self.sent_event = asyncio.Event()
        self._message_ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, content)
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Telegram's broadcast limit, when set: more sends than this in any second get 429.
        self.per_second: int | None = None
        self._recent_sends: collections.deque[float] = collections.deque()
        self.throttled = 0  # 429s answered for going over `per_second` or `per_group_minute`
        self.delay = 0.0  # seconds each sendMessage takes
        self.latency = 0.0  # seconds every call takes, as from a shop's server far away
        self._closing = asyncio.Event()
        # Telegram's group limit, when set: more sends than this to one group in a minute get 429.
        self.per_group_minute: int | None = None
        self._group_sends: dict[int, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        # When set, every call is answered with this (status, content type, body), as by a
        # server that is not a Bot API (a web page, a proxy's error page) or one in trouble.
        self.strange: tuple[int, str, str] | None = None

    # --- server life
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- scripting
    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        retry_after: int | None = None,
        *,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next call of `method` (to `chat_id`, if given) with this error."""
        self.failures.setdefault(method, []).append((status, description, retry_after, chat_id))

    def bad_requests(self) -> list[tuple[str, int, str]]:
        """Every 400 the bot provoked: a bot that escapes and splits right has none."""
        return [e for e in self.errors if e[1] == 400]

    def add_file(self, file_id: str, name: str, content: bytes) -> None:
        """A file a user sent, for getFile and download."""
        self.files[file_id] = (f"documents/{file_id}_{name}", content)

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        for path, content in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=content)
        return web.Response(status=404)

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        path, content = self.files[file_id]
        if len(content) > 20 * 1024 * 1024:
            raise _ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": file_id[::-1],
            "file_size": len(content),
            "file_path": path,
        }

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates."""
        self.pending.append(update)
        self._new_update.set()

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[Call]:
        """Calls of `method` (to `chat_id`), oldest first."""
        return [
            c
            for c in self.calls
            if c.method == method
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """The visible text of every message sent (to `chat_id`)."""
        return [parse_html(c.params["text"]) for c in self.sent(chat_id)]

    def delivered(self, chat_id: int) -> list[str]:
        """The visible text of the messages that reached `chat_id` (errors left out)."""
        return [parse_html(c.params["text"]) for c in self.sent(chat_id) if c.ok]

    # --- the API
    async def _handle(self, request: web.Request) -> web.Response:
        if self.strange is not None:
            self.calls.append(Call(request.match_info["method"], {}, ok=False))
            status, content_type, body = self.strange
            return web.Response(status=status, content_type=content_type, text=body)
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        if self.latency:  # cut short when the server stops, so a test never waits on it
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.latency)
        call = Call(method, params)
        self.calls.append(call)
        queued = self.failures.get(method, [])
        for index, (status, description, retry_after, chat_id) in enumerate(queued):
            if chat_id is None or str(chat_id) == str(params.get("chat_id")):
                del queued[index]
                call.ok = False
                return self._error(status, description, retry_after)
        if self.per_second is not None and method.startswith("send"):
            now = time.monotonic()
            while self._recent_sends and now - self._recent_sends[0] >= 1.0:
                self._recent_sends.popleft()
            if len(self._recent_sends) >= self.per_second:
                call.ok = False
                self.throttled += 1
                return self._error(429, "Too Many Requests: retry after 1", 1)
            self._recent_sends.append(now)
        chat = params.get("chat_id")
        if self.per_group_minute is not None and method.startswith("send") and int(chat or 0) < 0:
            now = time.monotonic()
            sends = self._group_sends[int(chat or 0)]
            while sends and now - sends[0] >= 60.0:
                sends.popleft()
            if len(sends) >= self.per_group_minute:
                call.ok = False
                self.throttled += 1
                wait = max(1, int(60 - (now - sends[0])) + 1)
                return self._error(429, f"Too Many Requests: retry after {wait}", wait)
            sends.append(now)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._error(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except _ApiError as exc:
            call.ok = False
            self.errors.append((method, exc.status, exc.description))
            return self._error(exc.status, exc.description)
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            self.sent_event.set()
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _maybe_json(value)
            else:  # an uploaded file: keep its name and bytes
                params[key] = (value.filename, value.file.read())
        return params

    @staticmethod
    def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=status)

    def _reach(self, chat_id: int) -> None:
        if chat_id in self.blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.unreachable:
            raise _ApiError(403, "Forbidden: bot can't initiate conversation with a user")

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Kefu",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.delay:
            await asyncio.sleep(self.delay)
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        if params.get("parse_mode") == "HTML":
            try:
                visible = parse_html(text)
            except ParseError as exc:
                raise _ApiError(400, f"Bad Request: {exc}") from None
        else:
            visible = text
        if not visible.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        _check_web_app_buttons(params.get("reply_markup"), chat_id)
        if utf16_len(visible) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        self._reach(chat_id)
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kefu", "username": BOT_USERNAME},
            "text": visible,
        }

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._sent_file(params, "photo")

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._sent_file(params, "document")

    def _sent_file(self, params: dict[str, Any], field: str) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        if not isinstance(params.get(field), tuple):
            raise _ApiError(400, f"Bad Request: there is no {field} in the request")
        self._reach(chat_id)
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "caption": str(params.get("caption", "")),
        }

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._api_sendMessage(params)

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("text", ""))) > 200:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = params.get("scope") or {}
        if scope.get("type") == "chat" and int(scope["chat_id"]) in self.unreachable:
            raise _ApiError(400, "Bad Request: chat not found")
        for command in params.get("commands", []):
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        return True

    async def _api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setChatMenuButton(self, params: dict[str, Any]) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if button.get("type") == "web_app":
            url = str((button.get("web_app") or {}).get("url", ""))
            if not url.startswith("https://"):
                raise _ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        chat = params.get("chat_id")
        if chat is not None and int(chat) in self.unreachable:
            raise _ApiError(400, "Bad Request: chat not found")
        self.menu_buttons[None if chat is None else int(chat)] = button
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Like Telegram: updates stay until a later call's offset confirms them."""
        offset = int(params.get("offset", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        timeout = min(float(params.get("timeout", 0) or 0), 1.0)
        self.pending = [u for u in self.pending if u["update_id"] >= offset]
        if not self.pending and timeout > 0:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout)
            except TimeoutError:
                return []
        return self.pending[:limit]


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _check_web_app_buttons(markup: Any, chat_id: int) -> None:
    """Telegram's rules for a web_app button: private chats only, an https:// URL."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if "web_app" not in button:
                continue
            if chat_id < 0:
                raise _ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
            if not str(button["web_app"].get("url", "")).startswith("https://"):
                raise _ApiError(400, "Bad Request: BUTTON_URL_INVALID")


def _maybe_json(value: str) -> Any:
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
