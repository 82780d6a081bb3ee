"""The Mini App's pictures over HTTP [issue 18]: KPIs over six months (a locked October
from its snapshot, a live November), the team's distribution, the attendance calendar
and an agent's roster, with data built through the bot's commands on a moved clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from tests.conftest import SHANGHAI, START
from tests.support.harness import BOB, CAROL, DAVE, Harness
from tests.support.jobs import run_job
from tests.support.months import carol_sells, november
from tests.support.team import make_team
from tests.support.webapp import Web

Dash = tuple[Harness, Web]
DAVE_NAME = "Dave <b>&amp; Wu & Sons"  # as he typed it: text, never markup


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def kpi(data: dict[str, Any], measure: str) -> dict[str, Any]:
    return next(line for line in data["kpis"] if line["measure"] == measure)


async def test_kpis_over_six_months_read_a_locked_october_and_a_live_november(
    dash: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = dash
    await november(bot, clock, month=10)  # Carol's October: sales, two fines
    clock.move_to(at(11, 10))
    assert "2026-10" in await bot.reply(BOB, "/payroll 2026-10 send")  # locks October
    clock.move_to(START)
    await carol_sells(bot, 11)
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing")  # November only: -2
    data = await web.json("kpis", CAROL)
    assert data["agent"]["name"] == "Carol"
    assert data["months"] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    scores = data["scores"]["items"]
    assert [row["month"] for row in scores] == data["months"]
    assert scores[3] == {"month": "2026-09", "score": "80.00", "grade": "B", "locked": False}
    assert scores[4]["locked"] is True and scores[5]["locked"] is False
    reply = kpi(data, "reply_rate")
    assert reply["name"] == "IM reply rate" and reply["unit"] == "percent"
    assert [v["value"] for v in reply["values"]] == [None] * 4 + ["0.9900", "0.9900"]
    assert reply["bands"][0] == {"threshold": "0.98", "points": 100}
    assert "IM reply rate" in reply["svg"] and 'class="band' in reply["svg"]
    assert reply["svg"].count('class="dot"') == 2 and "<polyline" in reply["svg"]
    execution = kpi(data, "execution")  # the ledger's month score: 80 - 4, then 80 - 2
    assert [v["value"] for v in execution["values"]][4:] == ["76.0000", "78.0000"]
    # What the October payslip said is what the chart shows.
    assert (
        scores[4]["score"]
        == (await web.json("kpis", BOB, agent=CAROL.id))["scores"]["items"][4]["score"]
    )


async def test_a_supervisor_sees_the_distribution_and_picks_agents(
    dash: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = dash
    await november(bot, clock)
    data = await web.json("distribution", BOB, month="2026-11")
    assert data["agents"] == 2 and data["locked"] is False
    labels = [b["label"] for b in data["brackets"]]
    assert labels == ["D <60", "C 60–80", "B 80–90", "A ≥90"]
    assert sum(b["count"] for b in data["brackets"]) == 2
    assert "D &lt;60" in data["svg"] and data["svg"].count('class="bar"') == 4
    dave = (await web.json("kpis", BOB, agent=DAVE.id))["scores"]["items"][-1]
    grade = next(b for b in data["brackets"] if b["grade"] == dave["grade"])
    assert grade["count"] >= 1
    agents = await web.json("agents", BOB)
    assert [a["name"] for a in agents["items"]] == ["Carol", DAVE_NAME]
    assert agents["total"] == 2


async def test_the_calendar_shows_each_kind_of_day(
    dash: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(BOB, "/restday @carol_cs sunday")
    await bot.send(CAROL, "/clockin")  # Monday 23rd, 08:55: on time
    clock.move_to(at(11, 23, 18, 0))
    await bot.send(CAROL, "/clockout")
    clock.move_to(at(11, 24, 9, 30))  # late
    await bot.send(CAROL, "/clockin")
    await bot.send(CAROL, "/leave 2026-11-27 dentist")
    approve = next(b for b in bot.buttons(BOB.id) if b.endswith(":approved"))
    await bot.press(BOB, approve)
    clock.move_to(at(11, 24, 18, 0))
    await bot.send(CAROL, "/clockout")
    clock.move_to(at(11, 25, 8, 50))
    await bot.send(CAROL, "/clockin")
    clock.move_to(at(11, 25, 16, 0))  # two hours early
    await bot.send(CAROL, "/clockout")
    clock.move_to(at(11, 26, 12, 0))
    await bot.send(BOB, "/fine @carol_cs absent")
    clock.move_to(at(11, 28, 8, 0))
    data = await web.json("calendar", CAROL, month="2026-11")
    kinds = {day["day"][8:]: day["kind"] for day in data["days"]}
    assert len(kinds) == 30 and kinds["01"] == kinds["22"] == "off_team"
    assert [kinds[d] for d in ("23", "24", "25", "26", "27", "28", "29", "30")] == [
        "on_time", "late", "early", "absent", "leave", "not_yet", "rest", "not_yet",
    ]  # fmt: skip
    late = next(day for day in data["days"] if day["day"] == "2026-11-24")
    assert late["late_minutes"] == 30 and late["shift"] == "day"
    legend = {item["kind"]: item["count"] for item in data["legend"]}
    assert legend["on_time"] == legend["late"] == legend["absent"] == 1
    assert '<g class="cell late" data-day="2026-11-24">' in data["svg"]
    assert data["svg"].count("<g class=") == 30
    # The supervisor reads the same month; Dave's own calendar is his.
    assert (await web.json("calendar", BOB, agent=CAROL.id, month="2026-11"))["days"] == (
        data["days"]
    )
    dave = await web.json("calendar", DAVE)
    assert dave["agent"]["name"] == DAVE_NAME and dave["month"] == "2026-11"
    assert "Dave &lt;b&gt;&amp;amp; Wu &amp; Sons" in dave["svg"] and "<b>" not in dave["svg"]


async def test_the_roster_from_the_pattern_and_from_a_published_draft(
    dash: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = dash
    clock.move_to(at(9, 24))
    await make_team(bot)
    await bot.send(BOB, "/restday @carol_cs sunday")
    september = await web.json("roster", CAROL)
    days = {day["day"]: day for day in september["days"]}
    assert september["month"] == "2026-09" and september["draft"] is False
    assert days["2026-09-20"]["kind"] == "rest"  # a Sunday
    assert days["2026-09-25"]["kind"] == "holiday"  # the Mid-Autumn Festival
    monday = days["2026-09-21"]
    assert (monday["kind"], monday["shift_name"], monday["start"], monday["end"]) == (
        "shift", "day shift", "09:00", "18:00",
    )  # fmt: skip
    clock.move_to(at(9, 25))
    await run_job(bot, "roster-draft")
    hidden = await web.json("roster", CAROL, month="2026-10")
    assert hidden["published"] is False and hidden["days"] == []
    draft = await web.json("roster", BOB, agent=CAROL.id, month="2026-10")
    assert draft["draft"] is True and len(draft["days"]) == 31
    publish = [b for b in bot.buttons(BOB.id) if b.endswith(":publish")][-1]
    assert "Published" in await bot.press(BOB, publish)
    october = await web.json("roster", CAROL, month="2026-10")
    assert october["published"] is True and october["draft"] is False
    letters = "".join(
        day["shift"][0].upper() if day["kind"] == "shift" else day["kind"][0].upper()
        for day in october["days"]
    )
    assert f"{letters} Carol" in await bot.reply(BOB, "/roster 2026-10")  # as /roster reads it
    assert letters.count("R") == 4 and letters[:7] == "DDDDDDD"  # worked through the holidays
    too_far = await web.get("roster", CAROL, month="2026-12")
    assert too_far.status_code == 400


async def test_an_agent_never_reads_another_agents_pictures(
    dash: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = dash
    await make_team(bot)
    for path in ("kpis", "calendar", "roster"):
        response = await web.get(path, CAROL, agent=DAVE.id)
        assert response.status_code == 403, path
        assert response.json()["error"] == "not_yours"
        assert (await web.get(path, CAROL, agent=CAROL.id)).status_code == 200
        assert (await web.get(path, BOB, agent=DAVE.id)).status_code == 200
        assert (await web.get(path, BOB, agent=999)).status_code == 404
        assert (await web.get(path)).status_code == 401
    for path in ("distribution", "agents"):
        response = await web.get(path, CAROL)
        assert response.status_code == 403 and response.json()["error"] == "supervisors_only"
    assert (await web.get("kpis", CAROL, months="40")).status_code == 400
    assert (await web.get("calendar", CAROL, month="2027-01")).status_code == 400
