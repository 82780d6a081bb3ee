"""My month [issue 18]: GET /app/api/month (an agent's own; a supervisor's `?agent=`)
and POST /app/api/appeal, the same use-case as `/appeal #N reason`."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.services import Refusal
from handlers.webapp.common import Access, Denied, Viewer, endpoint, month, number


@endpoint(Access.TEAM)
async def my_month(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """Score, entries (which may still be appealed), cash fines, open appeals."""
    person = await viewer.agent(number(request, "agent"))
    own = person.id == viewer.person.id
    return await viewer.kit.boards.month(person, month(request, viewer), at=viewer.now(), own=own)


async def _fields(request: web.Request) -> tuple[int, str]:
    """The entry's id and the reason from the JSON body; 400 when either is missing."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    entry = body.get("entry") if isinstance(body, dict) else None
    reason = body.get("reason") if isinstance(body, dict) else None
    if not isinstance(entry, int) or isinstance(entry, bool) or entry <= 0:
        raise Refusal("web_bad_parameter", name="entry")
    if not isinstance(reason, str):
        raise Refusal("web_bad_parameter", name="reason")
    return entry, reason


@endpoint(Access.TEAM)
async def appeal(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """Appeal one of one's own entries: the supervisors get the card to decide."""
    entry, reason = await _fields(request)
    try:
        filed = await viewer.kit.ledger.appeal(viewer.person, entry, reason, at=viewer.now())
    except Refusal as refusal:
        if refusal.key == "appeal_foreign":
            raise Denied from None
        raise
    return {"entry": entry, "appeal": filed.appeal.id, "state": "open"}


ROUTES = [
    web.get("/app/api/month", my_month),
    web.post("/app/api/appeal", appeal),
]
