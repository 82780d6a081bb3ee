"""Splitting long HTML messages so Telegram never refuses them."""

from __future__ import annotations

import pytest

from bot.texts import split_html
from tests.support.fakebot import parse_html, utf16_len


@pytest.mark.parametrize(
    "text",
    [
        "short",
        "x" * 5000,
        "😀" * 3000,  # two UTF-16 units each
        "<b>" + "&lt;tag&gt; & more " * 400 + "</b>",
        "\n".join(f'<a href="tg://user?id={i}">agent {i}</a> on shift' for i in range(400)),
        "<b>title</b>\n" + "<i>" + "line\n" * 2000 + "</i>",
    ],
)
def test_every_part_parses_and_fits(text: str) -> None:
    text = text.replace(" & ", " &amp; ")
    parts = split_html(text)
    visible = [parse_html(part) for part in parts]  # each part parses on its own
    assert all(0 < utf16_len(v) <= 4096 for v in visible)
    assert "".join(visible).replace("\n", "") == parse_html(text).replace("\n", "")


def test_lines_are_not_cut_in_the_middle() -> None:
    text = "\n".join(f"agent number {i:04d}" for i in range(600))
    parts = split_html(text)
    assert len(parts) > 1
    for part in parts:
        assert all(line.startswith("agent number ") for line in part.strip("\n").split("\n"))
