"""The Mini App's board, ledger and "my month" over HTTP [issue 18].

The team's day is made through the bot's commands at the controlled clock; the pages'
JSON is read through the bot's own web server with initData signed as Telegram signs it.
"""

from __future__ import annotations

from typing import Any

from tests.support.harness import ALICE, BOB, CAROL, DAVE, EVE, Harness
from tests.support.morning import FRANK, GINA, a_morning, at, enrol
from tests.support.team import make_team
from tests.support.webapp import Web

Dash = tuple[Harness, Web]


def sections(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {section["key"]: section for section in data["sections"]}


def names(section: dict[str, Any]) -> list[str]:
    return [item["name"] for item in section["items"]]


async def test_the_board_shows_each_part_of_the_morning(dash: Dash, clock: Any) -> None:
    bot, web = dash
    await a_morning(bot, clock)
    board = sections(await web.json("board", BOB))
    assert list(board) == ["working", "resting", "late", "absent", "leave", "waiting"]
    assert names(board["working"]) == ["Carol"] and board["working"]["total"] == 1
    (resting,) = board["resting"]["items"]
    assert (resting["name"], resting["minutes"], resting["over"]) == ("Gina <i>", 10, False)
    (late,) = board["late"]["items"]
    assert (late["name"], late["minutes"]) == ("Gina <i>", 20)
    (absent,) = board["absent"]["items"]
    assert absent["id"] == DAVE.id and absent["shift"] == "day" and absent["minutes"] == 150
    assert names(board["leave"]) == ["Frank"]
    (waiting,) = board["waiting"]["items"]
    assert waiting["name"] == "Eve 😀" and waiting["shift_name"] == "evening shift"
    assert waiting["start"] == "2026-11-23T14:30:00+08:00" and waiting["minutes"] == 0
    # /team says the same of the same morning
    team = await bot.reply(BOB, "/team")
    assert "On shift (1)" in team and "Carol" in team and "Gina" in team


async def test_before_the_absence_check_a_missing_agent_is_expected(dash: Dash, clock: Any) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(BOB, f"/shift {DAVE.first_name} day", mentions=[DAVE])
    clock.move_to(at(10, 59))
    board = sections(await web.json("board", ALICE))
    assert board["absent"]["total"] == 0
    assert {item["id"]: item["minutes"] for item in board["waiting"]["items"]} == {
        CAROL.id: 119,
        DAVE.id: 119,
    }
    clock.move_to(at(11, 0))
    board = sections(await web.json("board", ALICE))
    assert sorted(names(board["absent"])) == ["Carol", "Dave <b>&amp; Wu & Sons"]
    assert board["waiting"]["total"] == 0


async def test_one_part_of_the_board_pages(dash: Dash, clock: Any) -> None:
    bot, web = dash
    await make_team(bot)
    for person in (EVE, FRANK, GINA):
        await enrol(bot, person, "day")
    clock.move_to(at(11, 0))
    first = await web.json("board", BOB, section="absent", size=2)
    (only,) = first["sections"]
    assert (only["key"], only["total"], only["pages"], len(only["items"])) == ("absent", 4, 2, 2)
    second = (await web.json("board", BOB, section="absent", size=2, page=2))["sections"][0]
    assert {*names(only), *names(second)} == {"Carol", "Eve 😀", "Frank", "Gina <i>"}
    bad = await web.get("board", BOB, section="payroll")
    assert bad.status_code == 400 and bad.json()["message"] == (
        "The value of section is not one this page can read."
    )


async def test_agents_may_not_see_the_board_or_the_ledger(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    for path in ("board", "ledger"):
        response = await web.get(path, CAROL)
        assert response.status_code == 403 and response.json()["error"] == "supervisors_only"


# --- the ledger


async def test_the_ledger_pages_newest_first_and_filters(dash: Dash, clock: Any) -> None:
    bot, web = dash
    await make_team(bot)
    for n in range(55):
        await bot.send(BOB, f"/fine @carol_cs late day-{n}")
    for _ in range(5):
        await bot.send(BOB, f"/bonus {DAVE.first_name} extra-work", mentions=[DAVE])
    first = await web.json("ledger", BOB)
    assert (first["month"], first["total"], first["pages"], len(first["items"])) == (
        "2026-11",
        60,
        2,
        50,
    )
    newest = first["items"][0]
    assert newest["agent"]["name"] == "Dave <b>&amp; Wu & Sons" and newest["code"] == "extra-work"
    assert newest["by"] == "Bob" and newest["points"] > 0
    second = await web.json("ledger", BOB, page=2)
    assert [item["id"] for item in second["items"]] == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert second["items"][-1]["note"] == "day-0"
    assert {a["name"] for a in first["agents"]} == {"Carol", "Dave <b>&amp; Wu & Sons"}
    assert [c["code"] for c in first["codes"]] == ["extra-work", "late"]
    carol = await web.json("ledger", BOB, agent=CAROL.id)
    assert carol["total"] == 55 and {i["agent"]["id"] for i in carol["items"]} == {CAROL.id}
    extra = await web.json("ledger", BOB, code="extra-work")
    assert extra["total"] == 5 and extra["pages"] == 1
    assert (await web.json("ledger", BOB, agent=CAROL.id, code="extra-work"))["items"] == []


async def test_the_ledger_shows_cash_voids_and_appeals(dash: Dash, clock: Any) -> None:
    bot, web = dash
    await make_team(bot)
    for _ in range(3):
        await bot.send(BOB, "/fine @carol_cs late")
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing")
    await bot.send(BOB, "/void #1 logged twice")
    await bot.send(CAROL, "/appeal #2 the tram stopped")
    await bot.send(CAROL, "/appeal #3 the tram again")
    uphold = next(b for b in bot.buttons(ALICE.id) if b.endswith(":upheld"))
    await bot.press(ALICE, uphold)
    items = {item["id"]: item for item in (await web.json("ledger", ALICE))["items"]}
    assert items[1]["void"]["reason"] == "logged twice" and items[1]["void"]["by"] == "Bob"
    assert items[2]["appeal"]["state"] == "upheld" and items[3]["appeal"]["state"] == "open"
    assert items[2]["appeal"]["reason"] == "the tram stopped"
    assert items[4]["appeal"] is None and items[4]["void"] is None
    assert [items[n]["cash"] for n in (1, 4)] == ["0.00", "10.00"]  # exact, as strings
    assert items[4]["name"] == "Unrelated web browsing at work"


async def test_a_ledger_month_in_the_future_is_refused(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    response = await web.get("ledger", BOB, month="2027-01")
    assert response.status_code == 400 and response.json()["error"] == "month_future"


# --- my month and appeals


async def test_my_month_has_the_score_entries_and_what_can_be_appealed(
    dash: Dash, clock: Any
) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs late")
    await bot.send(BOB, "/fine @carol_cs late")
    await bot.send(BOB, "/void #2 not her")
    clock.move_to(at(10, 0, day=25))  # #1 is two days old: past its window
    await bot.send(BOB, "/fine @carol_cs late <b>again</b>")
    month = await web.json("month", CAROL)
    assert month["agent"]["id"] == CAROL.id and month["month"] == "2026-11"
    myscore = await bot.reply(CAROL, "/myscore")
    assert f"Score: {month['score']}" in myscore
    entries = {entry["id"]: entry for entry in month["entries"]}
    assert list(entries) == [3, 2, 1]
    assert [entries[n]["appealable"] for n in (3, 2, 1)] == [True, False, False]
    assert entries[3]["note"] == "<b>again</b>"
    assert isinstance(month["cash"], str) and month["open_appeals"] == []
    # a supervisor may look, but the appeal is the agent's to make
    seen = await web.json("month", BOB, agent=CAROL.id)
    assert seen["score"] == month["score"]
    assert not any(entry["appealable"] for entry in seen["entries"])


async def test_an_agent_may_not_read_another_agents_month(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    response = await web.get("month", CAROL, agent=DAVE.id)
    assert response.status_code == 403 and response.json()["error"] == "not_yours"
    assert (await web.get("month", CAROL, agent=CAROL.id)).status_code == 200
    assert (await web.get("month", BOB, agent=9999)).status_code == 404


async def test_an_appeal_from_the_page_is_the_commands_appeal(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs late")
    response = await web.post("appeal", CAROL, {"entry": 1, "reason": "the <b>tram</b>"})
    assert response.status_code == 200 and response.json()["state"] == "open"
    await bot.settle()
    card = bot.fake.texts(ALICE.id)[-1]
    assert "Appeal" in card and "the <b>tram</b>" in card  # shown as text, not markup
    assert any(b.endswith(":upheld") for b in bot.buttons(ALICE.id))
    month = await web.json("month", CAROL)
    assert month["open_appeals"] == [1] and month["entries"][0]["appeal"]["state"] == "open"
    again = await web.post("appeal", CAROL, {"entry": 1, "reason": "once more"})
    assert again.status_code == 400 and again.json() == {
        "error": "appeal_twice",
        "message": "#1 has been appealed already.",
    }


async def test_appealing_someone_elses_entry_is_403(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs late")
    response = await web.post("appeal", DAVE, {"entry": 1, "reason": "not mine"})
    assert response.status_code == 403
    assert (await web.json("month", CAROL))["open_appeals"] == []


async def test_an_appeal_outside_its_window_or_malformed_is_400(dash: Dash, clock: Any) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs late")
    clock.move_to(at(9, 0, day=24))
    late = await web.post("appeal", CAROL, {"entry": 1, "reason": "too late"})
    assert late.status_code == 400 and late.json()["error"] == "appeal_late"
    assert late.json()["message"].startswith("The time to appeal #1 ended at")
    for body in ({"entry": "1", "reason": "x"}, {"entry": 1}, {"reason": "x"}):
        assert (await web.post("appeal", CAROL, body)).status_code == 400
    blank = await web.post("appeal", CAROL, {"entry": 1, "reason": "   "})
    assert blank.status_code == 400 and blank.json()["error"] == "appeal_usage"
