"""The Mini App's roster page [issue 18]: an agent's month on the roster
(`/app/api/roster?agent=&month=`; an agent their own, a supervisor anyone's), read as
`/roster` reads it: each day's shift and hours, rest, a holiday off, or leave. Next
month may be asked for; a draft not yet published is shown to supervisors only (the
agents hear of it when it is published)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.services.insights import PlanDay
from handlers.webapp.common import Access, Viewer, endpoint, month, number
from rules.policy import Policy


def _day(day: PlanDay, policy: Policy) -> dict[str, Any]:
    shift = policy.shifts.get(day.shift) if day.shift else None
    return {
        "day": day.day,
        "weekday": day.day.weekday(),
        "kind": day.kind,
        "shift": day.shift,
        "shift_name": shift.name.in_(policy.language) if shift else None,
        "start": shift.start.strftime("%H:%M") if shift else None,
        "end": shift.end.strftime("%H:%M") if shift else None,
        "workday": day.workday,
    }


async def roster(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """`GET /app/api/roster?agent=&month=`: the agent's days on the month's roster."""
    person = await viewer.agent(number(request, "agent"))
    asked = month(request, viewer, latest=viewer.kit.rostering.next_month(viewer.now()))
    found = await viewer.kit.insights.my_roster(person, asked, draft_too=viewer.supervisor)
    return {
        "agent": {"id": person.id, "name": person.full_name},
        "month": asked,
        "today": viewer.today(),
        "draft": found.draft,
        "published": not found.hidden,
        "days": [_day(day, viewer.kit.policy) for day in found.days],
    }


ROUTES = [web.get("/app/api/roster", endpoint(Access.TEAM)(roster))]
