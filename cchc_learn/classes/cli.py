"""`cchc-learn classes …` commands: import past classes' records from a workbook."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..database import declare_write
from ..org.importing.reading import too_large
from . import past_import


@click.group("classes", help="Lớp bồi dưỡng.")
def classes_cli() -> None:
    declare_write()


def _report(shown: str, plan: past_import.PastPlan) -> None:
    for problem in plan.problems:
        click.echo(str(problem))
    click.echo(f"{shown}: {len(plan.problems)} lỗi; không có gì được ghi vào cơ sở dữ liệu.",
               err=True)
    raise SystemExit(1)


@click.command("import-past")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra tệp, không ghi gì.")
@with_appcontext
def import_past_command(file: Path, dry_run: bool) -> None:
    """Import classes held before the service from an XLSX workbook (sheets Lop, HocVien)."""
    declare_write()
    shown = str(file)
    limit = current_app.config["IMPORT_MAX_BYTES"]
    size = file.stat().st_size
    if size > limit:
        click.echo(f"{shown}: {too_large(size, limit)}", err=True)
        raise SystemExit(1)
    data = file.read_bytes()
    plan = past_import.preview(file.name, data)
    if not plan.ok:
        if not plan.problems:
            plan.fail("Trang “Lop” không có lớp nào.", past_import.CLASS_SHEET)
        _report(shown, plan)
    if dry_run:
        click.echo(f"{shown}: kiểm tra xong, không có lỗi: {len(plan.classes)} lớp, "
                   f"{plan.learner_count} học viên sẽ được nhập (chạy thử, chưa ghi gì).")
        return
    try:
        result = past_import.write(plan, None)
    except past_import.PastRejected as exc:
        _report(shown, exc.plan)
    click.echo(f"{shown}: đã nhập {result.classes} lớp ({result.sessions} buổi học), "
               f"{result.participants} học viên, {result.attended} lượt đạt yêu cầu tham dự.")


classes_cli.add_command(import_past_command)


def register_cli(app: Flask) -> None:
    """Add `classes import-past` to the `classes` group, creating the group if nobody has."""
    group = app.cli.commands.get("classes")
    if isinstance(group, click.Group) and group is not classes_cli:
        group.add_command(import_past_command)
    else:
        app.cli.add_command(classes_cli)
