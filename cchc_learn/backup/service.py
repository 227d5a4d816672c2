"""`cchc-learn backup` and `restore`: one consistent archive of the database and the uploads.

Restore checks first and acts afterwards: the archive is extracted into a folder of its own
while every member is checked against the manifest; the database kind, the schema revision
and the target's emptiness are checked; only then are the uploads put in place (they are only
ever added: stored names are unique and their bytes never change), the database replaced in
one transaction, the schema upgraded when the backup is older than the code, and each
feature's restore hook run (search, sessions, the e-mail outbox: see docs/backup.md).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import inspect, literal_column, select
from sqlalchemy.exc import SQLAlchemyError

from ..clock import utcnow
from ..database import declare_write
from ..extensions import db
from . import archive, hooks, postgres, sqlite
from .archive import KINDS, Manifest, Member
from .errors import BackupError


@dataclass(frozen=True)
class BackupSummary:
    """What a backup wrote."""

    path: Path
    manifest: Manifest


@dataclass
class RestoreSummary:
    """What a restore did."""

    manifest: Manifest
    replaced: list[str]
    upgraded_to: str | None
    notes: list[tuple[str, str]] = field(default_factory=list)


def database_kind() -> str:
    """`sqlite` or `postgresql`: the configured database."""
    name = db.engine.dialect.name
    if name not in KINDS:
        raise BackupError(f"Loại cơ sở dữ liệu {name} không được hỗ trợ.")
    return name


def app_version() -> str:
    """The installed version of the application."""
    try:
        return metadata.version("cchc-learn")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]).absolute()


def _uploads(folder: Path) -> list[tuple[str, Path]]:
    """Every stored file under folder as (member name, path); half-written temp files left out."""
    found = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue  # a file being written (`.name.tmp`) or a hidden one: not content
        if path.is_file() and not path.is_symlink():
            found.append((archive.UPLOADS + relative.as_posix(), path))
    return found


def make_backup(output: str | Path) -> BackupSummary:
    """Write the archive to output; a failed backup leaves no file behind."""
    target = Path(output).absolute()
    uploads_dir = _upload_dir()
    if target.is_dir():
        raise BackupError(f"{output} là một thư mục: hãy cho tên tệp, ví dụ sao-luu.tar.")
    if not target.parent.is_dir():
        raise BackupError(f"Không có thư mục {target.parent} để ghi tệp sao lưu.")
    if target.is_relative_to(uploads_dir):
        raise BackupError("Không ghi tệp sao lưu vào thư mục tải lên (UPLOAD_DIR): bản sao "
                          "lưu sẽ chứa chính nó.")
    kind = database_kind()
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    work = Path(tempfile.mkdtemp(prefix=".cchc-backup-", dir=target.parent))
    partial = target.parent / f".{target.name}.{uuid.uuid4().hex[:12]}.partial"
    try:
        copy = work / "database"
        if kind == "sqlite":
            snapshot = sqlite.dump(uri, copy)
        else:
            snapshot = postgres.dump(uri, copy)
        if not snapshot.revision:
            raise BackupError("Cơ sở dữ liệu chưa được khởi tạo (không có alembic_version): "
                              "hãy chạy cchc-learn db upgrade.")
        name = archive.DATABASE_MEMBERS[kind]
        members = [Member(name, *archive.file_digest(copy))]
        sources = {name: copy}
        # After the database: every file a row of the copy names was written before the row
        # was committed, so it is here now.
        for member_name, path in _uploads(uploads_dir):
            members.append(Member(member_name, *archive.file_digest(path)))
            sources[member_name] = path
        manifest = Manifest(
            app_version=app_version(), alembic_revision=snapshot.revision, database=kind,
            created_at=utcnow().isoformat(timespec="seconds"), tables=snapshot.tables,
            members=members)
        archive.write(partial, manifest, sources)
        # The archive holds password hashes and two-factor secrets.
        os.chmod(partial, 0o600)
        archive.replace_atomically(partial, target)
    except OSError as exc:
        raise BackupError(f"Không ghi được tệp sao lưu {output}: {exc.strerror or exc}.") from None
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return BackupSummary(target, manifest)


# --- restore -----------------------------------------------------------------------------------


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", current_app.config["MIGRATIONS_DIR"])
    return ScriptDirectory.from_config(config)


def check_revision(revision: str) -> bool:
    """Whether the backup's schema needs an upgrade; BackupError when the code does not know it."""
    scripts = _scripts()
    head = scripts.get_current_head()
    try:
        known = scripts.get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(f"Bản sao lưu có phiên bản lược đồ {revision}, mới hơn (hoặc khác) "
                          f"phiên bản {head} của chương trình này: hãy cập nhật chương trình "
                          "rồi phục hồi lại.")
    return revision != head


