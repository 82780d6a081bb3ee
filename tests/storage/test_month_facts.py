"""The month's facts as storage sums them equal the pure rules applied row by row.

`storage.payroll.shift_facts` counts days worked, late and early days and long breaks
in SQL (a month of a large team is hundreds of thousands of rows); these tests draw
random shifts — exact boundaries included — and check each count against
`rules.attendance` applied in Python, on SQLite and on PostgreSQL when the suite has
one, in the team's time zone and in one with daylight saving time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from bot.settings import default_policy_data
from rules import attendance as attendance_rules
from rules.close import ShiftFacts
from rules.policy import build_policy
from storage import payroll as payroll_store
from storage.db import Database
from storage.models import BreakPeriod, DailyMetric, LedgerEntry, Person, QaCheck, WorkSession

POLICY = build_policy(default_policy_data())
RULES = POLICY.attendance
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _people(count: int) -> list[dict[str, object]]:
    return [
        {
            "id": 100 + n,
            "first_name": f"Agent{n:02d}",
            "is_agent": True,
            "level": "mid",
            "track": "presale",
            "first_seen": NOW,
            "last_seen": NOW,
        }
        for n in range(count)
    ]


def _shifts(
    rng: random.Random, tz: ZoneInfo, month: tuple[int, int], people: int
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Random shifts around the month's edges and every threshold (to the microsecond)."""
    shifts, breaks = [], []
    grace = dt.timedelta(minutes=RULES.late_grace_minutes)
    limit = dt.timedelta(minutes=RULES.break_minutes)
    year, number = month
    for index in range(people * 12):
        person = 100 + index % people
        day = dt.date(year, number, 1) + dt.timedelta(days=rng.randint(-2, 32))
        start = dt.datetime.combine(day, dt.time(rng.choice([0, 1, 9, 14, 23])), tzinfo=tz)
        start += dt.timedelta(minutes=rng.choice([0, 3, 7, 59]), microseconds=rng.choice([0, 1]))
        shift_end = start.replace(microsecond=0) + dt.timedelta(hours=9)
        # One open shift at most per agent (the schema's rule): each one's last.
        last = index >= people * 11
        ended = rng.choice(
            [
                None if last else shift_end,
                shift_end,
                shift_end - grace,  # exactly the grace: not early
                shift_end - grace - dt.timedelta(microseconds=1),  # just past it: early
                shift_end - dt.timedelta(hours=2),
            ]
        )
        shifts.append(
            {
                "id": index + 1,
                "person_id": person,
                "started_at": start,
                "ended_at": ended,
                "shift": "day",
                "shift_start": start,
                "shift_end": rng.choice([shift_end, shift_end, None]),
                "late_minutes": rng.choice([0, 0, 3]),
                "outside_shift": False,
                "chat_id": person,
                "auto_closed": rng.random() < 0.2,
            }
        )
        for count in range(rng.randint(0, 2)):
            began = start + dt.timedelta(hours=rng.randint(1, 5), microseconds=rng.randint(0, 9))
            # One open break at most per agent: perhaps in their last shift (ended or not).
            open_ = None if last and not count else limit
            length = rng.choice([limit, limit + dt.timedelta(microseconds=1), limit * 2, open_])
            breaks.append(
                {
                    "session_id": index + 1,
                    "person_id": person,
                    "started_at": began,
                    "ended_at": None if length is None else began + length,
                }
            )
    return shifts, breaks


def _by_the_rules(
    shifts: list[dict[str, object]],
    breaks: list[dict[str, object]],
    tz: ZoneInfo,
    month: str,
) -> dict[int, ShiftFacts]:
    """The counts the first release made in Python, shift by shift."""
    by_shift: dict[object, list[attendance_rules.Stretch]] = defaultdict(list)
    for row in breaks:
        by_shift[row["session_id"]].append(
            attendance_rules.Stretch(row["started_at"], row["ended_at"])  # type: ignore[arg-type]
        )
    days: dict[int, set[dt.date]] = defaultdict(set)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in shifts:
        started: dt.datetime = row["started_at"]  # type: ignore[assignment]
        local = started.astimezone(tz)
        if local.strftime("%Y-%m") != month:
            continue
        person: int = row["person_id"]  # type: ignore[assignment]
        days[person].add(local.date())
        counts[person][0] += 1 if row["late_minutes"] else 0  # type: ignore[operator]
        ended: dt.datetime | None = row["ended_at"]  # type: ignore[assignment]
        if ended is None:
            continue
        shift_end: dt.datetime | None = row["shift_end"]  # type: ignore[assignment]
        if not row["auto_closed"] and attendance_rules.left_early(ended, shift_end, RULES):
            counts[person][1] += 1
        counts[person][2] += attendance_rules.breaks_over_limit(by_shift[row["id"]], ended, RULES)
    return {
        person: ShiftFacts(len(days[person]), late, early, over)
        for person, (late, early, over) in counts.items()
    }


