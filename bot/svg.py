"""Charts for the Mini App as server-rendered SVG [issue 18]: pure functions from numbers
to SVG text, no library and nothing fetched at run time.

Every text in a chart (a KPI's name, a month, a label) is XML-escaped here; the colours
come from CSS classes of `webapp/static/app.css` (line, dot, band, bar, cell …), so a
chart follows Telegram's light or dark theme. Coordinates are rounded to a tenth of a
pixel; the numbers themselves are never rounded into the data (that is the JSON's job).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 24, 22
CELL, GAP, HEAD = 40, 4, 18  # the calendar's squares

Number = Decimal | int | float


def esc(text: object) -> str:
    """Text (or an attribute's value) safe inside SVG."""
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """A coordinate: a tenth of a pixel at most, no trailing zeros."""
    return f"{round(value, 1):g}"


def _svg(width: int, height: int, label: str, body: list[str], kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{kind}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-label="{esc(label)}">'
        f"<title>{esc(label)}</title>{''.join(body)}</svg>"
    )


def shown(value: Number, unit: str) -> str:
    """A value as a chart labels it: percents ×100 with %, seconds with s, yuan with ¥."""
    number = Decimal(value)
    if unit == "percent":
        return f"{(number * 100).normalize():f}%"
    text = f"{number.normalize():f}"
    return {"seconds": f"{text}s", "yuan": f"¥{text}", "hours": f"{text}h"}.get(unit, text)


@dataclass(frozen=True)
class Scale:
    """Values from `low` to `high` onto the plot's height (`top` to `bottom` pixels)."""

    low: float
    high: float
    top: float = TOP
    bottom: float = HEIGHT - BOTTOM

    @classmethod
    def over(cls, numbers: Sequence[Number]) -> Scale:
        """A scale over `numbers` with a tenth of their span free above and below."""
        values = [float(n) for n in numbers] or [0.0]
        low, high = min(values), max(values)
        if low == high:
            low, high = low - 1, high + 1
        pad = (high - low) / 10
        return cls(low - pad, high + pad)

    def y(self, value: Number) -> float:
        """The pixel row of `value`."""
        share = (float(value) - self.low) / (self.high - self.low)
        return self.bottom - share * (self.bottom - self.top)


def slot_x(index: int, count: int, left: float = LEFT, right: float = WIDTH - RIGHT) -> float:
    """The middle of the `index`-th of `count` equal slots across the plot."""
    return left + (right - left) * (index + 0.5) / count


Band = tuple[Number, int | str]  # a threshold and what reaching it is worth (points, a grade)


def _bands(
    bands: Sequence[Band], better: str, otherwise: int | str | None, scale: Scale
) -> list[str]:
    """The shaded band areas, best first, each with its points at the right."""
    cuts = [float(threshold) for threshold, _ in bands]
    points = [p for _, p in bands] + ([] if otherwise is None else [otherwise])
    edge = scale.high if better == "higher" else scale.low
    rest = scale.low if better == "higher" else scale.high
    limits = [edge, *cuts, rest][: len(points) + 1]
    out = []
    for index, worth in enumerate(points):
        first, second = sorted((limits[index], limits[index + 1]))
        first, second = max(first, scale.low), min(second, scale.high)
        if second <= first:
            continue
        top, bottom = scale.y(second), scale.y(first)
        out.append(
            f'<rect class="band b{index % 2}" x="{LEFT}" y="{_n(top)}"'
            f' width="{WIDTH - LEFT - RIGHT}" height="{_n(bottom - top)}">'
            f"<title>{esc(worth)}</title></rect>"
            f'<text class="points" x="{WIDTH - RIGHT + 4}" y="{_n((top + bottom) / 2 + 4)}">'
            f"{esc(worth)}</text>"
        )
    return out


def line_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    bands: Sequence[Band] = (),
    better: str = "higher",
    unit: str = "score",
    otherwise: int | str | None = None,
) -> str:
    """One value per label (None: no data, the line breaks) as a line over the shaded
    bands (`bands`: [threshold, points or grade] best first, `otherwise` below the last;
    `better`: "higher" or "lower"), the thresholds labelled on the left in `unit`, each
    band's worth on the right."""
    scale = Scale.over([v for v in values if v is not None] + [t for t, _ in bands])
    body = _bands(bands, better, otherwise, scale)
    bottom = HEIGHT - BOTTOM
    body.append(
        f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>'
    )
    for threshold, _ in bands:
        y = _n(scale.y(threshold) + 4)
        body.append(f'<text class="tick" x="{LEFT - 4}" y="{y}" text-anchor="end">')
        body.append(f"{esc(shown(threshold, unit))}</text>")
    count = max(1, len(labels))
    for index, label in enumerate(labels):
        x = _n(slot_x(index, count))
        body.append(f'<text class="label" x="{x}" y="{HEIGHT - 6}" text-anchor="middle">')
        body.append(f"{esc(label)}</text>")
    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        x, y = _n(slot_x(index, count)), _n(scale.y(value))
        runs[-1].append(f"{x},{y}")
        body.append(f'<circle class="dot" cx="{x}" cy="{y}" r="3">')
        body.append(f"<title>{esc(labels[index])}: {esc(shown(value, unit))}</title></circle>")
    body.extend(f'<polyline class="line" points="{" ".join(r)}"/>' for r in runs if len(r) > 1)
    return _svg(WIDTH, HEIGHT, title, body, "chart-line")


