"""What a supervisor's press on one of the bot's cards records for the people it names.

The cards (missing weekly reports, unconfirmed meetings, an absence, a long break)
are posted by scheduled jobs; a press that logs records one ledger entry per
person named, each in its own transaction with its usual notices (the agent's DM,
the team group's post), so the handler behind the button sends nothing itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.kit import Kit
from storage.models import Person


async def log_each(
    kit: Kit, actor: Person, people: Sequence[Person], *, code: str, note: str
) -> int:
    """Log `code` for each of `people` through the ledger, by `actor`; how many."""
    for person in people:
        await kit.ledger.log_for(
            actor, person, code=code, note=note, at=kit.clock(), chat_id=actor.id
        )
    return len(people)
