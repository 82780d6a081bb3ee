"""Rostering: the month's picture, one day changed, next month's draft and its publishing
[000: 白晚班轮换, four rest days a month; issue 16].

`/roster [YYYY-MM]` shows a month (a draft not yet published, marked so);
`/roster @agent <day> <shift|rest>` changes one day (the draft's cell while the month is
an unpublished draft, else the live roster, the agent told); on the policy's draft day
(or `/roster draft`) next month is drafted from the rotation rule (`rules.roster.draft`)
and the supervisors get a card to publish it; publishing makes it the live roster and
DMs each agent their month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal
from bot.services.people import People, Target
from bot.services.roster import Roster, pattern
from rules import ledger as ledger_rules
from rules import parse
from rules import roster as roster_rules
from rules.policy import Policy, Shift
from storage import payroll as payroll_store
from storage import people as people_store
from storage import rhythm as rhythm_store
from storage import roster as roster_store
from storage import slots as slots_store
from storage.db import Database
from storage.models import Person, RosterPlan

JOB = "roster-draft"  # the draft day's job, once per month (its slot: the month)
PICTURE = "roster.png"  # the draft card's photo, drawn when it is sent
SHOWN_WARNINGS = 10  # short days listed on a card or a reply; the rest are counted


@dataclass(frozen=True)
class Cell:
    """One agent's day as shown: the shift (None: off), approved leave, and why."""

    shift: str | None
    leave: bool = False
    source: str = roster_rules.ROSTER


@dataclass(frozen=True)
class MonthView:
    """A month's roster as shown: every agent's days, the calendar, the plan."""

    month: str
    days: list[dt.date]
    kinds: dict[dt.date, str]  # holidays and adjusted working days
    rows: list[tuple[Person, dict[dt.date, Cell]]]
    shifts: dict[str, Shift]
    letters: dict[str, str]
    plan: RosterPlan | None
    short: list[tuple[dt.date, str, int]] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        """True when the month shown is a draft not yet published."""
        return self.plan is not None and self.plan.status == roster_store.DRAFT

    @property
    def rest_days(self) -> int:
        """Rest days (not holidays, not leave) of every agent in the month, together."""
        return sum(
            1
            for _, cells in self.rows
            for day, cell in cells.items()
            if cell.shift is None and self.kinds.get(day) != "holiday"
        )

    @property
    def header(self) -> list[str]:
        """The text roster's header lines: day of the month (last digit), weekday, and
        H for a public holiday, W for an adjusted working day."""
        marks = {"holiday": "H", "workday": "W"}
        return [
            "".join(str(day.day % 10) for day in self.days),
            "".join("MTWTFSS"[day.weekday()] for day in self.days),
            "".join(marks.get(self.kinds.get(day, ""), "·") for day in self.days),
        ]

    def line(self, cells: dict[dt.date, Cell]) -> str:
        """One agent's month in the text roster: a letter per day."""
        return "".join(self.letter(cells.get(day, Cell(None)), day) for day in self.days)

    def letter(self, cell: Cell, day: dt.date) -> str:
        """The cell's letter in the text roster: a shift's, L leave, H holiday, R rest."""
        if cell.leave:
            return "L"
        if cell.shift is not None:
            return self.letters.get(cell.shift, "?")
        return "H" if self.kinds.get(day) == "holiday" else "R"


@dataclass(frozen=True)
class Drafted:
    """A month just drafted, as its card tells it: agents, rest days, coverage warnings."""

    month: str
    plan: RosterPlan
    agents: int
    rest_days: int
    kinds: dict[dt.date, str]
    short: list[tuple[dt.date, str, int]]
    shifts: dict[str, Shift]


@dataclass(frozen=True)
class Changed:
    """One day changed by `/roster @agent`: before and after, in the draft or live."""

    person: Person
    day: dt.date
    shift: str | None
    before: str | None
    draft: bool
    short: list[tuple[dt.date, str, int]]


@dataclass(frozen=True)
class Published:
    """A press of Publish: the month, and whether this press published it."""

    month: str
    plan: RosterPlan
    new: bool
    agents: int
    by: Person | None


