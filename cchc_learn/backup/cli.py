"""`cchc-learn backup -o FILE` and `cchc-learn restore FILE [--force]`."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from ..numbers import vi_count
from ..timefmt import vn_datetime
from . import service
from .archive import KINDS
from .errors import BackupError


def _when(created_at: str) -> str:
    try:
        return vn_datetime(datetime.fromisoformat(created_at))
    except ValueError:
        return created_at


def _fail(exc: BackupError) -> None:
    click.echo(f"Lỗi: {exc}", err=True)
    raise SystemExit(1)


@click.command("backup")
@click.option("-o", "--output", required=True, help="Tệp sao lưu sẽ ghi (tar).")
@with_appcontext
def backup_command(output: str) -> None:
    """Sao lưu cơ sở dữ liệu và các tệp tải lên vào một tệp tar có manifest.json."""
    if output.startswith("-"):
        # `-o --help` would otherwise write a file called "--help".
        _fail(BackupError(f"Tên tệp sao lưu không được bắt đầu bằng dấu gạch ngang: {output}."))
    try:
        done = service.make_backup(output)
    except BackupError as exc:
        _fail(exc)
        return
    manifest = done.manifest
    click.echo(f"Đã sao lưu vào {output}: cơ sở dữ liệu {KINDS[manifest.database]} "
               f"(lược đồ {manifest.alembic_revision}, {vi_count(sum(manifest.tables.values()))} "
               f"dòng), {vi_count(len(manifest.uploads))} tệp tải lên.")


@click.command("restore")
@click.argument("archive_file", metavar="FILE")
@click.option("--force", is_flag=True,
              help="Thay thế toàn bộ dữ liệu của cơ sở dữ liệu đích nếu nó không trống.")
@with_appcontext
def restore_command(archive_file: str, force: bool) -> None:
    """Phục hồi một bản sao lưu vào cơ sở dữ liệu trống (--force: thay thế dữ liệu đang có)."""
    try:
        done = service.restore(archive_file, force=force, progress=click.echo)
    except BackupError as exc:
        _fail(exc)
        return
    manifest = done.manifest
    click.echo(f"Đã phục hồi cơ sở dữ liệu {KINDS[manifest.database]} (lược đồ "
               f"{manifest.alembic_revision}, sao lưu lúc {_when(manifest.created_at)}) và "
               f"{vi_count(len(manifest.uploads))} tệp tải lên.")
    if done.upgraded_to:
        click.echo(f"Đã nâng cấp lược đồ từ {manifest.alembic_revision} lên {done.upgraded_to}.")
    for name, note in done.notes:
        click.echo(f"{name}: {note}")
