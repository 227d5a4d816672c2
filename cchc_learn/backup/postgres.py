"""PostgreSQL: pg_dump in custom format from an exported snapshot; restore in one transaction.

The client programs are found on PATH. The password never appears on a command line (where
`ps` shows it to every user): the programs get the URL without it and read PGPASSWORD from
their environment.

Backup: a read-only REPEATABLE READ transaction exports its snapshot; the schema revision and
the row counts of the manifest are read in it, and pg_dump dumps that very snapshot, so the
manifest describes exactly what the dump holds.

Restore: `pg_restore` turns the dump into SQL that `psql --single-transaction` runs after a
script dropping everything in the target schema. Either the whole database is replaced or,
at any error, nothing is. If pg_restore fails half-way, psql is stopped before it reaches the
end of its input, so it never commits a partial restore.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from .errors import BackupError

CHUNK = 1024 * 1024
LOCK_TIMEOUT = "30s"

# Drops every table, view, sequence, routine and type of the target's schema, except what an
# extension owns, so that a backup of an older schema does not meet tables of a newer one.
DROP_EVERYTHING = """
SET client_min_messages = warning;
SET lock_timeout = '%(lock_timeout)s';
DO $drop$
DECLARE
  r record;
  kinds constant jsonb := '{"r": "TABLE", "p": "TABLE", "v": "VIEW",
                            "m": "MATERIALIZED VIEW", "S": "SEQUENCE", "f": "FOREIGN TABLE"}';
BEGIN
  FOR r IN
    SELECT c.relname, c.relkind FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    ORDER BY c.relkind = 'S', c.relname
  LOOP
    EXECUTE format('DROP %%s IF EXISTS %%I.%%I CASCADE', kinds ->> r.relkind::text,
                   current_schema(), r.relname);
  END LOOP;
  FOR r IN
    SELECT p.oid::regprocedure AS signature FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema() AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %%s CASCADE', r.signature);
  END LOOP;
  FOR r IN
    SELECT t.typname FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
    LEFT JOIN pg_class c ON c.oid = t.typrelid
    WHERE n.nspname = current_schema()
      AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND c.relkind = 'c'))
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP TYPE IF EXISTS %%I.%%I CASCADE', current_schema(), r.typname);
  END LOOP;
END
$drop$;
"""


@dataclass(frozen=True)
class Snapshot:
    """What the dump holds: its schema revision and the rows of each table."""

    revision: str | None
    tables: dict[str, int]


@dataclass(frozen=True)
class Target:
    """How the client programs reach the database: a URL without password, and environment."""

    conninfo: str
    password: str | None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("PGPASSWORD", None)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def target(uri: str) -> Target:
    """Split the configured SQLAlchemy URL into a libpq URL without password and the password."""
    url = make_url(uri)
    # URL.set(password=None) keeps the password: build the URL anew without it.
    bare = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                      database=url.database, query=url.query)
    return Target(bare.render_as_string(hide_password=False), url.password)


def program(name: str) -> str:
    """The path of a PostgreSQL client program on PATH."""
    found = shutil.which(name)
    if not found:
        raise BackupError(f"Không tìm thấy chương trình {name} trên PATH: hãy cài gói "
                          "postgresql-client cùng phiên bản với máy chủ PostgreSQL.")
    return found


def connect(where: Target) -> psycopg.Connection:
    try:
        return psycopg.connect(where.conninfo, password=where.password, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise BackupError(f"Không kết nối được PostgreSQL: {str(exc).strip()}.") from None


def describe(connection: psycopg.Connection) -> Snapshot:
    """Read the revision and the row counts of every table of the current schema."""
    names = [row[0] for row in connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
    tables = {}
    for name in names:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))
        tables[name] = connection.execute(query).fetchone()[0]
    revision = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return Snapshot(revision, tables)


def _tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
    lines = [line for line in text.splitlines() if line.strip()]
    return " ".join(lines[-3:])[:800]


def dump(uri: str, target_file: Path) -> Snapshot:
    """Dump the database at uri into target_file (custom format); describe what it holds."""
    pg_dump = program("pg_dump")
    where = target(uri)
    errors = target_file.with_name(target_file.name + ".err")
    with connect(where) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        snapshot_id = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        snapshot = describe(connection)
        with errors.open("wb") as err:
            done = subprocess.run(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot_id}", f"--file={target_file}",
                 f"--dbname={where.conninfo}"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                env=where.env(), check=False)
        connection.rollback()
    if done.returncode != 0:
        raise BackupError(f"pg_dump thất bại (mã {done.returncode}): {_tail(errors)}")
    return snapshot


def check_copy(path: Path) -> None:
    """Make sure an extracted dump is one pg_restore can read."""
    errors = path.with_name(path.name + ".list-err")
    with errors.open("wb") as err:
        done = subprocess.run([program("pg_restore"), "--list", str(path)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                              check=False)
    if done.returncode != 0:
        raise BackupError(f"Tệp dump PostgreSQL trong bản sao lưu không đọc được: {_tail(errors)}")


def restore(dump_file: Path, uri: str, work: Path) -> None:
    """Replace everything in the target schema with the dump, all or nothing."""
    pg_restore, psql = program("pg_restore"), program("psql")
    where = target(uri)
    drop = work / "drop-everything.sql"
    drop.write_text(DROP_EVERYTHING % {"lock_timeout": LOCK_TIMEOUT}, encoding="utf-8")
    restore_err, psql_err = work / "pg_restore.err", work / "psql.err"
    with restore_err.open("wb") as err1, psql_err.open("wb") as err2:
        producer = subprocess.Popen(
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump_file)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err1)
        consumer = subprocess.Popen(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=terse",
             "--single-transaction", f"--dbname={where.conninfo}", "-f", str(drop), "-f", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err2, env=where.env())
        complete = _pipe(producer, consumer)
        produced = producer.wait()
        if complete and produced == 0:
            try:
                consumer.stdin.close()  # the end of its input: psql commits
            except BrokenPipeError:
                pass
        else:
            # Stop psql before it sees the end of its input: it never commits.
            consumer.kill()
        consumed = consumer.wait()
    if complete and produced != 0:
        raise BackupError(f"pg_restore thất bại (mã {produced}), không có gì thay đổi: "
                          f"{_tail(restore_err)}")
    if consumed != 0:
        message = _tail(psql_err)
        if "lock timeout" in message:
            message += (" — cơ sở dữ liệu đang được dùng: hãy dừng ứng dụng và tác vụ định kỳ "
                        "trước khi phục hồi")
        raise BackupError(f"Phục hồi PostgreSQL thất bại, không có gì thay đổi: {message}")


def _pipe(producer: subprocess.Popen, consumer: subprocess.Popen) -> bool:
    """Copy the producer's output to the consumer's input; False if the consumer quit."""
    assert producer.stdout is not None and consumer.stdin is not None
    try:
        while chunk := producer.stdout.read(CHUNK):
            consumer.stdin.write(chunk)
    except BrokenPipeError:
        producer.kill()
        return False
    finally:
        producer.stdout.close()
    return True
