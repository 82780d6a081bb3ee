"""/publicsales, /exam and /review, and the annual review's Confirm button.

Public sales [000 第10条] feed the shared commission; an exam [000, 004] under the pass
mark or at full marks reaches the ledger; the annual review [000 第十一条] is previewed
to the supervisors (protected content: every agent's grade) and confirmed once.
"""

from __future__ import annotations

from telegram import Update

from bot import buttons as b
from bot.services import Refusal
from bot.services.reviews import confirm_button
from bot.services.sales import LARGEST
from handlers.common import Call, Context, keyboard, usage
from handlers.decisions import drop_buttons, refuse, supervisor_press
from rules import parse


async def publicsales(call: Call) -> None:
    """`/publicsales <YYYY-MM> <yuan>`: the shop's public sales of a month begun and not
    locked; a second figure replaces the first, and the answer says which it replaced."""
    if len(call.args) != 2:
        raise Refusal("publicsales_usage")
    with usage("publicsales_usage"):
        month = call.kit.payroll.month_asked(call.args[0], call.now)
        amount = parse.yuan(call.args[1], high=LARGEST, zero=True)  # 0: no public sales
    entered = await call.kit.sales.enter(call.actor, month, amount, at=call.now)
    await call.reply("publicsales_set", entered=entered, rate=entered.rate)


async def exam(call: Call) -> None:
    """`/exam @agent <kind> <0-100>`: the month's exam of that kind [000, 004]."""
    kinds = list(call.kit.policy.exams.kinds.items())
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("exam_usage", kinds=kinds) from None
    words = rest.split()
    if len(words) != 2:
        raise Refusal("exam_usage", kinds=kinds)
    kind = call.kit.exams.kind(words[0])
    with usage("exam_usage", kinds=kinds):
        score = parse.integer(words[1], low=0, high=100)
    taken = await call.kit.exams.record(
        call.actor, target, kind, score, at=call.now, chat_id=call.chat.id
    )
    await call.reply("exam_recorded", taken=taken, private=call.private)
    await call.warn_unreachable(taken.person)


async def review(call: Call) -> None:
    """`/review [YYYY]`: the annual review of a year that is over (last year by default),
    drawn up if it was not yet, with the Confirm button until it is confirmed."""
    if len(call.args) > 1:
        raise Refusal("review_usage")
    reviews = call.kit.reviews
    with usage("review_usage"):
        year = reviews.year_asked(call.args[0] if call.args else None, call.now)
    found = await reviews.draw_up(year, at=call.now)
    markup = None if found.confirmed_at else keyboard(call.kit.texts, confirm_button(year))
    policy = call.kit.policy.review
    await call.reply("review_preview", r=found, review=policy, markup=markup, protect=True)


async def confirm_review(update: Update, context: Context) -> None:
    """The preview's Confirm: the first supervisor's press applies the review; a later one
    is told who confirmed it, and when."""
    pressed = await supervisor_press(update, context, b.ReviewConfirm, "review")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        done = await kit.reviews.confirm(actor, button.year, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    if not done.new:
        await refuse(kit, query, Refusal("review_already", r=done.review))
        return
    await query.answer(kit.texts.plain("review_done", r=done.review))
    label = ("review_confirmed_label", query.data or "")
    await drop_buttons(query, keyboard(kit.texts, label, r=done.review))
