"""What the Mini App's board, ledger and "my month" pages read [issue 18].

Read models only: plain data for JSON, built from the reads `/team`, the ledger and
`/myscore` already use. The board sorts the whole team from light rows and loads
the people it names (one page of each part); the ledger reads one page of a month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from bot.services.attendance import Attendance
from bot.services.ledger import Ledgers, entry_name, kind_name
from rules import attendance as attendance_rules
from rules import ledger as ledger_rules
from rules.policy import Policy
from storage import attendance as attendance_store
from storage import ledger as ledger_store
from storage import people as people_store
from storage.db import Database
from storage.ledger import LedgerLine
from storage.models import LedgerEntry, Person

# The board's parts, in the order the page shows them.
SECTIONS = ("working", "resting", "late", "absent", "leave", "waiting")
MINUTE = attendance_rules.MINUTE

Light = list[tuple[int, dict[str, Any]]]  # (person id, what the board says of them)
Pick = Callable[[Light], dict[str, Any]]  # one page of a part: {"items", "page", ...}


def _name(people: dict[int, Person], person_id: int | None) -> str | None:
    found = people.get(person_id) if person_id is not None else None
    return found.full_name if found is not None else None


class Boards:
    """The Mini App's read models over one database and policy."""

    def __init__(
        self, db: Database, policy: Policy, attendance: Attendance, ledger: Ledgers
    ) -> None:
        self.db = db
        self.policy = policy
        self.attendance = attendance
        self.ledgers = ledger

    @property
    def language(self) -> str:
        """The team's language (the names of shifts and entries)."""
        return self.policy.language

    # --- today's board

    def _parts(self, at: dt.datetime, session: Session) -> dict[str, Light]:
        """Every part of the board, unnamed: `/team`'s parts, who came in late today, and
        the expected split at the absence check's time [issue 5: 2 hours after the start]."""
        parts = self.attendance.parts_in(at, session=session)
        today = at.astimezone(self.policy.tz).date()
        midnight = dt.datetime.combine(today, dt.time(), tzinfo=self.policy.tz)
        late = attendance_store.late_starts(midnight, at, session=session)
        absent_after = dt.timedelta(minutes=self.policy.schedule.absent_after_minutes)
        limit = self.policy.attendance.break_minutes
        found: dict[str, Light] = {key: [] for key in SECTIONS}
        for pid, on in parts["working"]:
            work = on.work
            found["working"].append((pid, {"since": work.started_at, "shift": work.shift}))
        for pid, on in parts["resting"]:
            minutes = (at - on.rest.started_at) // MINUTE
            found["resting"].append((pid, {"minutes": minutes, "over": minutes > limit}))
        for pid, (minutes, since) in sorted(late.items(), key=lambda item: -item[1][0]):
            found["late"].append((pid, {"minutes": minutes, "since": since}))
        for pid, (key, start) in parts["waiting"]:
            past = max(0, (at - start) // MINUTE)
            due = {"shift": key, "shift_name": self.attendance.shift_name(key), "start": start}
            part = "absent" if at >= start + absent_after else "waiting"
            found[part].append((pid, {**due, "minutes": past}))
        found["leave"] = [(pid, {}) for pid, _ in parts[attendance_rules.LEAVE]]
        return found

    async def board(
        self, at: dt.datetime, *, pick: Pick, only: str | None = None
    ) -> list[dict[str, Any]]:
        """Each part of the board (or `only` one) as `pick` pages it, its people named."""

        def work(session: Session) -> list[dict[str, Any]]:
            parts = self._parts(at, session)
            pages = {key: pick(parts[key]) for key in ([only] if only else SECTIONS)}
            ids = [pid for page in pages.values() for pid, _ in page["items"]]
            people = people_store.many(ids, session=session)
            return [
                {
                    "key": key,
                    **page,
                    "items": [
                        {"id": pid, "name": _name(people, pid), **said}
                        for pid, said in page["items"]
                    ],
                }
                for key, page in pages.items()
            ]

        return await self.db.read(work)

    # --- the month's ledger

    def _entry(self, line: LedgerLine, people: dict[int, Person]) -> dict[str, Any]:
        """One entry as the pages show it: what, how much, by whom, voided, appealed."""
        entry, void, appeal = line.entry, line.void, line.appeal
        state = None
        if appeal is not None:
            state = "open" if appeal.decided_at is None else appeal.outcome
        return {
            "id": entry.id,
            "at": entry.logged_at,
            "agent": {"id": entry.person_id, "name": _name(people, entry.person_id)},
            "code": entry.code or entry.kind,
            "kind": entry.kind,
            "name": entry_name(entry, self.language),
            "points": entry.points,
            "cash": ledger_rules.to_yuan(entry.cash_fen),
            "note": entry.note,
            "by": _name(people, entry.logged_by),
            "void": None
            if void is None
            else {"at": void.voided_at, "by": _name(people, void.voided_by), "reason": void.reason},
            "appeal": None
            if appeal is None
            else {"state": state, "at": appeal.filed_at, "reason": appeal.reason},
        }

    def _entries(self, lines: list[LedgerLine], session: Session) -> list[dict[str, Any]]:
        """Entries with the names of their agents, loggers and voiders (one read)."""
        ids: set[int] = set()
        for line in lines:
            ids |= {line.entry.person_id, line.entry.logged_by}
            if line.void is not None:
                ids.add(line.void.voided_by)
        people = people_store.many(sorted(ids), session=session)
        return [self._entry(line, people) for line in lines]

    def _code_name(self, code: str | None, kind: str) -> str:
        entry = self.policy.catalogue.get(code) if code else None
        return entry.name.in_(self.language) if entry else kind_name(kind, code, self.language)

    async def ledger(
        self, month: str, *, agent: int | None, code: str | None, page: int, size: int
    ) -> dict[str, Any]:
        """One page of a month's entries, newest first, of one agent and/or one code; the
        month's agents and codes (the filters); and how many match."""

        def work(session: Session) -> dict[str, Any]:
            where: list[object] = [LedgerEntry.month == month]
            if agent is not None:
                where.append(LedgerEntry.person_id == agent)
            if code:
                where.append(ledger_store.of_code(code))
            total = ledger_store.count_where(*where, session=session)
            skip = (page - 1) * size
            lines = ledger_store.lines_where(
                *where, session=session, newest=True, skip=skip, limit=size
            )
            agents = ledger_store.month_agents(month, session=session)
            codes = {
                c or kind: self._code_name(c, kind)
                for c, kind in ledger_store.month_codes(month, session=session)
            }
            return {
                "items": self._entries(lines, session),
                "page": page,
                "pages": max(1, -(-total // size)),
                "total": total,
                "agents": [{"id": pid, "name": name} for pid, name in agents],
                "codes": [{"code": c, "name": codes[c]} for c in sorted(codes)],
            }

        return await self.db.read(work)

    # --- my month

    async def month(
        self, person: Person, month: str, *, at: dt.datetime, own: bool
    ) -> dict[str, Any]:
        """An agent's month as `/myscore` reads it: score, entries (newest first, each
        with its appeal deadline and whether `person` may still appeal it — `own`: the
        agent is looking), cash fines, open appeals."""
        standing = await self.ledgers.standing(person, month)
        lines = list(reversed(standing.lines))
        entries = await self.db.read(lambda session: self._entries(lines, session))
        for line, shown in zip(lines, entries, strict=True):
            shown["deadline"] = self.ledgers.appeal_deadline(line)
            shown["appealable"] = own and self.ledgers.appeal_refused(line, person, at=at) is None
        return {
            "agent": {"id": person.id, "name": person.full_name},
            "month": month,
            "score": standing.score,
            "points": standing.points,
            "base": self.policy.ledger.base,
            "cash": standing.cash,
            "deductions": standing.deductions,
            "demerits": standing.demerits,
            "entries": entries,
            "open_appeals": [line.entry.id for line in standing.open_appeals],
        }
