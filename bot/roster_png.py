"""The month's roster as a picture: agents × days, each shift its colour [issue 16].

Names on the left, one column per day; the header marks public holidays and adjusted
working days (调休); rest, holiday off and approved leave have their own marks; a
legend at the bottom, "draft" in the title of a month not yet published. Names may be
Chinese: the CJK font `bot.certificate` finds is used. A long team is drawn in pages of
`ROWS` agents (`pages`).
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from bot.certificate import Font, cjk_font_path
from bot.services.rostering import Cell, MonthView

ROWS = 60  # agents per picture
NAME, CELL, ROW, TOP, BOTTOM, MARGIN = 170, 30, 26, 78, 60, 16
PALETTE = ((255, 214, 102), (111, 168, 220), (147, 196, 125), (194, 123, 160), (246, 178, 107))
REST, LEAVE, HOLIDAY, WORKDAY = (235, 235, 235), (244, 143, 143), (255, 205, 210), (200, 230, 201)
INK, SOFT, GRID = (30, 30, 30), (120, 120, 120), (210, 210, 210)
WORDS = {
    "zh": {
        "draft": "草稿",
        "rest": "休息",
        "leave": "请假",
        "holiday": "节假日",
        "workday": "调休上班",
    },
    "en": {
        "draft": "draft",
        "rest": "rest",
        "leave": "leave",
        "holiday": "holiday",
        "workday": "adjusted workday",
    },
}


@functools.cache
def _font(size: int) -> Font:
    path = cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def pages(view: MonthView) -> int:
    """How many pictures the month takes (at least one)."""
    return max(1, -(-len(view.rows) // ROWS))


def colours(view: MonthView) -> dict[str, tuple[int, int, int]]:
    """Each shift's colour, in the policy's order."""
    return {key: PALETTE[n % len(PALETTE)] for n, key in enumerate(view.shifts)}


def roster_png(view: MonthView, language: str, page: int = 0) -> bytes:
    """Page `page` (0-based) of the month's grid as PNG bytes."""
    rows = view.rows[page * ROWS : (page + 1) * ROWS]
    width = MARGIN * 2 + NAME + CELL * len(view.days)
    height = TOP + ROW * max(1, len(rows)) + BOTTOM
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    words = WORDS.get(language, WORDS["en"])
    title = view.month + (f"  ({words['draft']})" if view.draft else "")
    if pages(view) > 1:
        title += f"  {page + 1}/{pages(view)}"
    draw.text((MARGIN, 10), title, fill=INK, font=_font(22))
    small, tiny = _font(13), _font(10)
    palette = colours(view)
    for n, day in enumerate(view.days):
        x = MARGIN + NAME + n * CELL
        kind = view.kinds.get(day)
        if kind is not None:
            draw.rectangle(
                [x, 44, x + CELL - 1, TOP - 2], fill=HOLIDAY if kind == "holiday" else WORKDAY
            )
        draw.text((x + 6, 46), f"{day.day:>2}", fill=INK, font=small)
        draw.text((x + 9, 62), "MTWTFSS"[day.weekday()], fill=SOFT, font=tiny)
    for r, (person, cells) in enumerate(rows):
        y = TOP + r * ROW
        draw.text((MARGIN, y + 5), person.full_name[:14], fill=INK, font=small)
        for n, day in enumerate(view.days):
            x = MARGIN + NAME + n * CELL
            cell = cells.get(day, Cell(None))
            fill = _fill(view, cell, day, palette)
            draw.rectangle([x + 1, y + 1, x + CELL - 2, y + ROW - 2], fill=fill, outline=GRID)
            draw.text((x + 10, y + 6), view.letter(cell, day), fill=INK, font=small)
    _legend(draw, view, words, palette, height - BOTTOM + 16, language)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fill(
    view: MonthView, cell: Cell, day: object, palette: dict[str, tuple[int, int, int]]
) -> tuple[int, int, int]:
    if cell.leave:
        return LEAVE
    if cell.shift is not None:
        return palette.get(cell.shift, REST)
    return HOLIDAY if view.kinds.get(day) == "holiday" else REST  # type: ignore[call-overload]


def _legend(
    draw: ImageDraw.ImageDraw,
    view: MonthView,
    words: dict[str, str],
    palette: dict[str, tuple[int, int, int]],
    y: int,
    language: str,
) -> None:
    entries = [
        (palette[key], f"{view.letters[key]} {shift.name.in_(language)}")
        for key, shift in view.shifts.items()
    ]
    entries += [
        (REST, f"R {words['rest']}"),
        (LEAVE, f"L {words['leave']}"),
        (HOLIDAY, f"H {words['holiday']}"),
        (WORKDAY, words["workday"]),
    ]
    x = MARGIN
    font = _font(13)
    for fill, label in entries:
        draw.rectangle([x, y, x + 16, y + 16], fill=fill, outline=GRID)
        draw.text((x + 22, y), label, fill=INK, font=font)
        x += 34 + int(draw.textlength(label, font=font))
