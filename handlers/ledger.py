"""/fine, /bonus, /adjust, /void, /appeal, /myscore, /score, /rules and the appeal buttons."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot import buttons as b
from bot.services import Refusal
from bot.services.ledger import Logged, Standing, entry_name
from handlers.common import Call, Context, Kit, keyboard, optional, required, usage
from handlers.decisions import drop_buttons, press, refuse
from rules import ledger as rules
from rules import parse
from storage.models import LedgerEntry, Person


def _name(kit: Kit, entry: LedgerEntry) -> str:
    return entry_name(entry, kit.texts.language)


async def _tell_everyone(call: Call, logged: Logged) -> None:
    """After an entry: the supervisor's answer (no money in a group). The agent, the
    group and, if it escalates, the supervisors were told through the outbox."""
    await call.reply(
        "entry_logged",
        entry=logged.entry,
        person=logged.person,
        name=_name(call.kit, logged.entry),
        private=call.private,
        standing=logged.standing,
        step=logged.step,
    )
    await call.warn_unreachable(logged.person)


async def _log(call: Call, kind: str) -> None:
    command_name = "fine" if kind == "violation" else "bonus"
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("fine_usage", command=command_name) from None
    words = rest.split(maxsplit=1)
    if not words:
        raise Refusal("fine_usage", command=command_name)
    code = words[0]
    after = words[1] if len(words) > 1 else ""
    points, rest = rules.points_and_note(call.kit.policy.catalogue, code, after)
    logged = await call.kit.ledger.log(
        call.actor,
        target,
        kind=kind,
        code=code,
        points=points,
        note=optional(rest),
        at=call.now,
        chat_id=call.chat.id,
    )
    await _tell_everyone(call, logged)


async def fine(call: Call) -> None:
    """`/fine @agent <code> [points] [note]`: log a violation from the catalogue."""
    await _log(call, "violation")


async def bonus(call: Call) -> None:
    """`/bonus @agent <code> [points] [note]`: log bonus points from the catalogue."""
    await _log(call, "bonus")


async def adjust(call: Call) -> None:
    """`/adjust @agent <±points> <reason>`: the month-end discretionary −5…+5."""
    limit = call.kit.policy.ledger.adjust_limit
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("adjust_usage", limit=limit) from None
    words = rest.split(maxsplit=1)
    if len(words) < 2:
        raise Refusal("adjust_usage", limit=limit)
    with usage("adjust_usage", limit=limit):
        # Beyond ±100 is not an adjustment at all; within, the rule says what still fits.
        delta = parse.integer(words[0], low=-100, high=100)
    reason = required(words[1], "adjust_usage", limit=limit)
    logged = await call.kit.ledger.adjust(
        call.actor, target, delta=delta, reason=reason, at=call.now, chat_id=call.chat.id
    )
    await _tell_everyone(call, logged)


async def deduct(call: Call) -> None:
    """`/deduct @agent <yuan> <reason>`: money taken from pay outside the catalogue; the
    agent is told by DM, with how to appeal. The amount is never written in a group."""
    high = call.kit.policy.pay.largest_deduction
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("deduct_usage", high=high) from None
    words = rest.split(maxsplit=1)
    if len(words) < 2:
        raise Refusal("deduct_usage", high=high)
    with usage("deduct_usage", high=high):
        amount = parse.yuan(words[0], high=high)
    reason = required(words[1], "deduct_usage", high=high)
    logged = await call.kit.ledger.deduct(
        call.actor, target, amount=amount, reason=reason, at=call.now, chat_id=call.chat.id
    )
    await call.reply("deduction_logged", logged=logged, private=call.private)
    await call.warn_unreachable(logged.person)


def _id_and_reason(call: Call, usage_key: str, **params: object) -> tuple[int, str]:
    words = (call.message.text or "").split(maxsplit=2)[1:]
    if len(words) < 2:
        raise Refusal(usage_key, **params)
    with usage(usage_key, **params):
        entry_id = parse.entry_id(words[0])
    return entry_id, required(words[1], usage_key, **params)


async def void(call: Call) -> None:
    """`/void #N <reason>`: cancel an entry (kept, marked void); the agent is told.
    `/void +N <reason>`: a one-off on a payslip instead (`+N` as the payslip shows it)."""
    words = (call.message.text or "").split(maxsplit=1)[1:]
    if words and words[0].lstrip().startswith(("+", "＋")):
        await _void_one_off(call)
        return
    entry_id, reason = _id_and_reason(call, "void_usage")
    voided = await call.kit.ledger.void(call.actor, entry_id, reason, at=call.now)
    name = _name(call.kit, voided.line.entry)
    await call.reply("voided", line=voided.line, person=voided.person, name=name)


async def _void_one_off(call: Call) -> None:
    """`/void +N <reason>`: the one-off no longer paid (its locked payslip amended if the
    payslips have not gone out); the agent is told."""
    words = (call.message.text or "").split(maxsplit=2)[1:]
    if len(words) < 2:
        raise Refusal("void_usage")
    with usage("void_usage"):
        one_off_id = parse.entry_id(words[0].replace("＋", "+").removeprefix("+"))
    reason = required(words[1], "void_usage")
    voided = await call.kit.payroll.void_one_off(call.actor, one_off_id, reason, at=call.now)
    await call.reply("oneoff_voided", voided=voided, private=call.private)
    await call.warn_unreachable(voided.person)


async def appeal(call: Call) -> None:
    """`/appeal #N <reason>`: contest an entry; the supervisors get buttons to decide."""
    hours = call.kit.policy.ledger.appeal_hours
    entry_id, reason = _id_and_reason(call, "appeal_usage", hours=hours)
    filed = await call.kit.ledger.appeal(call.actor, entry_id, reason, at=call.now)
    entry = filed.line.entry
    name = _name(call.kit, entry)
    await call.reply("appeal_filed", filed=filed, name=name)


async def decide(update: Update, context: Context) -> None:
    """An appeal card's button: the first supervisor's decision wins."""
    pressed = await press(update, context, b.AppealDecision)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        decision = await kit.ledger.decide(actor, button.appeal_id, button.outcome, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    if not decision.new:
        await query.answer(kit.texts.plain("decide_already", decision=decision), show_alert=True)
        return
    await query.answer(kit.texts.plain("decide_done", decision=decision))
    label = ("decided_label", query.data or "")
    await drop_buttons(query, keyboard(kit.texts, label, decision=decision))


async def _send_scorecard(call: Call, standing: Standing) -> None:
    """A scorecard goes to a DM only; asked in a group, the group hears just that."""
    lines = [(line, _name(call.kit, line.entry)) for line in standing.lines]
    rules_ = call.kit.policy.ledger
    kpis = await call.kit.metrics.kpis(standing.person, standing.month, standing.score)
    exams = await call.kit.exams.of_month(standing.person, standing.month)
    text: dict[str, Any] = {
        "standing": standing,
        "lines": lines,
        "base": rules_.base,
        "cap": rules_.cap,
        "kpis": kpis,
        "runs": await call.kit.payroll.runs(standing.person, call.now),
        "pass_mark": call.kit.policy.streaks.pass_mark,
        "exams": exams,
        "discounts": await call.kit.discounts.of_month(standing.person, standing.month),
    }
    if call.private:
        await call.reply("scorecard", protect=True, **text)
        return
    delivered = await call.tell_privately("scorecard", protect=True, **text)
    await call.reply("sent_privately" if delivered else "dm_first", person=call.actor)


def _month(call: Call, words: list[str], usage_key: str) -> str:
    """The month asked for (this one by default); a month not yet begun is refused."""
    if not words:
        return call.kit.ledger.this_month(call.now)
    with usage(usage_key):
        return call.kit.payroll.month_asked(words[0], call.now)


async def myscore(call: Call) -> None:
    """`/myscore [YYYY-MM]`: this month so far, privately."""
    if len(call.args) > 1:
        raise Refusal("myscore_usage")
    standing = await call.kit.ledger.standing(call.actor, _month(call, call.args, "myscore_usage"))
    await _send_scorecard(call, standing)


async def score(call: Call) -> None:
    """`/score @agent [YYYY-MM]`: any agent's scorecard, privately."""
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("score_usage") from None
    words = rest.split()
    if len(words) > 1:
        raise Refusal("score_usage")
    month = _month(call, words, "score_usage")
    person: Person = await call.kit.people.resolve_agent(target, at=call.now)
    await _send_scorecard(call, await call.kit.ledger.standing(person, month))


async def rules_(call: Call) -> None:
    """`/rules`: the catalogue's codes, names and points."""
    catalogue = call.kit.policy.catalogue
    titles = call.kit.texts.catalog("rules_group_titles").titles
    groups = [
        (titles[cls], [(code, e) for code, e in sorted(catalogue.items()) if e.class_ == cls])
        for cls in ("A", "B", "C", "bonus")
    ]
    await call.reply("rules", groups=[g for g in groups if g[1]], base=call.kit.policy.ledger.base)
