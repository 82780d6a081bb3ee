"""The use-cases on a real database, their outbox sent through a recording fake sender.

`Services.open` migrates a new database and builds the use-cases as the bot does
(the default policy in English, Alice an admin); `staff` gives it the usual team
through the use-cases themselves; `deliver` runs the delivery engine until the
outbox is empty and returns the sender, which kept every message. Tests call the
use-cases' public methods only, at fixed times they pass in.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field

from bot.delivery import Delivery, Limits
from bot.notices import Notices
from bot.services.attendance import Attendance
from bot.services.ledger import Ledgers
from bot.services.people import People, Target
from bot.services.rhythm import Rhythm
from bot.services.roster import Roster
from bot.settings import default_policy_data
from bot.texts import Texts
from rules.policy import Policy, build_policy
from storage.db import Database
from storage.models import Person
from storage.people import Seen
from tests.conftest import SHANGHAI
from tests.support import fakebot
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP
from tests.support.sender import RecordingSender

ADMINS = frozenset({ALICE.id})
NO_PACING = Limits(rate=0)


def at(hour: int, minute: int = 0, *, day: int = 23) -> dt.datetime:
    """A moment of November 2026 in team time (Monday the 23rd unless told)."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def seen(who: fakebot.Person) -> Seen:
    """A named fake person as an update shows them."""
    return Seen(who.id, who.first_name, who.last_name, who.username, who.language_code)


def target(who: fakebot.Person) -> Target:
    """How a command names someone: by @username, or by a text mention when they have none."""
    return Target(username=who.username) if who.username else Target(user=seen(who))


@dataclass
class Services:
    """The use-cases over one database, as one bot builds them."""

    db: Database
    policy: Policy
    notices: Notices
    people: People
    attendance: Attendance
    ledgers: Ledgers
    rhythm: Rhythm
    roster: Roster
    sender: RecordingSender = field(default_factory=RecordingSender)

    @classmethod
    async def open(cls, database_url: str) -> Services:
        """A new database, migrated, and the use-cases over it."""
        db = Database(database_url)
        await db.migrate()
        policy = build_policy(default_policy_data(), overrides={"language": "en"})
        notices = Notices(Texts(policy.language, policy.tz), policy, ADMINS)
        people = People(db, policy, ADMINS, notices)
        roster = Roster(db, policy)
        return cls(
            db=db,
            policy=policy,
            notices=notices,
            people=people,
            attendance=Attendance(db, policy, notices, roster),
            ledgers=Ledgers(db, policy, people, notices),
            rhythm=Rhythm(db, policy, people, notices, roster),
            roster=roster,
        )

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()

    async def meet(self, *who: fakebot.Person, at: dt.datetime) -> None:
        """Each person says /start to the bot in a DM."""
        for one in who:
            await self.people.seen(seen(one), at=at, in_private=True)

    async def person(self, who: fakebot.Person) -> Person:
        """A named person as stored now."""
        found = await self.people.get(who.id)
        assert found is not None, who
        return found

    async def staff(self, *, at: dt.datetime) -> None:
        """Alice (admin) binds the team group and promotes Bob; Bob enrols Carol (junior,
        presale, day shift) and Dave (mid, aftersales, evening shift; no username)."""
        await self.meet(ALICE, BOB, CAROL, DAVE, at=at)
        alice = await self.person(ALICE)
        await self.people.set_group(alice, TEAM_GROUP.id, at=at)
        await self.people.set_supervisor(alice, target(BOB), on=True, at=at)
        bob = await self.person(BOB)
        for who, level, track, im_name, shift in (
            (CAROL, "junior", "presale", "carol旺旺", "day"),
            (DAVE, "mid", "aftersales", None, "evening"),
        ):
            await self.people.enroll(
                bob, target(who), level=level, track=track, im_name=im_name, at=at
            )
            await self.people.set_shift(bob, target(who), shift, at=at)
        # Each of them is told by DM (promoted, enrolled, shift set): delivered here, so a
        # test sees only what its own use-case sends.
        await self.deliver(at=at)
        self.sender.sent.clear()

    async def deliver(self, *, at: dt.datetime) -> RecordingSender:
        """Send everything due at `at` through the delivery engine; the sender that kept it."""
        engine = Delivery(self.db, self.sender, clock=lambda: at, limits=NO_PACING)
        engine.start()
        try:
            await asyncio.wait_for(engine.drain(), 20)
        finally:
            await engine.stop()
        return self.sender