@pytest.mark.parametrize(
    ("zone", "month"),
    [
        ("Asia/Shanghai", (2026, 10)),
        ("Europe/Berlin", (2026, 10)),  # summer time ends on 25 October: a 25-hour day
        ("America/New_York", (2026, 3)),  # and starts on 8 March: a 23-hour day
    ],
)
async def test_shift_facts_in_sql_equal_the_rules_row_by_row(
    database_url: str, zone: str, month: tuple[int, int]
) -> None:
    tz = ZoneInfo(zone)
    rng = random.Random(zone)
    shifts, breaks = _shifts(rng, tz, month, people=6)
    db = Database(database_url)
    await db.migrate()
    with db.engine.begin() as connection:
        connection.execute(insert(Person), _people(6))
        connection.execute(insert(WorkSession), shifts)
        connection.execute(insert(BreakPeriod), breaks)
    label = f"{month[0]}-{month[1]:02d}"
    window = payroll_store.Window(
        label,
        tz,
        grace=dt.timedelta(minutes=RULES.late_grace_minutes),
        break_limit=dt.timedelta(minutes=RULES.break_minutes),
    )
    found = await db.read(lambda session: payroll_store.shift_facts(window, session=session))
    one = await db.read(
        lambda session: payroll_store.shift_facts(window, session=session, only=101)
    )
    await db.close()
    expected = _by_the_rules(shifts, breaks, tz, label)
    assert found == expected
    assert one == {101: expected[101]}
    assert sum(facts.early for facts in found.values()) > 0  # the draw reached each count
    assert sum(facts.breaks_over for facts in found.values()) > 0


async def test_month_facts_gather_each_agent_by_name(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    day = dt.date(2026, 10, 5)
    with db.engine.begin() as connection:
        connection.execute(insert(Person), _people(3))
        connection.execute(
            insert(DailyMetric),
            [
                {
                    "person_id": 100,
                    "day": day + dt.timedelta(days=n),
                    "consults": 100,
                    "orders": None if n else 40,
                    "sales_fen": 12_345,
                    "imported_at": NOW,
                    "source": "test",
                }
                for n in range(3)
            ],
        )
        connection.execute(
            insert(QaCheck),
            [
                {
                    "person_id": 101,
                    "month": "2026-10",
                    "score": score,
                    "checked_at": NOW,
                    "checked_by": 1,
                    "chat_id": 1,
                }
                for score in (90, 85)
            ],
        )
        # 16:30 UTC on the 9th is 00:30 on the 10th in Shanghai: the fine's day on the payslip.
        connection.execute(
            insert(LedgerEntry),
            [
                {
                    "person_id": 102,
                    "kind": "violation",
                    "code": "unrelated-browsing",
                    "points": -2,
                    "cash_fen": 1000,
                    "month": "2026-10",
                    "logged_at": dt.datetime(2026, 10, 9, 16, 30, tzinfo=dt.UTC),
                    "logged_by": 1,
                    "chat_id": 1,
                }
            ],
        )
    window = payroll_store.Window.of("2026-10", POLICY)
    facts = await db.read(lambda session: payroll_store.month_facts(window, session=session))
    await db.close()
    assert [f.name for f in facts] == ["Agent00", "Agent01", "Agent02"]
    (fine,) = facts[2].entries
    assert (fine.code, fine.day) == ("unrelated-browsing", dt.date(2026, 10, 10))
    metrics = facts[0].metrics
    assert (metrics.days, metrics.consults.sum, metrics.orders.sum) == (3, 300, 40)
    assert (metrics.sales_fen.total, metrics.orders.days, metrics.payers.sum) == (37_035, 1, None)
    assert facts[1].qa is not None and (facts[1].qa.mean, facts[1].qa.checks) == (87.5, 2)
    assert facts[2].qa is None and facts[2].metrics.days == 0
