"""People use-cases on a real database: promotions, enrolment and shifts, and their
refusals, which change nothing."""

from __future__ import annotations

import pytest

from bot.services import Refusal
from bot.services.people import Target
from tests.support.harness import ALICE, BOB, CAROL, DAVE, MALLORY, TEAM_GROUP
from tests.support.services import Services, at, target


async def test_a_promoted_supervisor_is_one_of_the_bosses(office: Services) -> None:
    await office.meet(ALICE, BOB, at=at(9))
    alice = await office.person(ALICE)
    assert await office.people.bosses() == [ALICE.id]
    person, changed = await office.people.set_supervisor(alice, target(BOB), on=True, at=at(9))
    assert (person.id, person.is_supervisor, changed) == (BOB.id, True, True)
    _, again = await office.people.set_supervisor(alice, target(BOB), on=True, at=at(9, 1))
    assert again is False
    assert sorted(await office.people.bosses()) == [ALICE.id, BOB.id]
    assert office.people.is_supervisor(await office.person(BOB))


async def test_an_admin_cannot_be_demoted_and_a_demotion_sticks(office: Services) -> None:
    await office.meet(ALICE, BOB, at=at(9))
    alice = await office.person(ALICE)
    await office.people.set_supervisor(alice, target(BOB), on=True, at=at(9))
    with pytest.raises(Refusal) as caught:
        await office.people.set_supervisor(alice, target(ALICE), on=False, at=at(9, 1))
    assert caught.value.key == "demote_admin"
    _, changed = await office.people.set_supervisor(alice, target(BOB), on=False, at=at(9, 2))
    assert changed
    assert await office.people.bosses() == [ALICE.id]


async def test_enrolment_by_username_and_by_text_mention(team: Services) -> None:
    carol, dave = await team.person(CAROL), await team.person(DAVE)
    assert (carol.is_agent, carol.level, carol.track, carol.im_name, carol.shift) == (
        True,
        "junior",
        "presale",
        "carol旺旺",
        "day",
    )
    assert (dave.is_agent, dave.level, dave.track, dave.im_name, dave.shift) == (
        True,
        "mid",
        "aftersales",
        None,
        "evening",
    )
    assert carol.enrolled_at == at(8, 55) and carol.enrolled_by == BOB.id
    assert await team.people.group_chat() == TEAM_GROUP.id
    bob = await team.person(BOB)
    person, new = await team.people.enroll(
        bob, target(CAROL), level="mid", track="presale", im_name=None, at=at(12)
    )
    assert not new  # enrolled again: updated, not enrolled anew
    assert (person.level, person.im_name, person.enrolled_at) == ("mid", "carol旺旺", at(8, 55))


async def test_enrolment_refusals_change_nothing(team: Services) -> None:
    await team.meet(MALLORY, at=at(9))
    bob = await team.person(BOB)
    cases = [
        (target(MALLORY), "wizard", "presale", "unknown_level"),
        (target(MALLORY), "junior", "sorcery", "unknown_track"),
        (Target(username="ghost_user"), "junior", "presale", "unknown_person"),
    ]
    for who, level, track, key in cases:
        with pytest.raises(Refusal) as caught:
            await team.people.enroll(bob, who, level=level, track=track, im_name=None, at=at(9))
        assert caught.value.key == key
    for who, shift, key in (
        (target(CAROL), "night", "unknown_shift"),
        (target(MALLORY), "day", "not_an_agent"),
    ):
        with pytest.raises(Refusal) as caught:
            await team.people.set_shift(bob, who, shift, at=at(9))
        assert caught.value.key == key
    mallory, carol = await team.person(MALLORY), await team.person(CAROL)
    assert (mallory.is_agent, mallory.level, mallory.shift) == (False, None, None)
    assert carol.shift == "day"
    assert {p.id for p in await team.people.team()} == {BOB.id, CAROL.id, DAVE.id}  # roles
