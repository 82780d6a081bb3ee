"""Levels use-cases: promotions proposed at a month's lock, decided by a supervisor's press.

At the lock (`Payroll.lock`, in its transaction) `propose` finds the agents due a step up
(`rules.levels.due`), stores one proposal per agent and month, and sends every supervisor
a card with two buttons. The first press decides: "promote" records the change in force
from the 1st of the month after the lock day (a month is paid at the level it began
with), audited, and the agent is told; "pass" is recorded and audited. Either way the
other supervisors are told who decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal
from rules import levels as level_rules
from rules.ledger import month_bounds
from rules.policy import Names, Policy, Step
from rules.standing import Place
from storage import levels as levels_store
from storage import payroll as payroll_store
from storage import people as people_store
from storage.db import Database
from storage.levels import PROMOTED, Proposal
from storage.models import Person, Promotion

CARD = "promotion_card"
CENT = Decimal("0.01")


def service_start(person: Person, policy: Policy) -> dt.date | None:
    """`/hire`'s date, else the enrolment day (team time)."""
    if person.hired_on is not None:
        return person.hired_on
    enrolled = person.enrolled_at
    return None if enrolled is None else enrolled.astimezone(policy.tz).date()


def _scores(places: tuple[Place, ...]) -> str:
    return ",".join(f"{place.month}={place.score.quantize(CENT)}" for place in places)


def scores_of(proposal: Proposal) -> list[tuple[str, Decimal]]:
    """The scored months a proposal was made from, oldest first."""
    pairs = (item.split("=") for item in proposal.scores.split(",") if item)
    return [(month, Decimal(score)) for month, score in pairs]


def propose(
    session: Session, policy: Policy, notices_: Notices, month: str, *, at: dt.datetime
) -> int:
    """At `month`'s lock: a proposal and a card to the supervisors for each agent with a
    scorecard that month who is due a step up; an agent already proposed for the month
    is left alone. How many proposals were made."""
    promotion = policy.promotion
    if not promotion.steps:
        return 0
    # The last `band_months` calendar months hold the band of almost every agent; only
    # those with a gap in them (fewer scored months) are read over the whole look-back.
    recent = level_rules.month_window(month, promotion.band_months)
    places = payroll_store.places(recent, session=session)
    gaps = {pid for pid, found in places.items() if len(found) < promotion.band_months}
    if gaps:
        window = level_rules.month_window(month, promotion.lookback_months)
        places.update(payroll_store.places(window, session=session, among=gaps))
    scored = [person for person, found in places.items() if found[-1].month == month]
    agents = {agent.id: agent for agent in people_store.agents(session=session)}
    history = levels_store.changes(session=session)
    effective = level_rules.next_first(at.astimezone(policy.tz).date())
    already = levels_store.proposals(month, session=session)
    due: list[tuple[Promotion, Person, dt.date | None, Step]] = []
    for person_id in scored:
        agent = agents.get(person_id)
        if agent is None or person_id in already:
            continue
        changes = history.get(person_id, [])
        since = level_rules.level_since(agent.level, changes, service_start(agent, policy))
        found = level_rules.due(promotion, agent.level, since, month, places[person_id])
        if found is None:
            continue
        row = Promotion(
            person_id=person_id,
            month=month,
            from_level=found.from_level,
            to_level=found.to_level,
            effective=effective,
            months_in_level=found.months_in_level,
            scores=_scores(found.places),
            created_at=at,
        )
        due.append((row, agent, since, found.step))
    # The lock's transaction runs once a month (`try_lock`): one flush for every proposal.
    made = levels_store.add_proposals([row for row, *_ in due], session=session)
    notes = [
        _card(proposal, agent, since, step, policy)
        for proposal, (_, agent, since, step) in zip(made, due, strict=True)
    ]
    notices_.record(session, notes, at=at)
    return len(notes)


def month_levels(
    session: Session, policy: Policy, month: str, levels: dict[int, str | None]
) -> dict[int, tuple[dt.date | None, str]]:
    """For each agent's level in `month` (person → the level the month began with): the
    day that level counts from, and the status of a promotion proposed at the month's
    lock ("" when none): the export's columns."""
    first, _ = month_bounds(month)
    history = levels_store.changes(session=session)
    proposed = levels_store.proposals(month, session=session)
    found: dict[int, tuple[dt.date | None, str]] = {}
    for person_id, level in levels.items():
        person = people_store.get(person_id, session=session)
        start = None if person is None else service_start(person, policy)
        before = [c for c in history.get(person_id, []) if c.effective <= first]
        proposal = proposed.get(person_id)
        since = level_rules.level_since(level, before, start)
        found[person_id] = (since, "" if proposal is None else proposal.status)
    return found


