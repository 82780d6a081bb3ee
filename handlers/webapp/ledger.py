"""GET /app/api/ledger: a month's ledger for supervisors [issue 18].

Newest first, 50 a page, filtered by agent and by code (a catalogue code, or
adjust/deduction/carry), with who logged each entry, its void and its appeal; the
month's agents and codes come with it to fill the filters.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from handlers.webapp.common import PAGE_SIZE, Access, Viewer, endpoint, month, number

CODE_MAX = 40  # longer than any code of the catalogue


@endpoint(Access.SUPERVISOR)
async def ledger(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """One page of the month's entries with the filters' choices."""
    asked = month(request, viewer)
    code = request.query.get("code", "").strip().lower()[:CODE_MAX] or None
    found = await viewer.kit.boards.ledger(
        asked,
        agent=number(request, "agent"),
        code=code,
        page=number(request, "page") or 1,
        size=PAGE_SIZE,
    )
    return {"month": asked, **found}


ROUTES = [web.get("/app/api/ledger", ledger)]
