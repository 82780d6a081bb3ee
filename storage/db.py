"""The database: URL handling, the engine, units of work and migrations.

Each use-case's database work is one plain function over a `Session`, run in
a transaction on a worker thread (`Database.run`), so the event loop is never
blocked and a use-case pays one thread hop, not one per statement (with
aiosqlite every statement is a hop; alone, the same work ran 2.8x faster this
way, though the whole shift-start burst came out even, bound by the GIL and
HTTP). A use-case is thus plain synchronous code, read top to bottom. SQLite
gets a single worker thread, since it takes one writer at a time anyway; every SQLite
transaction starts with BEGIN IMMEDIATE and waits on the lock (busy timeout),
so another process writing at the same time makes it wait, not fail.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlmodel import Session

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_URL = "sqlite:///data/kefu.db"
POSTGRES_WORKERS = 8
T = TypeVar("T")


class DatabaseError(Exception):
    """A database URL or server the bot cannot use; the message is one line for people."""


def engine_url(raw: str) -> URL:
    """The URL with the driver kefu uses (pysqlite or psycopg), from what a person wrote."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseError(
            f"DATABASE_URL {raw!r} is not a database URL "
            "(expected sqlite:///path or postgresql://user:pass@host/db)"
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.host:  # sqlite://data/x.db: "data" is read as a host
            raise DatabaseError(
                f"DATABASE_URL {raw!r} has two slashes: a SQLite file is "
                f"sqlite:///{url.host}/{url.database or ''} (three slashes; four before an "
                "absolute path)"
            )
        if not url.database or url.database == ":memory:":
            raise DatabaseError("DATABASE_URL must name a SQLite file, e.g. sqlite:///data/kefu.db")
        return url.set(drivername="sqlite+pysqlite")
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    raise DatabaseError(
        f"DATABASE_URL scheme {url.drivername!r} is not supported (use sqlite:// or postgresql://)"
    )


def shown_url(url: URL) -> str:
    """The URL as people write it, for messages and logs: no password, no driver name."""
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL + NORMAL: a commit survives the process being killed (kill -9), not
    # necessarily a power cut; FULL cost a quarter of the shift-start throughput.
    # PostgreSQL (fsync on commit) is the engine for stricter needs.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A unit that only reads needs no lock: each statement sees a consistent
    # snapshot on its own (and saves two statements and the writer's lock).
    if not connection.get_execution_options().get("kefu_read_only"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine, its worker threads, and units of work for one DATABASE_URL."""

    def __init__(self, raw_url: str) -> None:
        self.url = engine_url(raw_url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        workers = 1 if self.is_sqlite else POSTGRES_WORKERS
        options: dict[str, Any] = {"pool_size": workers, "max_overflow": 0}
        if self.is_sqlite:
            assert self.url.database is not None
            Path(self.url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            options["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            options["pool_pre_ping"] = True
            options["connect_args"] = {"connect_timeout": 10}
        self.engine: Engine = create_engine(self.url, **options)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="kefu-db")

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction on a worker thread; commit, or roll back if it raises."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(self._unit, work))

    async def read(self, work: Callable[[Session], T]) -> T:
        """Run `work`, which only reads, on a worker thread (no write lock on SQLite)."""
        loop = asyncio.get_running_loop()
        unit = functools.partial(self._unit, work, read_only=True)
        return await loop.run_in_executor(self._executor, unit)

    def _unit(self, work: Callable[[Session], T], *, read_only: bool = False) -> T:
        with Session(self.engine, expire_on_commit=False) as session:
            session.begin()
            if read_only:
                session.connection(execution_options={"kefu_read_only": True})
            try:
                result = work(session)
                session.commit()
            except BaseException:
                # Detach first, so rows the work read (and an error may show) stay readable.
                session.expunge_all()
                session.rollback()
                raise
            return result

    async def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration (Alembic)."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._upgrade)

    def _upgrade(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except (OperationalError, DBAPIError) as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            check = "check DATABASE_URL" + ("" if self.is_sqlite else ", and that the server runs")
            raise DatabaseError(
                f"cannot use the database at {self.safe_url}: {reason} ({check})"
            ) from None

    @property
    def safe_url(self) -> str:
        """The URL with its password hidden, for messages and logs."""
        return shown_url(self.url)

    async def ping(self) -> None:
        """A round trip to the database (for /healthz); raises if it does not answer."""
        await self.read(lambda session: session.execute(text("SELECT 1")).scalar_one())

    async def close(self) -> None:
        """Let running work finish, then close the worker threads and every connection."""
        await asyncio.to_thread(self._executor.shutdown, wait=True)
        await asyncio.to_thread(self.engine.dispose)
