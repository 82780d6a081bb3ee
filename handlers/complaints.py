"""/complaint (open a case, or list the open ones), /replied, /solved and /arbitration:
complaints on the 24 h / 48 h clock [000]."""

from __future__ import annotations

from bot.services import Refusal
from bot.services.people import Target
from handlers.common import Call, usage

SHOWN = 30  # open cases listed by a bare /complaint


def _after_command(call: Call) -> str:
    words = (call.message.text or "").split(maxsplit=1)
    return words[1] if len(words) > 1 else ""


async def complaint(call: Call) -> None:
    """`/complaint <order-no> <text>`, `/complaint @agent <order-no> <text>` (a
    supervisor), or a bare `/complaint`: the open cases."""
    rest = _after_command(call)
    if not rest.strip():
        cases = await call.kit.complaints.unsolved(call.actor)
        more, boss = len(cases) - SHOWN, call.is_supervisor
        await call.reply("complaint_list", cases=cases[:SHOWN], more=more, boss=boss)
        return
    target: Target | None = None
    try:
        target, rest = call.target()
    except Refusal:
        target = None
    view = await call.kit.complaints.open(call.actor, target, rest, at=call.now)
    await call.reply("complaint_opened", v=view)
    if target is not None:
        await call.warn_unreachable(view.person)


def _case_and_rest(call: Call, key: str) -> tuple[str, str]:
    words = _after_command(call).split(maxsplit=1)
    if not words:
        raise Refusal(key)
    return words[0], words[1] if len(words) > 1 else ""


def _bare(call: Call, key: str) -> str:
    """The case number of a command that takes nothing else."""
    case, rest = _case_and_rest(call, key)
    if rest.strip():
        raise Refusal(key)
    return case


async def replied(call: Call) -> None:
    """`/replied <case>`: the case's first answer."""
    case = _bare(call, "replied_usage")
    with usage("replied_usage"):
        view = await call.kit.complaints.replied(call.actor, case, at=call.now)
    await call.reply("complaint_replied", v=view)


async def solved(call: Call) -> None:
    """`/solved <case> [how]`: the case closed."""
    case, how = _case_and_rest(call, "solved_usage")
    with usage("solved_usage"):
        view = await call.kit.complaints.solved(call.actor, case, how, at=call.now)
    await call.reply("complaint_solved", v=view)


async def arbitration(call: Call) -> None:
    """`/arbitration <case>`: the platform stepped in."""
    case = _bare(call, "arbitration_usage")
    with usage("arbitration_usage"):
        view = await call.kit.complaints.arbitration(call.actor, case, at=call.now)
    await call.reply("complaint_arbitration", v=view)
