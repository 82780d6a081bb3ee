"""The operator's view: one log line per update and per job run, with duration,
and never the token, what people typed, or pay."""

from __future__ import annotations

import logging

import pytest

from tests.support.fakebot import TOKEN
from tests.support.harness import BOB, CAROL, Harness
from tests.support.team import make_team


async def test_one_line_per_update_and_per_job_without_secrets(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await make_team(bot)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await bot.send(CAROL, "/clockin")
        await bot.send(BOB, "/oneoff @carol_cs 1234.56 secret bonus reason")
        queue = bot.app.job_queue
        assert queue is not None
        (job,) = queue.get_jobs_by_name("daily-alert")
        await queue.job_callback(queue, job)
    updates = [r.getMessage() for r in caplog.records if r.getMessage().startswith("event=update")]
    assert len(updates) == 2
    assert "kind=command command=/clockin chat=private" in updates[0]
    assert f"user={CAROL.id}" in updates[0] and "outcome=ok ms=" in updates[0]
    assert "command=/oneoff" in updates[1]
    jobs = [r.getMessage() for r in caplog.records if r.getMessage().startswith("event=job")]
    assert len(jobs) == 1 and jobs[0].startswith("event=job name=daily-alert ms=")
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert TOKEN not in everything
    assert "1234.56" not in everything and "secret bonus" not in everything


async def test_the_database_going_away_and_coming_back(bot: Harness, database_url: str) -> None:
    """Every connection the bot holds is cut (a PostgreSQL restart or fail-over): the next
    command still works and what was recorded before is still there."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs a PostgreSQL server (KEFU_TEST_POSTGRES_URL); CI runs it")
    import psycopg
    from sqlalchemy.engine import make_url

    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing")
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert cut is not None and cut[0] >= 1
    assert "clocked in" in await bot.reply(CAROL, "/clockin")
    assert "#1" in await bot.reply(CAROL, "/myscore")
