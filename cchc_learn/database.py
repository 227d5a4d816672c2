"""Engine setup: SQLite tuned for concurrent workers, PostgreSQL through psycopg 3."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db

# Whether the current unit of work will write. On SQLite a transaction that reads first and
# writes later cannot upgrade its lock while another process writes ("database is locked"
# even under WAL), so writers take the write lock up front with BEGIN IMMEDIATE. A request
# reads without it (loading the account, checking the form, rendering Markdown) and takes it
# when its service starts (`transactional`, `begin_writing`), so the one write lock is held
# only while the service runs.
_write_intent: ContextVar[bool] = ContextVar("cchc_write_intent", default=False)

F = TypeVar("F", bound=Callable[..., Any])
SQLITE_BUSY_TIMEOUT_MS = 15_000


_depth: ContextVar[int] = ContextVar("cchc_unit_of_work_depth", default=0)


def transactional(func: F) -> F:
    """Make a service function one unit of work: commit when it returns, roll back when it raises.

    Views and commands call such a function and never commit themselves. Calls nest: only the
    outermost transactional function commits or rolls back, so one service can build on
    another and stay all-or-nothing.
    """

    @wraps(func)
    def unit_of_work(*args: Any, **kwargs: Any) -> Any:
        depth = _depth.get()
        token = _depth.set(depth + 1)
        declared = writes_declared()
        try:
            if depth == 0:
                begin_writing()
            result = func(*args, **kwargs)
            if depth == 0:
                db.session.commit()
            return result
        except BaseException:
            if depth == 0:
                db.session.rollback()
            raise
        finally:
            _depth.reset(token)
            if depth == 0:
                declare_write(declared)  # what the request reads next takes no write lock

    return unit_of_work  # type: ignore[return-value]


def in_unit_of_work() -> bool:
    """Whether a transactional service is running (its caller commits what is written)."""
    return _depth.get() > 0


def declare_write(value: bool = True) -> None:
    """Mark the current request or command as one that writes (before its first query)."""
    _write_intent.set(value)


def writes_declared() -> bool:
    """Whether the current request or command has declared that it writes."""
    return _write_intent.get()


_FLUSHED = "cchc_flushed"


def begin_writing() -> None:
    """Go on in a writing transaction (SQLite: one that took the write lock with BEGIN IMMEDIATE).

    A transaction that has only read so far is ended first (what it loaded is reloaded when
    next used, inside the writing one), so the lock is taken now and not at the request's
    first query. One that already wrote goes on as it is.
    """
    session = db.session()
    if session.get_bind().dialect.name == "sqlite" and session.in_transaction():
        immediate = session.connection().info.get(_IMMEDIATE)
        wrote = session.new or session.dirty or session.deleted or session.info.get(_FLUSHED)
        if not immediate and not wrote:
            session.rollback()
    declare_write()


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    session.info[_FLUSHED] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_flush(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_FLUSHED, None)


@contextmanager
def reading() -> Iterator[None]:
    """Run the block with transactions that only read (plain BEGIN on SQLite, no write lock)."""
    token = _write_intent.set(False)
    try:
        yield
    finally:
        _write_intent.reset(token)


@contextmanager
def short_write() -> Iterator[None]:
    """Run the block in a writing transaction of its own, committed when the block ends.

    For a unit of work that only reads (a page view) yet must record something: its read
    transaction ends first, so on SQLite the write lock (BEGIN IMMEDIATE) is held only while
    the block's changes are written, not while the rest of the request runs. Nothing loaded is
    expired, since the reading part changed nothing.
    """
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    token = None
    try:
        session.commit()
        token = _write_intent.set(True)
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if token is not None:
            _write_intent.reset(token)
        session.expire_on_commit = keep


REPORT_WORK_MEM = "32MB"
"""Memory PostgreSQL may give each sort or hash of a report's transaction (default 4 MB): a
province's per-official aggregate then stays in memory instead of spilling to disk."""


def room_for_reports() -> None:
    """Let the current transaction's aggregates use REPORT_WORK_MEM (PostgreSQL; no-op else).

    SET LOCAL: it ends with the transaction, so other work on the connection is unaffected.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'"))


def init_app(app: Flask) -> None:
    """Bind the database and tune the SQLite engine when it is used."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://") or uri.startswith("postgres://"):
        # psycopg 3 is the driver; a bare postgresql:// URL would look for psycopg2.
        uri = "postgresql+psycopg://" + uri.split("://", 1)[1]
        app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    busy_ms = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS") or SQLITE_BUSY_TIMEOUT_MS)
    if uri.startswith("sqlite"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", busy_ms / 1000)
        connect_args.setdefault("check_same_thread", False)
        options["connect_args"] = connect_args
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine, busy_ms, bool(app.config.get("SQLITE_STRICT_WRITES")))

    @app.before_request
    def _start_reading() -> None:
        # Every request starts reading; its service takes the write lock when it starts
        # (`transactional`, `begin_writing`), a page view that records something in its own
        # `short_write`.
        declare_write(False)


_IMMEDIATE = "cchc_immediate"
_READ = "cchc_read"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class LateWrite(RuntimeError):
    """A request wrote in a SQLite transaction that had begun without the write lock."""


def _tune_sqlite(engine: Engine, busy_ms: int, strict: bool = False) -> None:
    """WAL, busy timeout, foreign keys, and BEGIN IMMEDIATE for writing transactions."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN instead of pysqlite's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = _write_intent.get()
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        connection.info[_IMMEDIATE] = immediate
        connection.info[_READ] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _watch_late_writes(connection, _cursor, statement, _params, _context, _many) -> None:
        # A request that reads and then writes in one transaction begun without the lock can
        # fail at once with "database is locked" when another writer went first. Logged in
        # service; raised under SQLITE_STRICT_WRITES (the tests) so every such path is found.
        if connection.info.get(_IMMEDIATE, True) or not has_request_context():
            return
        verb = statement.lstrip()[:7].upper()
        if verb.startswith(("SELECT", "WITH")):
            connection.info[_READ] = True
        elif verb.startswith(_WRITES) and connection.info.get(_READ):
            message = f"write after reads without the write lock: {request.method} {request.path}"
            if strict:
                raise LateWrite(message)
            logging.getLogger("cchc_learn").warning(message)
