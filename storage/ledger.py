"""The ledger: entries, voids and appeals. Rows are only ever added (or an appeal decided)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from storage import unique
from storage.models import Appeal, LedgerEntry, LedgerVoid, Person, display_name
from storage.unique import Duplicate


@dataclass(frozen=True)
class LedgerLine:
    """An entry with what happened to it since."""

    entry: LedgerEntry
    void: LedgerVoid | None
    appeal: Appeal | None

    @property
    def counts(self) -> bool:
        """True unless voided."""
        return self.void is None


def add_entry(row: LedgerEntry, *, session: Session) -> None:
    """Insert an entry and flush it (its id is known)."""
    session.add(row)
    session.flush()


def add_void(row: LedgerVoid, *, session: Session) -> LedgerVoid | Duplicate:
    """Void an entry; `Duplicate` if it was voided already (one void per entry)."""
    return unique.insert(row, session=session)


def add_appeal(row: Appeal, *, session: Session) -> Appeal | Duplicate:
    """File an appeal; `Duplicate` if the entry has one already (one appeal per entry)."""
    return unique.insert(row, session=session)


def lines_where(
    *where: object,
    session: Session,
    newest: bool = False,
    skip: int = 0,
    limit: int | None = None,
) -> list[LedgerLine]:
    """Entries (with void and appeal) that match SQL conditions on `LedgerEntry`, by id
    (`newest` first when asked; `skip` and `limit` for one page of them)."""
    order = col(LedgerEntry.id).desc() if newest else col(LedgerEntry.id)
    query = (
        select(LedgerEntry, LedgerVoid, Appeal)
        .join(LedgerVoid, col(LedgerVoid.entry_id) == LedgerEntry.id, isouter=True)
        .join(Appeal, col(Appeal.entry_id) == LedgerEntry.id, isouter=True)
        .where(*where)  # type: ignore[arg-type]
        .order_by(order)
        .offset(skip)
        .limit(limit)
    )
    return [LedgerLine(entry, void, appeal) for entry, void, appeal in session.exec(query)]


def count_where(*where: object, session: Session) -> int:
    """How many entries match SQL conditions on `LedgerEntry`."""
    query = select(func.count()).select_from(LedgerEntry).where(*where)  # type: ignore[arg-type]
    return int(session.exec(query).one())


def of_code(code: str) -> object:
    """The condition "logged under `code`": a catalogue code, or the kind of an entry
    outside the catalogue (adjust, deduction, carry)."""
    return or_(
        col(LedgerEntry.code) == code,
        and_(col(LedgerEntry.code).is_(None), col(LedgerEntry.kind) == code),
    )


def month_agents(month: str, *, session: Session) -> list[tuple[int, str]]:
    """(id, name) of everyone with an entry in the month, by name: a light read (names
    only) for the ledger's filter at thousands of agents."""
    query = (
        select(col(Person.id), col(Person.first_name), col(Person.last_name))
        .where(col(Person.id).in_(select(LedgerEntry.person_id).where(LedgerEntry.month == month)))
        .order_by(col(Person.first_name), col(Person.id))
    )
    return [(pid, display_name(first, last)) for pid, first, last in session.exec(query)]


def month_codes(month: str, *, session: Session) -> list[tuple[str | None, str]]:
    """(code, kind) of the month's entries, each once: the ledger's other filter."""
    query = select(LedgerEntry.code, LedgerEntry.kind).where(LedgerEntry.month == month).distinct()
    return [(code, kind) for code, kind in session.exec(query)]


def month_lines(person_id: int, month: str, *, session: Session) -> list[LedgerLine]:
    """Every entry about a person in a month, oldest first."""
    return lines_where(
        LedgerEntry.person_id == person_id, LedgerEntry.month == month, session=session
    )


def line(entry_id: int, *, session: Session) -> LedgerLine | None:
    """One entry with its void and appeal."""
    found = lines_where(LedgerEntry.id == entry_id, session=session)
    return found[0] if found else None


def offences(person_id: int, code: str, month: str, *, session: Session) -> int:
    """How many standing (not voided) entries of `code` the person has in the month."""
    voided = select(LedgerVoid.entry_id)
    query = select(func.count()).where(
        LedgerEntry.person_id == person_id,
        LedgerEntry.code == code,
        LedgerEntry.month == month,
        col(LedgerEntry.id).not_in(voided),
    )
    return int(session.exec(query).one())


def appeal(appeal_id: int, *, session: Session) -> Appeal | None:
    """One appeal by id, as the database has it now."""
    return session.get(Appeal, appeal_id, populate_existing=True)


def decide(appeal_id: int, *, outcome: str, by: int, at: dt.datetime, session: Session) -> bool:
    """Record the decision unless one was made already; True if this one counted."""
    result = session.exec(
        update(Appeal)
        .where(col(Appeal.id) == appeal_id, col(Appeal.decided_at).is_(None))
        .values(outcome=outcome, decided_by=by, decided_at=at)
    )
    return bool(result.rowcount == 1)
