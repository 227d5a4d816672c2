"""Writing the generated rows fast: COPY on PostgreSQL, executemany on SQLite, one transaction.

Rows are written by table name, as a restore writes them: the loader knows the schema, not
the features' services (which would check, audit and notify row by row, and take hours for
millions of rows). Columns a row leaves out take the model's Python default, as an ORM insert
would.

**The access summary.** Loading events through the trigger of migration 0015 folds them one by
one (an upsert per event); for millions of events it is much faster to switch the trigger off
for the load and build the summary afterwards with one `INSERT … SELECT` grouping the events
by official, thing and Vietnamese year — the query migration 0013 ran to build it the first
time. Both give the same rows (tests/demo/test_demo_scale.py loads the same events both ways
and compares); the trigger is back on when the transaction commits, and a failure rolls back
everything, the switch included.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert, text

from ..extensions import db

TRIGGERS = ("access_event_summary", "access_event_progress")
BATCH = 50_000

# The Vietnamese calendar year of an event, as migrations 0013 and 0015 compute it.
YEAR = {
    "postgresql": "CAST(EXTRACT(YEAR FROM at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS INTEGER)",
    "sqlite": "CAST(strftime('%Y', substr(at, 1, 19), '+7 hours') AS INTEGER)",
}
SUMMARY = """
INSERT INTO access_summary (user_id, object_type, object_id, year, first_at, last_at,
                            completed_at, last_completed_at)
SELECT user_id, object_type, object_id, {year},
       MIN(CASE WHEN action IN ('view', 'download') THEN at END),
       MAX(CASE WHEN action IN ('view', 'download') THEN at END),
       MIN(CASE WHEN action = 'complete' THEN at END),
       MAX(CASE WHEN action = 'complete' THEN at END)
FROM access_event
WHERE action IN ('view', 'download', 'complete')
GROUP BY user_id, object_type, object_id, {year}
"""
EVENT_COLUMNS = ("id", "user_id", "object_type", "object_id", "action", "version", "at")


def table(name: str) -> Table:
    """A table of the application's schema, by name."""
    return db.metadata.tables[name]


def _default(column) -> Any:
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        return default.arg
    return default.arg(None)  # a callable, wrapped by SQLAlchemy to take a context


def _columns(tbl: Table, rows: list[dict]) -> list[tuple[str, Any, bool]]:
    """(name, default, is JSON) of the columns to copy: given ones and those with a default."""
    given: set[str] = set()
    for row in rows:
        given.update(row)
    out = []
    for column in tbl.columns:
        if column.key in given or column.default is not None:
            out.append((column.key, _default(column), isinstance(column.type, JSON)))
        elif column.server_default is None and not column.nullable and column.key not in given:
            raise ValueError(f"{tbl.name}.{column.key}: no value and no default")
    return out


def write(conn: Connection, name: str, rows: list[dict]) -> int:
    """Insert rows (dicts by column key) into a table; returns how many."""
    if not rows:
        return 0
    tbl = table(name)
    columns = _columns(tbl, rows)
    if conn.dialect.name != "postgresql":
        # executemany needs every row to name the same columns.
        for i in range(0, len(rows), BATCH):
            conn.execute(insert(tbl), [{key: row.get(key, default) for key, default, _ in columns}
                                       for row in rows[i : i + BATCH]])  # fmt: skip
        return len(rows)
    names = ", ".join(f'"{tbl.c[key].name}"' for key, _, _ in columns)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f'COPY "{tbl.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                values = []
                for key, default, is_json in columns:
                    value = row.get(key, default)
                    values.append(json.dumps(value, ensure_ascii=False)
                                  if is_json and value is not None else value)  # fmt: skip
                copy.write_row(values)
    finally:
        cursor.close()
    return len(rows)


