"""/problem, /problems, /answer and the weekly review's Answer button [000: the problem
notebook, handed to the lead weekly]."""

from __future__ import annotations

from telegram import Update

from bot import buttons as b
from bot.send import send_html
from bot.services import Refusal
from bot.services.problems import Answered
from handlers.common import Call, Context, usage
from handlers.decisions import refuse, supervisor_press
from rules import parse


def _after_command(call: Call, words: int) -> list[str]:
    """The text after the command, split into at most `words` parts."""
    return (call.message.text or "").split(maxsplit=words)[1:]


async def problem(call: Call) -> None:
    """`/problem <text>`: noted for the week's review."""
    typed = _after_command(call, 1)
    row = await call.kit.problems.note(call.actor, typed[0] if typed else "", at=call.now)
    await call.reply("problem_noted", problem=row)


async def problems(call: Call) -> None:
    """`/problems`: the open ones, oldest first, grouped by agent."""
    if call.args:
        raise Refusal("problems_usage")
    await call.reply("problems_open", found=await call.kit.problems.open_list())


async def answer(call: Call) -> None:
    """`/answer <id> <text>`: a supervisor's answer, sent to the author by DM."""
    words = _after_command(call, 2)
    if len(words) < 2:
        raise Refusal("answer_usage")
    with usage("answer_usage"):
        problem_id = parse.entry_id(words[0])
    answered = await call.kit.problems.answer(call.actor, problem_id, words[1], at=call.now)
    await call.reply(
        "problem_answer_sent" if answered.new else "problem_already", answered=answered
    )


async def answer_button(update: Update, context: Context) -> None:
    """The review card's Answer: the presser gets, by DM, the problem and the exact
    `/answer` command; an answered problem is said to be so."""
    pressed = await supervisor_press(update, context, b.ProblemAnswer, "problem")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        row, author, by = await kit.problems.get(button.problem_id)
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    if row.answered_at is not None:
        answered = Answered(row, author, by, new=False)
        await query.answer(kit.texts.plain("problem_already", answered=answered), show_alert=True)
        return
    how = kit.texts.render("problem_answer_how", problem=row, author=author)
    await send_html(context.bot, actor.id, how)
    await query.answer(kit.texts.plain("problem_answer_asked", problem=row))
