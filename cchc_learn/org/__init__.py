"""Organisation: the unit tree and officials' memberships."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the organisation models and CLI."""
    from . import cli, models  # noqa: F401

    app.cli.add_command(cli.units_cli)
