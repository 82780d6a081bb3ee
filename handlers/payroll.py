"""/qa, /oneoff, /hire, /payslip, /payroll, /export, the month-close jobs and the DM outbox.

Pay never goes to a group: /payslip, /payroll and /export answer in DMs only, and
the drafts and payslips go to each agent privately. Every DM of a month's run
goes through the outbox (`bot.services.payroll`): claimed before it is sent,
marked after, so a restart finishes the run and nobody gets a message twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot import export as export_book
from bot.chart import scorecard_png
from bot.send import send_html
from bot.services import Refusal
from bot.services.payroll import DRAFT, PAYSLIP, STRANDED_AFTER, Card, Progress
from bot.texts import split_html
from handlers.common import Call, Kit, Role, command, kit_of, optional, required, usage
from rules import parse
from storage.payroll import SENT, UNDELIVERABLE

log = logging.getLogger(__name__)
ATTEMPTS = 5  # per DM, on top of the rate limiter's own retries of a 429
# DMs a second in a run: under Telegram's ~30 a second overall, with room for the
# bot's other replies. Evenly spaced, so no second ever holds more than this.
RUN_RATE = 28
EDIT_EVERY = dt.timedelta(seconds=2)
_runs: dict[int, asyncio.Task[None]] = {}


# --- commands --------------------------------------------------------------------


@command(Role.SUPERVISOR)
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


@command(Role.SUPERVISOR)
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


@command(Role.SUPERVISOR)
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


@command(Role.TEAM, dm_only=True)
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
    card = await payroll.card(call.actor, month)
    if card is None:
        raise Refusal("payslip_none", month=month)
    await call.reply("payslip_dm", c=card, detail=detail)


@command(Role.SUPERVISOR, dm_only=True)
async def payroll(call: Call) -> None:
    """`/payroll <YYYY-MM> [send]`: preview the month, or lock it and DM every payslip."""
    words = call.args
    if not 1 <= len(words) <= 2 or (len(words) == 2 and words[1].lower() != "send"):
        raise Refusal("payroll_usage")
    kit = call.kit
    with usage("payroll_usage"):
        month = kit.payroll.month_asked(words[0], call.now)
    if len(words) == 1:
        await call.reply("payroll_preview", m=await kit.payroll.preview(month))
        return
    kit.payroll.month_over(month, call.now)
    await send_payslips(
        call.context.application, kit, month, by=call.actor.id, chat_id=call.chat.id
    )


@command(Role.SUPERVISOR, dm_only=True)
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


# --- the calendar ------------------------------------------------------------------


async def month_draft(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 5th at 10:00: last month's draft scorecards by DM, the team's preview to bosses."""
    kit = kit_of(context)
    now = kit.clock()
    month = kit.payroll.last_month(now)
    if not await kit.metrics.claim("month-draft", month, now):
        return
    found = await kit.payroll.month(month)
    if not found.cards:
        log.info("month draft %s: no agents", month)
        return
    preview = kit.texts.render("team_preview", m=found, lock_day=kit.policy.month.lock_day)
    for chat_id in await kit.people.bosses():
        await send_html(context.bot, chat_id, preview)
    run, _ = await kit.payroll.start_broadcast(
        month, DRAFT, at=now, by=None, chat_id=None, cards=found.cards
    )
    assert run.id is not None
    await deliver(context.application, kit, run.id, found.cards)


