"""/qa, /oneoff, /hire, /payslip, /payroll and /export, and a payslip's "Received".

Pay never goes to a group: /payslip, /payroll and /export answer in DMs only, as
protected content (no forwarding or saving), and the drafts and payslips go to each
agent privately, through the outbox (`bot.jobs` starts and follows a run;
`bot.delivery` sends it, exactly once). A payslip carries a "Received" button that
only its own agent can press.
"""

from __future__ import annotations

import io
import logging

from telegram import InputFile, Update

from bot import buttons as b
from bot import export as export_book
from bot import jobs
from bot.services import Refusal
from bot.services.payroll import received_button
from handlers.common import Call, Context, keyboard, optional, required, usage
from handlers.decisions import drop_buttons, press, refuse
from rules import parse

log = logging.getLogger(__name__)


# --- commands --------------------------------------------------------------------


async def qa(call: Call) -> None:
    """`/qa @agent <score> [note]`: a chat-log QA check, 0–100 [001]."""
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("qa_range", given="") from None
    words = rest.split(maxsplit=1)
    if not words:
        raise Refusal("qa_range", given="")
    with usage("qa_range", given=""):
        score = parse.integer(words[0], low=0, high=100)
    note = optional(words[1] if len(words) > 1 else "")
    check, person, mean, count = await call.kit.payroll.record_qa(
        call.actor, target, score, note, at=call.now, chat_id=call.chat.id
    )
    await call.reply(
        "qa_recorded", check=check, person=person, mean=mean, count=count, private=call.private
    )


async def oneoff(call: Call) -> None:
    """`/oneoff @agent <yuan> <reason>`: a one-off bonus on this month's payslip."""
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("oneoff_usage") from None
    words = rest.split(maxsplit=1)
    if len(words) < 2:
        raise Refusal("oneoff_usage")
    with usage("oneoff_usage"):
        amount = parse.yuan(words[0], high=call.kit.policy.pay.largest_one_off)
    reason = required(words[1], "oneoff_usage")
    row, person = await call.kit.payroll.add_one_off(
        call.actor, target, amount, reason, at=call.now
    )
    await call.reply("oneoff_added", row=row, person=person, private=call.private)


async def hire(call: Call) -> None:
    """`/hire @agent <YYYY-MM-DD> [probation-months]`: years of service and probation."""
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("hire_usage") from None
    words = rest.split()
    if not 1 <= len(words) <= 2:
        raise Refusal("hire_usage")
    with usage("hire_usage"):
        hired = parse.date(words[0])
        months = parse.integer(words[1], low=0, high=12) if len(words) > 1 else 0
    person = await call.kit.payroll.set_hired(call.actor, target, hired, months, at=call.now)
    await call.reply("hired_set", person=person)


async def payslip(call: Call) -> None:
    """`/payslip [YYYY-MM] [detail]`: one's own payslip (last month by default)."""
    words = call.args
    detail = bool(words) and words[-1].lower() == "detail"
    if detail:
        words = words[:-1]
    if len(words) > 1 or (words and words[0].startswith("@")):
        raise Refusal("payslip_foreign")
    payroll = call.kit.payroll
    with usage("payslip_usage"):
        month = payroll.month_asked(words[0], call.now) if words else payroll.last_month(call.now)
    found = await payroll.own(call.actor, month)
    if found is None:
        raise Refusal("payslip_none", month=month)
    card, slip = found
    markup = None
    if slip is not None and slip.received_at is None:  # the "Received" it still waits for
        markup = keyboard(call.kit.texts, received_button(slip.id))
    await call.reply("payslip_dm", c=card, detail=detail, markup=markup, protect=True)


async def payroll(call: Call) -> None:
    """`/payroll <YYYY-MM> [send]`: preview the month, or lock it and DM every payslip."""
    words = call.args
    if not 1 <= len(words) <= 2 or (len(words) == 2 and words[1].lower() != "send"):
        raise Refusal("payroll_usage")
    kit = call.kit
    with usage("payroll_usage"):
        month = kit.payroll.month_asked(words[0], call.now)
    if len(words) == 1:
        await call.reply("payroll_preview", m=await kit.payroll.preview(month), protect=True)
        return
    kit.payroll.month_over(month, call.now)
    done = await jobs.send_payslips(
        call.context.application, kit, month, by=call.actor.id, chat_id=call.chat.id
    )
    if done is not None:  # sent before: say when, and how it went
        progress = await kit.payroll.progress(done.id or 0)
        report = call.render("payroll_already", month=month, started=done.started_at)
        await call.answer(report + "\n" + call.render("payroll_progress", p=progress))


async def export(call: Call) -> None:
    """`/export <YYYY-MM>`: the month as an XLSX workbook for the accountant."""
    if len(call.args) != 1:
        raise Refusal("export_usage")
    kit = call.kit
    with usage("export_usage"):
        month = kit.payroll.month_asked(call.args[0], call.now)
    found = await kit.payroll.preview(month)
    data = await export_book.workbook(kit, found)
    await call.context.bot.send_document(
        call.chat.id,
        InputFile(io.BytesIO(data), filename=f"kefu-{month}.xlsx"),
        caption=call.render("export_caption", month=month, locked=found.lock is not None),
    )


# --- the payslip's button ------------------------------------------------------------


async def received(update: Update, context: Context) -> None:
    """A payslip's "Received": its own agent confirms it (anyone else is refused); the
    button becomes "Received ✓", which changes nothing when pressed again."""
    pressed = await press(update, context, b.Received)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        receipt = await kit.payroll.confirm(actor, button.payslip_id, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    await query.answer(kit.texts.plain("received_done", receipt=receipt))
    if receipt.new:
        label = ("received_label", query.data or "")
        await drop_buttons(query, keyboard(kit.texts, label, receipt=receipt))
