"""Inserts a unique rule refuses come back as results, and the unit of work goes on.

Each test makes the second insert in the same unit of work as the first (the
second press, the second replica, seen from the loser's side), checks the
result, then writes and reads again in that unit and checks what was committed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, func, select

from storage import attendance as attendance_store
from storage import fixpunch as fixpunch_store
from storage import ledger as ledger_store
from storage import people as people_store
from storage import rhythm as rhythm_store
from storage import slots as slots_store
from storage import unique
from storage.attendance import AlreadyOpen
from storage.db import Database
from storage.models import (
    Appeal,
    BreakPeriod,
    Handover,
    LeaveRequest,
    LedgerEntry,
    LedgerVoid,
    Meeting,
    MeetingReply,
    Person,
    PunchFix,
    WorkSession,
)
from storage.unique import DUPLICATE, Duplicate
from tests.storage.conftest import CAROL, DAVE, NINE

DAY = NINE.date()


def _count(session: Session, model: type[object]) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def _shift(person_id: int, at: dt.datetime) -> WorkSession:
    return WorkSession(person_id=person_id, started_at=at, chat_id=person_id)


def _entry(session: Session) -> LedgerEntry:
    row = LedgerEntry(
        person_id=CAROL,
        kind="violation",
        code="late",
        points=-2,
        month="2026-11",
        logged_at=NINE,
        logged_by=DAVE,
        chat_id=DAVE,
    )
    ledger_store.add_entry(row, session=session)
    return row


async def test_a_second_insert_is_a_duplicate_and_the_unit_goes_on(db: Database) -> None:
    def work(session: Session) -> tuple[object, object, int]:
        first = unique.insert(Meeting(day=DAY, created_at=NINE), session=session)
        second = unique.insert(Meeting(day=DAY, created_at=NINE), session=session)
        other = unique.insert(
            Meeting(day=DAY + dt.timedelta(days=2), created_at=NINE), session=session
        )
        assert isinstance(other, Meeting)
        return first, second, _count(session, Meeting)

    first, second, seen = await db.run(work)
    assert isinstance(first, Meeting) and first.id is not None
    assert second is DUPLICATE and isinstance(second, Duplicate)
    assert seen == 2
    assert await db.read(lambda session: _count(session, Meeting)) == 2


async def test_clocking_in_twice_is_already_open_since_the_first(db: Database) -> None:
    later = NINE + dt.timedelta(minutes=5)

    def work(session: Session) -> tuple[object, object, object]:
        first = attendance_store.start_session(_shift(CAROL, NINE), session=session)
        second = attendance_store.start_session(_shift(CAROL, later), session=session)
        dave = attendance_store.start_session(_shift(DAVE, later), session=session)
        return first, second, dave

    first, second, dave = await db.run(work)
    assert isinstance(first, WorkSession) and isinstance(dave, WorkSession)
    assert second == AlreadyOpen(since=NINE)
    open_ones = await db.read(lambda session: attendance_store.on_duty(session=session))
    assert sorted(row.work.person_id for row in open_ones) == [CAROL, DAVE]


async def test_a_second_break_at_once_is_already_open(db: Database) -> None:
    later = NINE + dt.timedelta(minutes=30)

    def work(session: Session) -> tuple[object, object, int]:
        shift = attendance_store.start_session(_shift(CAROL, NINE), session=session)
        assert isinstance(shift, WorkSession) and shift.id is not None
        rest = BreakPeriod(session_id=shift.id, person_id=CAROL, started_at=later)
        again = BreakPeriod(session_id=shift.id, person_id=CAROL, started_at=later)
        first = attendance_store.start_break(rest, session=session)
        second = attendance_store.start_break(again, session=session)
        return first, second, len(attendance_store.open_breaks(session=session))

    first, second, running = await db.run(work)
    assert isinstance(first, BreakPeriod)
    assert second == AlreadyOpen(since=later)
    assert running == 1


async def test_acknowledging_twice_is_a_duplicate(db: Database) -> None:
    def work(session: Session) -> tuple[object, object, int]:
        note = Handover(author_id=DAVE, text="printer jammed", created_at=NINE, chat_id=DAVE)
        attendance_store.add_handover(note, session=session)
        assert note.id is not None
        first = attendance_store.add_ack(note.id, CAROL, at=NINE, session=session)
        second = attendance_store.add_ack(note.id, CAROL, at=NINE, session=session)
        earlier = attendance_store.ack_of(note.id, CAROL, session=session)
        return first, second, earlier.id if earlier else 0

    first, second, earlier = await db.run(work)
    assert not isinstance(first, Duplicate) and first.id == earlier
    assert second is DUPLICATE


async def test_voiding_or_appealing_an_entry_twice_is_a_duplicate(db: Database) -> None:
    def work(session: Session) -> list[object]:
        entry = _entry(session)
        assert entry.id is not None
        results: list[object] = []
        for _ in range(2):
            void = LedgerVoid(entry_id=entry.id, reason="wrong", voided_at=NINE, voided_by=DAVE)
            results.append(ledger_store.add_void(void, session=session))
        for _ in range(2):
            filed = Appeal(entry_id=entry.id, person_id=CAROL, reason="was there", filed_at=NINE)
            results.append(ledger_store.add_appeal(filed, session=session))
        line = ledger_store.line(entry.id, session=session)
        assert line is not None and line.void is not None and line.appeal is not None
        return results

    void, void_again, filed, filed_again = await db.run(work)
    assert isinstance(void, LedgerVoid) and isinstance(filed, Appeal)
    assert void_again is DUPLICATE and filed_again is DUPLICATE
    assert await db.read(lambda session: _count(session, LedgerVoid)) == 1
    assert await db.read(lambda session: _count(session, Appeal)) == 1


async def test_asking_leave_twice_for_a_day_is_a_duplicate(db: Database) -> None:
    def leave(day: dt.date) -> LeaveRequest:
        return LeaveRequest(
            person_id=CAROL, day=day, reason="dentist", timing="ordinary", requested_at=NINE
        )

    def work(session: Session) -> list[object]:
        return [
            rhythm_store.add_leave(leave(DAY), session=session),
            rhythm_store.add_leave(leave(DAY), session=session),
            rhythm_store.add_leave(leave(DAY + dt.timedelta(days=1)), session=session),
        ]

    first, second, third = await db.run(work)
    assert isinstance(first, LeaveRequest) and isinstance(third, LeaveRequest)
    assert second is DUPLICATE
    assert await db.read(lambda session: _count(session, LeaveRequest)) == 2


async def test_calling_a_days_meeting_twice_is_a_duplicate(db: Database) -> None:
    def work(session: Session) -> tuple[object, object, int | None]:
        first = rhythm_store.add_meeting(Meeting(day=DAY, created_at=NINE), session=session)
        second = rhythm_store.add_meeting(
            Meeting(day=DAY, duty_person_id=DAVE, created_at=NINE), session=session
        )
        found = rhythm_store.meeting_on(DAY, session=session)
        return first, second, found.duty_person_id if found else -1

    first, second, duty = await db.run(work)
    assert isinstance(first, Meeting)
    assert second is DUPLICATE
    assert duty is None  # the first call stands


async def test_a_reply_recorded_at_the_same_moment_is_replaced(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other press inserted its reply between this one's look-up and insert."""
    meeting = await db.run(
        lambda session: rhythm_store.add_meeting(Meeting(day=DAY, created_at=NINE), session=session)
    )
    assert isinstance(meeting, Meeting) and meeting.id is not None
    meeting_id = meeting.id
    first_look = rhythm_store.replies

    def work(session: Session) -> MeetingReply:
        other = MeetingReply(meeting_id=meeting_id, person_id=CAROL, answer="attend", at=NINE)
        session.add(other)
        session.flush()
        session.expunge(other)
        calls = iter([{}])
        monkeypatch.setattr(
            rhythm_store,
            "replies",
            lambda meeting_id, *, session: (
                next(calls, None) or first_look(meeting_id, session=session)
            ),
        )
        return rhythm_store.put_reply(meeting_id, CAROL, "duty", at=NINE, session=session)

    reply = await db.run(work)
    assert reply.answer == "duty"
    stored = await db.read(lambda session: list(session.exec(select(MeetingReply))))
    assert [(row.person_id, row.answer) for row in stored] == [(CAROL, "duty")]


