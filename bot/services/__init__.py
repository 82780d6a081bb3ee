"""Use-cases shared by handlers and scheduled jobs: load → compute with rules → save.

A use-case that cannot go ahead raises `Refusal` with the name of the template
that explains why; it has changed nothing by then (its transaction is rolled back).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from rules.errors import Refusal

__all__ = ["Refusal", "local"]


def local(moment: dt.datetime | None, tz: ZoneInfo) -> dt.datetime | None:
    """A moment as a spreadsheet cell: team time, without the zone (XLSX has none)."""
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None)
