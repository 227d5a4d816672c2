"""`cchc-learn content check|sync [DIR]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..database import declare_write
from .checks import load_tree, sync_tree


@click.group("content", help="Kiểm tra và nạp nội dung Markdown trong content/.")
def content_cli() -> None:
    pass


def _root(directory: str | None) -> Path:
    return Path(directory or current_app.config["CONTENT_DIR"])


def _report(tree) -> None:
    for problem in tree.problems:
        click.echo(problem, err=True)
    raise SystemExit(1)


@content_cli.command("check")
@click.argument("directory", required=False)
@with_appcontext
def check_command(directory: str | None) -> None:
    """Check every content file; print problems as path:line: message."""
    tree = load_tree(_root(directory))
    if tree.problems:
        _report(tree)
    click.echo(f"Không có lỗi: {tree.counts}.")


def sync_content(directory: str | None = None, *, echo=click.echo) -> None:
    """Check then import the content folder in one transaction (used by quickstart too)."""
    declare_write()
    tree = load_tree(_root(directory))
    if tree.problems:
        _report(tree)
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    with click.progressbar(length=tree.steps, label="Đang nạp nội dung", file=None) as bar:
        summaries = sync_tree(tree, upload_dir=upload_dir, progress=lambda _item: bar.update(1))
    for label, s in summaries.items():
        echo(
            f"{label}: thêm {s.added}, cập nhật {s.updated}, không đổi {s.unchanged}, "
            f"lưu trữ {s.archived}."
        )


@content_cli.command("sync")
@click.argument("directory", required=False)
@with_appcontext
def sync_command(directory: str | None) -> None:
    """Import the content folder all-or-nothing."""
    sync_content(directory)