def level_name(policy: Policy, key: str | None) -> Names:
    """A level's names; its key in both languages when the policy does not know it."""
    found = policy.levels.get(key or "")
    return Names(zh=key or "-", en=key or "-") if found is None else found.name


def _names(policy: Policy, proposal: Proposal) -> dict[str, Names]:
    return {
        "from_name": level_name(policy, proposal.from_level),
        "to_name": level_name(policy, proposal.to_level),
    }


def _card(
    proposal: Proposal, agent: Person, since: dt.date | None, step: Step, policy: Policy
) -> Note:
    data = {
        "p": proposal,
        "person": agent,
        "since": since,
        "step": step,
        "scores": scores_of(proposal),
        **_names(policy, proposal),
    }
    return Note(
        f"promotion:{proposal.id}",
        notices.BOSSES,
        CARD,
        data,
        buttons=(
            ("promote_button", buttons.PromotionDecision(proposal.id, buttons.PROMOTE).encode()),
            ("pass_button", buttons.PromotionDecision(proposal.id, buttons.PASS).encode()),
        ),
        button_data={"effective": proposal.effective},
    )


@dataclass(frozen=True)
class Decided:
    """A press on a promotion card: the proposal as it stands, its agent, who decided it
    and whether this press did."""

    proposal: Proposal
    person: Person
    decider: Person | None
    new: bool
    from_name: Names
    to_name: Names


class Levels:
    """Promotion use-cases over one database and policy."""

    def __init__(self, db: Database, policy: Policy, notices_: Notices) -> None:
        self.db = db
        self.policy = policy
        self.notices = notices_

    async def decide(
        self, actor: Person, proposal_id: int, action: str, *, at: dt.datetime
    ) -> Decided:
        """Promote from the proposal's effective day, or pass; the first press wins, a
        later one is told who decided. Refused once that day has come (the change would
        not be in the future any more: `/enroll` sets a level) or when the agent's level
        changed since the proposal."""
        today = at.astimezone(self.policy.tz).date()
        status = PROMOTED if action == buttons.PROMOTE else levels_store.PASSED

        def work(session: Session) -> Decided:
            found = levels_store.proposal(proposal_id, session=session)
            if found is None:
                raise Refusal("button_invalid")
            person = people_store.get(found.person_id, session=session)
            assert person is not None
            if found.status == levels_store.PENDING:
                self._check(found, person, today)
                if levels_store.decide(found.id, status, by=actor.id, at=at, session=session):
                    return self._decided(session, actor, found, person, status, at)
            return self._as_is(session, proposal_id, person, new=False)

        return await self.db.run(work)

    def _check(self, found: Proposal, person: Person, today: dt.date) -> None:
        names = _names(self.policy, found)
        if today >= found.effective:
            raise Refusal("promotion_too_late", p=found, person=person, **names)
        if not person.is_agent or person.level != found.from_level:
            shown = level_name(self.policy, person.level)
            raise Refusal("promotion_level_changed", person=person, level=shown, **names)

    def _as_is(self, session: Session, proposal_id: int, person: Person, *, new: bool) -> Decided:
        found = levels_store.proposal(proposal_id, session=session)
        assert found is not None
        decider = people_store.get(found.decided_by, session=session) if found.decided_by else None
        names = (level_name(self.policy, found.from_level), level_name(self.policy, found.to_level))
        return Decided(found, person, decider, new, *names)

    def _decided(
        self,
        session: Session,
        actor: Person,
        found: Proposal,
        person: Person,
        status: str,
        at: dt.datetime,
    ) -> Decided:
        """Record what the first press decided: the change (promoted), the audit line, the
        agent's DM (promoted) and the other supervisors' note."""
        if status == PROMOTED:
            levels_store.add_change(
                person.id,
                found.from_level,
                found.to_level,
                found.effective,
                source=levels_store.PROMOTION,
                at=at,
                by=actor.id,
                promotion_id=found.id,
                session=session,
            )
            person = levels_store.set_level(person.id, found.to_level, session=session)
        people_store.audit(
            at=at,
            actor_id=actor.id,
            action="promotion" if status == PROMOTED else "promotion-pass",
            subject_id=person.id,
            detail=f"{found.from_level}->{found.to_level} from {found.effective} ({found.month})",
            session=session,
        )
        decided = self._as_is(session, found.id, person, new=True)
        data = {"d": decided}
        notes = [
            Note(
                f"promotion-decided:{found.id}",
                notices.To(bosses=True, but=actor.id),
                "promotion_decided",
                data,
            )
        ]
        if status == PROMOTED:
            notes.append(
                Note(f"promotion-dm:{found.id}", notices.person(person.id), "promotion_dm", data)
            )
        self.notices.record(session, notes, at=at)
        return decided
