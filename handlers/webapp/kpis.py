"""The Mini App's KPI pages [issue 18]: an agent's KPIs over the last six months against
their bands (`/app/api/kpis`; an agent their own, a supervisor anyone's), the team's
score distribution for a month (`/app/api/distribution`, supervisors) and the agents to
pick from (`/app/api/agents`, supervisors). Charts are SVG drawn here (`bot.svg`)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot import svg
from bot.services import Refusal
from bot.services.insights import KpiSeries, Trend
from handlers.webapp.common import Access, Viewer, endpoint, month, number, paged
from rules.dashboard import Bracket

MONTHS, MOST_MONTHS = 6, 12
ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
SCORE = {"en": "Month score", "zh": "月度得分"}
DISTRIBUTION = {"en": "Agents by score", "zh": "得分分布"}


def month_label(month_: str, language: str) -> str:
    """A month on a chart's axis: "Nov" or "11月"."""
    number_ = int(month_[5:7])
    return f"{number_}月" if language == "zh" else ABBR[number_ - 1]


def _kpi(line: KpiSeries, labels: list[str], language: str) -> dict[str, Any]:
    name = line.name.in_(language)
    values = [point.value for point in line.points]
    chart = svg.line_chart(
        name, labels, values, bands=line.bands, better=line.better, unit=line.unit
    )
    return {
        "measure": line.measure,
        "name": name,
        "unit": line.unit,
        "better": line.better,
        "weight": line.weight,
        "bands": [{"threshold": t, "points": p} for t, p in line.bands],
        "values": [{"month": p.month, "value": p.value, "points": p.points} for p in line.points],
        "svg": chart,
    }


def _scores(viewer: Viewer, trend: Trend, labels: list[str]) -> dict[str, Any]:
    policy, language = viewer.kit.policy, viewer.kit.policy.language
    scores = [card.score if card else None for card in trend.cards]
    chart = svg.line_chart(
        SCORE.get(language, SCORE["en"]),
        labels,
        scores,
        bands=policy.month.grades,
        otherwise=policy.month.grade_otherwise,
    )
    rows = [
        {"month": m, "score": c.score, "grade": c.grade, "locked": c.locked} if c else {"month": m}
        for m, c in zip(trend.months, trend.cards, strict=True)
    ]
    return {"items": rows, "svg": chart}


async def kpis(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """`GET /app/api/kpis?agent=&month=&months=6`: each KPI month by month up to `month`."""
    person = await viewer.agent(number(request, "agent"))
    count = number(request, "months") or MONTHS
    if not 1 <= count <= MOST_MONTHS:
        raise Refusal("web_bad_parameter", name="months")
    trend = await viewer.kit.insights.trend(person, month(request, viewer), count)
    language = viewer.kit.policy.language
    labels = [month_label(one, language) for one in trend.months]
    return {
        "agent": {"id": person.id, "name": person.full_name},
        "months": trend.months,
        "scores": _scores(viewer, trend, labels),
        "kpis": [_kpi(line, labels, language) for line in trend.kpis],
    }


def bracket_label(bracket: Bracket) -> str:
    """A bracket's scores: "<60", "60–80", "≥90"."""
    low, high = bracket.low, bracket.high
    if low is None:
        return f"<{high:f}" if high is not None else "—"
    return f"≥{low:f}" if high is None else f"{low:f}–{high:f}"


async def distribution(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """`GET /app/api/distribution?month=`: how many agents in each grade's bracket."""
    found = await viewer.kit.insights.distribution(month(request, viewer))
    labels = [f"{b.grade} {bracket_label(b)}" for b in found.brackets]
    title = DISTRIBUTION.get(viewer.kit.policy.language, DISTRIBUTION["en"])
    counts = [b.count for b in found.brackets]
    return {
        "month": found.month,
        "locked": found.locked,
        "agents": found.agents,
        "brackets": [
            {"grade": b.grade, "low": b.low, "high": b.high, "label": label, "count": b.count}
            for b, label in zip(found.brackets, labels, strict=True)
        ],
        "svg": svg.bar_chart(f"{title} {found.month}", labels, counts),
    }


async def agents(viewer: Viewer, request: web.Request) -> dict[str, Any]:
    """`GET /app/api/agents?page=`: the agents employed today, by name."""
    found = await viewer.kit.insights.agents(viewer.today())
    rows = [{"id": p.id, "name": p.full_name, "username": p.username} for p in found]
    return paged(request, rows, size=200)


ROUTES = [
    web.get("/app/api/kpis", endpoint(Access.TEAM)(kpis)),
    web.get("/app/api/distribution", endpoint(Access.SUPERVISOR)(distribution)),
    web.get("/app/api/agents", endpoint(Access.SUPERVISOR)(agents)),
]
