"""GET /app/api/board: today's board for supervisors [issue 18].

The parts `/team` shows — on shift, on break (minutes so far), late today (minutes),
absent (no clock-in by the absence check's time), on leave, expected and not yet in —
each with its count and its first names; `?section=late&page=2` pages one part.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.services import Refusal
from bot.services.boards import SECTIONS, Light
from handlers.webapp.common import Access, Viewer, endpoint, paged

SHOWN = 20  # names per part on the board; the rest a page at a time


@endpoint(Access.SUPERVISOR)
async def board(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """Every part of today's board (or the one `section` asks for, paged)."""
    section = request.query.get("section") or None
    if section is not None and section not in SECTIONS:
        raise Refusal("web_bad_parameter", name="section")

    def pick(items: Light) -> dict[str, Any]:
        return paged(request, items, size=SHOWN)

    now = viewer.now()
    sections = await viewer.kit.boards.board(now, pick=pick, only=section)
    return {"at": now, "sections": sections}


ROUTES = [web.get("/app/api/board", board)]
