"""The month's casework as storage gathers it for the KPIs: cases opened in the month,
follow-ups opened or closed in it with the fen recovered in it; the discounts given."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from bot.settings import default_policy_data
from rules.discounts import COUNTED
from rules.policy import build_policy
from storage import discounts as discounts_store
from storage import payroll as payroll_store
from storage.db import Database
from storage.models import ComplaintCase, Discount, FollowUp
from tests.storage.conftest import CAROL, DAVE, NINE, TZ

POLICY = build_policy(default_policy_data())


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=TZ)


async def test_a_months_casework(db: Database) -> None:
    def work(session: Session) -> None:
        session.add_all(
            [
                ComplaintCase(
                    person_id=DAVE,
                    month="2026-11",
                    order_no="A1",
                    text="late",
                    opened_at=at(11, 2),
                    opened_by=DAVE,
                    solved_at=at(11, 3),
                    arbitration_at=at(11, 3),
                ),
                ComplaintCase(
                    person_id=DAVE,
                    month="2026-11",
                    order_no="A2",
                    text="broken",
                    opened_at=at(11, 29),
                    opened_by=DAVE,
                ),
                ComplaintCase(
                    person_id=DAVE,
                    month="2026-10",
                    order_no="A0",
                    text="old",
                    opened_at=at(10, 30),
                    opened_by=DAVE,
                ),
                # opened in October, closed in November: counts, with its yuan
                FollowUp(
                    person_id=CAROL,
                    month="2026-10",
                    buyer="b1",
                    reason="price",
                    created_at=at(10, 30),
                    due_on=dt.date(2026, 11, 2),
                    done_at=at(11, 1),
                    done_month="2026-11",
                    recovered_fen=15000,
                ),
                FollowUp(
                    person_id=CAROL,
                    month="2026-11",
                    buyer="b2",
                    reason="size",
                    created_at=at(11, 5),
                    due_on=dt.date(2026, 11, 8),
                ),
                # opened in November, closed in December: counts, its yuan are December's
                FollowUp(
                    person_id=CAROL,
                    month="2026-11",
                    buyer="b3",
                    reason="colour",
                    created_at=at(11, 29),
                    due_on=dt.date(2026, 12, 2),
                    done_at=at(12, 1),
                    done_month="2026-12",
                    recovered_fen=9900,
                ),
                Discount(
                    person_id=CAROL,
                    month="2026-11",
                    order_no="X9",
                    amount_fen=2000,
                    reason="scratch",
                    status="recorded",
                    asked_at=NINE,
                    chat_id=CAROL,
                ),
                Discount(
                    person_id=CAROL,
                    month="2026-11",
                    order_no="X8",
                    amount_fen=5000,
                    reason="late",
                    status="approved",
                    asked_at=NINE,
                    chat_id=CAROL,
                ),
                Discount(
                    person_id=CAROL,
                    month="2026-11",
                    order_no="X7",
                    amount_fen=9000,
                    reason="ask",
                    status="denied",
                    asked_at=NINE,
                    chat_id=CAROL,
                ),
            ]
        )

    await db.run(work)
    window = payroll_store.Window.of("2026-11", POLICY)
    found = await db.read(lambda s: payroll_store.casework_facts(window, session=s))
    dave, carol = found[DAVE], found[CAROL]
    assert [(c.opened_at, c.solved_at, c.arbitration) for c in dave.cases] == [
        (at(11, 2), at(11, 3), True),
        (at(11, 29), None, False),
    ]
    assert dave.month_end == dt.datetime(2026, 12, 1, tzinfo=TZ)
    assert (carol.follow_ups, carol.recovered_fen) == (3, 15000)
    # The discounts given (recorded or approved) are read where the scorecard shows them.
    given = await db.read(
        lambda s: [discounts_store.totals(p, "2026-11", COUNTED, session=s) for p in (CAROL, DAVE)]
    )
    assert given[0] == (2, 7000)
    assert (dave.follow_ups, given[1][0], carol.cases) == (0, 0, ())
    one = await db.read(lambda s: payroll_store.casework_facts(window, session=s, only=DAVE))
    assert set(one) == {DAVE}
