"""Every template, in both languages, read as a person reads it.

Each template is rendered through the bot's own `Texts` with the representative
data of `tests/support/samples.py` (every branch, lists of 0, 1 and many, counts of
1 and several), its HTML parsed as Telegram parses it, and the visible text checked
for what no message may show: a snake_case word or a raw policy key, leftover
template syntax, a word said twice ("Late late"), runs of empty lines, and an
English count whose noun disagrees with it ("1 days", "+1 points").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.texts import Texts
from tests.support.fakebot import parse_html
from tests.support.samples import POLICY, POSTS, SAMPLES, TYPED, TZ, context_for

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LANGUAGES = ("en", "zh")
TEXTS = {language: Texts(language, TZ) for language in LANGUAGES}


def names(language: str) -> set[str]:
    """The templates of a language that are messages (a leading `_` marks a macro file)."""
    return {
        path.stem for path in (TEMPLATES / language).glob("*.html") if not path.stem.startswith("_")
    }


# --- what is looked for -------------------------------------------------------------------
_CODE = re.compile(r"<code>.*?</code>", re.DOTALL)
_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_SNAKE = re.compile(r"(?<![\w@/.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_DOUBLED = re.compile(r"(?<!\w)([^\W\d_]+)\s+\1(?!\w)", re.IGNORECASE)
_DOUBLED_CJK = re.compile(r"([\u4e00-\u9fff]{2,})\1")
_EMPTY_LINES = re.compile(r"\n[ \t]*\n[ \t]*\n")
_COUNT = re.compile(r"(?<![\w.,:/#-])([+\-−]?\d+)\s+([a-z]+)\b")
_ASCII_WORD = re.compile(r"(?<![\w@/.#-])[a-z]+(?:[-_][a-z0-9]+)*(?![\w-])")

# English nouns that follow a count: singular → plural.
NOUNS = {
    "agent": "agents",
    "appeal": "appeals",
    "break": "breaks",
    "check": "checks",
    "day": "days",
    "demerit": "demerits",
    "entry": "entries",
    "figure": "figures",
    "hour": "hours",
    "line": "lines",
    "message": "messages",
    "minute": "minutes",
    "month": "months",
    "offence": "offences",
    "payslip": "payslips",
    "person": "people",
    "point": "points",
    "report": "reports",
    "request": "requests",
    "row": "rows",
    "shift": "shifts",
    "time": "times",
    "try": "tries",
    "value": "values",
    "week": "weeks",
    "year": "years",
}
PLURALS = {plural: singular for singular, plural in NOUNS.items()}

# A policy key or a job name shown as it is written in the policy, not as its name: any
# such key with a hyphen reads as code in English; in Chinese every one of them does.
JOBS = {name.split(":")[0] for name in POSTS}
KEYS = {*POLICY.catalogue, *POLICY.shifts, *POLICY.levels, *POLICY.tracks, *JOBS}
# Latin words a Chinese text may show outside <code>: file kinds, the weekday spelling,
# and the words typed after a command in the /help lines (`/payslip [YYYY-MM] [detail]`).
ZH_LATIN = {"id", "csv", "xlsx", "mon", "sun", "detail", "send", "cancel"}


_TYPED = re.compile(
    "|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in sorted(TYPED, key=len, reverse=True))
)


def _bot_words(text: str) -> str:
    """The text without what people typed (their names, notes, files)."""
    return _TYPED.sub("⟨…⟩", text)


def problems(html: str, language: str) -> list[str]:
    """What is wrong with one rendered message, each said in a few words."""
    shown = _bot_words(parse_html(html))  # parse_html raises as Telegram would on bad HTML
    prose = _bot_words(parse_html(_CODE.sub(" ", html)))  # not what is shown to be typed
    found = [f"template syntax {m!r}" for m in _SYNTAX.findall(shown)]
    found += [f"snake_case {m!r}" for m in _SNAKE.findall(shown)]
    found += [f"doubled word {m!r}" for m in _DOUBLED.findall(shown)]
    found += [f"doubled term {m!r}" for m in _DOUBLED_CJK.findall(shown)]
    if _EMPTY_LINES.search(shown):
        found.append("two or more empty lines in a row")
    words = _ASCII_WORD.findall(prose)
    if language == "zh":
        found += [f"Latin word {w!r}" for w in words if w not in ZH_LATIN]
    else:
        found += [f"raw key {w!r}" for w in words if w in KEYS and "-" in w]
        for number, noun in _COUNT.findall(shown):
            wrong = PLURALS if abs(int(number.replace("−", "-"))) == 1 else NOUNS
            if noun in wrong:
                found.append(f"{number} {noun}")
    return found


# --- the tests ----------------------------------------------------------------------------


def test_both_languages_have_the_same_templates() -> None:
    assert names("en") == names("zh")


def test_every_template_has_a_sample() -> None:
    missing = sorted(names("en") - set(SAMPLES))
    assert not missing, f"add these to tests/support/samples.py: {missing}"
    assert not set(SAMPLES) - names("en"), "samples of templates that no longer exist"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_template_reads_well(name: str, language: str) -> None:
    found: list[str] = []
    for number, sample in enumerate(SAMPLES[name], start=1):
        html = TEXTS[language].render(name, **context_for(sample, language))
        found += [f"sample {number}: {p}\n    {html!r}" for p in problems(html, language)]
    assert not found, f"{language}/{name}.html:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Late late, 2 points", "en", ["doubled word 'Late'"]),
        (
            "1 days, 2 entry, +1 points, −1 point, 0 points, 3 days",
            "en",
            ["1 days", "2 entry", "+1 points"],
        ),
        ("a\n\n\nb", "en", ["two or more empty lines in a row"]),
        ("{{ x }} left", "en", ["template syntax '{{'", "template syntax '}}'"]),
        ("shift absence_check, @carol_cs, /clock_in", "en", ["snake_case 'absence_check'"]),
        (
            "Log away-from-post, <code>late-report</code>, one-off",
            "en",
            ["raw key 'away-from-post'"],
        ),
        ("缺勤检查(day 班次),<code>/fine @客服 late</code>,id:1", "zh", ["Latin word 'day'"]),
        ("晚班晚班,谢谢", "zh", ["doubled term '晚班'"]),
    ],
)
def test_the_checks_find_what_they_look_for(text: str, language: str, expected: list[str]) -> None:
    assert problems(text, language) == expected
