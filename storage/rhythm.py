"""Leave requests and weekly reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage import unique
from storage.models import LeaveRequest, Meeting, MeetingReply, WeeklyReport
from storage.unique import Duplicate


def leave_on(person_id: int, day: dt.date, *, session: Session) -> LeaveRequest | None:
    """The person's leave request for a day, if any."""
    return session.exec(
        select(LeaveRequest).where(LeaveRequest.person_id == person_id, LeaveRequest.day == day)
    ).first()


def add_leave(row: LeaveRequest, *, session: Session) -> LeaveRequest | Duplicate:
    """Record a leave request; `Duplicate` if the person has one for that day already."""
    return unique.insert(row, session=session)


def leave(leave_id: int, *, session: Session) -> LeaveRequest | None:
    """One leave request by id, as the database has it now."""
    return session.get(LeaveRequest, leave_id, populate_existing=True)


def record_leave(
    person_id: int,
    day: dt.date,
    *,
    status: str,
    reason: str,
    timing: str,
    by: int,
    at: dt.datetime,
    session: Session,
) -> LeaveRequest:
    """Decide the person's leave on a day, recording one (with `reason` and `timing`) if
    they never asked."""
    row = leave_on(person_id, day, session=session)
    if row is None:
        row = LeaveRequest(
            person_id=person_id, day=day, reason=reason, timing=timing, requested_at=at
        )
    row.status, row.decided_by, row.decided_at = status, by, at
    session.add(row)
    return row


def add_meeting(row: Meeting, *, session: Session) -> Meeting | Duplicate:
    """Call a day's meeting; `Duplicate` if it was called already (one a day)."""
    return unique.insert(row, session=session)


def put_reply(
    meeting_id: int, person_id: int, answer: str, *, at: dt.datetime, session: Session
) -> MeetingReply:
    """An agent's answer to a meeting's reminder; a later answer replaces the earlier one
    (two presses at once: the second replaces the first's)."""
    reply = replies(meeting_id, session=session).get(person_id)
    if reply is None:
        new = MeetingReply(meeting_id=meeting_id, person_id=person_id, answer=answer, at=at)
        if not isinstance(unique.insert(new, session=session), Duplicate):
            return new
        reply = replies(meeting_id, session=session)[person_id]
    reply.answer, reply.at = answer, at
    session.add(reply)
    session.flush()
    return reply


def decide_leave(leave_id: int, *, status: str, by: int, at: dt.datetime, session: Session) -> bool:
    """Approve or deny unless someone did already; True if this decision counted."""
    result = session.exec(
        update(LeaveRequest)
        .where(col(LeaveRequest.id) == leave_id, col(LeaveRequest.status) == "pending")
        .values(status=status, decided_by=by, decided_at=at)
    )
    return bool(result.rowcount == 1)


def approved_leave(day: dt.date, *, session: Session) -> set[int]:
    """Who has approved leave on a day."""
    return set(
        session.exec(
            select(LeaveRequest.person_id).where(
                LeaveRequest.day == day, LeaveRequest.status == "approved"
            )
        )
    )


def approved_leave_between(
    first: dt.date, last: dt.date, *, session: Session
) -> dict[int, set[dt.date]]:
    """Approved leave from `first` to `last`: person → days."""
    found: dict[int, set[dt.date]] = {}
    query = select(col(LeaveRequest.person_id), col(LeaveRequest.day)).where(
        LeaveRequest.day >= first, LeaveRequest.day <= last, LeaveRequest.status == "approved"
    )
    for person_id, day in session.exec(query):
        found.setdefault(person_id, set()).add(day)
    return found


def save_report(
    person_id: int, week: str, text: str, *, at: dt.datetime, session: Session
) -> WeeklyReport:
    """The person's report for a week; a second one replaces the first (and counts it)."""
    row = session.exec(
        select(WeeklyReport).where(WeeklyReport.person_id == person_id, WeeklyReport.week == week)
    ).first()
    if row is None:
        row = WeeklyReport(person_id=person_id, week=week, text=text, submitted_at=at)
    else:
        row.text, row.submitted_at, row.replaced = text, at, row.replaced + 1
    session.add(row)
    session.flush()
    return row


def reporters(week: str, *, session: Session) -> set[int]:
    """Who has sent a report for a week."""
    return set(session.exec(select(WeeklyReport.person_id).where(WeeklyReport.week == week)))


def meeting_on(day: dt.date, *, session: Session) -> Meeting | None:
    """The meeting of a day, if one was called."""
    return session.exec(select(Meeting).where(Meeting.day == day)).first()


@dataclass(frozen=True)
class DutyHistory:
    """How often each agent stood meeting duty, and when last."""

    counts: dict[int, int]
    last: dict[int, dt.date]


def duty_history(*, session: Session) -> DutyHistory:
    """How often each agent stood meeting duty, and when last."""
    counts: dict[int, int] = {}
    last: dict[int, dt.date] = {}
    for meeting in session.exec(select(Meeting).where(col(Meeting.duty_person_id).is_not(None))):
        person = meeting.duty_person_id
        assert person is not None
        counts[person] = counts.get(person, 0) + 1
        last[person] = max(last.get(person, dt.date.min), meeting.day)
    return DutyHistory(counts, last)


def meeting(meeting_id: int, *, session: Session) -> Meeting | None:
    """One meeting by id."""
    return session.get(Meeting, meeting_id)


def replies(meeting_id: int, *, session: Session) -> dict[int, MeetingReply]:
    """Every answer to a meeting's reminder, by agent."""
    found = session.exec(select(MeetingReply).where(MeetingReply.meeting_id == meeting_id))
    return {reply.person_id: reply for reply in found}
