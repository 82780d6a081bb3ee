"""A corpus of malformed input, generated across every command, file and button.

Each case is what a careless or hostile user sends — a bad value in each slot of
each command, the wrong role, the wrong place, a command for another bot, a broken
file, forged or stale button data — and each asserts what that user would check:

- an answer within seconds, in the chat it came from, that says what was wrong and
  what to type instead (or silence, where silence is right);
- no Bot API 4xx, and nothing sent to anyone else;
- no traceback and no error in the log;
- the database unchanged: every table compared before and after.

One team is set up per family of cases; the cases run one after another against it,
and every failure is reported together with its input.
"""

from __future__ import annotations

import asyncio
import io
import logging
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel

from tests.support.fakebot import BOT_USERNAME, Person
from tests.support.harness import ALICE, BOB, CAROL, MALLORY, TEAM_GROUP, Harness
from tests.support.team import make_team

WITHIN = 10.0  # seconds: an answer, not a benchmark
USAGE = "Usage"
SUPERVISORS_ONLY = "Only supervisors"
NOT_ON_TEAM = "not on this team"
PRIVATE = "private chat"

# --- the bad values, by the kind of slot they stand in -----------------------------
BAD_INTS = [
    "²",
    "¹⁰",
    "٣",
    "١٢",
    "1e9",
    "NaN",
    "Infinity",
    "1,000",
    "2.5",
    "99999999999999999999",
    "0x10",
    "-",
    "½",
]
BLANKS = ["\u200b", "\u200d\u2060", "\ufeff", "\u202e", "\u200f\u200e", " \u3164 "]
BAD_DATES = ["2026-13-45", "2026-02-30", "2026-¹-01", "26-1-1", "2026/11/30", "tomorrow", "1e3"]
BAD_MONTHS = ["2026-¹", "2026-13", "2026-00", "11-2026", "2026", "２０２６-１３", "1e3-01"]
BAD_IDS = ["#²", "#¹", "#0", "#-1", "#1e3", "#99999999999", "#", "x1", "#1.5"]
BAD_TIMES = ["25:00", "7pm", "19:60", "１９：７５", "19.30", "¹9:30"]
BAD_WEEKDAYS = ["monday2", "8", "0", "周八", "²"]
BAD_YUAN = ["-50", "0", "1e3", "NaN", "1,000", "12.345", "²⁰", "100000.01", "Infinity"]


@dataclass(frozen=True)
class Case:
    """One input and what its answer must say (all of `says`; nothing at all if silent)."""

    who: Person
    text: str
    says: tuple[str, ...] = ()
    in_group: bool = False
    silent: bool = False
    mentions: Sequence[Person] = field(default_factory=tuple)

    def __str__(self) -> str:
        where = "group" if self.in_group else "DM"
        return f"{self.who.first_name} in {where}: {self.text!r}"


def _slot(who: Person, template: str, values: list[str], *says: str) -> list[Case]:
    return [Case(who, template.format(value), says) for value in values]


