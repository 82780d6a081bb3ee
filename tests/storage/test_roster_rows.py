"""The roster's rows: a day written, rewritten, read by range, drafts apart from the
live roster, and cleared from a day on (SQLite, and PostgreSQL when the suite has one)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from storage import roster as roster_store
from storage.db import Database
from tests.storage.conftest import CAROL, DAVE, NINE

NOV = [dt.date(2026, 11, day) for day in range(1, 31)]


async def test_a_day_is_written_rewritten_and_read_back(db: Database) -> None:
    def work(session: Session) -> tuple[object, object]:
        first = roster_store.set_day(
            CAROL, NOV[24], "evening", source="edit", at=NINE, by=DAVE, session=session
        )
        second = roster_store.set_day(
            CAROL, NOV[24], None, source="swap", at=NINE, by=None, session=session
        )
        return first, second

    first, second = await db.run(work)
    assert first is None
    assert getattr(second, "shift", "?") == "evening"  # the row it replaced
    found = await db.read(lambda s: roster_store.entries(NOV[0], NOV[-1], session=s))
    assert found == {CAROL: {NOV[24]: None}}  # a rest day, not a missing one


async def test_drafts_are_apart_and_a_range_is_inclusive(db: Database) -> None:
    def work(session: Session) -> None:
        for day in (NOV[0], NOV[29]):
            roster_store.set_day(
                CAROL, day, "day", source="edit", at=NINE, by=None, session=session
            )
        roster_store.set_day(
            DAVE, NOV[0], "evening", source="draft", at=NINE, by=None, session=session, draft=True
        )
        roster_store.set_day(
            CAROL, dt.date(2026, 12, 1), "day", source="edit", at=NINE, by=None, session=session
        )

    await db.run(work)
    live = await db.read(lambda s: roster_store.entries(NOV[0], NOV[-1], session=s))
    assert live == {CAROL: {NOV[0]: "day", NOV[29]: "day"}}
    drafts = await db.read(lambda s: roster_store.entries(NOV[0], NOV[-1], session=s, draft=True))
    assert drafts == {DAVE: {NOV[0]: "evening"}}
    only = await db.read(lambda s: roster_store.entries(NOV[0], NOV[-1], session=s, people=[DAVE]))
    assert only == {}


async def test_clearing_from_a_day_keeps_the_days_before_and_drafts(db: Database) -> None:
    def work(session: Session) -> int:
        for day in NOV[20:25]:
            roster_store.set_day(
                CAROL, day, "day", source="edit", at=NINE, by=None, session=session
            )
        roster_store.set_day(
            CAROL, NOV[23], "day", source="draft", at=NINE, by=None, session=session, draft=True
        )
        return roster_store.clear_from(CAROL, NOV[23], session=session)

    assert await db.run(work) == 2
    live = await db.read(lambda s: roster_store.entries(NOV[0], NOV[-1], session=s))
    assert sorted(live[CAROL]) == NOV[20:23]
    drafts = await db.read(lambda s: roster_store.entries(NOV[0], NOV[-1], session=s, draft=True))
    assert drafts == {CAROL: {NOV[23]: "day"}}
