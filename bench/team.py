"""`/team` at a shift's start with a month's roster, at 5 000 agents [issue 16].

5 000 agents, half on the day shift and half on the evening shift by their weekly
pattern, with a month's roster (a `roster_day` row per agent and day, four rest days
each, bulk-inserted), and half of those on today's day shift clocked in. At 09:00
times the reply's bot time: the use-case (`Attendance.team`: the roster, leave and
clock-ins read) and the rendering of the text, without the Bot API. Prints p50 and
p99 over the runs against the target (200 ms).

    python -m bench.team [--agents 5000] [--runs 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time

from sqlalchemy import delete, insert

from bot.notices import Notices
from bot.services.attendance import Attendance
from bot.services.roster import Roster
from bot.settings import default_policy_data
from bot.texts import Texts
from rules.policy import build_policy
from storage.db import Database
from storage.models import Person, RosterDay, WorkSession

TARGET_MS = 200.0
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
MONTH = [dt.date(2026, 11, d) for d in range(1, 31)]


def seed(db: Database, agents: int) -> None:
    """The agents, their month's roster, half of today's day shift clocked in."""
    at = NOW - dt.timedelta(days=30)
    people, days, sessions = [], [], []
    for index in range(agents):
        pid = 10_000 + index
        shift = "day" if index % 2 == 0 else "evening"
        people.append(
            {
                "id": pid,
                "first_name": f"Agent{index}",
                "username": f"agent{index}",
                "username_lower": f"agent{index}",
                "is_agent": True,
                "level": "junior",
                "track": "presale",
                "shift": shift,
                "enrolled_at": at,
                "first_seen": at,
                "last_seen": at,
            }
        )
        rest = {MONTH[(index + 7 * k) % len(MONTH)] for k in range(4)}
        for day in MONTH:
            days.append(
                {
                    "person_id": pid,
                    "day": day,
                    "shift": None if day in rest else shift,
                    "draft": False,
                    "source": "publish",
                    "set_at": at,
                }
            )
        if shift == "day" and index % 4 == 0 and NOW.date() not in rest:
            start = NOW - dt.timedelta(minutes=3)
            sessions.append(
                {
                    "person_id": pid,
                    "started_at": start,
                    "shift": "day",
                    "shift_start": NOW,
                    "shift_end": NOW.replace(hour=18),
                    "late_minutes": 0,
                    "outside_shift": False,
                    "chat_id": pid,
                    "auto_closed": False,
                }
            )
    with db.engine.begin() as connection:
        for model in (RosterDay, WorkSession, Person):
            connection.execute(delete(model))
        for model, rows in ((Person, people), (RosterDay, days), (WorkSession, sessions)):
            connection.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]


async def run(agents: int, runs: int, url: str | None) -> list[float]:
    """Milliseconds of each `/team` reply's bot time (after one warm-up)."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database(url or f"sqlite:///{folder}/bench.db")
        await db.migrate()
        seed(db, agents)
        policy = build_policy(default_policy_data())
        texts = Texts(policy.language, policy.tz)
        notices = Notices(texts, policy, frozenset())
        attendance = Attendance(db, policy, notices, Roster(db, policy))

        async def reply() -> str:
            status = await attendance.team(at=NOW)
            return texts.render(
                "team",
                status=status,
                shift_name=attendance.shift_name,
                limit=policy.attendance.break_minutes,
                now=NOW,
            )

        text = await reply()
        assert "Agent" in text
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            await reply()
            times.append((time.perf_counter() - began) * 1000)
        await db.close()
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    times = sorted(asyncio.run(run(args.agents, args.runs, args.database_url)))
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    print(f"/team at a shift's start, {args.agents} agents with a month's roster")
    print(f"/team bot time: p50 {p50:.1f} ms, p99 {p99:.1f} ms (target {TARGET_MS:.0f} ms)")
    print(f"within the target: {'yes' if p99 <= TARGET_MS else 'no'}")


if __name__ == "__main__":
    main()