async def test_the_people_rows_are_untouched_by_a_duplicate(db: Database) -> None:
    """A refused insert rolls back to its savepoint only: earlier writes in the unit stay."""

    def work(session: Session) -> object:
        people_store.put_setting("menu", "3", at=NINE, by=None, session=session)
        attendance_store.start_session(_shift(CAROL, NINE), session=session)
        return attendance_store.start_session(_shift(CAROL, NINE), session=session)

    assert isinstance(await db.run(work), AlreadyOpen)
    assert await db.read(lambda session: people_store.get_setting("menu", session=session)) == "3"
    people = await db.read(lambda session: _count(session, Person))
    assert people == 2


async def test_a_slot_is_claimed_once_and_the_unit_goes_on(db: Database) -> None:
    def work(session: Session) -> list[bool]:
        claims = [
            slots_store.claim("daily-alert", "2026-11-22", at=NINE, session=session),
            slots_store.claim("daily-alert", "2026-11-22", at=NINE, session=session),
            slots_store.claim("daily-alert", "2026-11-23", at=NINE, session=session),
        ]
        return [*claims, slots_store.was_run(["x", "daily-alert"], "2026-11-22", session=session)]

    assert await db.run(work) == [True, False, True, True]
    ran = await db.read(
        lambda session: [
            slots_store.was_run(["daily-alert"], day, session=session)
            for day in ("2026-11-22", "2026-11-23", "2026-11-24")
        ]
    )
    assert ran == [True, True, False]


async def test_one_pending_make_up_punch_per_day_and_kind(db: Database) -> None:
    """Two identical requests at once: the second is a duplicate; once decided, the same
    day and kind may be asked again, and the other kind any time."""

    def fix(kind: str = "in") -> PunchFix:
        return PunchFix(
            person_id=CAROL,
            day=DAY,
            month="2026-11",
            kind=kind,
            punched_at=NINE,
            reason="forgot",
            asked_at=NINE,
        )

    def work(session: Session) -> tuple[object, object, object, object]:
        first = fixpunch_store.add(fix(), session=session)
        second = fixpunch_store.add(fix(), session=session)
        other = fixpunch_store.add(fix("out"), session=session)
        assert isinstance(first, PunchFix)
        first.status = "denied"
        session.add(first)
        session.flush()
        again = fixpunch_store.add(fix(), session=session)
        return first, second, other, again

    _, second, other, again = await db.run(work)
    assert second is DUPLICATE
    assert isinstance(other, PunchFix) and isinstance(again, PunchFix)
    assert await db.read(lambda session: _count(session, PunchFix)) == 3