def value_cases() -> list[Case]:
    """A bad value in each slot of each command, by the person allowed to use it."""
    cases: list[Case] = []
    # After a code, a lone "-" is a dash in the note ("late - the bus"), not a number.
    points = [value for value in BAD_INTS if value != "-"] + ["+∞", "-2.5"]
    cases += _slot(BOB, "/fine @carol_cs late {}", points, "2 to 5 points")
    cases += _slot(BOB, "/bonus @carol_cs extra-work {}", points, "1 to 5 points")
    cases += _slot(BOB, "/fine @carol_cs absent {} overslept", points, "leave the number out")
    cases += _slot(BOB, "/adjust @carol_cs {} helped a lot", BAD_INTS, USAGE)
    cases += _slot(BOB, "/adjust @carol_cs +2 {}", BLANKS, USAGE)
    cases += _slot(BOB, "/qa @carol_cs {} rude", BAD_INTS, "0 to 100")
    cases += _slot(BOB, "/hire @carol_cs {}", BAD_DATES, USAGE)
    cases += _slot(BOB, "/hire @carol_cs 2026-01-01 {}", BAD_INTS, USAGE)
    cases += _slot(BOB, "/hire @carol_cs {}", ["1900-01-01", "2026-12-01"], "hiring date")
    cases += _slot(BOB, "/void {} wrong person", BAD_IDS, USAGE)
    cases += _slot(BOB, "/void #1 {}", BLANKS, USAGE)
    cases += _slot(CAROL, "/appeal {} it was the bus", BAD_IDS, USAGE)
    cases += _slot(CAROL, "/appeal #1 {}", BLANKS, USAGE)
    cases += _slot(CAROL, "/myscore {}", BAD_MONTHS, USAGE)
    cases += _slot(BOB, "/score @carol_cs {}", BAD_MONTHS, USAGE)
    cases += _slot(CAROL, "/payslip {}", BAD_MONTHS, USAGE)
    cases += _slot(BOB, "/payroll {}", BAD_MONTHS, USAGE)
    cases += _slot(BOB, "/export {}", BAD_MONTHS, USAGE)
    cases += _slot(CAROL, "/myscore {}", ["2099-12", "2026-12"], "has not begun")
    cases += _slot(BOB, "/score @carol_cs {}", ["2099-01"], "has not begun")
    cases += _slot(BOB, "/oneoff @carol_cs {} top seller", BAD_YUAN, USAGE)
    cases += _slot(BOB, "/oneoff @carol_cs 50 {}", BLANKS, USAGE)
    cases += _slot(BOB, "/deduct @carol_cs {} price change", BAD_YUAN, USAGE)
    cases += _slot(BOB, "/deduct @carol_cs 50 {}", BLANKS, USAGE)
    cases += _slot(CAROL, "/leave {} family", BAD_DATES, USAGE)
    cases += _slot(CAROL, "/leave 2026-11-30 {}", BLANKS, USAGE)
    cases += _slot(CAROL, "/handover {}", BLANKS, "/handover")
    cases += _slot(CAROL, "/report {}", BLANKS, "/report")
    cases += _slot(BOB, "/fixshift @carol_cs {}", BAD_TIMES, USAGE)
    cases += _slot(BOB, "/restday @carol_cs {}", BAD_WEEKDAYS, USAGE)
    return cases


SUPERVISOR_COMMANDS = [
    "/team",
    "/fixshift @carol_cs 19:00",
    "/fine @carol_cs late",
    "/bonus @carol_cs cover-shift",
    "/adjust @carol_cs +1 helped",
    "/void #1 mistake",
    "/score @carol_cs",
    "/import",
    "/restday @carol_cs mon",
    "/schedule",
    "/qa @carol_cs 90",
    "/oneoff @carol_cs 50 great",
    "/deduct @carol_cs 50 price change",
    "/hire @carol_cs 2026-01-01",
    "/payroll 2026-10",
    "/export 2026-10",
    "/enroll @carol_cs junior presale",
    "/shift @carol_cs evening",
]
AGENT_COMMANDS = [
    "/clockin",
    "/clockout",
    "/break",
    "/back",
    "/handover all quiet",
    "/myscore",
    "/appeal #1 not me",
    "/report busy week",
    "/leave 2026-11-30 family",
]
ADMIN_COMMANDS = ["/promote @carol_cs", "/demote @BobSup"]
DM_ONLY = ["/appeal #1 not me", "/leave 2026-11-30 family", "/payslip", "/payroll 2026-10"]


def in_group(text: str, bot_name: str = BOT_USERNAME) -> str:
    word, _, rest = text.partition(" ")
    return f"{word}@{bot_name}" + (f" {rest}" if rest else "")


def role_and_place_cases() -> list[Case]:
    """The wrong person, the wrong place, and commands for another bot."""
    cases = [Case(CAROL, text, (SUPERVISORS_ONLY,)) for text in SUPERVISOR_COMMANDS]
    cases += [Case(CAROL, text, ("Only the shop's admins",)) for text in ADMIN_COMMANDS]
    cases += [Case(BOB, text, ("Only enrolled agents",)) for text in AGENT_COMMANDS[:4]]
    everything = SUPERVISOR_COMMANDS + AGENT_COMMANDS + ADMIN_COMMANDS + ["/payslip", "/rules"]
    cases += [Case(MALLORY, text, (NOT_ON_TEAM,)) for text in everything]
    cases += [Case(CAROL, in_group(text), (PRIVATE,), in_group=True) for text in DM_ONLY[:3]]
    cases += [Case(BOB, in_group(text), (PRIVATE,), in_group=True) for text in DM_ONLY[3:]]
    cases += [
        Case(BOB, in_group(text, "some_other_bot"), silent=True, in_group=True)
        for text in SUPERVISOR_COMMANDS + AGENT_COMMANDS
    ]
    cases += [
        Case(CAROL, in_group(text, "some_other_bot"), silent=True)
        for text in ("/clockin", "/myscore", "/frobnicate")
    ]
    return cases


