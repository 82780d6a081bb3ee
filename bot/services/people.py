"""People use-cases: who someone is, promotions, enrolment, shifts, the team group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from bot.notices import Note, Notices, person
from bot.services import Refusal
from rules.policy import Policy
from storage import people as people_store
from storage.db import Database
from storage.models import Person
from storage.people import GROUP_KEY, Seen


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


class People:
    """People use-cases over one database and policy."""

    def __init__(
        self, db: Database, policy: Policy, admins: frozenset[int], notices: Notices
    ) -> None:
        self.db = db
        self.policy = policy
        self.admins = admins
        self.notices = notices

    def _tell(
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

    def is_admin(self, person_id: int) -> bool:
        """True for the shop's owners (KEFU_ADMINS)."""
        return person_id in self.admins

    def is_supervisor(self, person: Person) -> bool:
        """Admins do everything a supervisor does."""
        return person.is_supervisor or self.is_admin(person.id)

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

    async def set_supervisor(
        self, actor: Person, target: Target, *, on: bool, at: dt.datetime
    ) -> tuple[Person, bool]:
        """Promote or demote; returns the person and whether anything changed."""

        def work(session: Session) -> tuple[Person, bool]:
            person = self._resolve(session, target, at)
            if not on and self.is_admin(person.id):
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
                self._tell(session, change, actor, person, template, at)
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
            self._tell(session, change, actor, person, "enrolled_dm", at, **names)
            return person, not was_agent

        return await self.db.run(work)

    async def set_shift(
        self, actor: Person, target: Target, shift: str, *, at: dt.datetime
    ) -> Person:
        """Assign an agent's shift (a policy key)."""
        if shift not in self.policy.shifts:
            raise Refusal("unknown_shift", given=shift, known=self.policy.shifts)

        def work(session: Session) -> Person:
            person = self._resolve(session, target, at)
            if not person.is_agent:
                raise Refusal("not_an_agent", person=person)
            person = people_store.set_shift(person.id, shift, session=session)
            change = people_store.audit(
                at=at,
                actor_id=actor.id,
                action="shift",
                subject_id=person.id,
                detail=shift,
                session=session,
            )
            chosen = self.policy.shifts[shift]
            self._tell(session, change, actor, person, "shift_set_dm", at, shift=chosen)
            return person

        return await self.db.run(work)

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
