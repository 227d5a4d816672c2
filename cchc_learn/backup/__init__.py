"""Backup and restore of the database and the uploaded files (`cchc-learn backup|restore`).

A floor package: it imports no feature. Features that keep state about the content (the search
index, sessions, the outboxes) say what a restore means for them through `hooks.register`.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add `cchc-learn backup` and `cchc-learn restore`."""
    from .cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
