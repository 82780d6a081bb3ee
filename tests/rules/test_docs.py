"""The documentation stands alone and stays true.

README.md, docs/*.md and the default policy's comments point nowhere outside the
repository; every fenced block is closed; the README prints one benchmark table
and the very test command CI runs; the command cards list exactly the command
table's commands per role; the house rules list the policy's whole catalogue and
name every seed they cite.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import default_policy_data
from handlers.commands import COMMANDS
from handlers.common import Role, Where
from handlers.menu import Command
from rules.policy import DISMISSAL_REVIEW, WARNING, Entry, build_policy

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
POLICY_FILE = ROOT / "rules" / "default_policy.toml"

LINK = re.compile(r"!?\[[^\]]*\]\(<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\)")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# A path that leaves the repository, or names the specs and seeds that live beside it.
OUTSIDE = re.compile(
    r"\.\./|/work/|~/|\bshared/(?:spec|seeds)\b|\b(?:domain|interface)\.md\b|\bseeds/"
)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
TABLE_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
BENCH_HEADER = "| benchmark | database | figures | against the target |"


def scan(text: str) -> tuple[list[str], int | None]:
    """The lines of a Markdown text outside fenced code blocks, and the line of a fence
    that is never closed, or closed only after a Markdown table (a table meant to
    render, swallowed by the block) — None if every block is sound."""
    lines: list[str] = []
    fence, opened, swallowed = "", 0, None
    for number, line in enumerate(text.splitlines(), 1):
        found = FENCE.match(line)
        if fence:
            if swallowed is None and TABLE_RULE.match(line):
                swallowed = opened
            marker, rest = found.groups() if found else ("", "")
            if marker[:1] == fence[0] and len(marker) >= len(fence) and not rest.strip():
                fence = ""
        elif found and not (found.group(1)[0] == "`" and "`" in found.group(2)):
            fence, opened = found.group(1), number
        else:
            lines.append(line)
    if swallowed is not None:
        return lines, swallowed
    return lines, opened if fence else None


def outside_fences(text: str) -> list[str]:
    return scan(text)[0]


def unclosed_fence(text: str) -> int | None:
    return scan(text)[1]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings."""
    lines = outside_fences(path.read_text("utf-8"))
    return {slug(found.group(1)) for line in lines if (found := HEADING.match(line))}


def arrives(path: Path, target: str) -> bool:
    """A relative link from `path` leads to a file in the repository (and its heading)."""
    file, _, anchor = target.partition("#")
    goal = (path.parent / file).resolve() if file else path
    if not goal.is_relative_to(ROOT) or not goal.exists():
        return False
    return not anchor or goal.suffix != ".md" or anchor in anchors(goal)


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_checked_files_exist() -> None:
    assert {name(p) for p in DOCS} >= {"README.md", "docs/commands.md", "docs/house-rules.md"}


@pytest.mark.parametrize("path", DOCS, ids=name)
def test_links_stay_in_the_repository_and_arrive(path: Path) -> None:
    broken = []
    for line in outside_fences(path.read_text("utf-8")):
        for target in LINK.findall(line):
            if SCHEME.match(target):
                continue
            if not arrives(path, target):
                broken.append(target)
    assert broken == []


@pytest.mark.parametrize("path", [*DOCS, POLICY_FILE], ids=name)
def test_no_path_leaves_the_repository(path: Path) -> None:
    text = path.read_text("utf-8")
    if path.suffix == ".md":
        text = LINK.sub("", text)  # the links themselves: the test above
    assert [m.group(0) for m in OUTSIDE.finditer(text)] == []


@pytest.mark.parametrize("path", DOCS, ids=name)
def test_every_fenced_block_is_closed(path: Path) -> None:
    assert unclosed_fence(path.read_text("utf-8")) is None


def test_the_fence_check_finds_an_unclosed_block() -> None:
    assert unclosed_fence("text\n```sh\nrun\n```\n") is None
    assert unclosed_fence("text\n```sh\nrun\n```\n\n| a |\n```\nmore\n") == 7
    assert unclosed_fence("````md\n```\n````\n") is None
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert unclosed_fence(f"```\noutput\n\n{table}```\n") == 1
    assert unclosed_fence(f"```\noutput\n```\n\n{table}") is None


def test_the_readme_has_one_benchmark_table_the_one_bench_prints() -> None:
    assert README.read_text("utf-8").splitlines().count(BENCH_HEADER) == 1
    assert BENCH_HEADER in (ROOT / "bench" / "__main__.py").read_text("utf-8")


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    command = ci[ci.index("# --- the README's test command, verbatim") + 1]
    assert command in README.read_text("utf-8").splitlines()


