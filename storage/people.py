"""People, team settings and the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage import unique
from storage.models import AuditLog, Person, Setting

GROUP_KEY = "team_group_chat_id"
CLAIM_KEY = "claim_code"  # the waiting one-time code (`rules.claim.Claim`), while unclaimed


@dataclass(frozen=True)
class Seen:
    """A Telegram user as an update shows them."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None


def same_identity(person: Person, user: Seen) -> bool:
    """True when the stored names and username are the ones the update shows."""
    return (
        person.first_name == user.first_name
        and person.last_name == user.last_name
        and person.username == user.username
        and person.language_code == user.language_code
    )


def record_seen(*, user: Seen, at: dt.datetime, in_private: bool, session: Session) -> Person:
    """Insert or refresh a person from an update (names, username, DM open)."""
    values: dict[str, Any] = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "username_lower": user.username.lower() if user.username else None,
        "language_code": user.language_code,
        "last_seen": at,
    }
    statement = unique.insert_into(session)(Person).values(
        id=user.id, first_seen=at, dm_open=in_private, **values
    )
    if in_private:
        values["dm_open"] = True
    statement = statement.on_conflict_do_update(index_elements=[Person.id], set_=values)
    session.exec(statement)
    if user.username:
        # A username moves with its owner: forget it on anyone who had it before.
        stale = session.exec(
            select(Person).where(
                Person.username_lower == user.username.lower(), Person.id != user.id
            )
        )
        for other in stale:
            other.username = other.username_lower = None
            session.add(other)
    person = session.get(Person, user.id, populate_existing=True)
    assert person is not None
    return person


def get(person_id: int, *, session: Session) -> Person | None:
    """A person by Telegram id."""
    return session.get(Person, person_id)


def lock(person_id: int, *, session: Session) -> Person | None:
    """The person's row, locked until the transaction ends (PostgreSQL; SQLite locks it all).

    Serialises ledger entries per agent, so two fines at once count their
    offences one after the other.
    """
    return session.get(Person, person_id, with_for_update=True)


def _row(person_id: int, session: Session) -> Person:
    person = session.get(Person, person_id)
    assert person is not None, person_id
    return person


def _set(person_id: int, session: Session, **fields: Any) -> Person:
    """Change some of a person's fields; their row as it is now."""
    person = _row(person_id, session)
    for name, value in fields.items():
        setattr(person, name, value)
    session.add(person)
    return person


def set_supervisor(person_id: int, on: bool, *, session: Session) -> Person:
    """Promote (`on`) or demote a person; their row as it is now."""
    return _set(person_id, session, is_supervisor=on)


def enroll(
    person_id: int,
    *,
    level: str,
    track: str,
    im_name: str | None,
    at: dt.datetime,
    by: int,
    session: Session,
) -> Person:
    """Make a person an agent, or set their level, track and (if given) im-name; the first
    enrolment records when and by whom. Their row as it is now."""
    person = _row(person_id, session)
    if not person.is_agent:  # a first enrolment, or a former agent rejoining
        person.enrolled_at, person.enrolled_by = at, by
        person.left_on = person.left_reason = None
    person.is_agent, person.level, person.track = True, level, track
    if im_name is not None:
        person.im_name = im_name
    session.add(person)
    return person


def set_shift(person_id: int, shift: str, *, session: Session) -> Person:
    """Assign a person's shift (a policy key); their row as it is now."""
    return _set(person_id, session, shift=shift)


def set_hired(
    person_id: int, hired: dt.date, probation_until: dt.date | None, *, session: Session
) -> Person:
    """Set a person's service start and last day of probation; their row as it is now."""
    return _set(person_id, session, hired_on=hired, probation_until=probation_until)


def set_left(
    person_id: int, day: dt.date | None, reason: str | None, *, session: Session
) -> Person:
    """Record (or, with None, clear) a person's last working day and its reason; their
    row as it is now."""
    return _set(person_id, session, left_on=day, left_reason=reason)


def leavers(today: dt.date, *, session: Session) -> list[int]:
    """The agents whose last working day is before `today`: due to leave the team."""
    found = session.exec(
        select(Person.id)
        .where(col(Person.is_agent), col(Person.left_on) < today)
        .order_by(col(Person.id))
    )
    return list(found)


