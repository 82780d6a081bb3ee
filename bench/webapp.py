"""The Mini App's board and ledger: server time at 500 and 5 000 agents [issue 18].

The team of `bench.team` (a month's roster, a quarter of the day shift clocked in at
09:00) plus three ledger entries per agent in the month, a supervisor, and the bot's
own web server (`bot.web.make_web`, the routes production serves) on loopback. Each
request carries initData signed as Telegram signs it, so the signature check and the
person's reload are in every figure. Times GET /app/api/board and GET
/app/api/ledger (the first page, and one agent's entries) from request to the last
byte of the answer — the server's time plus a loopback round trip, no Telegram in it.
Prints p50 and p99 over the runs, against the target (p99 <= 150 ms at 500 agents).

    python -m bench.webapp [--agents 500 5000] [--runs 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import json
import random
import statistics
import tempfile
import time
from urllib.parse import urlencode

import httpx
from aiohttp import web
from sqlalchemy import delete, insert

from bench.team import NOW
from bench.team import seed as seed_team
from bot.app import build_application
from bot.settings import Settings
from bot.web import make_web
from rules.webapp import check_string, secret_key
from storage.db import Database
from storage.models import LedgerEntry, Person

TARGET_MS, TARGET_AGENTS = 150.0, 500
TOKEN = "123456:bench-token"
BOSS = 999
CODES = [("late", -2, 0), ("unrelated-browsing", -2, 1000), ("customer-praise", 1, 0)]


def seed(db: Database, agents: int) -> None:
    """The team of bench.team, three entries each this month, and a supervisor (a
    --database-url is reused from one size to the next: the last size's rows go first)."""
    with db.engine.begin() as connection:
        connection.execute(delete(LedgerEntry))
    seed_team(db, agents)
    rng = random.Random(agents)
    entries = []
    for index in range(agents):
        for n in range(3):
            code, points, cash = rng.choice(CODES)
            entries.append(
                {
                    "person_id": 10_000 + index,
                    "kind": "bonus" if points > 0 else "violation",
                    "code": code,
                    "points": points,
                    "cash_fen": cash,
                    "offence": 1,
                    "month": NOW.strftime("%Y-%m"),
                    "logged_at": NOW - dt.timedelta(days=n + 1, minutes=index % 600),
                    "logged_by": BOSS,
                    "chat_id": 1,
                }
            )
    boss = {
        "id": BOSS,
        "first_name": "Boss",
        "username": "boss",
        "username_lower": "boss",
        "is_supervisor": True,
        "first_seen": NOW,
        "last_seen": NOW,
    }
    with db.engine.begin() as connection:
        connection.execute(insert(Person.__table__), [boss])  # type: ignore[attr-defined]
        connection.execute(insert(LedgerEntry.__table__), entries)  # type: ignore[attr-defined]


def signed(user_id: int) -> str:
    """initData for `user_id`, signed at NOW with the bench's token."""
    fields = {
        "user": json.dumps({"id": user_id, "first_name": "Boss"}),
        "auth_date": str(int(NOW.timestamp())),
    }
    key = secret_key(TOKEN)
    fields["hash"] = hmac.new(key, check_string(fields).encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


async def run(agents: int, runs: int, url: str | None) -> dict[str, list[float]]:
    """Milliseconds of each request, by endpoint (after one warm-up each)."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            telegram_bot_token=TOKEN,
            database_url=url or f"sqlite:///{folder}/bench.db",
            kefu_language="en",
        )
        app = build_application(settings, clock=lambda: NOW)
        kit = app.bot_data["kit"]
        await kit.db.migrate()
        seed(kit.db, agents)
        runner = web.AppRunner(make_web(app), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        base = f"http://127.0.0.1:{runner.addresses[0][1]}/app/api/"
        headers = {"Authorization": f"tma {signed(BOSS)}"}
        asks = {
            "board": ("board", {}),
            "ledger": ("ledger", {}),
            "ledger, one agent": ("ledger", {"agent": str(10_000 + agents // 2)}),
        }
        times: dict[str, list[float]] = {name: [] for name in asks}
        async with httpx.AsyncClient(timeout=60) as client:
            for name, (path, query) in asks.items():
                for attempt in range(runs + 1):
                    began = time.perf_counter()
                    response = await client.get(base + path, params=query, headers=headers)
                    spent = (time.perf_counter() - began) * 1000
                    assert response.status_code == 200, (name, response.status_code)
                    if attempt:  # the first one warms caches up
                        times[name].append(spent)
        await runner.cleanup()
        await kit.db.close()
        return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    print(f"{'agents':>7}  {'endpoint':<18} {'p50 ms':>8} {'p99 ms':>8}")
    for agents in args.agents:
        times = asyncio.run(run(agents, args.runs, args.database_url))
        for name, values in times.items():
            p50, p99 = statistics.median(values), percentile(values, 0.99)
            print(f"{agents:>7}  {name:<18} {p50:>8.1f} {p99:>8.1f}")
            if agents == TARGET_AGENTS and name in ("board", "ledger"):
                met = "met" if p99 <= TARGET_MS else "missed"
                print(f"target at {agents} agents: {name} p99 <= {TARGET_MS:.0f} ms: {met}")


if __name__ == "__main__":
    main()
