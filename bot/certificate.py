"""The service star's certificate [002: 服务之星]: a PNG with the shop, the month and the name.

Both languages are on it, the team's first. No figures (no score, no pay): it is
meant to be shown. Chinese needs a CJK font: the first of `CJK_FONTS` found on the
system is used (Debian: `fonts-wqy-microhei` or `fonts-noto-cjk`, installed by the
Dockerfile and CI); without one, Pillow's built-in font draws what it can and a
warning is logged once.
"""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
WIDTH, HEIGHT = 1200, 850
PAPER, BORDER, GOLD, INK, SOFT = (
    (255, 252, 240),
    (176, 141, 60),
    (190, 140, 20),
    (40, 40, 40),
    (110, 110, 110),
)
NEUTRAL_SHOP = {"zh": "客服团队", "en": "Customer service team"}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.cache
def cjk_font_path() -> str | None:
    """The first CJK font found on the system; None (and a warning, once) if none."""
    for path in CJK_FONTS:
        if Path(path).is_file():
            return path
    log.warning("no CJK font found (%s): the certificate uses Pillow's font", ", ".join(CJK_FONTS))
    return None


def _font(size: int) -> Font:
    path = cjk_font_path()
    if path is not None:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _month(month: str, language: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月" if language == "zh" else month


def lines(
    shop: str, month: str, name: str, language: str
) -> list[tuple[str, int, tuple[int, int, int]]]:
    """What the certificate says, top to bottom: (text, size, colour); the team's
    language first, the other one smaller under it."""
    other = "en" if language == "zh" else "zh"
    title = {"zh": "服务之星", "en": "Service Star"}
    awarded = {
        "zh": f"{_month(month, 'zh')} 服务之星",
        "en": f"Service star of {month}",
    }
    given = {"zh": shop or NEUTRAL_SHOP["zh"], "en": shop or NEUTRAL_SHOP["en"]}
    return [
        (given[language], 34, SOFT),
        (title[language], 96, GOLD),
        (title[other], 40, GOLD),
        (name, 80, INK),
        (awarded[language], 38, INK),
        (awarded[other], 30, SOFT),
    ]


def certificate_png(shop: str, month: str, name: str, language: str) -> bytes:
    """The certificate as PNG bytes: a framed page, centred lines."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([24, 24, WIDTH - 25, HEIGHT - 25], outline=BORDER, width=8)
    draw.rectangle([44, 44, WIDTH - 45, HEIGHT - 45], outline=BORDER, width=2)
    y = 130
    for text, size, colour in lines(shop, month, name[:40], language):
        font = _font(size)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        draw.text(((WIDTH - (right - left)) / 2 - left, y - top), text, fill=colour, font=font)
        y += int(bottom - top) + 50
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
