"""The month close: QA checks, scorecards, payslips, the lock, and the outbox of DMs.

A month is computed live from the records (so appeals and voids still change the
draft) until it is locked; locking stores every agent's scorecard and payslip as
an immutable snapshot with the policy version it used. `rules.pay` does the
arithmetic; this module gathers the records for the whole team in a handful of
queries and keeps the outbox that makes every DM go out at most once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlmodel import Session

from bot import buttons, notices
from bot.bulk import bulk
from bot.notices import Note
from bot.services import Refusal, levels
from bot.services.people import People, Target
from rules import close as close_rules
from rules import ledger as ledger_rules
from rules import parse
from rules import pay as pay_rules
from rules import streaks as streak_rules
from rules.close import Card, place
from rules.policy import Policy
from rules.standing import Place, ranked
from storage import notices as notices_store
from storage import payroll as payroll_store
from storage import people as people_store
from storage.db import Database
from storage.models import Person
from storage.payroll import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    Locked,
    OneOffRecord,
    QaRecord,
    Run,
    Slip,
)

DRAFT, PAYSLIP = "draft", "payslip"
SCORECARD = "scorecard.png"  # a draft's photo, drawn when it is sent
STRANDED_AFTER = notices_store.STRANDED_AFTER  # for the old outbox's rows too


@dataclass(frozen=True)
class MonthCards:
    """A month's cards, whether they are frozen, and (once the payslips went out) who
    confirmed theirs."""

    month: str
    cards: list[Card]
    lock: Locked | None
    receipts: Mapping[int, dt.datetime | None] = field(default_factory=dict)  # by person
    sent: bool = False  # the month's payslips were sent

    @property
    def total(self) -> Decimal:
        """The sum of every payslip's total."""
        return sum((card.total for card in self.cards), Decimal("0.00"))

    def received(self, card: Card) -> dt.datetime | None:
        """When the card's agent pressed "Received" (None: not yet, or not sent)."""
        return self.receipts.get(card.person_id)

    @property
    def unconfirmed(self) -> list[Card]:
        """The cards of agents who have not confirmed their payslip since it was sent."""
        return [card for card in self.cards if self.sent and self.received(card) is None]


@dataclass(frozen=True)
class Receipt:
    """An agent's "Received" on a payslip: the month, when, and whether this press set it."""

    month: str
    received_at: dt.datetime
    new: bool


@dataclass(frozen=True)
class Progress:
    """Where a broadcast stands."""

    broadcast: Run
    sent: int
    failed: int  # undeliverable (blocked, never started, given up) or uncertain
    failed_people: list[Person]  # who those rows were for
    left: int
    unconfirmed: list[Person] = field(default_factory=list)  # payslips not yet "Received"

    @property
    def done(self) -> bool:
        """Nothing left to send."""
        return self.left == 0


def policy_version(policy: Policy) -> str:
    """A short fingerprint of the policy values a month was computed with."""
    return hashlib.sha256(policy.model_dump_json().encode()).hexdigest()[:12]


def received_button(payslip_id: int) -> tuple[str, str]:
    """A payslip's "Received" button: (label template, callback data)."""
    return ("received_button", buttons.Received(payslip_id).encode())


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


BOT = 0  # `added_by` of a one-off the lock adds (its `source` says why)


@dataclass(frozen=True)
class Closing:
    """A month being locked: its cards (one-offs the lock added included), each agent's
    place in the ranking, and the service star (None: no cards)."""

    month: str
    cards: list[Card]
    places: Mapping[int, Place]
    star: int | None


@dataclass(frozen=True)
class VoidedOneOff:
    """A one-off just voided: the record, its agent, and whether a locked payslip was
    amended."""

    one_off: OneOffRecord
    person: Person
    amended: bool


