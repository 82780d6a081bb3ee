"""The Mini App over HTTP [issue 18]: its static page under /app/ and the JSON endpoints
under /app/api/, each area in its own module. `bot.app` hands `routes()` to the bot's
web server (`bot.web`)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from aiohttp import web

from handlers.webapp import board, calendar, kpis, ledger, me, month, payroll, payslips, roster

HERE = Path(str(files("webapp")))
STATIC = HERE / "static"
# Telegram's script from Telegram; everything else from here (no CDN at run time).
POLICY = (
    "default-src 'self'; script-src 'self' https://telegram.org; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"
)


async def index(_: web.Request) -> web.FileResponse:
    """The one page; the script shows the pages the person may see."""
    headers = {"Cache-Control": "no-cache", "Content-Security-Policy": POLICY}
    return web.FileResponse(HERE / "index.html", headers=headers)


async def to_index(_: web.Request) -> web.Response:
    """/app → /app/."""
    raise web.HTTPPermanentRedirect("/app/")


def routes() -> list[web.AbstractRouteDef]:
    """Every route of the Mini App."""
    areas = (me, board, ledger, month, kpis, calendar, payroll, payslips, roster)
    return [
        web.get("/app", to_index),
        web.get("/app/", index),
        web.static("/app/static", STATIC),
        *(route for area in areas for route in area.ROUTES),
    ]
