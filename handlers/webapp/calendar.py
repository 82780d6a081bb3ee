"""The Mini App's attendance calendar [issue 18]: an agent's month as a heatmap
(`/app/api/calendar?agent=&month=`; an agent their own, a supervisor anyone's): each day
worked on time, late or left early, absent, on leave, rest or a holiday, or still to
come — an SVG grid (`bot.svg.month_grid`), the legend's counts and the days as JSON."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiohttp import web

from bot import svg
from handlers.webapp.common import Access, Viewer, endpoint, month, number
from rules.dashboard import DAY_KINDS

WORDS = {
    "en": {
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "on_time": "on time",
        "late": "late",
        "early": "left early",
        "absent": "absent",
        "missed": "no clock-in",
        "leave": "on leave",
        "rest": "rest day",
        "holiday": "public holiday",
        "not_yet": "to come",
        "off_team": "not on the team",
        "title": "Attendance",
    },
    "zh": {
        "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
        "on_time": "准时",
        "late": "迟到",
        "early": "早退",
        "absent": "缺勤",
        "missed": "未打卡",
        "leave": "请假",
        "rest": "休息日",
        "holiday": "法定假日",
        "not_yet": "未到",
        "off_team": "不在团队",
        "title": "考勤",
    },
}


async def calendar(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """`GET /app/api/calendar?agent=&month=`: the agent's month, day by day."""
    person = await viewer.agent(number(request, "agent"))
    asked = month(request, viewer)
    days = await viewer.kit.insights.calendar(person, asked, viewer.today())
    words = WORDS.get(viewer.kit.policy.language, WORDS["en"])
    cells = [(d.day, d.kind, str(words[d.kind])) for d in days]
    title = f"{words['title']} {person.full_name} {asked}"
    counts = Counter(d.kind for d in days)
    return {
        "agent": {"id": person.id, "name": person.full_name},
        "month": asked,
        "days": [
            {
                "day": d.day,
                "kind": d.kind,
                "shift": d.shift,
                "late_minutes": d.late_minutes,
                "early": d.early,
            }
            for d in days
        ],
        "legend": [{"kind": k, "label": words[k], "count": counts.get(k, 0)} for k in DAY_KINDS],
        "svg": svg.month_grid(title, cells, list(words["weekdays"])),
    }


ROUTES = [web.get("/app/api/calendar", endpoint(Access.TEAM)(calendar))]