# --- buttons: forged, garbled and stale data ----------------------------------------
BAD_BUTTONS = [
    "latereport:garbage:log",
    "latereport:2026-11-16:log",  # a week whose card was never sent
    "latereport:2026-11-16:maybe",
    "missed:2026-13-45:log",
    "missed:2099-01-01:dismiss",
    "missed:2026-11-19",
    "absent:x:y",
    "absent:1003:2099-01-01",
    "asleave:1101:2026-02-30",
    "asleave:1003:2026-11-20",
    "away:abc",
    "away:999999",
    "away:",
    "endshift:abc",
    "stay:-1",
    "endshift:999999",
    "rsvp:abc:maybe",
    "rsvp:999:attend",
    "rsvp:1:maybe",
    "ack:abc",
    "ack:99999",
    "ack:1:2",
    "leave:abc:approved",
    "leave:1:maybe",
    "leave:99999:approved",
    "decide:1:maybe",
    "decide:abc:voided",
    "decide:99999:upheld",
    "decide:²:upheld",
    "garbage",
    "x" * 64,
    "ack:１",
]


# --- files ---------------------------------------------------------------------------
def _xlsx(**members: bytes) -> bytes:
    book = io.BytesIO()
    Workbook().save(book)
    out = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, members.get(item.filename, source.read(item)))
    return out.getvalue()


