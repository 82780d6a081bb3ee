"""People use-cases: who someone is, promotions, enrolment, shifts, the team group."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlmodel import Session

from bot.notices import Note, Notices, person
from bot.services import Refusal
from rules import claim as claim_rules
from rules import leaving as leaving_rules
from rules import levels as level_rules
from rules import rhythm as rhythm_rules
from rules.claim import Claim, Verdict
from rules.policy import Policy
from storage import levels as levels_store
from storage import payroll as payroll_store
from storage import people as people_store
from storage import roster as roster_store
from storage.db import Database
from storage.models import Person
from storage.people import CLAIM_KEY, GROUP_KEY, Seen


@dataclass(frozen=True)
class Target:
    """Whom a command names: a @username, or a user a text mention carries."""

    username: str | None = None
    user: Seen | None = None

    @property
    def label(self) -> str:
        """How the person typed it."""
        if self.user is not None:
            return self.user.first_name
        return f"@{self.username}"


@dataclass(frozen=True)
class PatternSet:
    """A weekly pattern (`/shift`, `/restday`) set from a day on, with how many of the
    agent's roster days from then on it replaced, and its audit line."""

    person: Person
    since: dt.date
    replaced: int
    change: int


@dataclass(frozen=True)
class Resigned:
    """A last working day recorded (`day`) or cancelled (None), and whether the agent
    is off the team already (a day recorded after it passed)."""

    person: Person
    day: dt.date | None
    gone: bool = False

    @property
    def off_from(self) -> dt.date | None:
        """The first day off the team: the day after the last working day."""
        return None if self.day is None else self.day + dt.timedelta(days=1)


@dataclass(frozen=True)
class Setup:
    """How far the owner's first hour has come: each step of `/start`'s checklist."""

    group_bound: bool
    supervisors: list[Person]
    agents: list[Person]
    without_shift: list[Person]  # agents whose shift is not set yet
    waiting: list[Person]  # wrote to the bot in private, not on the team yet

    @property
    def done(self) -> bool:
        """Every step done: a group, supervisors, agents, and every agent's shift."""
        return bool(self.group_bound and self.supervisors and self.agents) and not (
            self.without_shift
        )


