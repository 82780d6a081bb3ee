"""What streaks, the service star and promotions add to the month close, at 5 000 agents.

The month of `bench.month_close` (clock-ins, breaks, entries, QA, metrics), plus six
locked months of history before it (a payslip row per agent and month, its rank
and score; one agent first two months running so that the lock pays a streak, a
tenth of the team under 70). Times `Payroll.lock` with the streak, star and promotion
steps and without them (the lock as it was: rank and store), after a warm-up lock of each, in
alternating order, and takes each one's median; Python's peak memory (tracemalloc)
in one more lock of each. Prints the ratio: the target is at most 1.20 (the streak
and level rules add at most 20%).

    python -m bench.streaks [--agents 5000] [--runs 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlmodel import Session

from bench.month_close import MONTH, TZ, seed, unlock, wipe
from bot.notices import Notices
from bot.services.payroll import Closing, Payroll
from bot.services.people import People
from bot.settings import default_policy_data
from bot.texts import Texts
from rules.close import Card, place
from rules.policy import build_policy
from rules.standing import Place, ranked
from rules.streaks import months_before
from storage.db import Database
from storage.models import MonthLock, Notice, OneOff, Payslip, Promotion

HISTORY = months_before(MONTH, 6)
TARGET_RATIO = 1.20


class WithoutStreaks(Payroll):
    """The lock without the streak, star and promotion steps: rank the month, store it."""

    def _propose(self, session: Session, month: str, *, at: dt.datetime) -> None:
        return None

    def _rank_and_reward(
        self, session: Session, month: str, cards: list[Card], *, at: dt.datetime
    ) -> Closing:
        places: Mapping[int, Place] = {
            one.person_id: one for one in ranked([place(c) for c in cards])
        }
        for card in cards:
            card.locked = True
        return Closing(month, cards, places, None)


class Timed(Payroll):
    """The lock as it is, timing its streak and star step and its promotion step."""

    step: list[float]
    proposing: list[float]

    def _propose(self, session: Session, month: str, *, at: dt.datetime) -> None:
        began = time.perf_counter()
        try:
            super()._propose(session, month, at=at)
        finally:
            self.proposing.append(time.perf_counter() - began)

    def _rank_and_reward(
        self, session: Session, month: str, cards: list[Card], *, at: dt.datetime
    ) -> Closing:
        began = time.perf_counter()
        try:
            return super()._rank_and_reward(session, month, cards, at=at)
        finally:
            self.step.append(time.perf_counter() - began)


def history(db: Database, agents: int, leader: int) -> None:
    """Six locked months before MONTH: `leader` (MONTH's first) first in the last two
    (so that MONTH's lock pays a streak), a tenth of the team under 70."""
    rng = random.Random(agents)
    ids = [10_000 + index for index in range(agents)]
    now = dt.datetime(2026, 10, 1, tzinfo=TZ)
    locks, slips = [], []
    for month in HISTORY:
        locks.append({"month": month, "locked_at": now, "locked_by": None, "policy_version": "b"})
        scores = {pid: rng.randint(7000, 9500) for pid in ids}
        for pid in [pid for pid in ids if pid != leader][: agents // 10]:
            scores[pid] = rng.randint(5000, 6999)
        if month in HISTORY[-2:]:
            scores[leader] = 10_000
        order = sorted(ids, key=lambda pid: (-scores[pid], pid))
        slips += [
            {
                "month": month,
                "person_id": pid,
                "card": "{}",
                "total_fen": 0,
                "policy_version": "b",
                "created_at": now,
                "rank": rank,
                "score_cents": scores[pid],
                "points_lost": 0,
                "star": rank == 1,
            }
            for rank, pid in enumerate(order, start=1)
        ]
    with db.engine.begin() as connection:
        connection.execute(insert(MonthLock.__table__), locks)  # type: ignore[attr-defined]
        for start in range(0, len(slips), 5000):
            connection.execute(insert(Payslip.__table__), slips[start : start + 5000])  # type: ignore[attr-defined]


def reset(db: Database) -> None:
    """Forget MONTH's lock (and what its streak step added) so that it locks again."""
    with db.engine.begin() as connection:
        connection.execute(delete(Payslip).where(Payslip.month == MONTH))  # type: ignore[arg-type]
        connection.execute(delete(MonthLock).where(MonthLock.month == MONTH))  # type: ignore[arg-type]
        connection.execute(delete(OneOff))
        connection.execute(delete(Notice))
        connection.execute(delete(Promotion))


@dataclass
class Figures:
    seconds: list[float]
    peak_mib: float = 0.0


async def _lock(payroll: Payroll) -> float:
    began = time.perf_counter()
    locked, new = await payroll.lock(MONTH, by=None, at=dt.datetime.now(TZ))
    took = time.perf_counter() - began
    assert new and locked.cards
    if not isinstance(payroll, WithoutStreaks):  # the streak was paid
        assert any(line.code == "one_off" for card in locked.cards for line in card.lines)
    return took


async def one(agents: int, runs: int, url: str | None) -> dict[str, Figures]:
    """Each variant's lock times and Python peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database(url or f"sqlite:///{folder}/bench.db")
        await db.migrate()
        reset(db)
        unlock(db)
        wipe(db)
        seed(db, agents)
        policy = build_policy(default_policy_data())
        notices = Notices(Texts(policy.language, policy.tz), policy, frozenset())
        people = People(db, policy, frozenset(), notices)
        cards = (await Payroll(db, policy, people, notices).month(MONTH)).cards
        history(db, agents, ranked([place(card) for card in cards])[0].person_id)
        timed = Timed(db, policy, people, notices)
        timed.step, timed.proposing = [], []
        variants = {
            "with": timed,
            "without": WithoutStreaks(db, policy, people, notices),
        }
        found = {name: Figures([]) for name in variants}
        for payroll in variants.values():  # warm up: templates, statements, caches
            reset(db)
            await _lock(payroll)
        for turn in range(runs):
            order = list(variants.items())
            for name, payroll in order if turn % 2 else reversed(order):
                reset(db)
                gc.collect()
                found[name].seconds.append(await _lock(payroll))
        for name, payroll in variants.items():
            reset(db)
            gc.collect()
            tracemalloc.start()
            await _lock(payroll)
            found[name].peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        await db.close()
        found["step"] = Figures(timed.step[1 : runs + 1])
        found["proposing"] = Figures(timed.proposing[1 : runs + 1])
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    found = asyncio.run(one(args.agents, args.runs, args.database_url))
    print(f"month close at {args.agents} agents, six locked months of history")
    print(f"{'lock':>16} {'median s':>9} {'runs s':>24} {'traced MiB':>11}")
    step = found.pop("step")
    proposing = found.pop("proposing")
    for name, figures in found.items():
        runs = " ".join(f"{s:.2f}" for s in figures.seconds)
        median = statistics.median(figures.seconds)
        print(f"{name + ' steps':>16} {median:>9.2f} {runs:>24} {figures.peak_mib:>11.1f}")
    ratio = statistics.median(found["with"].seconds) / statistics.median(found["without"].seconds)
    memory = found["with"].peak_mib / found["without"].peak_mib
    met = "met" if ratio <= TARGET_RATIO else "missed"
    print(f"ratio with/without: time {ratio:.3f}, peak memory {memory:.3f}")
    share = statistics.median(step.seconds) / statistics.median(found["with"].seconds)
    print(
        f"the step itself (rank, history, one-offs, alerts, star): median"
        f" {statistics.median(step.seconds):.3f} s, {share:.1%} of the lock"
    )
    promote = statistics.median(proposing.seconds)
    print(
        f"the promotion step (history, time in level, proposals): median {promote:.3f} s,"
        f" {promote / statistics.median(found['with'].seconds):.1%} of the lock"
    )
    print(
        f"target: the streak, star and level steps add at most 20% (ratio <= {TARGET_RATIO}): {met}"
    )


if __name__ == "__main__":
    main()