async def month_lock(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 10th: last month's scorecards and payslips frozen as snapshots."""
    kit = kit_of(context)
    now = kit.clock()
    month = kit.payroll.last_month(now)
    try:
        _, locked = await kit.payroll.lock(month, by=None, at=now)
    except Refusal:
        log.info("month lock %s: no agents", month)
        return
    log.info("month %s %s", month, "locked" if locked else "was already locked")


async def month_pay(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 15th at 10:00: every payslip of last month by DM (locking it if not yet)."""
    kit = kit_of(context)
    month = kit.payroll.last_month(kit.clock())
    try:
        await send_payslips(context.application, kit, month, by=None, chat_id=None)
    except Refusal:
        log.info("month pay %s: no agents", month)
        return
    run = await kit.payroll.broadcast(month)
    assert run is not None and run.id is not None
    report = kit.texts.render("payroll_progress", p=await kit.payroll.progress(run.id))
    for chat_id in await kit.people.bosses():  # the final report, to every supervisor
        await send_html(context.bot, chat_id, report)


async def send_payslips(
    app: Application,  # type: ignore[type-arg]
    kit: Kit,
    month: str,
    *,
    by: int | None,
    chat_id: int | None,
) -> None:
    """Lock the month (if not yet) and DM every payslip, exactly once, with progress."""
    now = kit.clock()
    if not await kit.payroll.is_locked(month):
        await kit.payroll.lock(month, by=by, at=now)
    run, new = await kit.payroll.start_broadcast(month, PAYSLIP, at=now, by=by, chat_id=chat_id)
    assert run.id is not None
    if not new and run.finished_at is None:
        # Cut short by a stop or a crash: finish it (a DM that was in flight is not resent).
        await kit.payroll.settle(run.id, now)
        await deliver(app, kit, run.id)
        return
    if not new:
        progress = await kit.payroll.progress(run.id)
        if chat_id is not None:
            report = kit.texts.render("payroll_already", month=month, started=run.started_at)
            text = report + "\n" + kit.texts.render("payroll_progress", p=progress)
            await send_html(app.bot, chat_id, text)
        return
    await deliver(app, kit, run.id)


async def resume(app: Application, kit: Kit) -> None:  # type: ignore[type-arg]
    """At start-up: finish every run a stop or crash cut short (never resending a DM)."""
    for run in await kit.payroll.resumable(kit.clock()):
        assert run.id is not None
        log.info("resuming the %s run of %s", run.kind, run.month)
        await deliver(app, kit, run.id)


# --- delivery ------------------------------------------------------------------------


async def deliver(
    app: Application,  # type: ignore[type-arg]
    kit: Kit,
    broadcast_id: int,
    cards: list[Card] | None = None,
) -> None:
    """Send every pending row of a run; one run at a time per process. `cards`, when the
    caller has the month's cards at hand, saves computing them again."""
    running = _runs.get(broadcast_id)
    if running is not None and not running.done():
        await running
        return
    task = asyncio.current_task()
    assert task is not None
    _runs[broadcast_id] = task
    try:
        await _deliver(app, kit, broadcast_id, cards)
    finally:
        _runs.pop(broadcast_id, None)


async def _resume_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await resume(context.application, kit_of(context))


async def _deliver(
    app: Application,  # type: ignore[type-arg]
    kit: Kit,
    broadcast_id: int,
    given: list[Card] | None,
) -> None:
    bot = app.bot
    progress = await kit.payroll.progress(broadcast_id)
    run = progress.broadcast
    if given is None:
        given = (await kit.payroll.month(run.month)).cards
    cards = {card.person_id: card for card in given}
    message_id = run.message_id
    if run.chat_id is not None and message_id is None:
        shown = await send_html(bot, run.chat_id, kit.texts.render("payroll_progress", p=progress))
        if shown is not None:
            message_id = shown.message_id
            await kit.payroll.set_progress_message(broadcast_id, message_id)
    last_edit = kit.clock()
    loop = asyncio.get_running_loop()
    next_at = loop.time()
    spacing = (2 if run.kind == DRAFT else 1) / RUN_RATE  # a draft is a text and a chart
    for row in await kit.payroll.pending(broadcast_id):
        assert row.id is not None
        slot = max(next_at, loop.time())  # never earlier than the schedule: no bursts
        await asyncio.sleep(slot - loop.time())
        if not await kit.payroll.claim(row.id, kit.clock()):
            continue
        next_at = slot + spacing
        card = cards.get(row.person_id)
        if card is None:
            await kit.payroll.mark(row.id, UNDELIVERABLE, kit.clock(), "no card")
            continue
        status, error = await _send_card(bot, kit, run.kind, card)
        await kit.payroll.mark(row.id, status, kit.clock(), error)
        if (
            run.chat_id is not None
            and message_id is not None
            and kit.clock() - last_edit >= EDIT_EVERY
        ):
            last_edit = kit.clock()
            await _edit(bot, kit, run.chat_id, message_id, await kit.payroll.progress(broadcast_id))
    final = await kit.payroll.progress(broadcast_id, finish_at=kit.clock())
    if final.left and app.job_queue is not None:
        # Rows another sender holds (or a crash left mid-send): look again once they are stale.
        app.job_queue.run_once(_resume_job, when=STRANDED_AFTER + dt.timedelta(seconds=5))
    if run.chat_id is not None and message_id is not None:
        await _edit(bot, kit, run.chat_id, message_id, final)
    log.info(
        "%s run %s: sent %d, failed %d, left %d",
        run.kind,
        run.month,
        final.sent,
        len(final.failed),
        final.left,
    )


async def _send_card(bot: Bot, kit: Kit, kind: str, card: Card) -> tuple[str, str]:
    """One agent's DM, with retries on 429, 5xx and timeouts; (status, error)."""
    if kind == DRAFT:
        text = kit.texts.render("draft_dm", c=card, lock_day=kit.policy.month.lock_day)
    else:
        text = kit.texts.render("payslip_dm", c=card, detail=False)
    steps: list[Callable[[], Awaitable[object]]] = [
        functools.partial(bot.send_message, card.person_id, part) for part in split_html(text)
    ]
    if kind == DRAFT:
        chart = scorecard_png(card)
        steps.append(
            lambda: bot.send_photo(
                card.person_id, InputFile(io.BytesIO(chart), filename=f"{card.month}.png")
            )
        )
    done = 0  # a retry goes on from the first message that did not go out, never resends
    for attempt in range(1, ATTEMPTS + 1):
        try:
            while done < len(steps):
                await steps[done]()
                done += 1
            return SENT, ""
        except Forbidden as exc:
            return UNDELIVERABLE, exc.message
        except BadRequest as exc:  # chat not found, or a message Telegram will never take
            return UNDELIVERABLE, exc.message
        except RetryAfter as exc:
            delay = exc.retry_after
            wait = delay.total_seconds() if isinstance(delay, dt.timedelta) else float(delay)
            log.info("429 for %s: waiting %.1f s (attempt %d)", card.person_id, wait, attempt)
            await asyncio.sleep(wait)
        except NetworkError as exc:  # 5xx, timeouts, connection errors
            log.info("send to %s failed (%s), attempt %d", card.person_id, exc.message, attempt)
            await asyncio.sleep(min(2 ** (attempt - 1) * 0.5, 8))
        except TelegramError as exc:
            return UNDELIVERABLE, exc.message
    return UNDELIVERABLE, "gave up after retries"


async def _edit(bot: Bot, kit: Kit, chat_id: int, message_id: int, progress: Progress) -> None:
    try:
        await bot.edit_message_text(
            split_html(kit.texts.render("payroll_progress", p=progress))[0],
            chat_id=chat_id,
            message_id=message_id,
        )
    except TelegramError as exc:  # "message is not modified", or the chat is gone
        log.debug("progress edit: %s", exc)
