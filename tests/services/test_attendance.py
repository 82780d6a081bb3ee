"""Attendance use-cases on a real database: what a clock-in stores, what a handover posts.

Lateness is a fact of the shift, stored with it (the reply saying so is the
handler's; the outbox tells nobody else); a second clock-in is refused and the
first stands; a handover is posted to the team group from the note's own
transaction; an empty one is refused and posts nothing.
"""

from __future__ import annotations

import pytest

from bot.services import Refusal
from tests.support.harness import CAROL, TEAM_GROUP
from tests.support.services import Services, at

GROUP = TEAM_GROUP.id


async def test_a_late_clock_in_is_stored_with_its_minutes(team: Services) -> None:
    carol = await team.person(CAROL)  # day shift, 09:00; 5 minutes' grace
    clocked = await team.attendance.clock_in(carol, at=at(9, 20), chat_id=GROUP)
    assert clocked.assessment.late and clocked.assessment.late_minutes == 20
    assert clocked.session.id is not None
    stored = await team.attendance.open_session_by_id(clocked.session.id)
    assert stored is not None
    work, person = stored
    assert person.id == CAROL.id
    assert (work.shift, work.shift_start, work.late_minutes, work.outside_shift) == (
        "day",
        at(9),
        20,
        False,
    )
    status = await team.attendance.team(at=at(9, 30))
    assert [(p.id, w.id) for p, w in status.working] == [(CAROL.id, clocked.session.id)]
    (await team.deliver(at=at(9, 30))).assert_nothing_sent()


async def test_a_second_clock_in_is_refused_and_the_first_stands(team: Services) -> None:
    carol = await team.person(CAROL)
    first = await team.attendance.clock_in(carol, at=at(8, 55), chat_id=CAROL.id)
    with pytest.raises(Refusal) as caught:
        await team.attendance.clock_in(carol, at=at(9, 30), chat_id=GROUP)
    assert caught.value.key == "already_clocked_in"
    assert caught.value.params["since"] == at(8, 55)
    status = await team.attendance.team(at=at(9, 30))
    ((person, work),) = status.working
    assert (person.id, work.id, work.started_at, work.late_minutes) == (
        CAROL.id,
        first.session.id,
        at(8, 55),
        0,
    )


async def test_clocking_out_ends_a_break_left_open(team: Services) -> None:
    carol = await team.person(CAROL)
    await team.attendance.clock_in(carol, at=at(8, 55), chat_id=CAROL.id)
    await team.attendance.start_break(carol, at=at(12))
    out = await team.attendance.clock_out(carol, at=at(12, 30))
    assert out.summary.break_count == 1 and out.summary.break_total.total_seconds() == 30 * 60
    with pytest.raises(Refusal) as caught:
        await team.attendance.end_break(carol, at=at(12, 31))
    assert caught.value.key == "no_break"
    status = await team.attendance.team(at=at(12, 31))
    assert (status.working, status.resting) == ([], [])


async def test_a_handover_is_posted_to_the_group_with_the_note(team: Services) -> None:
    carol = await team.person(CAROL)
    await team.attendance.clock_in(carol, at=at(8, 55), chat_id=CAROL.id)
    note = await team.attendance.hand_over(
        carol, "  Order 42 <b>waits</b> for a refund  ", at=at(17, 50), chat_id=GROUP
    )
    assert (note.text, note.from_shift, note.to_shift) == (
        "Order 42 <b>waits</b> for a refund",
        "day",
        "evening",
    )
    sent = await team.deliver(at=at(17, 50))
    assert sent.chats() == {GROUP}
    sent.assert_sent_once(
        GROUP, f'<b>Handover</b> #{note.id} from <a href="tg://user?id={CAROL.id}">Carol</a>'
    )
    sent.assert_sent(GROUP, "(day shift) for the evening shift:", "Order 42 &lt;b&gt;waits")


async def test_an_empty_handover_is_refused_and_posts_nothing(team: Services) -> None:
    carol = await team.person(CAROL)
    with pytest.raises(Refusal) as caught:
        await team.attendance.hand_over(carol, " \u200b\u2060 ", at=at(17, 50), chat_id=GROUP)
    assert caught.value.key == "handover_empty"
    (await team.deliver(at=at(17, 50))).assert_nothing_sent()
