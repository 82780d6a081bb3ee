"""Storage makes the changes use-cases ask for, with plain values, and says what it did."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from storage import attendance as attendance_store
from storage import metrics as metrics_store
from storage import people as people_store
from storage import rhythm as rhythm_store
from storage.attendance import Worked
from storage.db import Database
from storage.metrics import Saved
from storage.models import BreakPeriod, Meeting, WorkSession
from tests.storage.conftest import CAROL, DAVE, NINE


def _on_shift_with_a_break(session: Session) -> int:
    """Carol clocked in at 9:00 and went on a break at 10:00; her session's id."""
    work = attendance_store.start_session(
        WorkSession(person_id=CAROL, started_at=NINE, chat_id=CAROL), session=session
    )
    assert isinstance(work, WorkSession) and work.id is not None
    rest = BreakPeriod(session_id=work.id, person_id=CAROL, started_at=NINE + dt.timedelta(hours=1))
    assert isinstance(attendance_store.start_break(rest, session=session), BreakPeriod)
    return work.id


async def test_clocking_out_ends_the_shift_and_its_break(db: Database) -> None:
    out = NINE + dt.timedelta(hours=2)

    def work(session: Session) -> tuple[Worked | None, Worked | None]:
        _on_shift_with_a_break(session)
        return (
            attendance_store.end_session(CAROL, at=out, session=session),
            attendance_store.end_session(CAROL, at=out, session=session),
        )

    closed, again = await db.run(work)
    assert closed is not None and again is None
    assert closed.work.ended_at == out and [b.ended_at for b in closed.breaks] == [out]


async def test_the_bot_closes_a_shift_once_never_before_its_start(db: Database) -> None:
    session_id = await db.run(_on_shift_with_a_break)
    early = NINE - dt.timedelta(hours=1)

    def work(session: Session) -> tuple[Worked | None, Worked | None]:
        return (
            attendance_store.close_session(session_id, at=early, automatic=True, session=session),
            attendance_store.close_session(session_id, at=early, automatic=True, session=session),
        )

    closed, again = await db.run(work)
    assert closed is not None and again is None
    assert closed.work.ended_at == NINE and closed.work.auto_closed
    assert [b.ended_at for b in closed.breaks] == [NINE + dt.timedelta(hours=1)]


async def test_a_corrected_end_trims_the_breaks_past_it(db: Database) -> None:
    session_id = await db.run(_on_shift_with_a_break)
    late = NINE + dt.timedelta(hours=8)
    end = NINE + dt.timedelta(minutes=30)

    def work(session: Session) -> tuple[WorkSession, list[BreakPeriod]]:
        attendance_store.close_session(session_id, at=late, automatic=True, session=session)
        corrected = attendance_store.correct_end(session_id, end, session=session)
        return corrected, attendance_store.breaks_of(session_id, session=session)

    corrected, breaks = await db.run(work)
    assert corrected.ended_at == end
    assert [(b.started_at, b.ended_at) for b in breaks] == [(NINE + dt.timedelta(hours=1),) * 2]


async def test_an_import_says_how_many_rows_it_added_and_replaced(db: Database) -> None:
    def row(person_id: int, day: dt.date, consults: int) -> dict[str, Any]:
        values: dict[str, Any] = dict.fromkeys(metrics_store.FIELDS)
        values.update(
            person_id=person_id,
            day=day,
            consults=consults,
            imported_at=NINE,
            imported_by=None,
            source="t.csv",
        )
        return values

    day = NINE.date()
    first = [row(CAROL, day, 10), row(DAVE, day, 20)]
    second = [row(CAROL, day, 11), row(CAROL, day + dt.timedelta(days=1), 12)]
    assert await db.run(lambda session: metrics_store.save(first, session=session)) == Saved(2, 0)
    assert await db.run(lambda session: metrics_store.save(second, session=session)) == Saved(1, 1)
    assert await db.run(lambda session: metrics_store.save([], session=session)) == Saved(0, 0)
    stored = await db.read(lambda session: metrics_store.on_day(day, session=session))
    assert sorted((m.person_id, m.consults) for m in stored) == [(CAROL, 11), (DAVE, 20)]


async def test_a_second_report_replaces_the_first_and_counts(db: Database) -> None:
    week = "2026-11-23"
    for text in ("first", "second"):
        await db.run(
            lambda session, text=text: rhythm_store.save_report(
                CAROL, week, text, at=NINE, session=session
            )
        )
    report = await db.run(
        lambda session: rhythm_store.save_report(CAROL, week, "third", at=NINE, session=session)
    )
    assert (report.text, report.replaced) == ("third", 2)
    assert await db.read(lambda session: rhythm_store.reporters(week, session=session)) == {CAROL}


async def test_a_recorded_leave_is_decided_whether_asked_or_not(db: Database) -> None:
    day = NINE.date()

    def work(session: Session) -> list[tuple[str, str, int | None]]:
        rows = [
            rhythm_store.record_leave(
                CAROL,
                day,
                status="approved",
                reason="recorded by a supervisor",
                timing="late",
                by=DAVE,
                at=NINE,
                session=session,
            )
            for _ in range(2)
        ]
        return [(row.status, row.reason, row.decided_by) for row in rows]

    assert await db.run(work) == [("approved", "recorded by a supervisor", DAVE)] * 2
    assert await db.read(lambda session: rhythm_store.approved_leave(day, session=session)) == {
        CAROL
    }


async def test_people_are_changed_with_plain_values(db: Database) -> None:
    def work(session: Session) -> None:
        people_store.enroll(
            CAROL, level="L1", track="pre", im_name=None, at=NINE, by=DAVE, session=session
        )
        later = NINE + dt.timedelta(days=1)
        people_store.enroll(
            CAROL, level="L2", track="pre", im_name="c", at=later, by=CAROL, session=session
        )
        people_store.set_shift(CAROL, "day", session=session)
        people_store.set_rest_day(CAROL, 6, session=session)
        people_store.set_supervisor(DAVE, True, session=session)

    await db.run(work)
    carol = await db.read(lambda session: people_store.get(CAROL, session=session))
    assert carol is not None and carol.is_agent
    assert (carol.level, carol.im_name, carol.shift, carol.rest_day) == ("L2", "c", "day", 6)
    assert (carol.enrolled_at, carol.enrolled_by) == (NINE, DAVE)  # the first enrolment's
    bosses = await db.read(lambda session: people_store.boss_ids(frozenset(), session=session))
    assert bosses == [DAVE]


async def test_the_meeting_duty_history_counts_and_dates(db: Database) -> None:
    days = [NINE.date() + dt.timedelta(days=n) for n in (0, 2, 7)]

    def work(session: Session) -> None:
        for day, duty in zip(days, (CAROL, DAVE, CAROL), strict=True):
            rhythm_store.add_meeting(
                Meeting(day=day, duty_person_id=duty, created_at=NINE), session=session
            )

    await db.run(work)
    history = await db.read(lambda session: rhythm_store.duty_history(session=session))
    assert history.counts == {CAROL: 2, DAVE: 1}
    assert history.last == {CAROL: days[2], DAVE: days[1]}
