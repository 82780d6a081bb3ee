"""What streaks read and write: places of locked months, one-offs voided, the star."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session

from rules.standing import Place
from storage import payroll as payroll_store
from storage.db import Database
from tests.storage.conftest import CAROL, DAVE, NINE


def _slip(
    month: str, person: int, rank: int, cents: int, *, star: bool = False
) -> dict[str, object]:
    return {
        "month": month,
        "person_id": person,
        "card": "{}",
        "total_fen": 0,
        "policy_version": "v",
        "created_at": NINE,
        "rank": rank,
        "score_cents": cents,
        "points_lost": 2,
        "star": star,
    }


@pytest.mark.parametrize("limit", [1000, 1])  # the ids in the query, or read all and keep
async def test_places_by_agent_oldest_first_among_some(
    db: Database, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(payroll_store, "AMONG_LIMIT", limit)

    def work(session: Session) -> dict[int, list[Place]]:
        payroll_store.save_payslips(
            [
                _slip("2026-09", CAROL, 1, 9100, star=True),
                _slip("2026-09", DAVE, 2, 6550),
                _slip("2026-08", CAROL, 2, 8000),
                _slip("2026-10", DAVE, 1, 9000),
            ],
            session=session,
        )
        assert payroll_store.star_of("2026-09", session=session) == CAROL
        assert payroll_store.star_of("2026-08", session=session) is None
        return payroll_store.places(["2026-08", "2026-09"], session=session, among={CAROL})

    found = await db.run(work)
    assert list(found) == [CAROL]
    assert [(p.month, p.rank, p.score, p.points_lost) for p in found[CAROL]] == [
        ("2026-08", 2, Decimal("80"), 2),
        ("2026-09", 1, Decimal("91"), 2),
    ]


async def test_a_one_off_voided_once_leaves_the_month_s_one_offs(db: Database) -> None:
    def work(session: Session) -> None:
        kept = payroll_store.add_one_off(
            CAROL, "2026-10", 5000, "cover", session=session, at=NINE, by=1
        )
        gone = payroll_store.add_one_off(
            CAROL, "2026-10", 20000, "streak", session=session, at=NINE, by=0, source="streak"
        )
        assert payroll_store.void_one_off(gone.id, "wrong", session=session, at=NINE, by=1)
        assert not payroll_store.void_one_off(gone.id, "again", session=session, at=NINE, by=1)
        found = payroll_store.one_off(gone.id, session=session)
        assert found is not None and found.source == "streak" and found.voided_at is not None
        month = payroll_store.one_offs("2026-10", session=session)
        assert [o.id for o in month[CAROL]] == [kept.id]

    await db.run(work)