def version(plan: RosterPlan) -> int:
    """A draft's version on its card's buttons: when it was drafted, in milliseconds."""
    return int(plan.drafted_at.timestamp() * 1000)


def decision_buttons(plan: RosterPlan) -> tuple[tuple[str, str], tuple[str, str]]:
    """The draft card's Publish and Adjust buttons."""
    assert plan.id is not None
    publish = buttons.RosterDecision(plan.id, version(plan), buttons.PUBLISH)
    adjust = buttons.RosterDecision(plan.id, version(plan), buttons.ADJUST)
    return (
        ("roster_publish_button", publish.encode()),
        ("roster_adjust_button", adjust.encode()),
    )


class Rostering:
    """The roster's use-cases over one database and policy."""

    shown = SHOWN_WARNINGS

    def __init__(
        self, db: Database, policy: Policy, people: People, notices_: Notices, roster: Roster
    ) -> None:
        self.db = db
        self.policy = policy
        self.people = people
        self.notices = notices_
        self.roster = roster

    # --- months --------------------------------------------------------------------------
    def this_month(self, at: dt.datetime) -> str:
        """The month `at` falls in, team time."""
        return ledger_rules.month_of(at, self.policy.tz)

    def next_month(self, at: dt.datetime) -> str:
        """The month after the one `at` falls in."""
        _, last = ledger_rules.month_bounds(self.this_month(at))
        return (last + dt.timedelta(days=1)).strftime("%Y-%m")

    def month_asked(self, text: str | None, at: dt.datetime, *, ahead: bool = False) -> str:
        """A YYYY-MM month as typed; this month by default (next month with `ahead`)."""
        if text is None:
            return self.next_month(at) if ahead else self.this_month(at)
        return parse.month(text)

    # --- the picture -----------------------------------------------------------------------
    def _view(
        self, session: Session, month: str, short: bool = False, only: int | None = None
    ) -> MonthView:
        first, last = ledger_rules.month_bounds(month)
        plan = roster_store.plan_of(month, session=session)
        agents = people_store.agents(session=session, on=first)
        if only is not None:
            agents = [agent for agent in agents if agent.id == only]
        plans = self.roster.plans(agents, first, last, session=session)
        ids = None if only is None else [only]
        drafted = (
            roster_store.entries(first, last, session=session, draft=True, people=ids)
            if plan is not None and plan.status == roster_store.DRAFT
            else {}
        )
        away = rhythm_store.approved_leave_between(first, last, session=session)
        rows = []
        for agent in agents:
            mine, off = drafted.get(agent.id, {}), away.get(agent.id, set())
            cells = {
                day: Cell(mine[day], day in off)
                if day in mine
                else Cell(planned.shift, day in off, planned.source)
                for day, planned in plans[agent.id].items()
            }
            rows.append((agent, cells))
        found = {agent.id: {d: c.shift for d, c in cells.items()} for agent, cells in rows}
        rotation = [key for key in self.policy.roster.rotation if key in self.policy.shifts]
        return MonthView(
            month,
            roster_rules.days(first, last),
            self.roster.calendar.in_month(first, last),
            rows,
            dict(self.policy.shifts),
            roster_rules.letters(self.policy.shifts),
            plan,
            roster_rules.short_days(found, self.policy.roster, rotation) if short else [],
        )

    async def month(self, month: str, *, only: int | None = None) -> MonthView:
        """The month's roster: the unpublished draft if there is one, else the live one;
        `only`: one agent's row (and no check of the shifts' staffing)."""
        return await self.db.read(
            lambda session: self._view(session, month, short=only is None, only=only)
        )

    # --- one day ---------------------------------------------------------------------------
    async def set_day(
        self, actor: Person, target: Target, day_text: str, shift_text: str, *, at: dt.datetime
    ) -> Changed:
        """`/roster @agent <YYYY-MM-DD> <shift|rest>`: one day changed (audited). In a month
        whose draft is not yet published, the draft's cell (the agent hears at publishing);
        else the live roster, and the agent is told by DM. A shift left under its minimum is
        warned about in the answer."""
        day = parse.date(day_text)
        shift = roster_rules.shift_asked(shift_text, self.policy.shifts)
        month = day.strftime("%Y-%m")
        past = day < at.astimezone(self.policy.tz).date()
        person = await self.people.resolve_agent(target, at=at)
        if person.left_on is not None and day > person.left_on:
            raise Refusal("roster_after_last_day", person=person, last=person.left_on)

        def work(session: Session) -> Changed:
            if payroll_store.lock_of(month, session=session) is not None:
                raise Refusal("month_locked", month=month)
            if past:
                raise Refusal("roster_past", day=day)
            plan = roster_store.plan_of(month, session=session)
            draft = plan is not None and plan.status == roster_store.DRAFT
            before = self._cell(session, person, day, draft)
            roster_store.set_day(
                person.id,
                day,
                shift,
                source="edit",
                at=at,
                by=actor.id,
                session=session,
                draft=draft,
            )
            people_store.audit(
                at=at,
                actor_id=actor.id,
                action="roster-day",
                subject_id=person.id,
                detail=f"{day}: {before or 'rest'} → {shift or 'rest'}" + (" (draft)" * draft),
                session=session,
            )
            if not draft:
                note = Note(
                    f"roster-day:{person.id}:{day}:{at.isoformat()}",
                    notices.person(person.id),
                    "roster_day_dm",
                    {"day": day, "shift": self._shift(shift), "before": self._shift(before)},
                )
                self.notices.record(session, [note], at=at)
            short = [
                one
                for one in self._view(session, month, short=True).short
                if one[0] == day and one[1] == before
            ]
            return Changed(person, day, shift, before, draft, short)

        return await self.db.run(work)

    def _cell(self, session: Session, person: Person, day: dt.date, draft: bool) -> str | None:
        """The agent's shift that day as it stands (a draft's cell, else the live plan)."""
        if draft:
            rows = roster_store.entries(day, day, session=session, people=[person.id], draft=True)
            if day in rows.get(person.id, {}):
                return rows[person.id][day]
        live = roster_store.entries(day, day, session=session, people=[person.id])
        return roster_rules.planned(
            pattern(person), live.get(person.id, {}), day, self.roster.calendar
        ).shift

    def _shift(self, key: str | None) -> Shift | None:
        return None if key is None else self.policy.shifts.get(key)

    # --- drafts ----------------------------------------------------------------------------
    async def draft(
        self, month: str, *, at: dt.datetime, by: Person | None, job: bool = False
    ) -> Drafted | None:
        """Draft `month` from the rotation rule and send the supervisors its card (a new
        draft replaces an unpublished one). A published month is refused; the draft
        day's job (`job`) drafts once per month, and not over a supervisor's draft:
        None then."""
        first, last = ledger_rules.month_bounds(month)

        def work(session: Session) -> Drafted | None:
            if job and not slots_store.claim(JOB, month, at=at, session=session):
                return None
            plan = roster_store.plan_of(month, session=session)
            if plan is not None and (job or plan.status == roster_store.PUBLISHED):
                if job:
                    return None
                raise Refusal("roster_published", month=month, plan=plan)
            if payroll_store.lock_of(month, session=session) is not None:
                raise Refusal("month_locked", month=month)
            if month <= self.this_month(at):  # days gone by keep the roster they had
                raise Refusal("roster_draft_begun", month=month)
            agents = people_store.agents(session=session, on=first)
            if not agents:
                raise Refusal("roster_no_agents")
            cells = roster_rules.draft(
                [roster_rules.Agent(a.id, pattern(a)) for a in agents],
                first,
                last,
                self.policy.roster,
                self.roster.calendar,
            )
            plan = roster_store.put_draft(
                month, first, last, cells, at=at, by=None if by is None else by.id, session=session
            )
            people_store.audit(
                at=at,
                actor_id=None if by is None else by.id,
                action="roster-draft",
                detail=f"{month}: {len(agents)} agents",
                session=session,
            )
            kinds = self.roster.calendar.in_month(first, last)
            rotation = [key for key in self.policy.roster.rotation if key in self.policy.shifts]
            drafted = Drafted(
                month,
                plan,
                len(agents),
                sum(
                    1
                    for mine in cells.values()
                    for day, shift in mine.items()
                    if shift is None and kinds.get(day) != "holiday"
                ),
                kinds,
                roster_rules.short_days(cells, self.policy.roster, rotation),
                dict(self.policy.shifts),
            )
            self.notices.record(session, [self.card(drafted, by)], at=at)
            return drafted

        return await self.db.run(work)

    def card(self, view: Drafted, by: Person | None) -> Note:
        """The supervisors' card of a draft: the month, its agents, rest days and coverage
        warnings, the picture, and Publish / Adjust."""
        return Note(
            f"{JOB}:{view.month}:{version(view.plan)}:{view.plan.id}",
            notices.BOSSES,
            "roster_draft_card",
            {"v": view, "by": by, "shown": SHOWN_WARNINGS},
            buttons=decision_buttons(view.plan),
            photo_name=PICTURE,
        )

    def _carded(self, session: Session, card: buttons.RosterDecision) -> RosterPlan:
        """The plan a card's button is about; a card of a draft since replaced (or made
        up) is refused."""
        plan = roster_store.plan(card.plan_id, session=session)
        if plan is None or (plan.status == roster_store.DRAFT and version(plan) != card.version):
            raise Refusal("button_invalid")
        return plan

    async def plan_month(self, card: buttons.RosterDecision) -> str:
        """The month of a draft card's plan."""

        def work(session: Session) -> str:
            return self._carded(session, card).month

        return await self.db.read(work)

    async def draft_picture(self, plan_id: int) -> MonthView | None:
        """The month a draft card is about, as it stands now (for its picture)."""

        def work(session: Session) -> MonthView | None:
            plan = roster_store.plan(plan_id, session=session)
            return None if plan is None else self._view(session, plan.month)

        return await self.db.read(work)

    # --- publishing ------------------------------------------------------------------------
    async def publish(
        self, actor: Person, card: buttons.RosterDecision, *, at: dt.datetime
    ) -> Published:
        """Publish: the draft's cells become the month's live roster (audited), each agent
        gets their month by DM and the other supervisors are told; a later press gets who
        published it and when. A replaced draft's card is refused."""

        def work(session: Session) -> Published:
            plan = self._carded(session, card)
            assert plan.id is not None
            first, last = ledger_rules.month_bounds(plan.month)
            if not roster_store.publish(plan.id, first, last, at=at, by=actor.id, session=session):
                session.refresh(plan)
                by = people_store.get(plan.published_by or 0, session=session)
                return Published(plan.month, plan, False, 0, by)
            session.refresh(plan)
            view = self._view(session, plan.month)
            people_store.audit(
                at=at,
                actor_id=actor.id,
                action="roster-publish",
                detail=f"{plan.month}: {len(view.rows)} agents",
                session=session,
            )
            self.notices.record(session, self._published_notes(view, actor), at=at)
            return Published(plan.month, plan, True, len(view.rows), actor)

        return await self.db.run(work)

    def _published_notes(self, view: MonthView, actor: Person) -> list[Note]:
        """Each agent's month by DM, and the other supervisors told. A month has few
        distinct day lines (a day, its shift or rest, leave): each is rendered once and
        every agent's DM joins its own, so publishing 5 000 agents renders ~100 lines,
        not 155 000, inside the transaction that holds the roster."""
        lines: dict[tuple[dt.date, Cell], Markup] = {}

        def line(day: dt.date, cell: Cell) -> Markup:
            key = (day, cell)
            if key not in lines:
                text = self.notices.texts.render("roster_day_line", day=day, cell=cell, v=view)
                lines[key] = Markup(text)
            return lines[key]

        notes = [
            Note(
                f"roster-month:{view.month}:{agent.id}",
                notices.person(agent.id),
                "roster_month_dm",
                {
                    "month": view.month,
                    "days": Markup("\n").join(line(day, cell) for day, cell in cells.items()),
                },
                person_id=agent.id,
            )
            for agent, cells in view.rows
        ]
        notes.append(
            Note(
                f"roster-published:{view.month}",
                notices.To(bosses=True, but=actor.id),
                "roster_published",
                {"month": view.month, "by": actor, "agents": len(view.rows)},
            )
        )
        return notes
