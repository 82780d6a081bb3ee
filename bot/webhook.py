"""Webhook mode: kefu's own small HTTP server in front of the Application.

python-telegram-bot's built-in webhook server cannot serve other paths, and an
operator needs `/healthz`; so this module serves both with aiohttp:

- `POST /<path of KEFU_WEBHOOK_URL>`: an update from Telegram. Without the right
  `X-Telegram-Bot-Api-Secret-Token` header: 403 and nothing is read; a body
  that is not an update's JSON: 400; else it is queued for the handlers (200).
- `GET /healthz`: 200 when the database answers and the scheduler runs, 503
  (with what failed) otherwise — for a load balancer or an orchestrator.
- `/app/`: the Mini App (`bot.web`).

The webhook is registered with its secret at start and left registered at stop
(other replicas may still be serving it).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.web import make_web

log = logging.getLogger(__name__)


def make_server(app: Application, url_path: str, secret: str) -> web.Application:  # type: ignore[type-arg]
    """The aiohttp application: the webhook path, /healthz and the Mini App."""
    server = make_web(app)

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook: refused a request without the right secret token")
            return web.Response(status=403, text="forbidden")
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, app.bot) if isinstance(data, dict) else None
        except Exception as exc:  # whatever de_json trips on, it is not an update
            log.warning("webhook: a malformed update: %s", type(exc).__name__)
            update = None
        if update is None:
            return web.Response(status=400, text="not an update")
        await app.update_queue.put(update)
        return web.Response(text="ok")

    server.router.add_post(f"/{url_path.strip('/')}", receive)
    return server


async def serve(
    app: Application,  # type: ignore[type-arg]
    *,
    listen: str,
    port: int,
    url_path: str,
    webhook_url: str,
    secret_token: str,
    allowed_updates: list[str],
) -> None:
    """Run the bot behind the webhook server until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    runner = web.AppRunner(make_server(app, url_path, secret_token), access_log=None)
    try:
        await app.bot.set_webhook(
            webhook_url, secret_token=secret_token, allowed_updates=allowed_updates
        )
        await app.start()
        await runner.setup()
        await web.TCPSite(runner, listen, port).start()
        log.info("serving webhooks on %s:%d/%s", listen, port, url_path)
        await stop.wait()
    finally:
        await runner.cleanup()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
