"""/followup, /followed and /followups: shoppers to contact again within the policy's
days, closed with any sale recovered [000; issue 17, part 3]."""

from __future__ import annotations

from bot.services import Refusal
from handlers.common import Call, usage
from rules import parse


async def followup(call: Call) -> None:
    """`/followup <buyer> <reason>`; with no argument, the agent's open follow-ups."""
    words = (call.message.text or "").split(maxsplit=2)[1:]
    if not words:
        await followups(call)
        return
    if len(words) < 2:
        raise Refusal("followup_usage")
    follow = await call.kit.followups.record(call.actor, words[0], words[1], at=call.now)
    await call.reply("followup_recorded", follow=follow)


async def followed(call: Call) -> None:
    """`/followed <id> [yuan]`: the agent's follow-up closed, with any sale recovered (the
    yuan is only said in a DM)."""
    if not 1 <= len(call.args) <= 2:
        raise Refusal("followed_usage")
    with usage("followed_usage"):
        follow_id = parse.entry_id(call.args[0])
    amount = call.args[1] if len(call.args) == 2 else None
    closed = await call.kit.followups.close(call.actor, follow_id, amount, at=call.now)
    await call.reply("followed_done", closed=closed, private=call.private)


async def followups(call: Call) -> None:
    """`/followups`: the agent's open follow-ups, the earliest due first."""
    lines = await call.kit.followups.open_of(call.actor, at=call.now)
    await call.reply("followups_open", lines=lines)
