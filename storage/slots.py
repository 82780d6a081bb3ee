"""Once per slot: the record (`job_run`) that a scheduled post, or a decision, happened.

A job (the 10:00 alert, a break's report) or a decision button claims its slot
(a day, a break's id) in the unit of work that records its notices; the unique
(job, slot) rule lets one run in, whatever restarts, replicas or retries do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session, col, select

from storage import unique
from storage.models import JobRun
from storage.unique import Duplicate


def was_run(jobs: Sequence[str], slot: str, *, session: Session) -> bool:
    """True if any of `jobs` ran (or is running) for `slot`."""
    query = select(JobRun.id).where(col(JobRun.job).in_(jobs), JobRun.slot == slot).limit(1)
    return session.exec(query).first() is not None


def claim(job: str, slot: str, *, at: dt.datetime, session: Session) -> bool:
    """Record that `job` runs for `slot`: True for the one run that may; False if one did."""
    run = JobRun(job=job, slot=slot, started_at=at)
    return not isinstance(unique.insert(run, session=session), Duplicate)
