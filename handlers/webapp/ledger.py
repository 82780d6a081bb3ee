"""The Mini App's ledger endpoints [issue 18]."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
