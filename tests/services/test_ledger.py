"""Ledger use-cases on a real database: who is told what, and what is stored.

A fine reaches the agent by DM and the team group (no yuan there) from the same
transaction as the entry; a refused or failed fine leaves nothing; the third
offence alerts every supervisor and admin; an appeal goes to the bosses, its
decision to the agent (and to whoever logged the entry); a void tells the agent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import pytest
from sqlmodel import Session

from bot.notices import Note, Notices
from bot.services import Refusal
from bot.services.ledger import UPHOLD, VOID, Ledgers, Logged
from tests.support import fakebot
from tests.support.harness import ALICE, BOB, CAROL, DAVE, MALLORY, TEAM_GROUP
from tests.support.services import Services, at, target

MONTH = "2026-11"
GROUP = TEAM_GROUP.id


async def fine(
    team: Services,
    code: str = "unrelated-browsing",
    *,
    when: dt.datetime,
    note: str = "",
    by: fakebot.Person = BOB,
) -> Logged:
    """Bob (or `by`) fines Carol in the team group."""
    return await team.ledgers.log(
        await team.person(by),
        target(CAROL),
        kind="violation",
        code=code,
        points=None,
        note=note,
        at=when,
        chat_id=GROUP,
    )


async def test_a_fine_tells_the_agent_privately_and_the_group_without_money(
    team: Services,
) -> None:
    logged = await fine(team, when=at(10), note="shoes <b>on sale</b>")
    sent = await team.deliver(at=at(10))
    assert sent.chats() == {CAROL.id, GROUP}
    sent.assert_sent_once(CAROL.id, "#1 Unrelated web browsing at work: -2 points, from Bob.")
    sent.assert_sent(
        CAROL.id,
        "Note: shoes &lt;b&gt;on sale&lt;/b&gt;",  # what Bob typed is escaped
        "Cash fine for this offence: 10.00 yuan (offence 1 this month)",
        "Your month so far: 78 points, cash fines 10.00 yuan.",
        "<code>/appeal #1 your reason</code> before 2026-11-24 10:00",
    )
    sent.assert_sent_once(GROUP, "Carol</a>: Unrelated web browsing at work, -2 points (#1).")
    sent.assert_not_sent(GROUP, "yuan")
    standing = await team.ledgers.standing(await team.person(CAROL), MONTH)
    assert (standing.score, standing.cash, len(standing.lines)) == (78, Decimal("10.00"), 1)
    assert standing.lines[0].entry.id == logged.entry.id


class FailingNotices(Notices):
    """Notices that cannot be recorded (the outbox's table is gone, say)."""

    def record(self, session: Session, notes: Iterable[Note], *, at: dt.datetime) -> int:
        raise RuntimeError("the outbox cannot be written")


async def test_a_fine_whose_notices_cannot_be_recorded_is_not_stored_either(
    team: Services,
) -> None:
    notices = FailingNotices(team.notices.texts, team.policy, team.notices.admins)
    ledgers = Ledgers(team.db, team.policy, team.people, notices)
    bob = await team.person(BOB)
    with pytest.raises(RuntimeError):
        await ledgers.log(
            bob,
            target(CAROL),
            kind="violation",
            code="late",
            points=None,
            note="",
            at=at(10),
            chat_id=GROUP,
        )
    standing = await team.ledgers.standing(await team.person(CAROL), MONTH)
    assert standing.lines == []
    (await team.deliver(at=at(10))).assert_nothing_sent()


async def test_a_refused_fine_records_and_sends_nothing(team: Services) -> None:
    await team.meet(MALLORY, at=at(9))
    bob = await team.person(BOB)
    refusals = []
    for who, kind, code, points in (
        (CAROL, "violation", "unrelated-browse", None),  # no such code
        (CAROL, "violation", "customer-praise", None),  # a bonus, not a violation
        (CAROL, "violation", "late", 9),  # outside the code's range
        (MALLORY, "violation", "late", None),  # not an agent
    ):
        with pytest.raises(Refusal) as caught:
            await team.ledgers.log(
                bob,
                target(who),
                kind=kind,
                code=code,
                points=points,
                note="",
                at=at(10),
                chat_id=GROUP,
            )
        refusals.append(caught.value.key)
    assert refusals == ["unknown_code", "wrong_kind", "points_out_of_range", "not_an_agent"]
    standing = await team.ledgers.standing(await team.person(CAROL), MONTH)
    assert standing.lines == []
    (await team.deliver(at=at(10))).assert_nothing_sent()


async def test_the_third_offence_alerts_every_supervisor_and_admin_once(team: Services) -> None:
    alerts = [(await fine(team, when=at(10, minute))).alert for minute in range(3)]
    assert alerts == [False, False, True]
    sent = await team.deliver(at=at(10, 2))
    for boss in (ALICE.id, BOB.id):
        sent.assert_sent_once(boss, "Review needed")
        sent.assert_sent(boss, "#3 Unrelated web browsing at work", "dismissal review")
    sent.assert_not_sent(CAROL.id, "Review needed")
    assert [t.split(" ")[1] for t in sent.to(CAROL.id)] == ["#1", "#2", "#3"]


async def test_an_appeal_reaches_the_other_bosses_with_buttons_not_the_logger_nor_the_agent(
    team: Services,
) -> None:
    logged = await fine(team, when=at(10))  # Bob logged it; Alice is the admin
    carol = await team.person(CAROL)
    assert logged.entry.id is not None
    await team.ledgers.appeal(carol, logged.entry.id, "I was checking a <refund>", at=at(11))
    sent = await team.deliver(at=at(11))
    sent.assert_sent_once(ALICE.id, "<b>Appeal</b> from")
    sent.assert_sent(ALICE.id, "against #1", "logged by Bob", "I was checking a &lt;refund&gt;")
    assert sent.buttons(ALICE.id) == ["Keep the entry", "Void the entry"]
    sent.assert_not_sent(BOB.id, "Appeal")
    sent.assert_not_sent(CAROL.id, "Appeal")
    standing = await team.ledgers.standing(carol, MONTH)
    assert [line.entry.id for line in standing.open_appeals] == [logged.entry.id]


async def test_the_logger_may_not_decide_the_appeal_while_someone_else_can(
    team: Services,
) -> None:
    logged = await fine(team, when=at(10))
    carol, alice, bob = [await team.person(p) for p in (CAROL, ALICE, BOB)]
    assert logged.entry.id is not None
    filed = await team.ledgers.appeal(carol, logged.entry.id, "a refund", at=at(11))
    assert filed.appeal.id is not None
    with pytest.raises(Refusal) as caught:
        await team.ledgers.decide(bob, filed.appeal.id, UPHOLD, at=at(11, 30))
    assert (caught.value.key, caught.value.params) == ("decide_logged", {"id": logged.entry.id})
    decided = await team.ledgers.decide(alice, filed.appeal.id, UPHOLD, at=at(12))
    assert decided.new and decided.decided_by is not None and decided.decided_by.id == ALICE.id
    sent = await team.deliver(at=at(12))
    sent.assert_sent_once(CAROL.id, "turned down by Alice")
    sent.assert_sent_once(BOB.id, "decided by Alice: the entry stands.")


async def test_the_only_boss_decides_the_appeal_of_her_own_entry(team: Services) -> None:
    alice, carol = await team.person(ALICE), await team.person(CAROL)
    await team.people.set_supervisor(alice, target(BOB), on=False, at=at(9))  # Alice alone
    logged = await fine(team, "late", when=at(10), by=ALICE)
    assert logged.entry.id is not None
    await team.deliver(at=at(10))
    team.sender.sent.clear()
    filed = await team.ledgers.appeal(carol, logged.entry.id, "the bus", at=at(11))
    assert filed.appeal.id is not None
    sent = await team.deliver(at=at(11))
    sent.assert_sent_once(ALICE.id, "<b>Appeal</b> from")
    sent.assert_nothing_to(BOB.id)
    decided = await team.ledgers.decide(alice, filed.appeal.id, VOID, at=at(12))
    assert decided.new and decided.line.void is not None


async def test_an_appeal_decided_tells_the_agent_and_whoever_logged_it_once(
    team: Services,
) -> None:
    logged = await fine(team, when=at(10))
    carol, alice = await team.person(CAROL), await team.person(ALICE)
    assert logged.entry.id is not None
    filed = await team.ledgers.appeal(carol, logged.entry.id, "a refund", at=at(11))
    assert filed.appeal.id is not None
    first = await team.ledgers.decide(alice, filed.appeal.id, VOID, at=at(12))
    later = await team.ledgers.decide(alice, filed.appeal.id, UPHOLD, at=at(12, 1))
    assert (first.new, later.new) == (True, False)
    sent = await team.deliver(at=at(12, 1))
    sent.assert_sent_once(
        CAROL.id,
        "Your appeal against #1 (Unrelated web browsing at work) was accepted by Alice: "
        "the entry is void.",
    )
    sent.assert_sent_once(BOB.id, "decided by Alice: the entry is void.")
    sent.assert_not_sent(CAROL.id, "turned down")  # the later press changed nothing
    standing = await team.ledgers.standing(carol, MONTH)
    assert (standing.score, standing.cash, standing.open_appeals) == (80, Decimal("0.00"), [])


async def test_appeals_refused_record_and_send_nothing(team: Services) -> None:
    logged = await fine(team, when=at(10))
    carol, dave = await team.person(CAROL), await team.person(DAVE)
    entry = logged.entry.id
    assert entry is not None
    cases = [
        (dave, entry, "not mine either", at(11), "appeal_foreign"),
        (carol, entry, "\u200b ", at(11), "appeal_usage"),  # no visible reason
        (carol, entry, "too late", at(10, 1, day=24), "appeal_late"),  # past 24 hours
        (carol, 99, "no such entry", at(11), "entry_unknown"),
    ]
    for who, entry_id, reason, when, key in cases:
        with pytest.raises(Refusal) as caught:
            await team.ledgers.appeal(who, entry_id, reason, at=when)
        assert caught.value.key == key
    with pytest.raises(Refusal) as caught:  # only supervisors decide
        await team.ledgers.decide(carol, 1, VOID, at=at(11))
    assert caught.value.key == "decide_not_allowed"
    sent = await team.deliver(at=at(10, 1, day=24))
    sent.assert_nothing_to(ALICE.id)
    sent.assert_nothing_to(BOB.id)
    assert len(sent.to(CAROL.id)) == 1  # the fine itself
    assert (await team.ledgers.standing(carol, MONTH)).open_appeals == []


async def test_a_void_tells_the_agent_and_a_second_void_is_refused(team: Services) -> None:
    logged = await fine(team, when=at(10))
    bob = await team.person(BOB)
    assert logged.entry.id is not None
    await team.ledgers.void(bob, logged.entry.id, "wrong person", at=at(11))
    with pytest.raises(Refusal) as caught:
        await team.ledgers.void(bob, logged.entry.id, "again", at=at(11, 1))
    assert caught.value.key == "entry_void"
    sent = await team.deliver(at=at(11, 1))
    sent.assert_sent_once(CAROL.id, "was voided by Bob: wrong person. It no longer counts.")
    standing = await team.ledgers.standing(await team.person(CAROL), MONTH)
    assert (standing.score, standing.cash) == (80, Decimal("0.00"))
