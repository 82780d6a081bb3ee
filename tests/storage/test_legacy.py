"""The bridge for callers not yet on keyword-only sessions: both call forms, one answer."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage import ledger as ledger_store
from storage import notices as notices_store
from storage import people as people_store
from storage.db import Database
from storage.models import LedgerEntry
from storage.people import Seen

NINE = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def test_session_first_and_session_by_keyword_agree(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()

    def work(session: Session) -> None:
        user = Seen(7, "Carol", None, "carol", None)
        people_store.record_seen(user=user, at=NINE, in_private=True, session=session)
        entry = LedgerEntry(
            person_id=7,
            kind="bonus",
            points=1,
            month="2026-11",
            logged_at=NINE,
            logged_by=7,
            chat_id=7,
        )
        ledger_store.add_entry(entry, session=session)
        assert people_store.get(session, 7) is people_store.get(7, session=session)
        assert people_store.lock(session, 7) is people_store.lock(7, session=session)
        assert people_store.agents(session) == people_store.agents(session=session) == []
        assert people_store.team(session) == people_store.team(session=session) == []
        people_store.audit(session, at=NINE, actor_id=None, action="a")
        people_store.audit(at=NINE, actor_id=None, action="b", session=session)
        where = LedgerEntry.person_id == 7
        old = ledger_store.lines_where(session, where)
        assert [line.entry.id for line in old] == [entry.id]
        assert old == ledger_store.lines_where(where, session=session)
        assert notices_store.counts(session, 1) == notices_store.counts(1, session=session) == {}
        statuses = (notices_store.FAILED, notices_store.UNCERTAIN)
        assert notices_store.of_run(session, 1, *statuses) == []
        assert notices_store.of_run(1, *statuses, session=session) == []

    await db.run(work)
    await db.close()
