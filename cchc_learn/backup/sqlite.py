"""SQLite: copy the live database out, and into place, with the online backup API.

Never a file copy: a live database in WAL mode keeps recent pages in its -wal file, and a copy
of the main file alone can be torn or stale. `sqlite3.Connection.backup` reads one consistent
state of the database (under WAL it does not stop writers) and writes it in one step.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from .errors import BackupError

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Snapshot:
    """What the copied database holds: its schema revision and the rows of each table."""

    revision: str | None
    tables: dict[str, int]


def _read_only(path: Path) -> str:
    return f"{path.absolute().as_uri()}?mode=ro"


def database_path(uri: str) -> Path:
    """The file of a sqlite:/// URL; an in-memory database cannot be backed up or restored."""
    name = make_url(uri).database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu hay phục hồi được.")
    return Path(name)


def describe(connection: sqlite3.Connection) -> Snapshot:
    """Read the revision and row counts of the database a connection is open on."""
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name")]
    tables = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
              for name in names}
    revision = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return Snapshot(revision, tables)


def dump(uri: str, target: Path) -> Snapshot:
    """Copy the live database at uri into the new file target; describe the copy."""
    source_path = database_path(uri)
    if not source_path.is_file():
        raise BackupError(f"Không tìm thấy tệp cơ sở dữ liệu SQLite {source_path}.")
    source = sqlite3.connect(source_path, timeout=TIMEOUT_SECONDS)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # The copy is one self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        return describe(copy)
    except sqlite3.Error as exc:
        raise BackupError(f"Không sao chép được cơ sở dữ liệu SQLite: {exc}.") from None
    finally:
        copy.close()
        source.close()


def check_copy(path: Path, revision: str) -> Snapshot:
    """Make sure an extracted copy is a sound SQLite database of the expected revision."""
    try:
        copy = sqlite3.connect(_read_only(path), uri=True)
        try:
            status = copy.execute("PRAGMA quick_check").fetchone()[0]
            if status != "ok":
                raise BackupError(f"Tệp cơ sở dữ liệu trong bản sao lưu bị hỏng: {status}.")
            snapshot = describe(copy)
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Tệp cơ sở dữ liệu trong bản sao lưu không đọc được: {exc}.") from None
    if snapshot.revision != revision:
        raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu có phiên bản lược đồ "
                          f"{snapshot.revision}, manifest.json ghi {revision}.")
    return snapshot


def restore(copy_path: Path, uri: str) -> None:
    """Replace the whole database at uri with the copy, in one write transaction."""
    target_path = database_path(uri)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    copy = sqlite3.connect(_read_only(copy_path), uri=True)
    target = sqlite3.connect(target_path, timeout=TIMEOUT_SECONDS)
    try:
        copy.backup(target)
    except sqlite3.OperationalError as exc:
        raise BackupError(f"Không ghi được vào cơ sở dữ liệu {target_path}: {exc} (hãy dừng "
                          "ứng dụng và tác vụ định kỳ trước khi phục hồi).") from None
    finally:
        target.close()
        copy.close()
