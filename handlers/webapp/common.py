"""What every Mini App endpoint shares: who is asking, what they may see, JSON out.

Every request carries Telegram's `initData` in `Authorization: tma <initData>`; it
is checked (`rules.webapp.verify`) before anything is read, and the person is read
again from the database each time, so a demoted supervisor loses the team's pages
at their next request. An agent sees only their own data, whatever the request
names; supervisors and admins see the team. Errors are JSON: 401 (no valid
`initData`), 403 (not yours to see), 404, 400 (a bad parameter, with a sentence).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import orjson
from aiohttp import web

from bot.kit import Kit
from bot.services import Refusal
from bot.web import KIT
from handlers.common import refusal_text
from rules import ledger as ledger_rules
from rules import parse
from rules.webapp import InitDataError, verify
from storage.models import Person

log = logging.getLogger(__name__)
SCHEME = "tma "  # Authorization: tma <initData>, as Telegram's own examples send it
PAGE_SIZE, PAGE_MAX = 50, 200


class Access(Enum):
    """Who may call an endpoint: anyone on the team (their own data), or supervisors."""

    TEAM = "team"
    SUPERVISOR = "supervisor"


class Denied(Exception):
    """403: the viewer may not see this."""


class Missing(Exception):
    """404: no such thing."""


@dataclass(frozen=True)
class Viewer:
    """The person behind a request, as the database has them now."""

    kit: Kit
    person: Person
    supervisor: bool  # supervisors and admins: the team's pages
    admin: bool

    @property
    def role(self) -> str:
        """ "admin", "supervisor" or "agent" (the pages shown)."""
        return "admin" if self.admin else "supervisor" if self.supervisor else "agent"

    def now(self) -> dt.datetime:
        """The bot's clock."""
        return self.kit.clock()

    def today(self) -> dt.date:
        """Today in team time."""
        return self.now().astimezone(self.kit.policy.tz).date()

    async def agent(self, agent_id: int | None) -> Person:
        """The agent whose data is asked for (None: the viewer): an agent may ask only
        for themselves (403), a supervisor for anyone known (404 otherwise)."""
        if agent_id is None or agent_id == self.person.id:
            return self.person
        if not self.supervisor:
            raise Denied
        found = await self.kit.people.get(agent_id)
        if found is None or not (found.is_agent or found.left_on is not None):
            raise Missing
        return found


Body = Callable[[Viewer, web.Request], Awaitable[Any]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def as_json(data: Any, status: int = 200) -> web.Response:
    """`data` as a JSON response (decimals as exact strings, dates as ISO)."""
    body = orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)
    return web.Response(body=body, status=status, content_type="application/json")


def error(status: int, code: str, message: str = "") -> web.Response:
    """An error as JSON: a code for the page, and a sentence when there is one."""
    return as_json({"error": code, "message": message}, status)


async def viewer_of(request: web.Request) -> Viewer | web.Response:
    """The person `initData` names, checked; or the 401/403 response."""
    kit = request.app[KIT]
    header = request.headers.get("Authorization", "")
    given = header[len(SCHEME) :] if header.startswith(SCHEME) else ""
    try:
        user = verify(given, kit.webapp.token, now=kit.clock(), max_age=kit.webapp.max_age)
    except InitDataError as exc:
        log.info("webapp: refused a request to %s: %s", request.path, exc)
        return error(401, "unauthorized")
    person = await kit.people.get(user.id)
    if person is None:
        return error(403, "not_on_team")
    supervisor = kit.people.is_supervisor(person)
    if not (person.is_agent or supervisor or person.left_on is not None):
        return error(403, "not_on_team")
    return Viewer(kit, person, supervisor, kit.people.is_admin(person))


def endpoint(access: Access) -> Callable[[Body], Handler]:
    """A JSON endpoint open to `access`: `body(viewer, request)` returns the data."""

    def wrap(body: Body) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            viewer = await viewer_of(request)
            if isinstance(viewer, web.Response):
                return viewer
            if access is Access.SUPERVISOR and not viewer.supervisor:
                return error(403, "supervisors_only")
            try:
                return as_json(await body(viewer, request))
            except Denied:
                return error(403, "not_yours")
            except Missing:
                return error(404, "not_found")
            except Refusal as refusal:
                return error(400, refusal.key, refusal_text(viewer.kit.texts, refusal, plain=True))
            finally:
                viewer.kit.wake()  # what the request recorded (an appeal's cards) goes now

        return handler

    return wrap


def number(request: web.Request, name: str) -> int | None:
    """A whole-number parameter (path or query), or None when absent; 400 when bad."""
    text = request.match_info.get(name) or request.query.get(name)
    if text is None or text == "":
        return None
    if not (text.isascii() and text.isdecimal()) or len(text) > 15:
        raise Refusal("web_bad_parameter", name=name)
    return int(text)


def month(request: web.Request, viewer: Viewer, *, latest: str | None = None) -> str:
    """The `month` parameter (YYYY-MM), else the current month; 400 when bad or after
    `latest` (default: the current month)."""
    text = request.query.get("month")
    current = ledger_rules.month_of(viewer.now(), viewer.kit.policy.tz)
    if not text:
        return current
    try:
        asked = parse.month(text)
    except (Refusal, ValueError):
        raise Refusal("web_bad_parameter", name="month") from None
    if latest is not None and asked > latest:
        raise Refusal("web_bad_parameter", name="month")
    if latest is None and asked > current:
        raise Refusal("month_future", month=asked)
    return asked


def paged(request: web.Request, items: Sequence[Any], *, size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of `items` (`page` from 1, `size` up to PAGE_MAX) with the counts."""
    asked = number(request, "page") or 1
    size = min(number(request, "size") or size, PAGE_MAX)
    pages = max(1, -(-len(items) // size))
    start = (asked - 1) * size
    return {
        "items": list(items[start : start + size]),
        "page": asked,
        "pages": pages,
        "total": len(items),
    }
