"""Scheduled jobs run on demand, as the JobQueue runs them at their time."""

from __future__ import annotations

from tests.support.harness import Harness


async def run_job(bot: Harness, name: str) -> None:
    """Run a scheduled job as the JobQueue does at its time, then let the outbox send."""
    assert bot.app.job_queue is not None
    (job,) = bot.app.job_queue.get_jobs_by_name(name)
    await job.run(bot.app)
    await bot.settle()
