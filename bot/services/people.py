"""People use-cases: who someone is, promotions, enrolment, shifts, the team group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.services import Refusal
from rules.policy import Policy
from storage import people as store
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

    def __init__(self, db: Database, policy: Policy, admins: frozenset[int]) -> None:
        self.db = db
        self.policy = policy
        self.admins = admins

    def is_admin(self, person_id: int) -> bool:
        """True for the shop's owners (KEFU_ADMINS)."""
        return person_id in self.admins

    def is_supervisor(self, person: Person) -> bool:
        """Admins do everything a supervisor does."""
        return person.is_supervisor or self.is_admin(person.id)

    async def seen(self, user: Seen, *, at: dt.datetime, in_private: bool) -> Person:
        """Record the person behind an update (id, names, whether a DM is open)."""
        async with self.db.session() as session, session.begin():
            return await store.record_seen(session, user=user, at=at, in_private=in_private)

    async def resolve(self, target: Target, *, at: dt.datetime) -> Person:
        """The person a command names; refused if the bot has never met them."""
        async with self.db.session() as session, session.begin():
            if target.user is not None:
                if target.user.id in self.admins or await store.get(session, target.user.id):
                    return await store.record_seen(
                        session, user=target.user, at=at, in_private=False
                    )
            elif target.username is not None:
                person = await store.by_username(session, target.username)
                if person is not None:
                    return person
        raise Refusal("unknown_person", label=target.label)

    async def set_supervisor(
        self, actor: Person, target: Target, *, on: bool, at: dt.datetime
    ) -> tuple[Person, bool]:
        """Promote or demote; returns the person and whether anything changed."""
        person = await self.resolve(target, at=at)
        if not on and self.is_admin(person.id):
            raise Refusal("demote_admin", person=person)
        async with self.db.session() as session, session.begin():
            row = await store.get(session, person.id)
            assert row is not None
            changed = row.is_supervisor != on
            if changed:
                row.is_supervisor = on
                session.add(row)
                await store.audit(
                    session,
                    at=at,
                    actor_id=actor.id,
                    action="promote" if on else "demote",
                    subject_id=row.id,
                )
            return row, changed

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
            raise Refusal("unknown_level", given=level, known=sorted(self.policy.levels))
        if track not in self.policy.tracks:
            raise Refusal("unknown_track", given=track, known=sorted(self.policy.tracks))
        person = await self.resolve(target, at=at)
        async with self.db.session() as session, session.begin():
            row = await store.get(session, person.id)
            assert row is not None
            was_agent = row.is_agent
            row.is_agent, row.level, row.track = True, level, track
            if im_name is not None:
                row.im_name = im_name
            if not was_agent:
                row.enrolled_at, row.enrolled_by = at, actor.id
            session.add(row)
            await store.audit(
                session,
                at=at,
                actor_id=actor.id,
                action="enroll",
                subject_id=row.id,
                detail=f"level={level} track={track} im_name={row.im_name or ''}",
            )
            return row, not was_agent

    async def set_shift(
        self, actor: Person, target: Target, shift: str, *, at: dt.datetime
    ) -> Person:
        """Assign an agent's shift (a policy key)."""
        if shift not in self.policy.shifts:
            raise Refusal("unknown_shift", given=shift, known=sorted(self.policy.shifts))
        person = await self.resolve(target, at=at)
        if not person.is_agent:
            raise Refusal("not_an_agent", person=person)
        async with self.db.session() as session, session.begin():
            row = await store.get(session, person.id)
            assert row is not None
            row.shift = shift
            session.add(row)
            await store.audit(
                session, at=at, actor_id=actor.id, action="shift", subject_id=row.id, detail=shift
            )
            return row

    async def set_group(self, actor: Person, chat_id: int, *, at: dt.datetime) -> None:
        """Bind the team group: announcements go there."""
        async with self.db.session() as session, session.begin():
            await store.put_setting(session, GROUP_KEY, str(chat_id), at=at, by=actor.id)
            await store.audit(
                session, at=at, actor_id=actor.id, action="setgroup", detail=str(chat_id)
            )

    async def group_chat(self) -> int | None:
        """The team group's chat id, if an admin bound one."""
        async with self.db.session() as session:
            value = await store.get_setting(session, GROUP_KEY)
        return int(value) if value is not None else None

    async def team(self) -> list[Person]:
        """Everyone with a role, for the command menus."""
        async with self.db.session() as session:
            return await store.team(session)

    async def get(self, person_id: int) -> Person | None:
        """A person by id."""
        async with self.db.session() as session:
            return await store.get(session, person_id)