def retire(person_id: int, *, session: Session) -> bool:
    """Take the agent role from someone whose last working day has passed; True if this
    call did (a replica that got there first leaves nothing to do)."""
    done = session.execute(
        update(Person)
        .where(col(Person.id) == person_id, col(Person.is_agent))
        .values(is_agent=False)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


def set_rest_day(person_id: int, day: int, *, session: Session) -> Person:
    """Set a person's weekly rest day (0 = Monday); their row as it is now."""
    return _set(person_id, session, rest_day=day)


def by_username(username: str, *, session: Session) -> Person | None:
    """A person by @username, case-insensitive."""
    found = session.exec(
        select(Person).where(Person.username_lower == username.lstrip("@").lower())
    )
    return found.first()


def agents(*, session: Session, on: dt.date | None = None, leavers: bool = False) -> list[Person]:
    """Every enrolled agent, by name; with `on`, only those still employed that day (a
    last working day before it leaves them out, even before the leavers' job ran); with
    `leavers`, former agents too (their last days' figures still count)."""
    was_agent = col(Person.is_agent) | col(Person.left_on).is_not(None)
    query = select(Person).where(was_agent if leavers else col(Person.is_agent))
    if on is not None:
        query = query.where(col(Person.left_on).is_(None) | (col(Person.left_on) >= on))
    return list(session.exec(query.order_by(col(Person.first_name), col(Person.id))))


@dataclass(frozen=True)
class AgentPattern:
    """An agent as the roster reads them: id, name (for order), weekly pattern."""

    id: int
    shift: str | None
    rest_day: int | None


def agent_patterns(*, session: Session, on: dt.date) -> list[AgentPattern]:
    """Every agent employed on `on`, by name, with their weekly pattern: a light read
    for a whole team (`agents` builds full rows)."""
    query = (
        select(col(Person.id), col(Person.shift), col(Person.rest_day))
        .where(col(Person.is_agent), col(Person.left_on).is_(None) | (col(Person.left_on) >= on))
        .order_by(col(Person.first_name), col(Person.id))
    )
    return [AgentPattern(pid, shift, rest) for pid, shift, rest in session.exec(query)]


def many(person_ids: list[int], *, session: Session) -> dict[int, Person]:
    """The people with these ids, by id."""
    if not person_ids:
        return {}
    found = session.exec(select(Person).where(col(Person.id).in_(person_ids)))
    return {person.id: person for person in found}


def supervisors(*, session: Session) -> list[Person]:
    """Every supervisor, by name."""
    found = session.exec(
        select(Person)
        .where(col(Person.is_supervisor))
        .order_by(col(Person.first_name), col(Person.id))
    )
    return list(found)


def team(*, session: Session) -> list[Person]:
    """Everyone who is an agent or a supervisor."""
    found = session.exec(select(Person).where(col(Person.is_agent) | col(Person.is_supervisor)))
    return list(found)


def group_chat(*, session: Session) -> int | None:
    """The team group's chat id, if an admin bound one."""
    value = get_setting(GROUP_KEY, session=session)
    return int(value) if value is not None else None


def boss_ids(admins: frozenset[int], *, session: Session) -> list[int]:
    """The chat ids of every supervisor and admin (KEFU_ADMINS and the owner), once each."""
    found = session.exec(select(Person.id).where(col(Person.is_supervisor) | col(Person.is_owner)))
    return sorted(set(found) | admins)


def bosses(admins: frozenset[int], *, session: Session) -> list[Person]:
    """Every supervisor and admin the bot has seen (KEFU_ADMINS who never wrote to it are
    left out), by id."""
    is_boss = col(Person.is_supervisor) | col(Person.is_owner) | col(Person.id).in_(admins)
    return list(session.exec(select(Person).where(is_boss).order_by(col(Person.id))))


def has_owner(*, session: Session) -> bool:
    """True once someone has claimed the bot."""
    return session.exec(select(Person.id).where(col(Person.is_owner)).limit(1)).first() is not None


def set_owner(person_id: int, *, session: Session) -> Person:
    """Make someone the shop's owner (the claim)."""
    return _set(person_id, session, is_owner=True)


def waiting(*, session: Session, limit: int = 20) -> list[Person]:
    """People who wrote to the bot in private but are not on the team, newest first."""
    found = session.exec(
        select(Person)
        .where(col(Person.dm_open), ~col(Person.is_agent), ~col(Person.is_supervisor))
        .where(~col(Person.is_owner))
        .order_by(col(Person.last_seen).desc(), col(Person.id))
        .limit(limit)
    )
    return list(found)


def get_setting(key: str, *, session: Session) -> str | None:
    """A team setting's value, or None."""
    row = session.get(Setting, key)
    return row.value if row else None


def put_setting(key: str, value: str, *, at: dt.datetime, by: int | None, session: Session) -> None:
    """Set a team setting."""
    row = session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value, updated_at=at, updated_by=by)
    else:
        row.value, row.updated_at, row.updated_by = value, at, by
    session.add(row)


def drop_setting(key: str, *, session: Session) -> None:
    """Remove a team setting (nothing if it is not set)."""
    row = session.get(Setting, key)
    if row is not None:
        session.delete(row)


def audit(
    *,
    at: dt.datetime,
    actor_id: int | None,
    action: str,
    subject_id: int | None = None,
    detail: str = "",
    session: Session,
) -> int:
    """Append one line to the audit log; its id."""
    row = AuditLog(at=at, actor_id=actor_id, action=action, subject_id=subject_id, detail=detail)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id
