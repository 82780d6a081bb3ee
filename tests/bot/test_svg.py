"""The Mini App's SVG charts (bot.svg): points where the numbers put them, bands shaded
between their thresholds, every text escaped, and well-formed XML."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from bot import svg

NS = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # fails on markup that is not well-formed


def test_the_line_goes_through_each_value_in_its_months_slot() -> None:
    # Values 0..100 with no bands: the scale runs from -10 to 110 (a tenth free each side).
    markup = svg.line_chart("Score", ["Jan", "Feb", "Mar"], [Decimal(0), Decimal(50), 100])
    (line,) = parsed(markup).iter(f"{NS}polyline")
    plot = svg.HEIGHT - svg.BOTTOM - svg.TOP
    width = svg.WIDTH - svg.LEFT - svg.RIGHT
    expected = [
        (svg.LEFT + width * (i + 0.5) / 3, svg.HEIGHT - svg.BOTTOM - plot * (v + 10) / 120)
        for i, v in enumerate((0, 50, 100))
    ]
    found = [tuple(map(float, pair.split(","))) for pair in line.get("points", "").split()]
    assert found == [(round(x, 1), round(y, 1)) for x, y in expected]
    assert found[0][1] > found[1][1] > found[2][1]  # higher values are higher up


def test_a_month_without_data_breaks_the_line() -> None:
    markup = svg.line_chart("x", list("abcd"), [1, None, 2, 3])
    root = parsed(markup)
    assert len(list(root.iter(f"{NS}circle"))) == 3
    (line,) = root.iter(f"{NS}polyline")  # one dot alone draws no line
    assert len(line.get("points", "").split()) == 2


def test_bands_are_shaded_between_their_thresholds() -> None:
    bands = [(Decimal("0.98"), 100), (Decimal("0.95"), 80), (Decimal("0.92"), 60)]
    markup = svg.line_chart(
        "IM reply rate", ["Oct", "Nov"], [Decimal("0.99"), None], bands=bands, unit="percent"
    )
    scale = svg.Scale.over([Decimal("0.99"), Decimal("0.98"), Decimal("0.95"), Decimal("0.92")])
    rects = [r for r in parsed(markup).iter(f"{NS}rect") if "band" in r.get("class", "")]
    tops = [float(r.get("y", "")) for r in rects]
    heights = [float(r.get("height", "")) for r in rects]
    # The best band from the top of the plot down to 0.98, then 0.98-0.95, then 0.95-0.92.
    assert tops == [round(scale.y(scale.high), 1), round(scale.y(0.98), 1), round(scale.y(0.95), 1)]
    assert heights[1] == round(scale.y(0.95) - scale.y(0.98), 1)
    assert [r.findtext(f"{NS}title") for r in rects] == ["100", "80", "60"]
    assert ">98%<" in markup and ">95%<" in markup  # percent thresholds, labelled as such


def test_lower_is_better_puts_the_best_band_at_the_bottom() -> None:
    bands = [(Decimal(25), 100), (Decimal(30), 80)]
    markup = svg.line_chart(
        "IM response time", ["a"], [Decimal(20)], bands=bands, better="lower", unit="seconds"
    )
    rects = [r for r in parsed(markup).iter(f"{NS}rect") if "band" in r.get("class", "")]
    best, second = (float(r.get("y", "")) for r in rects)
    assert best > second  # the ≤25 s band lies below the 25-30 s one
    assert ">25s<" in markup


def test_every_text_is_escaped() -> None:
    name = "<b>&amp; Wu & Sons</b>"
    markups = [
        svg.line_chart(name, [name], [1], bands=[(Decimal(1), name)]),  # type: ignore[list-item]
        svg.bar_chart(name, [name], [3]),
        svg.month_grid(name, [(dt.date(2026, 11, 1), "late", name)], [name] * 7),
    ]
    for markup in markups:
        root = parsed(markup)
        assert root.findtext(f"{NS}title") == name  # the text, exactly as typed
        assert "<b>" not in markup and "&amp;amp;" in markup
        assert not any(e.tag == "b" or e.tag == f"{NS}b" for e in root.iter())


def test_bars_are_as_tall_as_their_counts() -> None:
    markup = svg.bar_chart("Agents by score", ["D", "C", "B", "A"], [0, 2, 4, 1])
    bars = [r for r in parsed(markup).iter(f"{NS}rect") if r.get("class") == "bar"]
    heights = [float(r.get("height", "")) for r in bars]
    full = svg.HEIGHT - svg.BOTTOM - svg.TOP
    assert heights == [0, full / 2, full, full / 4]
    assert re.findall(r'class="count"[^>]*>(\d+)<', markup) == ["0", "2", "4", "1"]


def test_the_month_grid_starts_on_the_right_weekday() -> None:
    days = [
        (dt.date(2026, 11, 1) + dt.timedelta(days=n), "rest", "rest") for n in range(30)
    ]  # 1 November 2026 is a Sunday: the last column of the first row
    root = parsed(svg.month_grid("November", days, list("MTWTFSS")))
    cells = [g for g in root.iter(f"{NS}g")]
    first = cells[0].find(f"{NS}rect")
    assert first is not None
    assert float(first.get("x", "")) == 6 * svg.CELL + svg.GAP / 2
    assert float(first.get("y", "")) == svg.HEAD + svg.GAP / 2
    last = cells[-1].find(f"{NS}rect")  # Monday 30th: the first column of the sixth row
    assert last is not None
    assert float(last.get("x", "")) == svg.GAP / 2
    assert float(last.get("y", "")) == svg.HEAD + 5 * svg.CELL + svg.GAP / 2
    assert (
        len(cells) == 30 and root.get("viewBox") == f"0 0 {7 * svg.CELL} {svg.HEAD + 6 * svg.CELL}"
    )
