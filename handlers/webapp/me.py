"""GET /app/api/me: who is looking, and what the app shows them [issue 18]."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from handlers.webapp.common import Access, Viewer, endpoint
from rules import ledger as ledger_rules


@endpoint(Access.TEAM)
async def me(viewer: Viewer, _: web.Request) -> dict[str, Any]:
    """The viewer's id, name and role (agent, supervisor, admin), the team's language,
    time zone and current month."""
    kit, person = viewer.kit, viewer.person
    now = viewer.now()
    return {
        "id": person.id,
        "name": person.full_name,
        "role": viewer.role,
        "agent": person.is_agent,
        "language": kit.texts.language,
        "timezone": kit.policy.timezone,
        "month": ledger_rules.month_of(now, kit.policy.tz),
        "today": viewer.today(),
    }


ROUTES = [web.get("/app/api/me", me)]
