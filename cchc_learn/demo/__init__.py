"""Demo province and the quickstart command."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the quickstart command."""
    from . import cli

    app.cli.add_command(cli.quickstart_command)
