"""The Mini App's payslips [issue 18]: GET /app/api/payslips?agent= — an agent's payslips
month by month (locked months only: the stored snapshots), each with its total and
whether it was received; GET /app/api/payslip?agent=&month= — one payslip's every line
explained, its total, score and grade. An agent sees only their own (403 otherwise); a
supervisor any agent's. The current, unlocked month is no payslip yet (404)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from handlers.webapp.common import Access, Missing, Viewer, endpoint, month, number, paged


@endpoint(Access.TEAM)
async def payslips(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """The agent's payslips, newest first."""
    agent = await viewer.agent(number(request, "agent"))
    sheets = viewer.kit.paysheets
    found = [
        {"month": one.month, "total": one.total, "received_at": sheets.when(one.received_at)}
        for one in await sheets.months(agent)
    ]
    return {"agent": agent.id, "name": agent.full_name, **paged(request, found)}


@endpoint(Access.TEAM)
async def payslip(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """One locked month's payslip in detail (404: none for that month)."""
    agent = await viewer.agent(number(request, "agent"))
    sheets = viewer.kit.paysheets
    found = await sheets.payslip(agent, month(request, viewer))
    if found is None:
        raise Missing
    card, slip = found
    return sheets.explained(card, received=slip.received_at, detail=True)


ROUTES = [web.get("/app/api/payslips", payslips), web.get("/app/api/payslip", payslip)]