def test_the_readme_run_command_sets_only_the_token() -> None:
    runs = [
        line
        for line in README.read_text("utf-8").splitlines()
        if line.startswith("python3 -m venv .venv") and line.endswith("kefu run")
    ]
    assert len(runs) == 1
    assert re.findall(r"\b([A-Z][A-Z0-9_]*)=", runs[0]) == ["TELEGRAM_BOT_TOKEN"]


# --- the command cards -------------------------------------------------------------

CARDS = {
    "Agent": {Role.ANYONE, Role.TEAM, Role.AGENT},
    "Supervisor": {Role.ANYONE, Role.TEAM, Role.SUPERVISOR},
    "Admin": {Role.ADMIN},  # and every supervisor command, as the card says
}
PLACES = {Where.DM: "DM", Where.TEAM: "DM or team group", Where.ANY_GROUP: "DM or any group"}
COMMANDS_MD = ROOT / "docs" / "commands.md"


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip().strip("|"))]


def card_rows(text: str) -> dict[str, list[tuple[str, str, str]]]:
    """Each `## ` section's table rows: (command, where, Chinese help line)."""
    cards: dict[str, list[tuple[str, str, str]]] = {}
    section = ""
    for line in outside_fences(text):
        if line.startswith("## "):
            section = line[3:].split()[0]
            cards[section] = []
        elif section and line.startswith("| `/"):
            command, where, _, zh = cells(line)
            found = re.match(r"`/(\w+)[ `]", command)
            assert found, command
            cards[section].append((found.group(1), where, zh))
    return cards


def listed(command: Command) -> bool:
    """Shown in some menu (and /help); a command in no menu is described in prose."""
    return command.menus is None or bool(command.menus)


def test_there_is_one_card_per_role() -> None:
    assert list(card_rows(COMMANDS_MD.read_text("utf-8"))) == list(CARDS)


@pytest.mark.parametrize("card", CARDS)
def test_a_card_lists_exactly_the_table_commands_of_its_role_in_order(card: str) -> None:
    roles = CARDS[card]
    shown = card_rows(COMMANDS_MD.read_text("utf-8")).get(card)
    assert shown == [
        (c.name, PLACES[c.where], c.zh) for c in COMMANDS if c.role in roles and listed(c)
    ]


def test_commands_in_no_menu_are_still_described() -> None:
    text = COMMANDS_MD.read_text("utf-8")
    assert [c.name for c in COMMANDS if not listed(c) and f"`/{c.name}" not in text] == []


def test_the_card_check_reads_a_row() -> None:
    text = "## Agent 客服\n\n| `/leave <YYYY-MM-DD> <reason>` | DM | asks | 请假 |\n"
    assert card_rows(text) == {"Agent": [("leave", "DM", "请假")]}


# --- the house rules ---------------------------------------------------------------

HOUSE_RULES = ROOT / "docs" / "house-rules.md"


def points(entry: Entry) -> str:
    """An entry's points as the page writes them: the sign they take on the score."""
    sign = "−" if entry.kind == "violation" else "+"
    low, high = entry.range
    if high == 0:
        return "0"
    return f"{sign}{low}" if low == high else f"{sign}{low}…{sign}{high}"


def ladder(entry: Entry) -> str:
    """An entry's cash ladder as the page writes it."""
    words = {WARNING: "warning", DISMISSAL_REVIEW: "dismissal review"}
    return " → ".join(words.get(step, step) for step in entry.cash) or "—"


def test_the_catalogue_is_the_policy_s_every_entry_points_and_cash() -> None:
    catalogue = build_policy(default_policy_data()).catalogue
    rows = {
        cells(line)[0].strip("`"): cells(line)
        for line in outside_fences(HOUSE_RULES.read_text("utf-8"))
        if re.match(r"^\| `[a-z0-9-]+` \|", line)
    }
    assert sorted(rows) == sorted(catalogue)
    assert {code: (rows[code][2], rows[code][3]) for code in rows} == {
        code: (points(entry), ladder(entry)) for code, entry in catalogue.items()
    }
    violations = sum(1 for e in catalogue.values() if e.kind == "violation")
    text = HOUSE_RULES.read_text("utf-8")
    assert f"{len(catalogue)} entries: {violations} violations" in text
    assert f"{len(catalogue) - violations} bonuses" in text


def test_every_seed_cited_is_named_by_title() -> None:
    text = HOUSE_RULES.read_text("utf-8")
    titled = set(re.findall(r"^\| \[(\d{3})\] \| \S+", text, re.MULTILINE))
    assert titled == {"000", "001", "002", "003", "004"}
    cited = set()
    for path in [*DOCS, POLICY_FILE]:
        cited |= set(re.findall(r"\[(\d{3})\b", path.read_text("utf-8")))
    cited |= {
        code
        for entry in build_policy(default_policy_data()).catalogue.values()
        for code in re.findall(r"\b(\d{3})\b", entry.seed)
    }
    assert cited <= titled
