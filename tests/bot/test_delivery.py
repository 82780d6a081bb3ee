"""The delivery engine over real SQLite, with a recording fake sender (no Telegram).

Exactly once, order per chat, alerts first, retries until the deadline, final
failures reported, rows a crash left mid-send never resent, group posts merged
into a digest when the group's budget is spent, two engines on one database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.delivery import Delivery, Final, Limits, Retry
from bot.notices import ALERT, GROUP, Note, Notices, person
from bot.settings import default_policy_data
from bot.texts import Texts
from rules.policy import build_policy
from storage import notices as notices_store
from storage import people as people_store
from storage.db import Database
from storage.models import Notice
from tests.support.sender import RecordingSender

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
ANN, BEN, GROUP_ID = 501, 502, -100777
POLICY = build_policy(default_policy_data())
FAST = Limits(rate=0)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'outbox.db'}")
    await database.migrate()
    await database.run(
        lambda s: people_store.put_setting(
            people_store.GROUP_KEY, str(GROUP_ID), at=NOW, by=None, session=s
        )
    )
    yield database
    await database.close()


class GivenTexts(Texts):
    """Texts whose template "given" is the text it is given (tests of the engine)."""

    def render(self, template: str, /, **context: Any) -> str:
        return str(context["text"]) if template == "given" else super().render(template, **context)


NOTICES = Notices(GivenTexts("en", TZ), POLICY, frozenset())


def note(key: str, to_chat: int, text: str, **options: object) -> Note:
    """A notice with a given text (no template needed)."""
    to = GROUP if to_chat == GROUP_ID else person(to_chat)
    return Note(key, to, "given", {"text": text}, **options)  # type: ignore[arg-type]


async def record(db: Database, *notes: Note, at: dt.datetime = NOW) -> int:
    return await db.run(lambda s: NOTICES.record(s, notes, at=at))


async def rows(db: Database) -> list[Notice]:
    def work(session: Session) -> list[Notice]:
        return list(session.exec(select(Notice).order_by(Notice.id)))  # type: ignore[arg-type]

    return await db.read(work)


async def run(
    db: Database, sender: RecordingSender, limits: Limits = FAST, **hooks: object
) -> Delivery:
    engine = Delivery(db, sender, clock=lambda: NOW, limits=limits, **hooks)  # type: ignore[arg-type]
    engine.start()
    await asyncio.wait_for(engine.drain(), 20)
    return engine


async def test_every_row_once_in_order_alerts_first(db: Database) -> None:
    await record(db, *[note(f"a{n}", ANN, f"to Ann {n}") for n in range(5)])
    await record(db, *[note(f"b{n}", BEN, f"to Ben {n}") for n in range(5)])
    await record(db, note("alarm", BEN, "an alert", lane=ALERT))
    assert await record(db, note("a0", ANN, "to Ann 0")) == 0  # the same key: kept once
    sender = RecordingSender()
    engine = await run(db, sender)
    await engine.stop()
    assert sender.to(ANN) == [f"to Ann {n}" for n in range(5)]
    assert sender.to(BEN) == ["an alert", *[f"to Ben {n}" for n in range(5)]]
    assert {row.status for row in await rows(db)} == {notices_store.SENT}


async def test_a_failure_is_retried_and_sent_once(db: Database) -> None:
    await record(db, note("x", ANN, "payday"), note("y", BEN, "hello"))
    sender = RecordingSender()
    sender.fail(ANN, Retry("502 Bad Gateway"), Retry("429", after=0.2), Retry("timed out"))
    engine = await run(db, sender)
    await engine.stop()
    sender.assert_sent_once(ANN, "payday")
    sender.assert_sent_once(BEN, "hello")
    (ann,) = [row for row in await rows(db) if row.chat_id == ANN]
    assert ann.status == notices_store.SENT and ann.attempts == 4


async def test_a_blocked_person_is_recorded_and_reported_and_the_rest_goes_on(
    db: Database,
) -> None:
    await record(db, note("x", ANN, "to Ann", report_to=BEN), note("y", BEN, "to Ben"))
    sender = RecordingSender()
    sender.fail(ANN, Final("Forbidden: bot was blocked by the user"))
    reported: list[tuple[int, str]] = []

    async def on_final(row: Notice, reason: str) -> None:
        reported.append((row.chat_id, reason))

    engine = await run(db, sender, on_final=on_final)
    await engine.stop()
    sender.assert_nothing_to(ANN)
    sender.assert_sent_once(BEN, "to Ben")
    assert reported == [(ANN, "Forbidden: bot was blocked by the user")]
    statuses = {row.chat_id: row.status for row in await rows(db)}
    assert statuses == {ANN: notices_store.FAILED, BEN: notices_store.SENT}


async def test_past_its_deadline_a_row_is_given_up(db: Database) -> None:
    await record(db, note("x", ANN, "too late"), at=NOW - dt.timedelta(days=5))
    sender = RecordingSender()
    sender.fail(ANN, Retry("502 Bad Gateway"))
    reported: list[str] = []

    async def on_final(row: Notice, reason: str) -> None:
        reported.append(reason)

    engine = await run(db, sender, on_final=on_final)
    await engine.stop()
    assert reported and "deadline" in reported[0]
    assert [row.status for row in await rows(db)] == [notices_store.FAILED]


async def test_a_row_left_mid_send_by_a_crash_is_uncertain_never_resent(db: Database) -> None:
    await record(db, note("x", ANN, "payslip"), note("y", BEN, "payslip"))
    long_ago = NOW - dt.timedelta(minutes=10)
    claimed = await db.run(
        lambda s: notices_store.claim([1], long_ago, session=s)
    )  # then the process died
    assert [row.chat_id for row in claimed] == [ANN]
    sender = RecordingSender()
    reported: list[int] = []

    async def on_final(row: Notice, reason: str) -> None:
        reported.append(row.chat_id)

    engine = await run(db, sender, on_final=on_final)
    await engine.stop()
    sender.assert_nothing_to(ANN)
    sender.assert_sent_once(BEN, "payslip")
    assert reported == [ANN]
    assert {row.chat_id: row.status for row in await rows(db)}[ANN] == notices_store.UNCERTAIN


async def test_a_row_moot_when_its_turn_comes_is_withdrawn_never_sent(db: Database) -> None:
    await record(db, note("ask", ANN, "still working?"), note("y", BEN, "hello"))
    await record(db, note("digest", GROUP_ID, "a post", coalesce=True))
    asked: list[str] = []

    async def moot(row: Notice) -> bool:
        asked.append(row.key)
        return row.key.startswith("ask>")

    sender = RecordingSender()
    engine = await run(db, sender, moot=moot)
    await engine.stop()
    sender.assert_nothing_to(ANN)
    sender.assert_sent_once(BEN, "hello")
    sender.assert_sent_once(GROUP_ID, "a post")
    assert sorted(asked) == sorted(row.key for row in await rows(db))  # each row, once
    statuses = {row.chat_id: row.status for row in await rows(db)}
    assert statuses[ANN] == notices_store.WITHDRAWN
    assert statuses[BEN] == statuses[GROUP_ID] == notices_store.SENT


async def test_group_posts_beyond_the_budget_merge_into_a_digest_in_order(
    db: Database,
) -> None:
    limits = Limits(rate=1000, group_per_minute=2, group_gap=0, private_gap=0, group_window=1.0)
    posts = [note(f"g{n}", GROUP_ID, f"entry {n}", coalesce=True) for n in range(7)]
    await record(db, *posts)
    sender = RecordingSender()
    engine = await run(db, sender, limits)
    await engine.stop()
    received = sender.to(GROUP_ID)
    assert len(received) == 2  # the budget (2): the first alone, then one digest of the rest
    assert received[0] == "entry 0"
    assert received[1] == "\n\n".join(f"entry {n}" for n in range(1, 7))
    assert {row.status for row in await rows(db)} == {notices_store.SENT}


async def test_paced_sends_overlap_at_real_latency(db: Database) -> None:
    await record(db, *[note(f"p{n}", 1000 + n, f"payslip {n}") for n in range(60)])
    sender = RecordingSender(latency=0.15)
    began = asyncio.get_running_loop().time()
    engine = await run(db, sender, Limits(rate=200))
    seconds = asyncio.get_running_loop().time() - began
    await engine.stop()
    assert len(sender.sent) == 60
    assert sender.most_in_flight > 1  # several in flight, not one call at a time
    assert seconds < 60 * 0.15  # faster than one at a time, whatever the machine


async def test_two_engines_on_one_database_send_every_row_once(db: Database) -> None:
    await record(db, *[note(f"r{n}", 2000 + n, f"payslip {n}") for n in range(40)])
    first, second = RecordingSender(latency=0.01), RecordingSender(latency=0.01)
    one = Delivery(db, first, clock=lambda: NOW, limits=FAST)
    two = Delivery(db, second, clock=lambda: NOW, limits=FAST)
    one.start()
    two.start()
    await asyncio.wait_for(asyncio.gather(one.drain(), two.drain()), 20)
    await one.stop()
    await two.stop()
    chats = [s.chat_id for s in first.sent + second.sent]
    assert sorted(chats) == [2000 + n for n in range(40)]