def bar_chart(title: str, labels: Sequence[str], counts: Sequence[int]) -> str:
    """A bar per label, its height its count (the tallest reaches the top), the count
    above it."""
    top, bottom = TOP, HEIGHT - BOTTOM
    most = max([*counts, 1])
    body = [f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>']
    width = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        x = slot_x(index, len(labels))
        height = (bottom - top) * count / most
        body.append(
            f'<rect class="bar" x="{_n(x - width * 0.35)}" y="{_n(bottom - height)}"'
            f' width="{_n(width * 0.7)}" height="{_n(height)}"><title>{esc(label)}: {count}'
            f"</title></rect>"
            f'<text class="count" x="{_n(x)}" y="{_n(bottom - height - 4)}" text-anchor="middle">'
            f"{count}</text>"
            f'<text class="label" x="{_n(x)}" y="{HEIGHT - 6}" text-anchor="middle">'
            f"{esc(label)}</text>"
        )
    return _svg(WIDTH, HEIGHT, title, body, "chart-bar")


def month_grid(
    title: str, days: Sequence[tuple[dt.date, str, str]], weekdays: Sequence[str]
) -> str:
    """A month as a calendar: 7 columns (Monday first, headed by `weekdays`), a row per
    week; each day (date, kind, what it means) a square of class `cell <kind>` with its
    number, the meaning as its tooltip."""
    if not days:
        return _svg(7 * CELL, HEAD, title, [], "chart-grid")
    offset = days[0][0].weekday()
    rows = (offset + len(days) + 6) // 7
    width, height = 7 * CELL, HEAD + rows * CELL
    body = [
        f'<text class="weekday" x="{_n(col * CELL + CELL / 2)}" y="12" text-anchor="middle">'
        f"{esc(name)}</text>"
        for col, name in enumerate(weekdays)
    ]
    for index, (day, kind, meaning) in enumerate(days):
        row, col = divmod(offset + index, 7)
        x, y = col * CELL + GAP / 2, HEAD + row * CELL + GAP / 2
        body.append(
            f'<g class="cell {esc(kind)}" data-day="{day.isoformat()}">'
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{CELL - GAP}" height="{CELL - GAP}" rx="6"/>'
            f'<text x="{_n(x + (CELL - GAP) / 2)}" y="{_n(y + (CELL - GAP) / 2 + 4)}"'
            f' text-anchor="middle">{day.day}</text>'
            f"<title>{day.isoformat()}: {esc(meaning)}</title></g>"
        )
    return _svg(width, height, title, body, "chart-grid")
