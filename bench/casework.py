"""Casework at scale [issue 17]: a month of 200 agents × 40 follow-ups and 5 complaint
cases each.

(a) The morning follow-up run: half of each agent's follow-ups are due (or overdue) on
the benchmark's morning; the job's use-case reads them, records one DM per agent in the
outbox and the real delivery engine sends them to a fake Bot API that answers 429 above
30 messages in any second, each call taking `--latency-ms` (150 ms: Telegram seen from
a shop's server in Asia). Prints messages per second as a share of Telegram's 30/s
(target ≥ 90%, as the payslip broadcast), and the 429s.

(b) The month close (`Payroll.lock`) of the same 200 agents (the month of
`bench.month_close`: clock-ins, breaks, entries, QA, metrics) without the casework rows
and with them (the follow-up KPI and the two aftersales complaint KPIs then have data):
the median of `--runs` locks each, alternately (each after an uncounted lock), and
their ratio (target: the casework adds at most 20%).

    python -m bench.casework [--agents 200] [--runs 5] [--latency-ms 150] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time

from sqlalchemy import delete, insert

from bench.broadcast import application, telegram
from bench.month_close import DAYS, MONTH, TZ, seed, unlock
from bot.app import start_delivery, stop_delivery
from bot.kit import Kit
from bot.services.followups import JOB
from storage.db import Database
from storage.models import ComplaintCase, FollowUp
from tests.support.fakebot import FakeBotAPI

FOLLOW_UPS, CASES = 40, 5
MORNING = dt.datetime(2026, 10, 20, 9, 30, tzinfo=TZ)
TARGET_SHARE, TARGET_RATIO = 0.90, 1.20


def casework(db: Database, agents: int) -> tuple[int, int]:
    """Bulk-insert each agent's follow-ups and complaint cases of MONTH: half the
    follow-ups open and due on MORNING's day or up to two days before, a quarter closed
    with a sale recovered (or none), a quarter due later; the cases answered and solved
    within 6 to 60 hours, one in ten with the platform stepping in."""
    rng = random.Random(agents)
    today = MORNING.date()
    follows, cases = [], []
    for index in range(agents):
        pid = 10_000 + index
        for n in range(FOLLOW_UPS):
            created = dt.datetime.combine(
                DAYS[rng.randint(0, 16)], dt.time(rng.randint(9, 17), rng.randint(0, 59)), TZ
            )
            row = {
                "person_id": pid,
                "month": MONTH,
                "buyer": f"tb_buyer{index}_{n}",
                "reason": rng.choice(["price too high", "asked about sizes", "wants a gift"]),
                "created_at": created,
                "due_on": today - dt.timedelta(days=rng.randint(0, 2)),
                "done_at": None,
                "done_month": None,
                "recovered_fen": None,
            }
            if n >= FOLLOW_UPS // 2:
                row["due_on"] = today + dt.timedelta(days=rng.randint(1, 3))
            if n >= FOLLOW_UPS * 3 // 4:
                fen = rng.choice([0, 0, rng.randint(1_000, 30_000)])
                row.update(done_at=created + dt.timedelta(days=2), done_month=MONTH)
                row.update(recovered_fen=fen, due_on=created.date() + dt.timedelta(days=3))
            follows.append(row)
        for n in range(CASES):
            opened = dt.datetime.combine(DAYS[rng.randint(0, 25)], dt.time(10), TZ)
            cases.append(
                {
                    "person_id": pid,
                    "month": MONTH,
                    "order_no": f"OD{index:05d}{n}",
                    "text": "parcel arrived broken",
                    "opened_at": opened,
                    "opened_by": pid,
                    "replied_at": opened + dt.timedelta(hours=rng.randint(1, 20)),
                    "solved_at": opened + dt.timedelta(hours=rng.randint(6, 60)),
                    "solved_how": "refunded",
                    "arbitration_at": opened + dt.timedelta(hours=30)
                    if n == 0 and index % 10 == 0
                    else None,
                }
            )
    with db.engine.begin() as connection:
        connection.execute(insert(FollowUp.__table__), follows)  # type: ignore[attr-defined]
        connection.execute(insert(ComplaintCase.__table__), cases)  # type: ignore[attr-defined]
    return len(follows), len(cases)


def no_casework(db: Database) -> None:
    """Drop the casework rows (the month as it was before issue 17)."""
    with db.engine.begin() as connection:
        connection.execute(delete(FollowUp))
        connection.execute(delete(ComplaintCase))


async def lock(kit: Kit) -> float:
    """Seconds to lock MONTH (its lock and snapshots forgotten first)."""
    unlock(kit.db)
    began = time.perf_counter()
    await kit.payroll.lock(MONTH, by=None, at=dt.datetime.now(TZ))
    return time.perf_counter() - began


async def closes(kit: Kit, agents: int, runs: int) -> tuple[float, float, int, int]:
    """The median seconds of `runs` locks without the casework rows and `runs` with them,
    alternately; after each change of rows one lock is not counted (the database settles
    after a bulk insert or delete). And how many rows there were."""
    without, with_rows = [], []
    follows = cases = 0
    for _ in range(runs):
        no_casework(kit.db)
        await lock(kit)
        without.append(await lock(kit))
        follows, cases = casework(kit.db, agents)
        await lock(kit)
        with_rows.append(await lock(kit))
    unlock(kit.db)
    return statistics.median(without), statistics.median(with_rows), follows, cases


async def morning(kit: Kit, fake: FakeBotAPI) -> tuple[int, float, float, float]:
    """The morning run, DMs recorded and delivered: how many, the seconds in all and of
    the job's own part (reading, rendering, recording), the messages per second from the
    first DM to the last."""
    began = time.perf_counter()
    day, notes = await kit.followups.morning(MORNING)
    await kit.post(*notes, job=JOB, slot=day.isoformat())
    recorded = time.perf_counter() - began
    assert kit.delivery is not None
    await kit.delivery.drain()
    seconds = time.perf_counter() - began
    stamps = [c.at for c in fake.calls if c.method == "sendMessage" and c.ok]
    paced = (len(stamps) - 1) / ((max(stamps) - min(stamps)) or 1.0)
    return len(stamps), seconds, recorded, paced


async def run(agents: int, runs: int, latency: float, database_url: str | None) -> None:
    fake = await telegram(latency)
    with tempfile.TemporaryDirectory() as folder:
        app = application(fake, database_url or f"sqlite:///{folder}/bench.db")
        kit: Kit = app.bot_data["kit"]
        await kit.db.migrate()
        seed(kit.db, agents)
        without, with_rows, follows, cases = await closes(kit, agents, runs)
        await app.initialize()
        start_delivery(app, kit)
        sent, seconds, recorded, paced = await morning(kit, fake)
        await stop_delivery(kit)
        await app.shutdown()
        await kit.db.close()
    await fake.stop()
    share = sent / seconds / 30
    print(f"casework of {MONTH}: {agents} agents, {follows} follow-ups, {cases} complaint cases")
    print(f"morning run: {sent} DMs ({agents} agents with follow-ups due) in {seconds:.2f} s")
    print(f"the job's own part (read, render, record): {recorded:.3f} s")
    print(f"morning: {sent / seconds:.1f} messages/s = {share:.0%} of 30/s")
    print(f"from the first DM to the last: {paced:.1f} messages/s = {paced / 30:.0%} of 30/s")
    print(f"429s from the server: {fake.throttled}")
    print(f"month close without casework: {without:.3f} s (median of {runs})")
    print(f"month close with casework: {with_rows:.3f} s (median of {runs})")
    ratio = with_rows / without
    print(f"ratio with/without: {ratio:.3f} (target at most {TARGET_RATIO:.2f})")
    verdict = {True: "met", False: "missed"}
    print(
        f"targets: the DMs at >= {TARGET_SHARE:.0%} of 30/s: {verdict[paced / 30 >= TARGET_SHARE]}"
        f" from the first DM to the last, {verdict[share >= TARGET_SHARE]} over the whole run;"
        f" the close +20%: {verdict[ratio <= TARGET_RATIO]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--database-url", help="an empty database; default: a SQLite file")
    args = parser.parse_args()
    asyncio.run(run(args.agents, args.runs, args.latency_ms / 1000, args.database_url))


if __name__ == "__main__":
    main()
