"""/roster: the month's picture, one day changed, next month's draft; the draft card's
Publish and Adjust buttons [000: 白晚班轮换; issue 16]."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot import buttons as b
from bot.roster_png import pages, roster_png
from bot.services import Refusal
from handlers.common import Call, Context, usage
from handlers.decisions import refuse, settled, supervisor_press

DRAFT_WORDS = ("draft", "草稿")


async def roster(call: Call) -> None:
    """`/roster [YYYY-MM]` shows a month; `/roster @agent <YYYY-MM-DD> <shift|rest>`
    changes one day; `/roster draft [YYYY-MM]` drafts a month (next month by default)."""
    args = call.args
    if args and args[0].casefold() in DRAFT_WORDS:
        await _draft(call, args[1:])
    elif len(args) > 1:
        await _change(call)
    else:
        await _show(call, args[0] if args else None)


async def _show(call: Call, month_text: str | None) -> None:
    with usage("roster_usage"):
        month = call.kit.rostering.month_asked(month_text, call.now)
    view = await call.kit.rostering.month(month)
    language = call.kit.policy.language
    for page in range(pages(view)):
        await call.photo(await asyncio.to_thread(roster_png, view, language, page), "roster.png")
    await call.reply("roster_text", v=view, shown=call.kit.rostering.shown)


async def _change(call: Call) -> None:
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("roster_usage") from None
    words = rest.split(maxsplit=1)
    if len(words) != 2:
        raise Refusal("roster_usage")
    with usage("roster_usage"):
        changed = await call.kit.rostering.set_day(
            call.actor, target, words[0], words[1], at=call.now
        )
    await call.reply("roster_day_set", c=changed, shifts=call.kit.policy.shifts)
    if not changed.draft:
        await call.warn_unreachable(changed.person)


async def _draft(call: Call, args: list[str]) -> None:
    if len(args) > 1:
        raise Refusal("roster_usage")
    with usage("roster_usage"):
        month = call.kit.rostering.month_asked(args[0] if args else None, call.now, ahead=True)
    view = await call.kit.rostering.draft(month, at=call.now, by=call.actor)
    await call.reply("roster_drafted", v=view)


async def decide(update: Update, context: Context) -> None:
    """The draft card: Publish (first press wins; a later one is told who published it)
    or Adjust (how to change the draft first)."""
    pressed = await supervisor_press(update, context, b.RosterDecision, "roster")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        if button.action == b.ADJUST:
            month = await kit.rostering.plan_month(button)
            await query.answer(kit.texts.plain("roster_adjust_howto", month=month), show_alert=True)
            return
        done = await kit.rostering.publish(actor, button, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    await settled(kit, query, done.new, ("roster_already", "roster_done", "roster_label"), p=done)
