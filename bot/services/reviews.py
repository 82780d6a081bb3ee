"""The annual review [000 第十一条 年度考核]: drafts, the supervisors' preview, confirmation.

On the policy's day (`[review] day`, 10 January) the year before is drawn up for every
agent from the year's locked monthly scores (`rules.review`), stored as drafts, and
previewed to the supervisors with a Confirm button; the first confirmation applies it
(audited) and tells each agent theirs by DM. A confirmed review moves the next year's
performance pay (`rules.pay.annual_review`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal
from rules import parse
from rules import review as review_rules
from rules.policy import Policy
from storage import payroll as payroll_store
from storage import people as people_store
from storage import review as review_store
from storage import unique
from storage.db import Database
from storage.models import AnnualReview, Person
from storage.review import ReviewRow

JOB = "annual-review"


@dataclass(frozen=True)
class YearReview:
    """A year's reviews, and who confirmed them when (None: drafts)."""

    year: int
    rows: list[ReviewRow]
    confirmed_by: Person | None = None

    @property
    def confirmed_at(self) -> dt.datetime | None:
        """When the year's review was confirmed."""
        return self.rows[0].confirmed_at if self.rows else None


@dataclass(frozen=True)
class Confirmed:
    """A press of Confirm: the year's review, and whether this press confirmed it."""

    review: YearReview
    new: bool


def confirm_button(year: int) -> tuple[str, str]:
    """The preview's Confirm button: (label template, callback data)."""
    return ("review_confirm_button", buttons.ReviewConfirm(year).encode())


class Reviews:
    """Annual-review use-cases over one database and policy."""

    def __init__(self, db: Database, policy: Policy, notices_: Notices) -> None:
        self.db = db
        self.policy = policy
        self.notices = notices_

    def year_asked(self, text: str | None, at: dt.datetime) -> int:
        """The year a supervisor asks for (last year by default); a year not over yet is
        refused."""
        this_year = at.astimezone(self.policy.tz).year
        if text is None:
            return this_year - 1
        year = parse.integer(text, low=2000, high=9999)
        if year >= this_year:
            raise Refusal("review_not_over", year=year)
        return year

    def due(self, at: dt.datetime) -> int | None:
        """The year to review when `at` falls on the policy's review day, else None."""
        today = at.astimezone(self.policy.tz).date()
        if (today.month, today.day) != self.policy.review.month_day:
            return None
        return today.year - 1

    def _drafts(self, session: Session, year: int, at: dt.datetime) -> list[dict[str, Any]]:
        """Every agent's verdict on the year, from its locked months' scores."""
        places = payroll_store.places(review_rules.months_of(year), session=session)
        rows = []
        for agent in people_store.agents(session=session):
            scores = [one.score for one in places.get(agent.id, [])]
            found = review_rules.verdict(scores, self.policy.review)
            rows.append(
                {
                    "year": year,
                    "person_id": agent.id,
                    "months": found.months,
                    "mean_cents": None if found.mean is None else int(found.mean * 100),
                    "grade": found.grade,
                    "adjustment_bp": (
                        None if found.adjustment is None else int(found.adjustment * 10000)
                    ),
                    "drafted_at": at,
                }
            )
        return rows

    def _year(self, session: Session, year: int) -> YearReview:
        rows = review_store.of_year(year, session=session)
        by = rows[0].confirmed_by if rows else None
        who = None if by is None else people_store.get(by, session=session)
        return YearReview(year, rows, who)

    async def draw_up(self, year: int, *, at: dt.datetime) -> YearReview:
        """The year's review: drawn up as drafts the first time (for the agents of now);
        refused when there is nobody to review."""

        def work(session: Session) -> YearReview:
            if not review_store.of_year(year, session=session):
                drafts = self._drafts(session, year, at)
                if drafts:
                    table = AnnualReview.__table__  # type: ignore[attr-defined]
                    statement = unique.insert_into(session)(table).on_conflict_do_nothing()
                    session.execute(statement, drafts)
            found = self._year(session, year)
            if not found.rows:
                raise Refusal("review_none", year=year)
            return found

        return await self.db.run(work)

    def preview_note(self, found: YearReview) -> Note:
        """The supervisors' preview of a year's drafts, with the Confirm button."""
        return Note(
            f"{JOB}:{found.year}",
            notices.BOSSES,
            "review_preview",
            {"r": found, "review": self.policy.review},
            buttons=() if found.confirmed_at else (confirm_button(found.year),),
            protect=True,
        )

    async def confirm(self, actor: Person, year: int, *, at: dt.datetime) -> Confirmed:
        """The preview's Confirm: the first press applies the year's review (audited) and
        tells each agent theirs; a later press gets who confirmed it and when."""

        def work(session: Session) -> Confirmed:
            if not review_store.of_year(year, session=session):
                raise Refusal("button_invalid")
            if not review_store.confirm(year, at=at, by=actor.id, session=session):
                return Confirmed(self._year(session, year), False)
            found = self._year(session, year)
            people_store.audit(
                session=session,
                at=at,
                actor_id=actor.id,
                action="review-confirm",
                detail=f"{year}: {len(found.rows)} agents",
            )
            notes = [
                Note(
                    f"{JOB}:{year}:{row.person_id}",
                    notices.person(row.person_id),
                    "review_dm",
                    {"row": row, "review": self.policy.review},
                    protect=True,
                    person_id=row.person_id,
                )
                for row in found.rows
            ]
            self.notices.record(session, notes, at=at)
            return Confirmed(found, True)

        return await self.db.run(work)
