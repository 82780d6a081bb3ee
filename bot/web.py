"""The bot's own HTTP server: `/healthz`, and the Mini App's pages and JSON under `/app/`.

Webhook mode adds Telegram's update path (`bot.webhook`); polling mode runs it only
when `KEFU_PUBLIC_URL` is set (the Mini App needs somewhere to be served from). The
routes of the Mini App come from `handlers.webapp`, handed over by `bot.app` through
`bot_data[WEB_ROUTES]`, so this module never imports the handlers.

No request's query string, header or body is logged: only the path and its status.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram.ext import Application

from bot.kit import Kit

log = logging.getLogger(__name__)
HEALTH_TIMEOUT = 5.0
WEB_ROUTES = "web_routes"  # bot_data key: the Mini App's aiohttp route definitions
KIT: web.AppKey[Kit] = web.AppKey("kit", Kit)
RUNNER = "web_runner"  # bot_data key: polling mode's running server

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _logged(request: web.Request, handler: Handler) -> web.StreamResponse:
    """One log line per request: method, path (never the query), status, duration."""
    began = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        ms = (time.perf_counter() - began) * 1000
        log.info("event=web %s %s status=%d ms=%.1f", request.method, request.path, status, ms)


def make_web(app: Application) -> web.Application:  # type: ignore[type-arg]
    """The aiohttp application: /healthz and the Mini App's routes."""
    server = web.Application(client_max_size=1024 * 1024, middlewares=[_logged])
    server[KIT] = app.bot_data["kit"]

    async def health(_: web.Request) -> web.Response:
        return await healthz(app)

    server.router.add_get("/healthz", health)
    server.router.add_routes(app.bot_data.get(WEB_ROUTES, []))
    return server


async def healthz(app: Application) -> web.Response:  # type: ignore[type-arg]
    """The database reachable and the scheduler running."""
    kit = app.bot_data["kit"]
    checks: dict[str, Any] = {}
    try:
        await asyncio.wait_for(kit.db.ping(), HEALTH_TIMEOUT)
        checks["database"] = "ok"
    except Exception as exc:  # any failure is "not healthy", with its kind
        checks["database"] = f"failed: {type(exc).__name__}"
    queue = app.job_queue
    running = queue is not None and queue.scheduler.running
    checks["scheduler"] = "ok" if running else "not running"
    healthy = all(value == "ok" for value in checks.values())
    return web.json_response(checks, status=200 if healthy else 503)


async def start_polling_server(app: Application, listen: tuple[str, int]) -> None:  # type: ignore[type-arg]
    """Polling mode with a public URL: serve the Mini App (and /healthz) on `listen`."""
    runner = web.AppRunner(make_web(app), access_log=None)
    await runner.setup()
    host, port = listen
    await web.TCPSite(runner, host, port).start()
    app.bot_data[RUNNER] = runner
    log.info("serving the Mini App on %s:%d%s", host, port, "/app/")


async def stop_polling_server(app: Application) -> None:  # type: ignore[type-arg]
    """Stop polling mode's server, if it runs."""
    runner: web.AppRunner | None = app.bot_data.pop(RUNNER, None)
    if runner is not None:
        await runner.cleanup()