def tables_with_rows() -> list[str]:
    """The application's tables in the configured database that hold at least one row."""
    existing = set(inspect(db.engine).get_table_names())
    found = []
    try:
        for table in db.metadata.sorted_tables:
            if table.name in existing:
                row = db.session.execute(
                    select(literal_column("1")).select_from(table).limit(1)).first()
                if row is not None:
                    found.append(table.name)
    finally:
        db.session.rollback()
    return found


def _describe_target(kind: str) -> dict[str, int]:
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if kind == "sqlite":
        import sqlite3

        connection = sqlite3.connect(sqlite.database_path(uri))
        try:
            return sqlite.describe(connection).tables
        finally:
            connection.close()
    with postgres.connect(postgres.target(uri)) as connection:
        return postgres.describe(connection).tables


def _put_uploads(members: list[Member], work: Path, folder: Path) -> None:
    """Move the extracted uploads into UPLOAD_DIR (same names, same bytes: only added)."""
    root = folder.resolve()
    for member in members:
        relative = member.name[len(archive.UPLOADS):]
        source = work.joinpath(*member.name.split("/"))
        target = folder.joinpath(*relative.split("/"))
        if not target.resolve().is_relative_to(root):
            raise BackupError(f"Tên tệp tải lên không hợp lệ: {relative}.")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            pending = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
            shutil.copyfile(source, pending)
            os.replace(pending, target)


def restore(path: str | Path, *, force: bool = False,
            progress: Callable[[str], None] = lambda _line: None) -> RestoreSummary:
    """Check the archive, then replace the database and add the uploads; see the module doc."""
    kind = database_kind()
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    uploads_dir = _upload_dir()
    uploads_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".cchc-restore-", dir=uploads_dir.parent))
    try:
        manifest = archive.read(Path(path), work, free_bytes=archive.free_space(work))
        progress(f"Đã kiểm tra {Path(path).name}: {len(manifest.members)} thành phần, tổng "
                 "kiểm SHA-256 khớp.")
        if manifest.database != kind:
            raise BackupError(
                f"Bản sao lưu là cơ sở dữ liệu {KINDS[manifest.database]}, còn cơ sở dữ liệu "
                f"đích là {KINDS[kind]}: chỉ phục hồi được vào cùng loại cơ sở dữ liệu.")
        needs_upgrade = check_revision(manifest.alembic_revision)
        copy = work.joinpath(*manifest.database_member.name.split("/"))
        if kind == "sqlite":
            sqlite.check_copy(copy, manifest.alembic_revision)
        else:
            postgres.check_copy(copy)
        try:
            replaced = tables_with_rows()
        except SQLAlchemyError as exc:
            raise BackupError(f"Không đọc được cơ sở dữ liệu đích: {exc.orig or exc}.") from None
        if replaced and not force:
            shown = ", ".join(replaced[:5]) + (" …" if len(replaced) > 5 else "")
            raise BackupError(f"Cơ sở dữ liệu đích đã có dữ liệu (bảng {shown}): chỉ phục hồi "
                              "vào cơ sở dữ liệu trống. Dùng --force để thay thế toàn bộ.")
        states = {hook.name: _before(hook) for hook in hooks.registered(current_app)
                  if replaced}
        _put_uploads(manifest.uploads, work, uploads_dir)
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            sqlite.restore(copy, uri)
        else:
            postgres.restore(copy, uri, work)
        db.engine.dispose()
        _check_counts(manifest, kind)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    upgraded = None
    if needs_upgrade:
        from flask_migrate import upgrade

        declare_write()
        upgrade(directory=current_app.config["MIGRATIONS_DIR"])
        db.engine.dispose()
        upgraded = _scripts().get_current_head()
    summary = RestoreSummary(manifest, replaced, upgraded)
    for hook in hooks.registered(current_app):
        declare_write()
        try:
            summary.notes.append((hook.name, hook.after(states.get(hook.name))))
        except Exception as exc:  # noqa: BLE001 - the data is in place: say what is left to do
            raise BackupError(
                f"Dữ liệu đã được phục hồi, nhưng bước «{hook.name}» bị lỗi: "
                f"{type(exc).__name__}: {exc}. Hãy chạy lại lệnh phục hồi với --force.") from exc
        finally:
            db.session.remove()
    return summary


def _before(hook: hooks.RestoreHook):
    if hook.before is None:
        return None
    try:
        return hook.before()
    except SQLAlchemyError:
        # The database being replaced cannot tell (an older or broken schema): the hook
        # does without.
        return None
    finally:
        db.session.rollback()


def _check_counts(manifest: Manifest, kind: str) -> None:
    """The restored tables hold as many rows as the backup counted."""
    restored = _describe_target(kind)
    for table, rows in sorted(manifest.tables.items()):
        if restored.get(table) != rows:
            raise BackupError(f"Sau khi phục hồi, bảng {table} có {restored.get(table)} dòng, "
                              f"bản sao lưu ghi {rows} dòng.")
