"""Leave requests and weekly reports."""

from __future__ import annotations

import datetime as dt

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


def add_report(row: WeeklyReport, *, session: Session) -> None:
    """Insert a weekly report and flush it."""
    session.add(row)
    session.flush()


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


def report_of(person_id: int, week: str, *, session: Session) -> WeeklyReport | None:
    """The person's report for a week, if sent."""
    return session.exec(
        select(WeeklyReport).where(WeeklyReport.person_id == person_id, WeeklyReport.week == week)
    ).first()


def reporters(week: str, *, session: Session) -> set[int]:
    """Who has sent a report for a week."""
    return set(session.exec(select(WeeklyReport.person_id).where(WeeklyReport.week == week)))


def meeting_on(day: dt.date, *, session: Session) -> Meeting | None:
    """The meeting of a day, if one was called."""
    return session.exec(select(Meeting).where(Meeting.day == day)).first()


def duty_history(*, session: Session) -> tuple[dict[int, int], dict[int, dt.date]]:
    """How often each agent stood meeting duty, and when last."""
    counts: dict[int, int] = {}
    last: dict[int, dt.date] = {}
    for meeting in session.exec(select(Meeting).where(col(Meeting.duty_person_id).is_not(None))):
        person = meeting.duty_person_id
        assert person is not None
        counts[person] = counts.get(person, 0) + 1
        last[person] = max(last.get(person, dt.date.min), meeting.day)
    return counts, last


def replies(meeting_id: int, *, session: Session) -> dict[int, MeetingReply]:
    """Every answer to a meeting's reminder, by agent."""
    found = session.exec(select(MeetingReply).where(MeetingReply.meeting_id == meeting_id))
    return {reply.person_id: reply for reply in found}