class People:
    """People use-cases over one database and policy."""

    def __init__(
        self, db: Database, policy: Policy, admins: frozenset[int], notices: Notices
    ) -> None:
        self.db = db
        self.policy = policy
        self.admins = admins
        self.notices = notices
        self._owned = bool(admins)  # once the bot has an admin it never loses them all

    def tell(
        self,
        session: Session,
        change: int,
        actor: Person,
        who: Person,
        template: str,
        at: dt.datetime,
        **data: object,
    ) -> None:
        """A DM to `who` about the change `actor` just made (its audit line `change`), in
        the change's transaction; if it cannot arrive, `actor` is told."""
        note = Note(
            f"audit:{change}:{template}",
            person(who.id),
            template,
            {"by": actor, **data},
            report_to=actor.id,
        )
        self.notices.record(session, [note], at=at)

    def is_admin(self, person: Person) -> bool:
        """True for the shop's owners: the one who claimed the bot, and KEFU_ADMINS."""
        return person.is_owner or person.id in self.admins

    def is_supervisor(self, person: Person) -> bool:
        """Admins do everything a supervisor does."""
        return person.is_supervisor or self.is_admin(person)

    async def has_admin(self) -> bool:
        """True once the bot has an owner (claimed) or KEFU_ADMINS names one."""
        if not self._owned:
            self._owned = await self.db.read(
                lambda session: people_store.has_owner(session=session)
            )
        return self._owned

    async def setup(self) -> Setup:
        """The owner's checklist: what is set up, and who is waiting to be added."""

        def work(session: Session) -> Setup:
            agents = people_store.agents(session=session)
            return Setup(
                group_bound=people_store.group_chat(session=session) is not None,
                supervisors=people_store.supervisors(session=session),
                agents=agents,
                without_shift=[agent for agent in agents if agent.shift is None],
                waiting=[
                    p for p in people_store.waiting(session=session) if p.id not in self.admins
                ],
            )

        return await self.db.read(work)

    async def claim_code(self, *, at: dt.datetime) -> str | None:
        """A fresh one-time code when nobody owns the bot yet (any earlier code dies)."""
        if await self.has_admin():
            return None
        index = [secrets.randbelow(len(claim_rules.ALPHABET)) for _ in range(claim_rules.LENGTH)]
        code = claim_rules.shown(index)
        waiting = claim_rules.new_claim(code, at=at, valid_hours=self.policy.claim.valid_hours)

        def work(session: Session) -> None:
            people_store.put_setting(CLAIM_KEY, waiting.to_json(), at=at, by=None, session=session)

        await self.db.run(work)
        return code

    async def claim(self, actor: Person, typed: str, *, at: dt.datetime) -> Person:
        """`actor` becomes the owner if `typed` is the waiting code; a wrong guess is counted
        (and kept, though the answer is a refusal)."""
        limit = self.policy.claim.wrong_guesses

        def work(session: Session) -> tuple[Verdict, int, Person]:
            stored = people_store.get_setting(CLAIM_KEY, session=session)
            waiting = Claim.from_json(stored) if stored is not None else None
            if self.admins or people_store.has_owner(session=session):
                waiting = None
            verdict = claim_rules.judge(waiting, typed, at=at, wrong_guesses=limit)
            if verdict is Verdict.WRONG:
                assert waiting is not None
                wrong = waiting.wrong + 1
                counted = Claim(waiting.digest, waiting.expires, wrong)
                people_store.put_setting(
                    CLAIM_KEY, counted.to_json(), at=at, by=actor.id, session=session
                )
                return verdict, limit - wrong, actor
            if verdict is not Verdict.OK:
                return verdict, 0, actor
            people_store.drop_setting(CLAIM_KEY, session=session)
            people_store.audit(at=at, actor_id=actor.id, action="claim", session=session)
            return verdict, 0, people_store.set_owner(actor.id, session=session)

        verdict, left, owner = await self.db.run(work)
        if verdict is not Verdict.OK:
            raise Refusal(f"claim_{verdict.value}", left=left)
        self._owned = True
        return owner

    async def seen(self, user: Seen, *, at: dt.datetime, in_private: bool) -> Person:
        """Record the person behind an update (id, names, whether a DM is open).

        Most updates come from someone already recorded as they are: then the
        row is only read (the hot path of a shift start).
        """

        person = await self.db.read(lambda session: people_store.get(user.id, session=session))
        if (
            person is not None
            and people_store.same_identity(person, user)
            and (person.dm_open or not in_private)
        ):
            return person
        return await self.db.run(
            lambda session: people_store.record_seen(
                user=user, at=at, in_private=in_private, session=session
            )
        )

    def _resolve(self, session: Session, target: Target, at: dt.datetime) -> Person:
        if target.user is not None:
            if target.user.id in self.admins or people_store.get(target.user.id, session=session):
                return people_store.record_seen(
                    user=target.user, at=at, in_private=False, session=session
                )
        elif target.username is not None:
            person = people_store.by_username(target.username, session=session)
            if person is not None:
                return person
        raise Refusal("unknown_person", label=target.label)

    async def resolve_agent(self, target: Target, *, at: dt.datetime) -> Person:
        """The agent a command names; refused for someone who is not an agent."""
        person = await self.db.run(lambda session: self._resolve(session, target, at))
        if not person.is_agent:
            raise Refusal("not_an_agent", person=person)
        return person

    async def bosses(self) -> list[int]:
        """The chat ids of every supervisor and admin, once each (for alerts and appeals)."""
        return await self.db.read(
            lambda session: people_store.boss_ids(self.admins, session=session)
        )

    async def boss_rows(self) -> list[Person]:
        """Every supervisor and admin the bot has seen, in one read (their menus)."""
        return await self.db.read(lambda session: people_store.bosses(self.admins, session=session))

    async def set_supervisor(
        self, actor: Person, target: Target, *, on: bool, at: dt.datetime
    ) -> tuple[Person, bool]:
        """Promote or demote; returns the person and whether anything changed."""

        def work(session: Session) -> tuple[Person, bool]:
            person = self._resolve(session, target, at)
            if not on and self.is_admin(person):
                raise Refusal("demote_admin", person=person)
            changed = person.is_supervisor != on
            if changed:
                person = people_store.set_supervisor(person.id, on, session=session)
                change = people_store.audit(
                    at=at,
                    actor_id=actor.id,
                    action="promote" if on else "demote",
                    subject_id=person.id,
                    session=session,
                )
                template = "promoted_dm" if on else "demoted_dm"
                self.tell(session, change, actor, person, template, at)
            return person, changed

        return await self.db.run(work)

    async def enroll(
        self,
        actor: Person,
        target: Target,
        *,
        level: str,
        track: str,
        im_name: str | None,
        at: dt.datetime,
    ) -> tuple[Person, bool]:
        """Make someone an agent (or update their level, track, im-name)."""
        if level not in self.policy.levels:
            raise Refusal("unknown_level", given=level, known=self.policy.levels)
        if track not in self.policy.tracks:
            raise Refusal("unknown_track", given=track, known=self.policy.tracks)

        def work(session: Session) -> tuple[Person, bool]:
            person = self._resolve(session, target, at)
            was_agent = person.is_agent
            self._level_change(session, person, level, actor=actor, at=at)
            person = people_store.enroll(
                person.id,
                level=level,
                track=track,
                im_name=im_name,
                at=at,
                by=actor.id,
                session=session,
            )
            change = people_store.audit(
                at=at,
                actor_id=actor.id,
                action="enroll",
                subject_id=person.id,
                detail=f"level={level} track={track} im_name={person.im_name or ''}",
                session=session,
            )
            names = {
                "level": self.policy.levels[level].name,
                "track": self.policy.tracks[track].name,
            }
            self.tell(session, change, actor, person, "enrolled_dm", at, **names)
            return person, not was_agent

        return await self.db.run(work)

    def _leaving(self, session: Session, target: Target, at: dt.datetime) -> Person:
        """The agent a /resign names: refused for someone who has left (enrol them again)
        or is no agent."""
        person = self._resolve(session, target, at)
        if leaving_rules.has_left(person.left_on, self.today(at)):
            raise Refusal("resign_gone", person=person, day=person.left_on)
        if not person.is_agent:
            raise Refusal("not_an_agent", person=person)
        return person

    def today(self, at: dt.datetime) -> dt.date:
        """`at`'s day, team time."""
        return at.astimezone(self.policy.tz).date()

    async def resign(
        self, actor: Person, target: Target, day: dt.date, reason: str, *, at: dt.datetime
    ) -> Resigned:
        """`/resign @agent <YYYY-MM-DD> [reason]`: the agent's last working day; a day
        already past takes them off the team at once (else the leavers' job does, the
        day after). Audited; the agent is told."""
        today = self.today(at)

        def work(session: Session) -> Resigned:
            person = self._leaving(session, target, at)
            if person.left_on is not None:
                raise Refusal("resign_already", person=person, day=person.left_on)
            start = person.hired_on or (
                None if person.enrolled_at is None else self.today(person.enrolled_at)
            )
            month = day.strftime("%Y-%m")
            locked = payroll_store.lock_of(month, session=session) is not None
            leaving_rules.check_last_day(
                day, today=today, start=start, locked=locked, rules=self.policy.people
            )
            why = reason.strip()[:500]
            person = people_store.set_left(person.id, day, why or None, session=session)
            gone = leaving_rules.has_left(day, today)
            if gone:
                people_store.retire(person.id, session=session)
            change = people_store.audit(
                at=at,
                actor_id=actor.id,
                action="resign",
                subject_id=person.id,
                detail=f"{day.isoformat()} {why}".strip(),
                session=session,
            )
            self.tell(session, change, actor, person, "resigned_dm", at, day=day, reason=why)
            return Resigned(person, day, gone)

        return await self.db.run(work)

    async def cancel_resignation(
        self, actor: Person, target: Target, *, at: dt.datetime
    ) -> Resigned:
        """`/resign @agent cancel`: the recorded last working day is dropped, before it
        has passed. Audited; the agent is told."""

        def work(session: Session) -> Resigned:
            person = self._leaving(session, target, at)
            day = person.left_on
            if day is None:
                raise Refusal("resign_nothing", person=person)
            person = people_store.set_left(person.id, None, None, session=session)
            change = people_store.audit(
                at=at,
                actor_id=actor.id,
                action="resign-cancel",
                subject_id=person.id,
                detail=day.isoformat(),
                session=session,
            )
            self.tell(session, change, actor, person, "resign_cancelled_dm", at, day=day)
            return Resigned(person, None)

        return await self.db.run(work)

    async def retire_leavers(self, *, at: dt.datetime) -> list[Person]:
        """Everyone whose last working day is before today stops being an agent (their
        records stay), audited once each however many replicas run it; who this call
        took off the team."""
        today = self.today(at)

        def work(session: Session) -> list[Person]:
            gone = []
            for person_id in people_store.leavers(today, session=session):
                if people_store.retire(person_id, session=session):
                    people_store.audit(
                        at=at, actor_id=None, action="left", subject_id=person_id, session=session
                    )
                    gone.append(people_store.get(person_id, session=session))
            return [person for person in gone if person is not None]

        return await self.db.run(work)

    def _level_change(
        self, session: Session, person: Person, level: str, *, actor: Person, at: dt.datetime
    ) -> None:
        """An agent's new level by `/enroll` takes effect on the 1st of next month (a month
        is paid at the level it began with); a correction in the month of their enrolment
        is no change (the new level counts from the start)."""
        today = at.astimezone(self.policy.tz).date()
        enrolled = person.enrolled_at
        first_month = enrolled is not None and enrolled.astimezone(self.policy.tz).date().replace(
            day=1
        ) == today.replace(day=1)
        if not person.is_agent or person.level == level or first_month:
            return
        levels_store.add_change(
            person.id,
            person.level,
            level,
            level_rules.next_first(today),
            source=levels_store.ENROLL,
            at=at,
            by=actor.id,
            session=session,
        )

    async def set_shift(
        self,
        actor: Person,
        target: Target,
        shift: str,
        *,
        at: dt.datetime,
        since: str | None = None,
    ) -> PatternSet:
        """Assign an agent's shift (a policy key) from a day on (today unless given):
        the agent's roster days from then on give way to the weekly pattern."""
        if shift not in self.policy.shifts:
            raise Refusal("unknown_shift", given=shift, known=self.policy.shifts)
        first = rhythm_rules.pattern_from(since, at.astimezone(self.policy.tz).date())

        def work(session: Session) -> PatternSet:
            person = self._resolve(session, target, at)
            if not person.is_agent:
                raise Refusal("not_an_agent", person=person)
            person = people_store.set_shift(person.id, shift, session=session)
            done = self.pattern_applies(session, actor, person, first, "shift", shift, at)
            chosen = self.policy.shifts[shift]
            self.tell(
                session, done.change, actor, person, "shift_set_dm", at, shift=chosen, done=done
            )
            return done

        return await self.db.run(work)

    def pattern_applies(
        self,
        session: Session,
        actor: Person,
        person: Person,
        first: dt.date,
        action: str,
        value: str,
        at: dt.datetime,
    ) -> PatternSet:
        """The weekly pattern, just changed, applies from `first` on: the agent's live
        roster days from then are cleared (refused in a locked month); audited."""
        month = first.strftime("%Y-%m")
        if payroll_store.lock_of(month, session=session) is not None:
            raise Refusal("month_locked", month=month)
        replaced = roster_store.clear_from(person.id, first, session=session)
        change = people_store.audit(
            at=at,
            actor_id=actor.id,
            action=action,
            subject_id=person.id,
            detail=f"{value} from {first.isoformat()}, {replaced} roster days replaced",
            session=session,
        )
        return PatternSet(person, first, replaced, change)

    async def set_group(self, actor: Person, chat_id: int, *, at: dt.datetime) -> None:
        """Bind the team group: announcements go there."""

        def work(session: Session) -> None:
            people_store.put_setting(GROUP_KEY, str(chat_id), at=at, by=actor.id, session=session)
            people_store.audit(
                at=at, actor_id=actor.id, action="setgroup", detail=str(chat_id), session=session
            )

        await self.db.run(work)

    async def move_group(self, old: int, new: int, *, at: dt.datetime) -> bool:
        """Follow the team group to its new id when Telegram upgrades it to a supergroup."""

        def work(session: Session) -> bool:
            if people_store.get_setting(GROUP_KEY, session=session) != str(old):
                return False
            people_store.put_setting(GROUP_KEY, str(new), at=at, by=None, session=session)
            people_store.audit(
                at=at,
                actor_id=None,
                action="group-migrated",
                detail=f"{old}->{new}",
                session=session,
            )
            return True

        return await self.db.run(work)

    async def group_chat(self) -> int | None:
        """The team group's chat id, if an admin bound one."""
        return await self.db.read(lambda session: people_store.group_chat(session=session))

    async def setting(self, key: str) -> str | None:
        """A team-wide setting's value (e.g. the command-menu version)."""
        return await self.db.read(lambda session: people_store.get_setting(key, session=session))

    async def put_setting(self, key: str, value: str, *, at: dt.datetime) -> None:
        """Set a team-wide setting that no person changed (the bot's own bookkeeping)."""
        await self.db.run(
            lambda session: people_store.put_setting(key, value, at=at, by=None, session=session)
        )

    async def team(self) -> list[Person]:
        """Everyone with a role, for the command menus."""
        return await self.db.read(lambda session: people_store.team(session=session))

    async def get(self, person_id: int) -> Person | None:
        """A person by id."""
        return await self.db.read(lambda session: people_store.get(person_id, session=session))
