"""Once per slot, for scheduled jobs and the buttons on what they post.

A job posts for a slot (the 10:00 alert for a day, a break's report for a
break) once, however often it runs: a restart, a second replica, a retry. The
post's first run claims the slot in the transaction that records its notices
(`Kit.post(..., job=, slot=)`); a button on a card asks whether the card went
out (`was_run`) and claims its decision so that only the first press counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from storage import slots as slots_store
from storage.db import Database


class Slots:
    """Which job ran for which slot, over one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def was_run(self, job: str | Sequence[str], slot: str) -> bool:
        """True if the post `job` (or one of several) went out for `slot`: its card exists."""
        jobs = [job] if isinstance(job, str) else list(job)
        return await self.db.read(lambda session: slots_store.was_run(jobs, slot, session=session))

    async def claim(self, job: str, slot: str, *, at: dt.datetime) -> bool:
        """True for the one run (or press) that may do `job` for `slot`."""
        return await self.db.run(
            lambda session: slots_store.claim(job, slot, at=at, session=session)
        )
