"""The scorecard as a picture: each KPI's points against its bands, as a PNG bar chart.

Drawn with Pillow and its built-in font, so it needs no system fonts; labels are
the KPIs' English names (the text message beside it carries the team's language).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from rules.close import Card

WIDTH, ROW, TOP, LEFT, RIGHT = 720, 44, 64, 250, 40
GRID, BAR, BAND, EMPTY = (225, 228, 232), (46, 125, 200), (120, 120, 120), (190, 190, 190)


def scorecard_png(card: Card) -> bytes:
    """A bar per KPI (0–100 points), the band thresholds' points as ticks, the score on top."""
    height = TOP + ROW * max(1, len(card.kpis)) + 30
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    title = ImageFont.load_default(size=20)
    font = ImageFont.load_default(size=14)
    small = ImageFont.load_default(size=11)
    draw.text(
        (16, 16),
        f"{card.month}  KPI score {card.score}  grade {card.grade}",
        fill="black",
        font=title,
    )
    span = WIDTH - LEFT - RIGHT
    for points in range(0, 101, 20):
        x = LEFT + span * points // 100
        draw.line([(x, TOP - 6), (x, height - 24)], fill=GRID)
        draw.text((x - 8, height - 20), str(points), fill="gray", font=small)
    for index, kpi in enumerate(card.kpis):
        y = TOP + index * ROW
        draw.text((16, y + 8), kpi.name.en[:30], fill="black", font=font)
        draw.text((16, y + 25), f"weight {float(kpi.weight) * 100:g}%", fill="gray", font=small)
        if kpi.points is None:
            draw.rectangle([LEFT, y + 10, LEFT + span, y + 30], outline=EMPTY)
            draw.text((LEFT + 8, y + 13), "no data", fill="gray", font=font)
            continue
        draw.rectangle([LEFT, y + 10, LEFT + span * kpi.points // 100, y + 30], fill=BAR)
        for _, band_points in kpi.bands:
            x = LEFT + span * int(band_points) // 100
            draw.line([(x, y + 6), (x, y + 34)], fill=BAND, width=1)
        draw.text((LEFT + span + 6, y + 13), str(kpi.points), fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
