"""The Mini App's payroll [issue 18]: GET /app/api/payroll?month=&page= — the month's
payroll as `/payroll <month>` previews it (supervisors only): the team's total and
count over every agent, and a page of agents (50, by name), each with their total,
score, grade and every line explained in the payslip's own words. A locked month
shows its stored snapshots and says so."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from handlers.webapp.common import Access, Viewer, endpoint, month, paged


@endpoint(Access.SUPERVISOR)
async def payroll(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """The month's payroll: `team` (count, total), whether locked or sent, and a page
    of the agents' explained cards."""
    sheets = viewer.kit.paysheets
    found = await sheets.team(month(request, viewer))
    page = paged(request, found.cards)
    page["items"] = [sheets.explained(c, received=found.received(c)) for c in page["items"]]
    lock = found.lock
    return {
        "month": found.month,
        "team": {"count": len(found.cards), "total": found.total},
        "locked": lock is not None,
        "locked_at": sheets.when(lock.locked_at if lock else None),
        "policy_version": lock.policy_version if lock else None,
        "sent": found.sent,
        **page,
    }


ROUTES = [web.get("/app/api/payroll", payroll)]