class Payroll:
    """Month-close use-cases over one database and policy."""

    def __init__(
        self, db: Database, policy: Policy, people: People, notices_: notices.Notices
    ) -> None:
        self.db = db
        self.policy = policy
        self.people = people
        self.notices = notices_
        self.version = policy_version(policy)

    # --- checking what people typed ---------------------------------------------

    def month_asked(self, text: str, at: dt.datetime) -> str:
        """A YYYY-MM month that has begun; refused otherwise."""
        month = parse.month(text)
        if month > ledger_rules.month_of(at, self.policy.tz):
            raise Refusal("month_future", month=month)
        return month

    def month_over(self, month: str, at: dt.datetime) -> str:
        """`month` if it has ended (its payslips may be sent); refused otherwise."""
        if month >= ledger_rules.month_of(at, self.policy.tz):
            _, last = ledger_rules.month_bounds(month)
            raise Refusal("month_not_over", month=month, next=last + dt.timedelta(days=1))
        return month

    def last_month(self, at: dt.datetime) -> str:
        """The month before the one `at` falls in."""
        first = at.astimezone(self.policy.tz).date().replace(day=1)
        return (first - dt.timedelta(days=1)).strftime("%Y-%m")

    # --- QA and one-offs ----------------------------------------------------------

    async def record_qa(
        self,
        actor: Person,
        target: Target,
        score: int,
        note: str,
        *,
        at: dt.datetime,
        chat_id: int,
    ) -> tuple[QaRecord, Person, Decimal, int]:
        """`/qa @user <score>`: a chat-log check, 0–100; returns the month's mean so far."""
        if not 0 <= score <= 100:
            raise Refusal("qa_range", given=str(score))
        person = await self.people.resolve_agent(target, at=at)
        month = ledger_rules.month_of(at, self.policy.tz)

        def work(session: Session) -> tuple[QaRecord, Person, Decimal, int]:
            check = payroll_store.add_qa(
                person.id,
                month,
                score,
                note.strip()[:500],
                session=session,
                at=at,
                by=actor.id,
                chat_id=chat_id,
            )
            mine = payroll_store.qa_by_person(month, session=session, only=person.id)[person.id]
            return check, person, pay_rules.fen(mine.mean), mine.checks

        return await self.db.run(work)

    async def add_one_off(
        self, actor: Person, target: Target, amount: Decimal, reason: str, *, at: dt.datetime
    ) -> tuple[OneOffRecord, Person]:
        """`/oneoff @user <yuan> <reason>`: a one-off bonus on this month's payslip.

        Always a bonus: money taken from pay is a deduction (`/deduct`), which the agent
        is told of and may appeal."""
        fen = ledger_rules.to_fen(amount)
        if not parse.visible(reason) or not 0 < amount <= self.policy.pay.largest_one_off:
            raise Refusal("oneoff_usage")
        person = await self.people.resolve_agent(target, at=at)
        month = ledger_rules.month_of(at, self.policy.tz)

        def work(session: Session) -> tuple[OneOffRecord, Person]:
            if payroll_store.lock_of(month, session=session) is not None:
                raise Refusal("month_locked", month=month)
            row = payroll_store.add_one_off(
                person.id, month, fen, reason.strip()[:500], session=session, at=at, by=actor.id
            )
            return row, person

        return await self.db.run(work)

    async def void_one_off(
        self, actor: Person, one_off_id: int, reason: str, *, at: dt.datetime
    ) -> VoidedOneOff:
        """`/void +N <reason>`: a one-off no longer paid. Before the lock it drops from the
        card; after the lock and before the payslips went out, the locked payslip is
        amended (its line removed, the total recomputed) and audited; once they went
        out, refused: a deduction takes money back. The agent is told."""
        ref = f"+{one_off_id}"

        def work(session: Session) -> VoidedOneOff:
            found = payroll_store.one_off(one_off_id, session=session)
            if found is None:
                raise Refusal("oneoff_unknown", ref=ref)
            if found.voided_at is not None:
                raise Refusal("oneoff_void_twice", ref=ref, at=found.voided_at)
            locked = payroll_store.lock_of(found.month, session=session) is not None
            sent = payroll_store.broadcast_of(found.month, PAYSLIP, session=session)
            if sent is not None:
                raise Refusal("oneoff_paid", ref=ref, month=found.month, at=sent.started_at)
            if not payroll_store.void_one_off(
                one_off_id, reason, session=session, at=at, by=actor.id
            ):
                raise Refusal("oneoff_void_twice", ref=ref, at=at)
            slip = payroll_store.slip_of(found.month, found.person_id, session=session)
            if locked and slip is not None:
                card = close_rules.without_one_off(Card.from_json(slip.card), ref)
                payroll_store.amend_payslip(
                    found.month, found.person_id, card.to_json(), card.total_fen, session=session
                )
            people_store.audit(
                session=session,
                at=at,
                actor_id=actor.id,
                action="void-one-off",
                subject_id=found.person_id,
                detail=f"{ref} {found.month} {found.amount_fen} fen: {reason}"[:500],
            )
            agent = people_store.get(found.person_id, session=session)
            assert agent is not None
            data = {"one_off": found, "reason": reason, "by": actor, "amended": locked}
            note = Note(
                f"oneoff-void:{one_off_id}", notices.person(agent.id), "oneoff_voided_dm", data
            )
            self.notices.record(session, [note], at=at)
            return VoidedOneOff(found, agent, locked and slip is not None)

        return await self.db.run(work)

    async def set_hired(
        self, actor: Person, target: Target, hired: dt.date, months: int, *, at: dt.datetime
    ) -> Person:
        """`/hire @user YYYY-MM-DD [probation-months]`: service start and probation.

        The day is neither in the future nor further back than the policy's bound
        (`pay.hire_years_back`): years of service set the guaranteed minimum [000]."""
        today = at.astimezone(self.policy.tz).date()
        earliest = today.replace(year=today.year - self.policy.pay.hire_years_back, day=1)
        if hired > today:
            raise Refusal("hire_future", day=hired)
        if hired < earliest:
            raise Refusal("hire_too_early", day=hired, earliest=earliest)
        if not 0 <= months <= 12:
            raise Refusal("hire_usage")
        until = _add_months(hired, months) - dt.timedelta(days=1) if months else None
        person = await self.people.resolve_agent(target, at=at)

        def work(session: Session) -> Person:
            row = people_store.set_hired(person.id, hired, until, session=session)
            people_store.audit(
                session=session,
                at=at,
                actor_id=actor.id,
                action="hire",
                subject_id=person.id,
                detail=f"{hired.isoformat()} probation {months}",
            )
            return row

        return await self.db.run(work)

    # --- the month ------------------------------------------------------------------

    async def month(self, month: str) -> MonthCards:
        """The month's cards: the snapshots if locked, else computed live from the records."""
        return await self.db.read(lambda session: bulk(self._month, session, month))

    def _month(self, session: Session, month: str) -> MonthCards:
        lock = payroll_store.lock_of(month, session=session)
        if lock is not None:
            stored = payroll_store.slips(month, session=session)
            cards = [self._stored(slip.card) for slip in stored]
            receipts = {slip.person_id: slip.received_at for slip in stored}
            sent = payroll_store.broadcast_of(month, PAYSLIP, session=session) is not None
            return MonthCards(month, cards, lock, receipts, sent)
        return MonthCards(month, self._compute(session, month), None)

    async def preview(self, month: str) -> MonthCards:
        """The month's cards for a supervisor or the accountant; refused if nobody was an
        agent then."""
        found = await self.month(month)
        if not found.cards:
            raise Refusal("no_agents", month=month)
        return found

    async def card(self, person: Person, month: str) -> Card | None:
        """One agent's card for a month (None if they were not an agent then)."""
        found = await self.own(person, month)
        return None if found is None else found[0]

    async def own(self, person: Person, month: str) -> tuple[Card, Slip | None] | None:
        """One agent's card for a month, and its stored payslip once the month is locked
        (its id is the "Received" button's); None if they were not an agent then."""

        def work(session: Session) -> tuple[Card, Slip | None] | None:
            if payroll_store.lock_of(month, session=session) is not None:
                stored = payroll_store.slip_of(month, person.id, session=session)
                return None if stored is None else (self._stored(stored.card), stored)
            found = self._compute(session, month, only=person.id)
            return (found[0], None) if found else None

        return await self.db.read(work)

    async def confirm(self, actor: Person, payslip_id: int, *, at: dt.datetime) -> Receipt:
        """A payslip's "Received" button: only its own agent confirms it, once; a later
        press says when it was confirmed."""

        def work(session: Session) -> Receipt:
            found = payroll_store.slip(payslip_id, session=session)
            if found is None:
                raise Refusal("button_invalid")
            if found.person_id != actor.id:
                raise Refusal("received_not_yours")
            if found.received_at is None and payroll_store.set_received(
                found.id, at, session=session
            ):
                return Receipt(found.month, at, True)
            again = payroll_store.slip(payslip_id, session=session)
            assert again is not None and again.received_at is not None
            return Receipt(found.month, again.received_at, False)

        return await self.db.run(work)

    async def runs(self, person: Person, at: dt.datetime) -> streak_rules.Runs:
        """An agent's streaks as of their last locked month (`/myscore`)."""
        this = ledger_rules.month_of(at, self.policy.tz)
        months = streak_rules.months_before(this, self.policy.streaks.lookback_months)

        def work(session: Session) -> list[Place]:
            return payroll_store.places(months, session=session, only=person.id).get(person.id, [])

        found = await self.db.read(work)
        return streak_rules.runs(person.id, found, self.policy.streaks)

    async def star(self, month: str) -> Person | None:
        """The locked month's service star [002], if any."""

        def work(session: Session) -> Person | None:
            found = payroll_store.star_of(month, session=session)
            return None if found is None else people_store.get(found, session=session)

        return await self.db.read(work)

    async def is_locked(self, month: str) -> bool:
        """True once the month's snapshots are stored."""
        return await self.db.read(
            lambda session: payroll_store.lock_of(month, session=session) is not None
        )

    async def lock(self, month: str, *, by: int | None, at: dt.datetime) -> tuple[MonthCards, bool]:
        """Freeze the month's cards as snapshots; (the month, True if this call locked it)."""

        def work(session: Session) -> tuple[MonthCards, bool]:
            if payroll_store.lock_of(month, session=session) is not None:
                return self._month(session, month), False
            cards = self._compute(session, month)
            if not cards:
                raise Refusal("no_agents", month=month)
            lock = payroll_store.Locked(month, at, by, self.version)
            if not payroll_store.try_lock(lock, session=session):
                return self._month(session, month), False
            closing = self._rank_and_reward(session, month, cards, at=at)
            self._store(session, closing, at=at)
            self._propose(session, month, at=at)
            return MonthCards(month, closing.cards, lock), True

        return await self.db.run(lambda session: bulk(work, session))

    def _rank_and_reward(
        self, session: Session, month: str, cards: list[Card], *, at: dt.datetime
    ) -> Closing:
        """The lock's month-wide steps, after `try_lock` won: rank the month; read the
        history of the agents a run may reach (the first, those under the pass mark); a
        one-off for each run ranked first that reaches the mark [000] and for the
        service star's bonus [002]; the review alert to the supervisors [000, 004]; the
        cards with new one-offs computed again."""
        places = {one.person_id: one for one in ranked([place(c) for c in cards])}
        rules = self.policy.streaks
        scores = {card.person_id: card.ledger_score for card in cards}
        star = streak_rules.star(list(places.values()), scores, self.policy.star)
        watched = {
            pid
            for pid, one in places.items()
            if one.rank == 1 or streak_rules.under_mark(one.score, rules)
        }
        runs = self._runs(session, month, places, watched)
        extras: list[tuple[int, Decimal, str, str]] = [
            (
                found.person_id,
                rules.first_bonus,
                "streak",
                self.notices.texts.plain("streak_one_off", months=found.first_months),
            )
            for found in runs
            if streak_rules.first_award(found, rules) and rules.first_bonus > 0
        ]
        if star is not None and self.policy.star.bonus > 0:
            reason = self.notices.texts.plain("star_one_off", month=month)
            extras.append((star.person_id, self.policy.star.bonus, "star", reason))
        for pid, amount, source, reason in extras:
            fen = ledger_rules.to_fen(amount)
            payroll_store.add_one_off(
                pid, month, fen, reason, session=session, at=at, by=BOT, source=source
            )
        again = {
            c.person_id: c
            for pid in {e[0] for e in extras}
            for c in self._compute(session, month, only=pid, agents=len(cards))
        }
        cards = [again.get(card.person_id, card) for card in cards]
        for card in cards:
            card.locked = True
        self.notices.record(session, self._review_notes(month, runs), at=at)
        return Closing(month, cards, places, None if star is None else star.person_id)

    def _review_notes(self, month: str, runs: list[streak_rules.Runs]) -> list[Note]:
        """One alert to the supervisors, in DMs only (the figures are private), naming the
        agents whose run under the pass mark calls for a review, with their scores."""
        rules = self.policy.streaks
        found = {
            kind: sorted(
                (r for r in runs if streak_rules.review(r, rules) == kind),
                key=lambda r: r.under[-1].name.casefold(),
            )
            for kind in (streak_rules.RESIGNATION, streak_rules.LET_GO)
        }
        if not any(found.values()):
            return []
        data = {
            "month": month,
            "rules": rules,
            "resignation": found[streak_rules.RESIGNATION],
            "let_go": found[streak_rules.LET_GO],
        }
        return [
            Note(
                f"streak-review:{month}", notices.BOSSES, "streak_review", data, lane=notices.ALERT
            )
        ]

    def _store(self, session: Session, closing: Closing, *, at: dt.datetime) -> None:
        """The locked month's snapshots, each with its rank and whether it is the star."""
        payroll_store.save_payslips(
            [
                {
                    "month": closing.month,
                    "person_id": card.person_id,
                    "card": card.to_json(),
                    "total_fen": card.total_fen,
                    "policy_version": self.version,
                    "created_at": at,
                    "rank": closing.places[card.person_id].rank,
                    "score_cents": int(card.score * 100),
                    "points_lost": card.points_lost,
                    "star": card.person_id == closing.star,
                }
                for card in closing.cards
            ],
            session=session,
        )

    def _runs(
        self, session: Session, month: str, places: Mapping[int, Place], watched: set[int]
    ) -> list[streak_rules.Runs]:
        """The runs of the `watched` agents ending this month. The last few months are
        read first; only an agent whose run spans every month read (it may go on further
        back) is read again over the whole look-back."""
        rules = self.policy.streaks

        def read(count: int, among: set[int]) -> dict[int, tuple[streak_rules.Runs, bool]]:
            months = streak_rules.months_before(month, count)
            found = payroll_store.places(months, session=session, among=among)
            runs = {}
            for pid in among:
                history = found.get(pid, [])
                one = streak_rules.runs(pid, [*history, places[pid]], rules)
                spans = len(history) + 1
                open_ended = len(one.first) == spans or (
                    len(one.under) == spans and spans < rules.let_go_months
                )
                runs[pid] = (one, open_ended and count < rules.lookback_months)
            return runs

        short = read(
            min(max(rules.first_months, rules.let_go_months), rules.lookback_months), watched
        )
        again = {pid for pid, (_, open_ended) in short.items() if open_ended}
        whole = read(rules.lookback_months, again) if again else {}
        return [whole.get(pid, found)[0] for pid, found in short.items()]

    def _propose(self, session: Session, month: str, *, at: dt.datetime) -> None:
        """Promotions read the ranking just stored, in the lock's transaction."""
        levels.propose(session, self.policy, self.notices, month, at=at)

    def _stored(self, snapshot: str) -> Card:
        """A locked month's card; one stored before cards kept their level's names takes
        them from the policy."""
        return close_rules.named(Card.from_json(snapshot), self.policy)

    def _compute(
        self, session: Session, month: str, only: int | None = None, agents: int | None = None
    ) -> list[Card]:
        """The month's cards (or one agent's); `agents`, the team's size when the caller
        knows it (one card still shares the public sales among the whole team)."""
        facts = payroll_store.month_facts(
            payroll_store.Window.of(month, self.policy), session=session, only=only
        )
        team = payroll_store.team_facts(month, session=session, only=only)
        if agents is not None:
            team = replace(team, agents=agents)
        elif only is not None:  # one card: the team's size is still the whole team's
            first = ledger_rules.month_bounds(month)[0]
            roster = payroll_store.roster(first, session=session)
            size = sum(1 for one in roster if close_rules.assessed(one, month, self.policy))
            team = replace(team, agents=size)
        return close_rules.close_month(facts, self.policy, month, self.version, team)

    # --- the runs of DMs (through the outbox) -----------------------------------------

    async def start_broadcast(
        self,
        month: str,
        kind: str,
        *,
        at: dt.datetime,
        by: int | None,
        chat_id: int | None,
        cards: list[Card] | None = None,
    ) -> tuple[Run, bool]:
        """The month's run of `kind` DMs, one outbox row per agent; (run, True if new).

        Payslips (protected content) go to the agents of the locked month's snapshots;
        drafts (text and a chart) to the agents of `cards`, the month just computed.
        The run and its rows are written in one transaction."""
        lock_day = self.policy.month.lock_day

        def work(session: Session) -> tuple[Run, bool]:
            existing = payroll_store.broadcast_of(month, kind, session=session)
            if existing is not None:
                return existing, False
            slips = payroll_store.slips(month, session=session) if kind == PAYSLIP else []
            given = [self._stored(s.card) for s in slips] if kind == PAYSLIP else cards or []
            if not given:
                raise Refusal("no_agents", month=month)
            created = payroll_store.start_broadcast(
                month, kind, at, session=session, by=by, chat_id=chat_id
            )
            if created is None:
                found = payroll_store.broadcast_of(month, kind, session=session)
                assert found is not None
                return found, False
            ids = {slip.person_id: slip.id for slip in slips}
            notes = self._run_notes(created.id, kind, given, lock_day, ids)
            self.notices.record(session, notes, at=at)
            return created, True

        return await self.db.run(work)

    def _run_notes(
        self,
        run_id: int,
        kind: str,
        cards: list[Card],
        lock_day: int,
        slips: Mapping[int, int],
    ) -> list[Note]:
        """One DM per card: protected content (no forwarding or saving), a payslip with
        its "Received" button (`slips`: person → payslip id)."""
        template = "payslip_dm" if kind == PAYSLIP else "draft_dm"
        return [
            Note(
                f"{kind}:{card.month}:{card.person_id}",
                notices.person(card.person_id),
                template,
                {"c": card, "detail": False, "lock_day": lock_day},
                buttons=(
                    (received_button(slips[card.person_id]),) if card.person_id in slips else ()
                ),
                lane=notices.BULK,
                protect=True,
                photo_name=SCORECARD if kind == DRAFT else None,
                broadcast_id=run_id,
                person_id=card.person_id,
            )
            for card in cards
        ]

    async def broadcast(self, month: str, kind: str = PAYSLIP) -> Run | None:
        """The month's run of `kind` DMs, if started."""
        return await self.db.read(
            lambda session: payroll_store.broadcast_of(month, kind, session=session)
        )

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        """Remember the message that shows the run's progress (edited as it goes)."""

        await self.db.run(
            lambda session: payroll_store.set_run_message(broadcast_id, message_id, session=session)
        )

    async def unfinished(self, at: dt.datetime) -> list[Run]:
        """Runs not finished. A run begun before the outbox took every message (its rows
        in the old `outbox` table) gets its unsent rows moved over; rows it left mid-send
        stay `uncertain`, never resent."""

        def work(session: Session) -> list[Run]:
            runs = payroll_store.open_broadcasts(session=session)
            for run in runs:
                payroll_store.strand(run.id, at, session=session, older_than=at - STRANDED_AFTER)
                people = payroll_store.waiting_people(run.id, session=session)
                if not people:
                    continue
                slips = {}
                if run.kind == PAYSLIP:
                    stored = payroll_store.slips(run.month, session=session)
                    slips = {slip.person_id: slip.id for slip in stored}
                    cards = [c for s in stored if (c := self._stored(s.card)).person_id in people]
                else:
                    cards = [c for c in self._compute(session, run.month) if c.person_id in people]
                lock_day = self.policy.month.lock_day
                notes = self._run_notes(run.id, run.kind, cards, lock_day, slips)
                self.notices.record(session, notes, at=at)
                payroll_store.move_to_notices(run.id, at, session=session)
            return runs

        return await self.db.run(work)

    async def progress(
        self, broadcast_id: int, *, finish_at: dt.datetime | None = None
    ) -> Progress:
        """Counts so far (the old outbox's and the outbox's); with `finish_at`, mark the run
        finished when nothing is left."""

        def work(session: Session) -> Progress:
            run = payroll_store.run_of(broadcast_id, session=session)
            assert run is not None
            counts = notices_store.counts(broadcast_id, session=session)
            old = payroll_store.outbox_counts(broadcast_id, session=session)
            failed = notices_store.of_run(
                broadcast_id, notices_store.FAILED, notices_store.UNCERTAIN, session=session
            )
            old_failed = payroll_store.outbox_people(broadcast_id, *FAILED, session=session)
            people = old_failed + [
                person
                for row in failed
                if (person := people_store.get(row.person_id or row.chat_id, session=session))
                is not None
            ]
            left = sum(counts.get(s, 0) for s in (notices_store.PENDING, notices_store.SENDING))
            left += old.get(PENDING, 0) + old.get(SENDING, 0)
            sent = counts.get(notices_store.SENT, 0) + old.get(SENT, 0)
            if finish_at is not None and left == 0 and run.finished_at is None:
                payroll_store.finish_run(run.id, finish_at, session=session)
                run = replace(run, finished_at=finish_at)
            unconfirmed = (
                payroll_store.unconfirmed(run.month, session=session) if run.kind == PAYSLIP else []
            )
            return Progress(run, sent, len(people), people, left, unconfirmed)

        return await self.db.run(work)