def write_events(conn: Connection, events: Iterable[tuple], *, first_id: int = 1,
                 progress: Callable[[int], None] | None = None) -> int:
    """Insert events (user, type, id, action, 'YYYY-MM-DD HH:MM:SS' UTC); returns how many."""
    n = first_id - 1
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            with cursor.copy(f"COPY access_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                lines: list[str] = []
                for user, kind, obj, action, stamp in events:
                    n += 1
                    lines.append(f"{n}\t{user}\t{kind}\t{obj}\t{action}\t1\t{stamp}+00\n")
                    if len(lines) == BATCH:
                        copy.write("".join(lines))
                        lines.clear()
                        if progress:
                            progress(n - first_id + 1)
                copy.write("".join(lines))
        finally:
            cursor.close()
    else:
        sql = (f"INSERT INTO access_event ({', '.join(EVENT_COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})")  # fmt: skip
        batch: list[tuple] = []
        for user, kind, obj, action, stamp in events:
            n += 1
            # SQLite keeps a UTC time as this text (see coltypes.UTCDateTime).
            batch.append((n, user, kind, obj, action, 1, f"{stamp}.000000"))
            if len(batch) == BATCH:
                conn.exec_driver_sql(sql, batch)
                batch.clear()
                if progress:
                    progress(n - first_id + 1)
        if batch:
            conn.exec_driver_sql(sql, batch)
    if progress:
        progress(n - first_id + 1)
    return n - first_id + 1


class TriggerOff:
    """Within the block, inserting events neither folds them into the summary nor marks their
    officials' plan progress stale (same transaction); the summary is built after, and plans
    with no kept progress build theirs at their first report."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite_sql: list[str] = []

    def __enter__(self) -> TriggerOff:
        for name in TRIGGERS:
            if self.conn.dialect.name == "postgresql":
                self.conn.execute(text(f"ALTER TABLE access_event DISABLE TRIGGER {name}"))
            else:
                self.sqlite_sql.append(self.conn.execute(text(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"
                ), {"name": name}).scalar_one())  # fmt: skip
                self.conn.execute(text(f"DROP TRIGGER {name}"))
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            return  # the transaction rolls back, and the triggers with it
        if self.conn.dialect.name == "postgresql":
            for name in TRIGGERS:
                self.conn.execute(text(f"ALTER TABLE access_event ENABLE TRIGGER {name}"))
        else:
            for sql in self.sqlite_sql:
                self.conn.exec_driver_sql(sql)


class IndexesOff:
    """Within the block the tables' secondary indexes are gone; they are built again after.

    Building an index once over millions of rows sorts them; keeping it while they arrive in
    random order costs several times more. The drop and the build are in the transaction.
    """

    def __init__(self, conn: Connection, *names: str) -> None:
        self.conn = conn
        self.indexes = [index for name in names for index in sorted(
            table(name).indexes, key=lambda i: i.name)]  # fmt: skip

    def __enter__(self) -> IndexesOff:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for index in self.indexes:
            index.drop(self.conn)
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            for index in self.indexes:
                index.create(self.conn)


def build_summary(conn: Connection) -> int:
    """Fold every event into access_summary with one INSERT … SELECT; returns the rows made."""
    dialect = conn.dialect.name
    result = conn.execute(text(SUMMARY.format(year=YEAR.get(dialect, YEAR["sqlite"]))))
    return result.rowcount


def reset_sequences(conn: Connection, names: Iterable[str]) -> None:
    """Make PostgreSQL's id sequences continue after the ids written here."""
    if conn.dialect.name != "postgresql":
        return
    for name in names:
        tbl = table(name)
        if "id" not in tbl.c or not tbl.c.id.autoincrement:
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{name}\"), 0) + 1, false)"
        ))  # fmt: skip


def clear(conn: Connection) -> None:
    """Empty every table of the application (the schema and its version stay)."""
    tables = list(reversed(db.metadata.sorted_tables))
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    for tbl in tables:
        # A row's parent in the same table is refused deletion first (RESTRICT): unlink them.
        own = {fk.parent.key: None for fk in tbl.foreign_keys
               if fk.column.table is tbl and fk.parent.nullable}  # fmt: skip
        if own:
            conn.execute(tbl.update().values(own))
        conn.execute(tbl.delete())

