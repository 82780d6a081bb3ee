"""Leave on a real database: a request reaches every supervisor and admin as a card with
buttons, the first decision wins and the agent is told once, refusals send nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services import Refusal
from bot.services.rhythm import APPROVED, DENIED
from tests.support.harness import ALICE, BOB, CAROL, DAVE, MALLORY
from tests.support.services import Services, at

WEDNESDAY = dt.date(2026, 11, 25)


async def test_a_leave_request_reaches_every_supervisor_with_buttons(team: Services) -> None:
    carol = await team.person(CAROL)
    leave = await team.rhythm.request_leave(carol, "2026-11-25", "family <visit>", at=at(10))
    assert (leave.day, leave.status, leave.timing) == (WEDNESDAY, "pending", "ordinary")
    sent = await team.deliver(at=at(10))
    assert sent.chats() == {ALICE.id, BOB.id}  # not Carol, not the group
    for boss in (ALICE.id, BOB.id):
        sent.assert_sent_once(boss, "<b>Leave request</b> from")
        sent.assert_sent(boss, "for <b>2026-11-25</b>", "family &lt;visit&gt;")
        assert sent.buttons(boss) == ["Approve", "Deny"]


async def test_the_first_decision_wins_and_the_agent_is_told_once(team: Services) -> None:
    carol, alice, bob = [await team.person(p) for p in (CAROL, ALICE, BOB)]
    leave = await team.rhythm.request_leave(carol, "2026-11-25", "family", at=at(10))
    assert leave.id is not None
    first = await team.rhythm.decide_leave(bob, leave.id, APPROVED, at=at(10, 5))
    later = await team.rhythm.decide_leave(alice, leave.id, DENIED, at=at(10, 6))
    assert (first.new, later.new) == (True, False)
    assert later.leave.status == APPROVED
    assert later.decided_by is not None and later.decided_by.id == BOB.id
    sent = await team.deliver(at=at(10, 6))
    sent.assert_sent_once(CAROL.id, "Your leave on 2026-11-25 was approved by Bob.")
    sent.assert_not_sent(CAROL.id, "denied")
    assert [p.id for p in await team.rhythm.roster(WEDNESDAY)] == [DAVE.id]


async def test_leave_refusals_record_and_send_nothing(team: Services) -> None:
    await team.meet(MALLORY, at=at(9))
    carol, mallory = await team.person(CAROL), await team.person(MALLORY)
    await team.rhythm.request_leave(carol, "2026-11-25", "family", at=at(10))
    cases = [
        (carol, "2026-11-25", "again", "leave_twice"),
        (carol, "2026-11-22", "yesterday", "leave_past"),
        (carol, "2026-11-26", "\u200b", "leave_usage"),
        (mallory, "2026-11-26", "not on the team", "agents_only"),
    ]
    for who, day, reason, key in cases:
        with pytest.raises(Refusal) as caught:
            await team.rhythm.request_leave(who, day, reason, at=at(10, 1))
        assert caught.value.key == key
    with pytest.raises(Refusal) as caught:  # only supervisors decide
        await team.rhythm.decide_leave(carol, 1, APPROVED, at=at(10, 2))
    assert caught.value.key == "decide_not_allowed"
    sent = await team.deliver(at=at(10, 2))
    assert len(sent.to(ALICE.id)) == len(sent.to(BOB.id)) == 1  # the first request only
    sent.assert_nothing_to(CAROL.id)
    assert {p.id for p in await team.rhythm.roster(dt.date(2026, 11, 26))} == {CAROL.id, DAVE.id}
