"""Column types shared by the tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as UTC; naive values are refused.

    SQLite keeps no time zone, so every value is normalised to UTC on the way
    in and comes back aware (UTC) on the way out, on every engine alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: every time kefu stores must be aware")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]


class epoch_us(FunctionElement[int]):
    """A stored datetime as integer microseconds since 1970 (UTC), exactly, in SQL.

    Lets a query compare durations (`shift_end - ended_at > grace`) without loading
    rows: PostgreSQL's EXTRACT(EPOCH ...) is exact; SQLite keeps `UTCDateTime` as
    'YYYY-MM-DD HH:MM:SS.ffffff' text, read as whole seconds plus the six digits (the
    fraction is cut off before strftime, which would round .9995 up to the next second).
    """

    type = BigInteger()
    inherit_cache = True
    name = "epoch_us"


@compiles(epoch_us)
def _epoch_us(element: epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"CAST(EXTRACT(EPOCH FROM {value}) * 1000000 AS BIGINT)"


@compiles(epoch_us, "sqlite")
def _epoch_us_sqlite(element: epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    # unixepoch() (SQLite 3.38+) is twice as fast as strftime('%s'), which older ones have.
    version = getattr(compiler.dialect.dbapi, "sqlite_version_info", (0,))
    seconds = "unixepoch" if version >= (3, 38) else "strftime('%s', "
    seconds = (
        f"unixepoch(substr({value}, 1, 19))"
        if seconds == "unixepoch"
        else (f"CAST(strftime('%s', substr({value}, 1, 19)) AS INTEGER)")
    )
    return f"({seconds} * 1000000 + CAST(substr({value}, 21, 6) AS INTEGER))"
