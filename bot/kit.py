"""The services one running bot shares among handlers, scheduled jobs and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session
from telegram.ext import CallbackContext

from bot.delivery import Delivery, Limits
from bot.notices import Note, Notices
from bot.services.attendance import Attendance
from bot.services.boards import Boards
from bot.services.complaints import Complaints
from bot.services.discounts import Discounts
from bot.services.exams import Exams
from bot.services.fixpunch import FixPunches
from bot.services.followups import FollowUps
from bot.services.insights import Insights
from bot.services.ledger import Ledgers
from bot.services.levels import Levels
from bot.services.metrics import Metrics
from bot.services.payroll import Payroll
from bot.services.paysheets import Paysheets
from bot.services.people import People
from bot.services.problems import Problems
from bot.services.reviews import Reviews
from bot.services.rhythm import Rhythm
from bot.services.roster import Roster
from bot.services.rostering import Rostering
from bot.services.sales import PublicSales
from bot.services.swaps import Swaps
from bot.slots import Slots
from bot.texts import Texts
from bot.webapp import WebApp
from rules.policy import Policy
from storage import slots as slots_store
from storage.db import Database


@dataclass
class Kit:
    """The services of one bot: database, policy, texts, use-cases, the outbox."""

    db: Database
    policy: Policy
    texts: Texts
    people: People
    attendance: Attendance
    ledger: Ledgers
    metrics: Metrics
    rhythm: Rhythm
    payroll: Payroll
    notices: Notices
    levels: Levels
    clock: Callable[[], dt.datetime]
    exams: Exams
    reviews: Reviews
    sales: PublicSales
    roster: Roster
    swaps: Swaps
    rostering: Rostering
    fixpunch: FixPunches
    complaints: Complaints
    discounts: Discounts
    problems: Problems
    followups: FollowUps
    insights: Insights  # the Mini App's charts, calendar and roster
    webapp: WebApp  # the Mini App: its URL, and how its requests are checked
    boards: Boards  # what the Mini App's board, ledger and month pages read
    paysheets: Paysheets  # the Mini App's payroll and payslips, in the payslip's words
    limits: Limits = field(default_factory=Limits)  # the outbox's pacing (KEFU_RATE_LIMIT)
    delivery: Delivery | None = None  # set once the Bot exists
    slots: Slots = field(init=False)  # once per slot: scheduled posts and their buttons
    _woken: int = field(default=0, init=False)  # `notices.committed` at the last wake

    def __post_init__(self) -> None:
        self.slots = Slots(self.db)

    async def post(self, *notes: Note, job: str | None = None, slot: str | None = None) -> bool:
        """Record `notes` in the outbox, in one transaction. With `job` and `slot`, only
        the first run for that slot records them (a restart, a replica, a retry): True if
        this one did."""
        at = self.clock()

        def work(session: Session) -> bool:
            if (
                job is not None
                and slot is not None
                and not slots_store.claim(job, slot, at=at, session=session)
            ):
                return False
            self.notices.record(session, notes, at=at)
            return True

        posted = await self.db.run(work)
        self.wake()
        return posted

    def wake(self) -> None:
        """If rows were committed to the outbox since the last wake, the engine looks now
        (an update or a job that recorded nothing costs no read of the outbox)."""
        committed = self.notices.committed
        if self.delivery is not None and committed != self._woken:
            self._woken = committed
            self.delivery.wake()


def kit_of(context: CallbackContext[Any, Any, Any, Any]) -> Kit:
    """The kit stored on the Application at build time (handlers and jobs alike)."""
    kit: Kit = context.application.bot_data["kit"]
    return kit
