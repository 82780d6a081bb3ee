"""A month's roster for N agents: drafting it (the rotation rule, stored as draft cells,
the supervisors' card recorded) and publishing it (the live roster written, one DM per
agent recorded in the outbox). Targets: the draft within 2 s at 5 000 agents.

In process, on a fresh database; no Telegram: both steps end when their rows are
committed (the outbox sends them afterwards, paced as any broadcast).

    python -m bench.roster [--agents 5000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot import buttons
from bot.notices import Notices
from bot.services.people import People
from bot.services.roster import Roster
from bot.services.rostering import Rostering, version
from bot.settings import default_policy_data
from bot.texts import Texts
from rules.policy import build_policy
from storage.db import Database
from storage.models import Notice, Person, RosterDay

TZ = ZoneInfo("Asia/Shanghai")
FIRST_ID = 700_000
SUPERVISOR = 699_999
NOW = dt.datetime(2026, 9, 25, 10, tzinfo=TZ)  # October 2026: a week of holidays, a 调休


def _person(person_id: int, name: str, **fields: object) -> Person:
    return Person(
        id=person_id,
        first_name=name,
        language_code="zh",
        dm_open=True,
        first_seen=NOW,
        last_seen=NOW,
        **fields,
    )


async def run(agents: int, url: str) -> tuple[float, float, int, int]:
    """Draft and publish October 2026; (draft s, publish s, cells, DMs recorded)."""
    policy = build_policy(default_policy_data())
    db = Database(url)
    await db.migrate()
    await db.run(
        lambda session: session.add_all(
            [
                _person(SUPERVISOR, "Boss", is_supervisor=True),
                *(
                    _person(
                        FIRST_ID + n,
                        f"客服 {n}",
                        is_agent=True,
                        level="junior",
                        track="presale",
                        shift=("day", "evening", None)[n % 3],
                    )
                    for n in range(agents)
                ),
            ]
        )
    )
    notices = Notices(Texts(policy.language, policy.tz), policy, frozenset())
    people = People(db, policy, frozenset(), notices)
    rostering = Rostering(db, policy, people, notices, Roster(db, policy))
    boss = await people.get(SUPERVISOR)
    assert boss is not None

    began = time.perf_counter()
    view = await rostering.draft("2026-10", at=NOW, by=boss)
    drafted = time.perf_counter() - began
    assert view is not None and view.plan is not None and view.plan.id is not None
    card = buttons.RosterDecision(view.plan.id, version(view.plan), buttons.PUBLISH)

    began = time.perf_counter()
    done = await rostering.publish(boss, card, at=NOW + dt.timedelta(minutes=5))
    published = time.perf_counter() - began
    assert done.new

    def counts(session: object) -> tuple[int, int]:
        cells = session.execute(select(func.count()).select_from(RosterDay)).scalar_one()  # type: ignore[attr-defined]
        dms = session.execute(  # type: ignore[attr-defined]
            select(func.count()).select_from(Notice).where(Notice.kind == "roster_month_dm")
        ).scalar_one()
        return int(cells), int(dms)

    cells, dms = await db.read(counts)
    await db.close()
    return drafted, published, cells, dms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/roster.db"
        drafted, published, cells, dms = asyncio.run(run(args.agents, url))
    print(f"roster of 2026-10 for {args.agents} agents")
    print(f"draft: {drafted:.2f} s (target 2 s)")
    print(f"publish: {published:.2f} s ({cells} live cells, {dms} DMs recorded in the outbox)")


if __name__ == "__main__":
    main()