HEADER = "日期,客服,咨询人数,回复率,平均响应时间(秒),销售额\n"
BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.csv", b"", "no figures"),
    ("blank.csv", b"\n\n \n", "no figures"),
    ("junk.csv", bytes(range(256)) * 8, "cannot be read"),
    ("quote.csv", (HEADER + '2026-11-20,"carol旺旺,3,99%,20,1\n').encode(), "broken at line"),
    (
        "huge-cell.csv",
        (HEADER + f"2026-11-20,carol旺旺,{'9' * 12_000},99%,20,1\n").encode(),
        "Row 2",
    ),
    ("big-number.csv", (HEADER + "2026-11-20,carol旺旺,1e30,99%,20,1e30\n").encode(), "too large"),
    ("nan.csv", (HEADER + "2026-11-20,carol旺旺,NaN,NaN,inf,-1\n").encode(), "Row 2"),
    ("super.csv", (HEADER + "2026-11-20,carol旺旺,²,99%,20,1\n").encode(), "not a number"),
    ("future.csv", (HEADER + "2099-01-01,carol旺旺,3,99%,20,1\n").encode(), "in the future"),
    ("nodate.csv", (HEADER + "2026-13-45,carol旺旺,3,99%,20,1\n").encode(), "no such date"),
    ("cols.csv", "名字,年龄\n张三,30\n".encode(), "column not found"),
    ("fake.xlsx", b"PK\x03\x04 not really a zip", "cannot be read"),
    ("badxml.xlsx", _xlsx(**{"xl/workbook.xml": b"<workbook"}), "damaged"),
    (
        "badsheet.xlsx",
        _xlsx(**{"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
        "damaged",
    ),
    ("figures.pdf", b"%PDF-1.4", "not a CSV or XLSX"),
    ("big.csv", b"x" * (10 * 1024 * 1024 + 1), "the limit is 10 MB"),
]


# --- the checks ----------------------------------------------------------------------
async def tables(bot: Harness) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""

    def work(session: Any) -> dict[str, list[tuple[Any, ...]]]:
        found = {}
        for table in SQLModel.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            found[table.name] = [
                tuple(row) for row in session.execute(sa_select(table).order_by(*order))
            ]
        return found

    return await bot.app.bot_data["kit"].db.run(work)


@dataclass
class Checker:
    """Runs cases against one bot and collects what each got wrong."""

    bot: Harness
    caplog: pytest.LogCaptureFixture
    failures: list[str] = field(default_factory=list)
    count: int = 0

    async def check(
        self, label: str, act: Any, chat_id: int, *, says: Sequence[str], silent: bool
    ) -> None:
        """Run `act` (a coroutine) and check its answer in `chat_id`, and that nothing changed."""
        self.count += 1
        fake = self.bot.fake
        before_db = await tables(self.bot)
        before_calls, before_errors = len(fake.calls), len(fake.errors)
        self.caplog.clear()
        try:
            await asyncio.wait_for(act, WITHIN)
        except Exception as exc:  # the case's failure, reported with the others
            self.failures.append(f"{label}: raised {exc!r}")
            return
        calls = fake.calls[before_calls:]
        problems: list[str] = []
        errors = [e for e in fake.errors[before_errors:] if 400 <= e[1] < 500]
        if errors:
            problems.append(f"Bot API errors {errors}")
        logged = [r for r in self.caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        if logged:
            problems.append(f"logged {[r.getMessage() for r in logged]}")
        sent = [c for c in calls if c.method.startswith("send") or c.method.startswith("edit")]
        elsewhere = [c for c in sent if int(c.params.get("chat_id", chat_id)) != chat_id]
        if elsewhere:
            problems.append(f"sent to others: {[c.params.get('chat_id') for c in elsewhere]}")
        answers = [
            str(c.params.get("text", ""))
            for c in calls
            if c.method in ("sendMessage", "answerCallbackQuery")
        ]
        text = "\n".join(answers)
        if silent and calls:
            problems.append(f"should be silent, made {[c.method for c in calls]}")
        if not silent:
            if not answers:
                problems.append("no answer")
            missing = [phrase for phrase in says if phrase not in text]
            if missing:
                problems.append(f"answer lacks {missing}: {text[:300]!r}")
            if len(text) > 1000:
                problems.append(f"answer is {len(text)} characters")
        if await tables(self.bot) != before_db:
            problems.append("the database changed")
        if problems:
            self.failures.append(f"{label}: " + "; ".join(problems))

    async def command(self, case: Case) -> None:
        """A text command."""
        chat_id = TEAM_GROUP.id if case.in_group else case.who.id
        act = self.bot.send(
            case.who,
            case.text,
            group=TEAM_GROUP if case.in_group else None,
            mentions=list(case.mentions),
        )
        await self.check(str(case), act, chat_id, says=case.says, silent=case.silent)

    def report(self, minimum: int) -> None:
        assert self.count >= minimum, f"only {self.count} cases ran"
        assert not self.failures, f"{len(self.failures)} of {self.count} cases failed:\n" + (
            "\n".join(self.failures)
        )


async def team(bot: Harness) -> None:
    """The team, with Carol on shift and one entry (#1) on her record."""
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    await bot.send(BOB, "/fine @carol_cs no-handover")
    await bot.send(MALLORY, "/start")


# --- the tests -------------------------------------------------------------------------
async def test_bad_values_in_every_slot(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    await team(bot)
    checker = Checker(bot, caplog)
    for case in value_cases():
        await checker.command(case)
    checker.report(minimum=220)


async def test_wrong_people_and_wrong_places(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await team(bot)
    checker = Checker(bot, caplog)
    for case in role_and_place_cases():
        await checker.command(case)
    checker.report(minimum=85)


async def test_forged_and_stale_buttons(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    await team(bot)
    checker = Checker(bot, caplog)
    for who in (BOB, CAROL, ALICE):
        for data in BAD_BUTTONS:
            await checker.check(
                f"{who.first_name} presses {data!r}",
                bot.press(who, data),
                who.id,
                says=(),
                silent=False,
            )
    checker.report(minimum=90)


async def test_broken_files(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    await team(bot)
    checker = Checker(bot, caplog)
    for name, content, says in BAD_FILES:
        for who, group in ((BOB, False), (BOB, True)):
            chat = TEAM_GROUP.id if group else who.id
            caption = f"/import@{BOT_USERNAME}" if group else "/import"
            act = bot.send_file(
                who, name, content, caption=caption, group=TEAM_GROUP if group else None
            )
            await checker.check(
                f"{name} in {'group' if group else 'DM'}", act, chat, says=(says,), silent=False
            )
        act = bot.send_file(BOB, name, content, caption="/import@some_other_bot", group=TEAM_GROUP)
        await checker.check(f"{name} for another bot", act, TEAM_GROUP.id, says=(), silent=True)
    act = bot.send_file(CAROL, "day.csv", HEADER.encode(), caption="/import")
    await checker.check("an agent's import", act, CAROL.id, says=(SUPERVISORS_ONLY,), silent=False)
    checker.report(minimum=45)
